"""Writes of the children's process. Each service is one transaction: policy check, the write, the audit
row and the case events (through the case engine's services, which keep the deadline projection)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.utils import timezone

from lotsen.audit import services as audit
from lotsen.cases import services as cases
from lotsen.cases.deadlines import EventType
from lotsen.cases.models import (
    MANDATED_CATEGORIES,
    Case,
    CaseParty,
    CaseStatus,
    Channel,
    Decision,
    Intake,
    IntakeKind,
    PartyRole,
    ProcessCode,
    ReporterCategory,
)
from lotsen.children import selectors
from lotsen.children.bbic import BBIC_PARTS, PREREQUISITES
from lotsen.children.letters import feedback_letter_text
from lotsen.children.models import (
    ChildReport,
    FeedbackFact,
    Investigation,
    InvestigationPart,
    InvestigationStructure,
    NeedRating,
    PartStatus,
    ProtectionAssessment,
    ReporterFeedback,
)
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.policies.access import can_work_on_case

if TYPE_CHECKING:
    from lotsen.accounts.models import User
    from lotsen.core.models import Unit
    from lotsen.people.models import Person

# R-ANM-1: a private person may be anonymous; a mandated reporter is recorded by name and organisation.
ANONYMOUS_ALLOWED = {ReporterCategory.PRIVATE, ReporterCategory.RELATIVE}
TEXT_LIMIT = 20_000

PRE_ASSESSMENT_OUTCOMES = ("utredning_inleds", "inleds_ej", "overlamnad")
DECISION_TEXTS = {
    "utredning_inleds": "Utredning inleds enligt 14 kap. 2 § socialtjänstlagen (2025:400).",
    "inleds_ej": "Utredning inleds inte.",
    "overlamnad": "Ärendet överlämnas till {to}. Utredning inleds inte här.",
}


def _require_case(actor: User, case: Case) -> None:
    if not can_work_on_case(actor, case):
        raise PermissionDeniedError("Du har inte behörighet att arbeta i det här ärendet.")


def _require_child_case(case: Case) -> None:
    if case.process != ProcessCode.CHILD:
        raise DomainError("Ärendet gäller inte barn och unga.")


# --- 1. register a report (page 6) --------------------------------------------------------------------------


class AlreadyRegisteredError(DomainError):
    """The form was submitted twice (double click, reload): the report is already registered."""

    def __init__(self, batch: uuid.UUID) -> None:
        super().__init__("Anmälan är redan registrerad.")
        self.batch = batch


@dataclass(frozen=True)
class RegisteredReport:
    intake: Intake
    case: Case
    linked_to_ongoing: bool


@transaction.atomic
def report_register(
    *,
    actor: User,
    unit: Unit,
    received_at: datetime,
    channel: str,
    reporter_category: str,
    reporter_name: str = "",
    reporter_organisation: str = "",
    reporter_contact: str = "",
    anonymous: bool = False,
    wants_feedback: bool = False,
    children: list[Person],
    content: str,
    now: datetime | None = None,
    batch: uuid.UUID | None = None,
) -> list[RegisteredReport]:
    """Register an orosanmälan about one or more children (R-ANM-1, R-ANM-2).

    Per child: when an investigation about the child is ongoing, the report is linked to it (an intake on
    that case, `report_received` with `ongoing_investigation`: no pre-assessment, R-FORH-1); otherwise a
    child case is opened in the registering unit. Day 0 is `received_on`, the local date of `received_at`;
    a report registered on a later day is flagged `registered_late`. The guardians in the register become
    case parties. Every report starts the immediate protection assessment (R-SKYDD-1)."""
    if not any(u.pk == unit.pk for u in selectors.registration_units(actor)):
        raise PermissionDeniedError(
            "Du kan bara registrera anmälningar i en mottagnings- eller utredningsenhet där du arbetar."
        )
    # `now` is the moment of registration (the demo seeder registers history); it decides `registered_late`.
    backdated = now is not None
    now = now or timezone.now()
    if timezone.is_naive(received_at):
        raise DomainError("Ange när anmälan kom in.", field="received_on")
    if received_at > now:
        raise DomainError("Tidpunkten då anmälan kom in kan inte vara senare än nu", field="received_on")
    received_on = timezone.localtime(received_at).date()
    today = timezone.localtime(now).date()
    if channel not in Channel.values:
        raise DomainError("Välj hur anmälan kom in", field="channel")
    if reporter_category not in ReporterCategory.values or reporter_category == ReporterCategory.ANONYMOUS:
        raise DomainError("Välj vem som har gjort anmälan", field="reporter_category")
    name, organisation, contact = reporter_name.strip(), reporter_organisation.strip(), reporter_contact.strip()
    mandated = reporter_category in MANDATED_CATEGORIES
    if anonymous:
        if reporter_category not in ANONYMOUS_ALLOWED:
            raise DomainError(
                "Bara en privatperson kan vara anonym. Välj privatperson eller anhörig, eller ta bort markeringen",
                field="anonymous",
            )
        if name or contact:
            raise DomainError("Lämna namn och kontaktuppgifter tomma när anmälaren är anonym", field="reporter_name")
    elif not name:
        raise DomainError("Ange anmälarens namn", field="reporter_name")
    if mandated and not organisation:
        raise DomainError("Ange anmälarens organisation", field="reporter_organisation")
    if wants_feedback and not mandated:
        # R-INFO-1: only reporters under 19:1–3 have a right to information.
        raise DomainError(
            "Bara anmälningsskyldiga kan begära återkoppling. Ta bort markeringen eller välj en annan kategori",
            field="wants_feedback",
        )
    if wants_feedback and anonymous:
        raise DomainError("En anonym anmälare kan inte få återkoppling", field="wants_feedback")
    content = content.strip()
    if not content:
        raise DomainError("Skriv vad anmälan handlar om", field="content")
    if len(content) > TEXT_LIMIT:
        raise DomainError(f"Anmälan får vara högst {TEXT_LIMIT:,} tecken".replace(",", " "), field="content")
    unique_children = list({c.pk: c for c in children}.values())
    if not unique_children:
        raise DomainError("Ange personnummer för minst ett barn", field="child_0")
    for index, child in enumerate(children):
        if not selectors.is_child_or_young(child, received_on):
            raise DomainError(
                "Personen är 21 år eller äldre. En orosanmälan om barn och unga gäller den som är under 21 år",
                field=f"child_{index}",
            )

    if batch is not None:
        # The form's idempotency key: a second submission of the same form registers nothing new.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [str(batch)])
        if ChildReport.objects.filter(batch=batch).exists():
            raise AlreadyRegisteredError(batch)
    batch = batch or uuid.uuid4()
    results: list[RegisteredReport] = []
    for child in unique_children:
        ongoing = selectors.ongoing_investigation_case(child, received_on)
        if ongoing is not None and selectors.unassessed_intake(ongoing) is not None:
            index = next(i for i, c in enumerate(children) if c.pk == child.pk)
            raise DomainError(
                "Barnet har en pågående utredning med en anmälan som ännu saknar signerad skyddsbedömning. "
                "Signera den skyddsbedömningen innan du registrerar en ny anmälan",
                field=f"child_{index}",
            )
        guardians = selectors.guardians_of(child, received_on)
        if ongoing is not None:
            case = ongoing
            for guardian in guardians:
                CaseParty.objects.get_or_create(case=case, person=guardian, role=PartyRole.GUARDIAN)
        else:
            case = cases.case_open(
                actor=actor,
                subject=child,
                process_code=ProcessCode.CHILD,
                unit=unit,
                opened_on=received_on,
                parties=[(g, PartyRole.GUARDIAN) for g in guardians],
            )
        intake = Intake.objects.create(
            case=case,
            kind=IntakeKind.REPORT,
            received_at=received_at,
            received_on=received_on,
            channel=channel,
            reporter_category=ReporterCategory.ANONYMOUS if anonymous else reporter_category,
            reporter_name=name,
            reporter_organisation=organisation,
            reporter_contact=contact,
            wants_feedback=wants_feedback,
            content=content,
            registered_by=actor,
            registered_late=received_on < today,  # R-ANM-2
        )
        if backdated:
            Intake.objects.filter(pk=intake.pk).update(registered_at=now)
            intake.registered_at = now
        ChildReport.objects.create(
            intake=intake,
            batch=batch,
            registering_unit=unit,
            stated_category=reporter_category,
            reporter_anonymous=anonymous,
            linked_to_ongoing=ongoing is not None,
        )
        audit.record(actor=actor, action="intake.registered", obj=intake)
        payload: dict[str, object] = {"intake_id": intake.pk}
        if ongoing is not None:
            payload["ongoing_investigation"] = True
        # Access was checked above (a case role in the registering unit); a linked report goes to the case
        # of the ongoing investigation, whichever unit conducts it.
        cases._record_event(
            actor=actor, case=case, type=EventType.REPORT_RECEIVED, occurred_on=received_on, payload=payload
        )
        if wants_feedback:
            cases._record_event(
                actor=actor,
                case=case,
                type=EventType.REPORTER_FEEDBACK_REQUESTED,
                occurred_on=received_on,
                payload={"intake_id": intake.pk},
            )
        results.append(RegisteredReport(intake=intake, case=case, linked_to_ongoing=ongoing is not None))
    return results


# --- 2. immediate protection assessment (page 7) -----------------------------------------------------------


@transaction.atomic
def protection_assessment_sign(
    *,
    actor: User,
    intake: Intake,
    needs_immediate_protection: bool,
    measures: str,
    assessment: str,
    signed_at: datetime | None = None,
) -> ProtectionAssessment:
    """R-SKYDD-1: document the immediate protection assessment and sign it. Signed means final (trigger)."""
    case = Case.objects.select_for_update().get(pk=intake.case_id)
    _require_case(actor, case)
    _require_child_case(case)
    if intake.kind != IntakeKind.REPORT:
        raise DomainError("Skyddsbedömning görs för en orosanmälan.")
    if ProtectionAssessment.objects.filter(intake=intake).exists():
        raise DomainError("Skyddsbedömningen är redan signerad.")
    measures, assessment = measures.strip(), assessment.strip()
    if needs_immediate_protection and not measures:
        raise DomainError("Beskriv vilka skyddsåtgärder som vidtas", field="measures")
    if not assessment:
        raise DomainError("Skriv din bedömning", field="assessment")
    if len(assessment) > TEXT_LIMIT or len(measures) > TEXT_LIMIT:
        raise DomainError("Texten får vara högst 20 000 tecken", field="assessment")
    signed_at = signed_at or timezone.now()
    if signed_at < intake.received_at:
        raise DomainError("Skyddsbedömningen kan inte signeras innan anmälan kom in.")
    pa = ProtectionAssessment.objects.create(
        case=case,
        intake=intake,
        needs_immediate_protection=needs_immediate_protection,
        measures=measures if needs_immediate_protection else "",
        assessment=assessment,
        signed_by=actor,
        signed_at=signed_at,
    )
    audit.record(actor=actor, action="protection_assessment.signed", obj=pa)
    cases.event_record(
        actor=actor,
        case=case,
        type=EventType.PROTECTION_ASSESSMENT_SIGNED,
        occurred_on=timezone.localtime(signed_at).date(),
        payload={"intake_id": intake.pk, "needs_immediate_protection": needs_immediate_protection},
    )
    return pa


# --- 3. pre-assessment (page 8) ----------------------------------------------------------------------------


@transaction.atomic
def pre_assessment_decide(
    *,
    actor: User,
    case: Case,
    outcome: str,
    reasons: str,
    child_heard: bool,
    child_view: str,
    handed_over_to: str = "",
    decided_on: date | None = None,
) -> Decision:
    """R-FORH-1, R-FORH-3: prepare and sign the pre-assessment decision (delegationsordning point 2.1), then
    carry out its outcome: open the investigation (R-UTR-2 from the decision date) or close the case."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_case(actor, case)
    _require_child_case(case)
    if selectors.unassessed_intake(case) is not None:
        # R-SKYDD-1: no pre-assessment decision before a signed protection assessment.
        raise DomainError("Signera skyddsbedömningen innan du beslutar i förhandsbedömningen.")
    if not case.deadlines.filter(kind="pre_assessment", status="pending").exists():
        raise DomainError("Det finns ingen förhandsbedömning att besluta i ärendet.")
    if outcome not in PRE_ASSESSMENT_OUTCOMES:
        raise DomainError("Välj om utredning ska inledas", field="outcome")
    handed_over_to = handed_over_to.strip()
    if outcome == "overlamnad" and not handed_over_to:
        raise DomainError("Ange vilken kommun eller myndighet ärendet överlämnas till", field="handed_over_to")
    if not reasons.strip():
        raise DomainError("Skriv motiveringen till beslutet", field="reasons")
    child_view = child_view.strip()
    if not child_view:
        field = "child_view"
        message = "Skriv barnets synpunkter" if child_heard else "Skriv varför barnet inte har hörts"
        raise DomainError(message, field=field)
    prefix = "Barnet har hörts: " if child_heard else "Barnet har inte hörts: "
    decision = cases.decision_prepare(
        actor=actor,
        case=case,
        type="pre_assessment",
        outcome=outcome,
        decision_text=DECISION_TEXTS[outcome].format(to=handed_over_to),
        reasons=reasons,
        person_view=prefix + child_view,
        payload={"child_heard": child_heard, "handed_over_to": handed_over_to},
    )
    decision = cases.decision_sign(actor=actor, decision=decision, decided_on=decided_on)
    pre_assessment_carry_out(actor=actor, case=case, decision=decision)
    return decision


@transaction.atomic
def pre_assessment_carry_out(*, actor: User, case: Case, decision: Decision) -> None:
    """Carry out a signed pre-assessment decision (also one signed through the general decision flow):
    `utredning_inleds` records `investigation_opened` on the decision date and moves the case to the
    investigation phase; `inleds_ej` and `overlamnad` close the case (R-FORH-3). Does nothing twice."""
    _require_case(actor, case)
    if decision.type != "pre_assessment" or decision.status != "signed" or decision.case_id != case.pk:
        raise DomainError("Beslutet är inte ett fattat beslut i förhandsbedömningen.")
    decided_on = decision.decided_on
    assert decided_on is not None
    if decision.outcome == "utredning_inleds":
        if case.events.filter(type=EventType.INVESTIGATION_OPENED, payload__decision_id=decision.pk).exists():
            return
        cases.event_record(
            actor=actor,
            case=case,
            type=EventType.INVESTIGATION_OPENED,
            occurred_on=decided_on,
            payload={"decision_id": decision.pk},
        )
        if case.phase == "reception":
            cases.phase_change(actor=actor, case=case, to_phase="investigation", occurred_on=decided_on)
    elif decision.outcome in ("inleds_ej", "overlamnad") and case.status == CaseStatus.OPEN:
        cases.case_close(actor=actor, case=case, reason=decision.outcome, closed_on=decided_on)


def pending_carry_out(case: Case, decision: Decision | None) -> bool:
    """A signed pre-assessment decision whose outcome has not been carried out yet."""
    if decision is None:
        return False
    if decision.outcome == "utredning_inleds":
        return not case.events.filter(type=EventType.INVESTIGATION_OPENED, payload__decision_id=decision.pk).exists()
    return decision.outcome in ("inleds_ej", "overlamnad") and case.status == CaseStatus.OPEN


# --- 4. information to the reporter (R-INFO-1) -------------------------------------------------------------


@transaction.atomic
def reporter_feedback_send(*, actor: User, intake: Intake, sent_on: date, sender_unit_name: str) -> ReporterFeedback:
    """Record that the information was sent to a mandated reporter who asked for it (R-INFO-1). The letter
    states only whether an investigation was opened, not opened or is already ongoing (R-SEK-1)."""
    case = Case.objects.select_for_update().get(pk=intake.case_id)
    _require_case(actor, case)
    if not selectors.feedback_requested(intake):
        raise DomainError("Anmälaren har inte begärt återkoppling.")
    if ReporterFeedback.objects.filter(intake=intake).exists():
        raise DomainError("Återkopplingen är redan markerad som skickad.")
    fact = selectors.feedback_fact(intake)
    if fact is None:
        raise DomainError("Återkopplingen kan skickas när förhandsbedömningen är beslutad.")
    if sent_on > timezone.localdate():
        raise DomainError("Datum då återkopplingen skickades kan inte vara senare än i dag", field="sent_on")
    if sent_on < intake.received_on:
        raise DomainError("Datum då återkopplingen skickades kan inte vara före anmälan kom in", field="sent_on")
    decision = None if fact == FeedbackFact.ONGOING else selectors.pre_assessment_decision(case)
    if decision is not None and decision.decided_on is not None and sent_on < decision.decided_on:
        raise DomainError(
            "Datum då återkopplingen skickades kan inte vara före beslutet i förhandsbedömningen", field="sent_on"
        )
    feedback = ReporterFeedback.objects.create(
        intake=intake,
        case=case,
        fact=fact,
        letter_text=feedback_letter_text(
            intake=intake, fact=fact, letter_date=sent_on, sender=actor, unit_name=sender_unit_name
        ),
        sent_on=sent_on,
        sent_by=actor,
    )
    audit.record(actor=actor, action="reporter_feedback.sent", obj=feedback)
    cases.event_record(
        actor=actor,
        case=case,
        type=EventType.REPORTER_FEEDBACK_SENT,
        occurred_on=sent_on,
        payload={"intake_id": intake.pk, "fact": fact},
    )
    return feedback


# --- 6. investigation (page 10) ----------------------------------------------------------------------------


def investigation_create(*, actor: User | None, case: Case, opened_on: date, event_id: int) -> Investigation:
    """Called when `investigation_opened` is recorded (`signals.py`): the investigation with its parts, BBIC
    for children, free structure for adults."""
    structure = InvestigationStructure.BBIC if case.process == ProcessCode.CHILD else InvestigationStructure.FREE
    investigation = Investigation.objects.create(
        case=case, structure=structure, opened_on=opened_on, opened_event_id=event_id, unit_id=case.unit_id
    )
    if structure == InvestigationStructure.BBIC:
        InvestigationPart.objects.bulk_create(
            [
                InvestigationPart(
                    investigation=investigation,
                    key=d.key,
                    group=d.group,
                    title=str(d.title),
                    position=i,
                    rated=d.rated,
                )
                for i, d in enumerate(BBIC_PARTS, start=1)
            ]
        )
    audit.record(actor=actor, action="investigation.opened", obj=investigation)
    return investigation


def investigation_close(*, actor: User | None, investigation: Investigation, closed_on: date, reason: str) -> None:
    before = audit.snapshot(investigation)
    investigation.closed_on = closed_on
    investigation.close_reason = reason
    investigation.save(update_fields=["closed_on", "close_reason"])
    audit.record(actor=actor, action="investigation.closed", obj=investigation, before=before)


@transaction.atomic
def investigation_open(*, actor: User, case: Case, opened_on: date) -> Investigation:
    """Open an investigation directly (adults: an application or a report opens it, R-UTR-1). Children's
    investigations are opened by the pre-assessment decision."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_case(actor, case)
    if case.process == ProcessCode.CHILD:
        raise DomainError("En utredning om barn inleds genom beslut i förhandsbedömningen.")
    if case.status != CaseStatus.OPEN:
        raise DomainError("Ärendet är avslutat.")
    if case.investigations.filter(closed_on__isnull=True).exists():
        raise DomainError("Det finns redan en pågående utredning i ärendet.")
    event = cases.event_record(actor=actor, case=case, type=EventType.INVESTIGATION_OPENED, occurred_on=opened_on)
    if case.phase != "investigation":
        cases.phase_change(actor=actor, case=case, to_phase="investigation", occurred_on=opened_on)
    return Investigation.objects.get(opened_event_id=event.pk)


def _require_open_investigation(actor: User, investigation: Investigation) -> Case:
    case = investigation.case
    _require_case(actor, case)
    if not investigation.is_open or case.status != CaseStatus.OPEN:
        raise DomainError("Utredningen är avslutad och kan inte ändras.")
    return case


@transaction.atomic
def investigation_plan_save(*, actor: User, investigation: Investigation, plan: str) -> Investigation:
    investigation = Investigation.objects.select_for_update().select_related("case").get(pk=investigation.pk)
    _require_open_investigation(actor, investigation)
    if len(plan) > TEXT_LIMIT:
        raise DomainError("Utredningsplanen får vara högst 20 000 tecken", field="plan")
    before = audit.snapshot(investigation)
    investigation.plan = plan.strip()
    investigation.save(update_fields=["plan"])
    audit.record(actor=actor, action="investigation.plan_saved", obj=investigation, before=before)
    return investigation


@transaction.atomic
def investigation_part_save(
    *, actor: User, part: InvestigationPart, text: str, rating: str, sources: str, done: bool
) -> InvestigationPart:
    """Save a part of the investigation; its status follows its content (Ej påbörjad / Pågår / Klar)."""
    part = InvestigationPart.objects.select_for_update().select_related("investigation__case").get(pk=part.pk)
    investigation = part.investigation
    _require_open_investigation(actor, investigation)
    needed = PREREQUISITES.get(part.key)
    if needed:
        prerequisite = investigation.parts.filter(key=needed).first()
        if prerequisite is not None and prerequisite.status != PartStatus.DONE:
            raise DomainError(f"Den här delen kan inte påbörjas förrän {prerequisite.display_title.lower()} är klar.")
    text, sources = text.strip(), sources.strip()
    if len(text) > TEXT_LIMIT:
        raise DomainError("Texten får vara högst 20 000 tecken", field="text")
    if len(sources) > 5000:
        raise DomainError("Källorna får vara högst 5 000 tecken", field="sources")
    if rating and (not part.rated or rating not in NeedRating.values):
        raise DomainError("Välj en av bedömningarna", field="rating")
    if done:
        if not text:
            raise DomainError("Skriv texten innan du markerar delen som klar", field="text")
        if part.rated and not rating:
            raise DomainError("Välj hur stora behov barnet har innan du markerar delen som klar", field="rating")
        if not sources:
            raise DomainError("Ange källor innan du markerar delen som klar", field="sources")
    before = audit.snapshot(part)
    part.text, part.rating, part.sources = text, rating if part.rated else "", sources
    if done:
        part.status = PartStatus.DONE
    elif text or rating or sources:
        part.status = PartStatus.IN_PROGRESS
    else:
        part.status = PartStatus.NOT_STARTED
    part.updated_at = timezone.now()
    part.updated_by = actor
    part.save()
    audit.record(actor=actor, action="investigation.part_saved", obj=part, before=before)
    return part


@transaction.atomic
def investigation_part_add(*, actor: User, investigation: Investigation, title: str) -> InvestigationPart:
    """A free part (adults' investigations have no fixed structure)."""
    investigation = Investigation.objects.select_for_update().select_related("case").get(pk=investigation.pk)
    _require_open_investigation(actor, investigation)
    if investigation.structure != InvestigationStructure.FREE:
        raise DomainError("Barnutredningen följer BBIC. Skriv i den del som passar.")
    title = title.strip()
    if not title:
        raise DomainError("Ange rubrik för delen", field="title")
    if len(title) > 200:
        raise DomainError("Rubriken får vara högst 200 tecken", field="title")
    position = investigation.parts.count() + 1
    part = InvestigationPart.objects.create(
        investigation=investigation,
        key=f"free-{position}-{uuid.uuid4().hex[:8]}",
        group="free",
        title=title,
        position=position,
        rated=False,
    )
    audit.record(actor=actor, action="investigation.part_added", obj=part)
    return part
