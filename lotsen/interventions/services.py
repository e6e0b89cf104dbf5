"""Writes for interventions and placements. Each service checks the policies, writes its audit row and the
case's timeline event (through `lotsen.cases.services.event_record`, which also rewrites the deadline
projection) in one transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lotsen.audit import services as audit
from lotsen.cases import process
from lotsen.cases import services as cases
from lotsen.cases.models import Case, CaseStatus, Decision, DecisionStatus, ProcessCode
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.interventions import rules
from lotsen.interventions.models import (
    CareReview,
    CareReviewConclusion,
    DelayReason,
    EndReason,
    Intervention,
    InterventionKind,
    Placement,
    PriceAgreement,
    PriceUnit,
    Provider,
    Visit,
)
from lotsen.policies.access import CASE_ROLES, can_work_on_case

if TYPE_CHECKING:
    from lotsen.accounts.models import User


class EventType:
    """Timeline events written here besides the engine's `placement_started` and `care_reviewed`."""

    INTERVENTION_STARTED = "intervention_started"
    INTERVENTION_ENDED = "intervention_ended"
    PLACEMENT_STARTED = "placement_started"  # deadline event: starts R-VARD-1 for children
    CARE_REVIEWED = "care_reviewed"  # deadline event: ends the review and starts the next one
    PLACEMENT_ENDED = "placement_ended"  # the last placement of a child ended (timeline only, see report)
    PLACEMENT_VISITED = "placement_visited"


def _require_work(actor: User, case: Case) -> None:
    if not can_work_on_case(actor, case):
        raise PermissionDeniedError("Du har inte behörighet att arbeta i det här ärendet.")
    if case.status == CaseStatus.CLOSED:
        raise DomainError("Ärendet är avslutat. Insatser kan inte ändras i ett avslutat ärende.")


def _not_future(day: date, message: str, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError(message, field=field)


def is_executable(decision: Decision) -> bool:
    """A signed, favourable decision granting an intervention (R-VERK-1 concerns exactly these)."""
    return (
        decision.status == DecisionStatus.SIGNED
        and decision.type in rules.INTERVENTION_KINDS_BY_DECISION_TYPE
        and decision.outcome in rules.FAVOURABLE_OUTCOMES
    )


def price_agreement_for(provider: Provider, service: str, on: date) -> PriceAgreement | None:
    """The agreement valid on `on` for the provider's service (the newest one if periods overlap)."""
    return (
        PriceAgreement.objects.filter(provider=provider, service=service, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from", "-id")
        .first()
    )


def daily_price(agreement: PriceAgreement | None) -> Decimal | None:
    """Dygnspris from the agreement: a day price as is, a month price as 12/365 of it per day (öre)."""
    if agreement is None:
        return None
    if agreement.price_unit == PriceUnit.DAY:
        return agreement.price
    if agreement.price_unit == PriceUnit.MONTH:
        return (agreement.price * 12 / Decimal(365)).quantize(Decimal("0.01"))
    return None


def _is_case_worker(user: User, case: Case) -> bool:
    return case.assignee_id == user.pk or any(
        m.unit_id == case.unit_id and m.role in CASE_ROLES for m in user.active_memberships()
    )


@transaction.atomic
def intervention_start(
    *,
    actor: User,
    decision: Decision,
    kind: str,
    start_on: date,
    provider: Provider | None,
    planned_end_on: date | None = None,
    responsible_worker: User | None = None,
    placement_form: str = "",
    care_plan_on: date | None = None,
    implementation_plan_on: date | None = None,
) -> Intervention:
    """Carry out (verkställ) a signed, favourable decision of the case. A placement of a child also records
    `placement_started` on `care_start`, which starts the six-month care review (R-VARD-1)."""
    decision = Decision.objects.select_for_update().select_related("case").get(pk=decision.pk)
    case = decision.case
    _require_work(actor, case)
    if decision.status != DecisionStatus.SIGNED:
        raise DomainError("Insatsen kan bara verkställas när beslutet är fattat.")
    allowed = rules.INTERVENTION_KINDS_BY_DECISION_TYPE.get(decision.type)
    if allowed is None:
        raise DomainError("Beslutet gäller inte en insats.")
    if decision.outcome not in rules.FAVOURABLE_OUTCOMES:
        raise DomainError("Beslutet beviljar ingen insats som kan verkställas.")
    if kind not in allowed:
        raise DomainError("Välj en insats som beslutet gäller", field="kind")
    if Intervention.objects.filter(decision=decision, end_on__isnull=True).exists():
        raise DomainError("Beslutet har redan en pågående insats.")
    _not_future(start_on, "Datum då insatsen började kan inte vara senare än i dag", "start_on")
    if start_on < case.opened_on:
        raise DomainError("Datum då insatsen började kan inte vara före det datum ärendet öppnades", field="start_on")
    if planned_end_on is not None and planned_end_on < start_on:
        raise DomainError("Planerat slutdatum kan inte vara före datum då insatsen började", field="planned_end_on")
    if provider is None:
        raise DomainError("Välj utförare", field="provider")
    is_placement = kind == InterventionKind.PLACEMENT
    if is_placement:
        forms = rules.PLACEMENT_FORMS_BY_DECISION_TYPE.get(decision.type, ())
        if placement_form not in forms:
            raise DomainError("Välj placeringsform", field="placement_form")
        if responsible_worker is None:
            # R-VARD-5: each placed child has a named responsible socialsekreterare.
            raise DomainError("Välj ansvarig socialsekreterare", field="responsible_worker")
    if responsible_worker is not None and not _is_case_worker(responsible_worker, case):
        raise DomainError("Den ansvariga socialsekreteraren arbetar inte i ärendets enhet", field="responsible_worker")
    intervention = Intervention.objects.create(
        case=case,
        decision=decision,
        kind=kind,
        provider=provider,
        start_on=start_on,
        planned_end_on=planned_end_on,
        responsible_worker=responsible_worker,
        started_by=actor,
    )
    payload: dict[str, object] = {"intervention_id": intervention.pk, "decision_id": decision.pk, "kind": kind}
    placement = None
    if is_placement:
        agreement = price_agreement_for(provider, placement_form, start_on)
        placement = Placement.objects.create(
            intervention=intervention,
            form=placement_form,
            care_start=rules.care_start(decision.decided_on, start_on),
            price_agreement=agreement,
            daily_price=daily_price(agreement),
            care_plan_on=care_plan_on,
            implementation_plan_on=implementation_plan_on,
        )
        payload["form"] = placement_form
    audit.record(actor=actor, action="intervention.started", obj=intervention)
    if placement is not None:
        audit.record(actor=actor, action="placement.started", obj=placement)
    cases.event_record(
        actor=actor, case=case, type=EventType.INTERVENTION_STARTED, occurred_on=start_on, payload=payload
    )
    if placement is not None and case.process == ProcessCode.CHILD:
        # R-VARD-1: the review cycle runs from care_start (the engine ignores a second placement while care
        # is already going on: a move does not restart it).
        cases.event_record(
            actor=actor,
            case=case,
            type=EventType.PLACEMENT_STARTED,
            occurred_on=placement.care_start,
            payload={"intervention_id": intervention.pk, "form": placement.form},
        )
    proc = process.get(case.process)
    if case.phase != "intervention" and proc.can_move(case.phase, "intervention"):
        cases.phase_change(actor=actor, case=case, to_phase="intervention", occurred_on=start_on)
    return intervention


@transaction.atomic
def intervention_end(
    *, actor: User, intervention: Intervention, end_on: date, end_reason: str, note: str = ""
) -> Intervention:
    intervention = Intervention.objects.select_for_update().select_related("case").get(pk=intervention.pk)
    case = intervention.case
    _require_work(actor, case)
    if intervention.end_on is not None:
        raise DomainError("Insatsen är redan avslutad.")
    if end_reason not in EndReason.values:
        raise DomainError("Välj varför insatsen avslutas", field="end_reason")
    if end_reason == EndReason.OTHER and not note.strip():
        raise DomainError("Beskriv varför insatsen avslutas", field="note")
    _not_future(end_on, "Datum då insatsen avslutades kan inte vara senare än i dag", "end_on")
    if end_on < intervention.start_on:
        raise DomainError("Datum då insatsen avslutades kan inte vara före datum då den började", field="end_on")
    before = audit.snapshot(intervention)
    intervention.end_on = end_on
    intervention.end_reason = end_reason
    intervention.end_note = note.strip()
    intervention.save(update_fields=["end_on", "end_reason", "end_note"])
    audit.record(actor=actor, action="intervention.ended", obj=intervention, before=before)
    cases.event_record(
        actor=actor,
        case=case,
        type=EventType.INTERVENTION_ENDED,
        occurred_on=end_on,
        payload={"intervention_id": intervention.pk, "decision_id": intervention.decision_id, "reason": end_reason},
    )
    if (
        intervention.kind == InterventionKind.PLACEMENT
        and case.process == ProcessCode.CHILD
        and not Intervention.objects.filter(case=case, kind=InterventionKind.PLACEMENT, end_on__isnull=True).exists()
    ):
        cases.event_record(
            actor=actor,
            case=case,
            type=EventType.PLACEMENT_ENDED,
            occurred_on=end_on,
            payload={"intervention_id": intervention.pk},
        )
    return intervention


def _ongoing_placement(placement: Placement) -> Placement:
    placement = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("intervention", "intervention__case")
        .get(pk=placement.pk)
    )
    if placement.intervention.end_on is not None:
        raise DomainError("Placeringen är avslutad.")
    return placement


@transaction.atomic
def care_review_record(
    *,
    actor: User,
    placement: Placement,
    reviewed_on: date,
    committee_reference: str,
    conclusion: str,
    note: str = "",
) -> CareReview:
    """R-VARD-1: record the utskott's övervägande (the decision itself is committee-only, R-DEL-2: Lotsen
    records its date and reference). `care_reviewed` ends the current review period and starts the next."""
    placement = _ongoing_placement(placement)
    case = placement.intervention.case
    _require_work(actor, case)
    if case.process != ProcessCode.CHILD:
        raise DomainError("Övervägande var sjätte månad gäller placerade barn.")
    if conclusion not in CareReviewConclusion.values:
        raise DomainError("Välj vad utskottet beslutade", field="conclusion")
    if not committee_reference.strip():
        raise DomainError("Ange utskottets paragraf eller diarienummer", field="committee_reference")
    _not_future(reviewed_on, "Datum för utskottets beslut kan inte vara senare än i dag", "reviewed_on")
    if reviewed_on < placement.care_start:
        raise DomainError(
            "Datum för utskottets beslut kan inte vara före det datum vården inleddes", field="reviewed_on"
        )
    last = placement.reviews.order_by("-reviewed_on").first()
    if last is not None and reviewed_on < last.reviewed_on:
        raise DomainError(
            "Datum för utskottets beslut kan inte vara före det senaste övervägandet", field="reviewed_on"
        )
    review = CareReview.objects.create(
        placement=placement,
        reviewed_on=reviewed_on,
        committee_reference=committee_reference.strip(),
        conclusion=conclusion,
        note=note.strip(),
        recorded_by=actor,
    )
    audit.record(actor=actor, action="care_review.recorded", obj=review)
    cases.event_record(
        actor=actor,
        case=case,
        type=EventType.CARE_REVIEWED,
        occurred_on=reviewed_on,
        payload={
            "care_review_id": review.pk,
            "intervention_id": placement.pk,
            "committee_reference": review.committee_reference,
            "conclusion": conclusion,
        },
    )
    return review


@transaction.atomic
def visit_record(*, actor: User, placement: Placement, visited_on: date, spoke_alone: bool, note: str = "") -> Visit:
    """R-VARD-5: the responsible socialsekreterare's visit (and whether they talked with the child alone)."""
    placement = _ongoing_placement(placement)
    case = placement.intervention.case
    _require_work(actor, case)
    _not_future(visited_on, "Datum för besöket kan inte vara senare än i dag", "visited_on")
    if visited_on < placement.intervention.start_on:
        raise DomainError("Datum för besöket kan inte vara före det datum placeringen började", field="visited_on")
    visit = Visit.objects.create(
        placement=placement, visited_on=visited_on, spoke_alone=spoke_alone, note=note.strip(), recorded_by=actor
    )
    audit.record(actor=actor, action="placement.visited", obj=visit)
    cases.event_record(
        actor=actor,
        case=case,
        type=EventType.PLACEMENT_VISITED,
        occurred_on=visited_on,
        payload={"visit_id": visit.pk, "intervention_id": placement.pk, "spoke_alone": spoke_alone},
    )
    return visit


@transaction.atomic
def placement_plans_record(
    *, actor: User, placement: Placement, care_plan_on: date | None, implementation_plan_on: date | None
) -> Placement:
    """R-VARD-2: the dates of the vårdplan and (for children) the genomförandeplan."""
    placement = _ongoing_placement(placement)
    _require_work(actor, placement.intervention.case)
    for value, field, message in (
        (care_plan_on, "care_plan_on", "Datum för vårdplanen kan inte vara senare än i dag"),
        (
            implementation_plan_on,
            "implementation_plan_on",
            "Datum för genomförandeplanen kan inte vara senare än i dag",
        ),
    ):
        if value is not None:
            _not_future(value, message, field)
    before = audit.snapshot(placement)
    placement.care_plan_on = care_plan_on
    placement.implementation_plan_on = implementation_plan_on
    placement.save(update_fields=["care_plan_on", "implementation_plan_on"])
    audit.record(actor=actor, action="placement.plans_recorded", obj=placement, before=before)
    return placement


@transaction.atomic
def delay_reason_record(*, actor: User, decision: Decision, reason: str, requested_by_person: bool) -> DelayReason:
    """R-VERK-1: why a favourable decision has not been carried out (reported each quarter)."""
    decision = Decision.objects.select_related("case").get(pk=decision.pk)
    _require_work(actor, decision.case)
    if not is_executable(decision):
        raise DomainError("Beslutet beviljar ingen insats som ska verkställas.")
    if Intervention.objects.filter(decision=decision, end_on__isnull=True).exists():
        raise DomainError("Beslutet är verkställt.")
    if not reason.strip():
        raise DomainError("Skriv varför beslutet inte har verkställts", field="reason")
    row = DelayReason.objects.create(
        decision=decision, reason=reason.strip(), requested_by_person=requested_by_person, recorded_by=actor
    )
    audit.record(actor=actor, action="decision.delay_reason_recorded", obj=row)
    return row
