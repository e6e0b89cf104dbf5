"""Writes of the case engine. Every transition goes through a service: checked against the policies,
written with its audit row, timeline event and deadline projection in one transaction."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from lotsen.audit import services as audit
from lotsen.cases import deadlines as engine
from lotsen.cases import delegation, process
from lotsen.cases.models import (
    Case,
    CaseEvent,
    CaseParty,
    CaseStatus,
    Deadline,
    DeadlineExtension,
    Decision,
    DecisionStatus,
    Transfer,
    TransferStatus,
)
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.policies.access import can_lead_unit, can_work_on_case

if TYPE_CHECKING:
    from lotsen.accounts.models import User
    from lotsen.core.models import Unit
    from lotsen.people.models import Person

DEADLINE_EVENT_TYPES = set(engine.EVENT_TYPES | engine.INTERNAL_EVENT_TYPES)


class EventType:
    """Timeline events besides the deadline events of `deadlines.EventType` (same names as the CLI)."""

    CASE_OPENED = "case_opened"
    CASE_ASSIGNED = "case_assigned"
    TRANSFER_REQUESTED = "transfer_requested"
    TRANSFER_ACCEPTED = "transfer_accepted"
    PHASE_CHANGED = "phase_changed"
    DECISION_SUBMITTED = "decision_submitted"
    DECISION_RETURNED = "decision_returned"
    DECISION_SIGNED = "decision_signed"
    JOURNAL_SIGNED = "journal_signed"
    DOCUMENT_ADDED = "document_added"
    INTERVENTION_STARTED = "intervention_started"
    INTERVENTION_ENDED = "intervention_ended"
    CASE_CLOSED = "case_closed"


def _require_case_access(actor: User, case: Case) -> None:
    if not can_work_on_case(actor, case):
        raise PermissionDeniedError("Du har inte behörighet att arbeta i det här ärendet.")


def next_case_number(on: date) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('cases_case_number_seq')")
        (value,) = cursor.fetchone()
    return f"IFO-{on.year}-{value:05d}"


def deadline_settings() -> engine.DeadlineSettings:
    return engine.DeadlineSettings(
        sunday_rule_for_board_deadlines=getattr(settings, "LOTSEN_SUNDAY_RULE_FOR_BOARD_DEADLINES", False)
    )


def refresh_deadlines(case: Case) -> list[Deadline]:
    """Rewrite the case's deadline projection from its events (DOMAIN-MODEL: `Deadline` rows exist only as
    the projection of events). Raises DomainError when the events contradict each other (R-TID-9)."""
    proc = process.get(case.process)
    if proc.deadline_process is None:
        return []
    events = [
        engine.Event(e.type, e.occurred_on, e.payload)
        for e in case.events.filter(type__in=DEADLINE_EVENT_TYPES).order_by("occurred_on", "id")
    ]
    try:
        computed = engine.compute_deadlines(
            proc.deadline_process, events, settings=deadline_settings(), internal_events=True
        )
    except engine.DeadlineInputError as exc:
        raise DomainError(f"Händelsen stämmer inte med ärendets tidigare händelser ({exc}).") from exc
    Deadline.objects.filter(case=case).delete()
    rows = [
        Deadline(
            case=case,
            kind=str(d.kind),
            rule_id=d.rule,
            started_on=d.started_on,
            due_on=d.due,
            plan_by=d.plan_by,
            original_due_on=d.original_due,
            done_on=d.done_on,
            status=str(d.status),
            extended_after_expiry=d.extended_after_expiry,
            steps=list(d.steps),
        )
        for d in computed
    ]
    return Deadline.objects.bulk_create(rows)


def _record_event(
    *, actor: User | None, case: Case, type: str, occurred_on: date, payload: dict[str, Any] | None = None
) -> CaseEvent:
    event = CaseEvent.objects.create(case=case, type=type, occurred_on=occurred_on, actor=actor, payload=payload or {})
    if type in DEADLINE_EVENT_TYPES:
        refresh_deadlines(case)
    audit.record(actor=actor, action=f"case_event.{type}", obj=event)
    return event


@transaction.atomic
def event_record(
    *, actor: User, case: Case, type: str, occurred_on: date, payload: dict[str, Any] | None = None
) -> CaseEvent:
    """Record a dated event on a case (and recompute its deadlines) after checking the actor's access."""
    _require_case_access(actor, case)
    if occurred_on > timezone.localdate():
        raise DomainError("Datumet kan inte vara senare än i dag.", field="occurred_on")
    return _record_event(actor=actor, case=case, type=type, occurred_on=occurred_on, payload=payload)


@transaction.atomic
def case_open(
    *,
    actor: User,
    subject: Person,
    process_code: str,
    unit: Unit,
    opened_on: date,
    area: str = "",
    parties: list[tuple[Person, str]] | None = None,
) -> Case:
    proc = process.get(process_code)
    case = Case.objects.create(
        number=next_case_number(opened_on),
        subject=subject,
        process=proc.code,
        area=area,
        phase=proc.initial_phase,
        unit=unit,
        opened_on=opened_on,
    )
    for person, role in parties or []:
        CaseParty.objects.create(case=case, person=person, role=role)
    audit.record(actor=actor, action="case.opened", obj=case)
    _record_event(actor=actor, case=case, type=EventType.CASE_OPENED, occurred_on=opened_on)
    return case


@transaction.atomic
def case_assign(*, actor: User, case: Case, assignee: User) -> Case:
    if not can_lead_unit(actor, case.unit_id):
        raise PermissionDeniedError("Bara arbetsledare och enhetschefer kan fördela ärenden.")
    if not any(m.unit_id == case.unit_id for m in assignee.active_memberships()):
        raise DomainError("Handläggaren arbetar inte i ärendets enhet.", field="assignee")
    before = audit.snapshot(case)
    case.assignee = assignee
    case.save(update_fields=["assignee"])
    audit.record(actor=actor, action="case.assigned", obj=case, before=before)
    _record_event(
        actor=actor,
        case=case,
        type=EventType.CASE_ASSIGNED,
        occurred_on=timezone.localdate(),
        payload={"assignee_id": assignee.pk, "assignee": assignee.display_name},
    )
    return case


@transaction.atomic
def phase_change(*, actor: User, case: Case, to_phase: str, occurred_on: date) -> Case:
    proc = process.get(case.process)
    if not proc.can_move(case.phase, to_phase):
        raise DomainError(f"Ärendet kan inte gå från {proc.phase(case.phase).label} till {proc.phase(to_phase).label}.")
    before = audit.snapshot(case)
    old = case.phase
    case.phase = to_phase
    case.save(update_fields=["phase"])
    audit.record(actor=actor, action="case.phase_changed", obj=case, before=before)
    _record_event(
        actor=actor,
        case=case,
        type=EventType.PHASE_CHANGED,
        occurred_on=occurred_on,
        payload={"from": old, "to": to_phase},
    )
    return case


def _blocking_deadlines(case: Case) -> list[Deadline]:
    return list(case.deadlines.filter(status="pending", kind__in=["protection_assessment", "pre_assessment"]))


@transaction.atomic
def case_close(*, actor: User, case: Case, reason: str, closed_on: date) -> Case:
    _require_case_access(actor, case)
    if case.status == CaseStatus.CLOSED:
        raise DomainError("Ärendet är redan avslutat.")
    if not reason:
        raise DomainError("Välj varför ärendet avslutas.", field="reason")
    blocking = _blocking_deadlines(case)
    if blocking:
        # R-SKYDD-1 and R-FORH-1: a report cannot be closed without a signed protection assessment and a
        # pre-assessment outcome.
        raise DomainError(
            "Ärendet kan inte avslutas förrän skyddsbedömningen är signerad och förhandsbedömningen beslutad."
        )
    before = audit.snapshot(case)
    case.status = CaseStatus.CLOSED
    case.closed_on = closed_on
    case.close_reason = reason
    case.phase = "closed"
    case.save(update_fields=["status", "closed_on", "close_reason", "phase"])
    audit.record(actor=actor, action="case.closed", obj=case, before=before)
    _record_event(actor=actor, case=case, type=EventType.CASE_CLOSED, occurred_on=closed_on, payload={"reason": reason})
    return case


@transaction.atomic
def transfer_request(*, actor: User, case: Case, to_unit: Unit, message: str) -> Transfer:
    _require_case_access(actor, case)
    if to_unit.pk == case.unit_id:
        raise DomainError("Välj en annan enhet än den ärendet redan finns i.", field="to_unit")
    if not message.strip():
        raise DomainError("Skriv ett meddelande till den mottagande enheten.", field="message")
    if case.deadlines.filter(kind="protection_assessment", status="pending").exists():
        raise DomainError("Ärendet kan inte flyttas förrän skyddsbedömningen är signerad (R-SKYDD-1).")
    if case.transfers.filter(status=TransferStatus.REQUESTED).exists():
        raise DomainError("Ärendet har redan en flytt som väntar på mottagande enhet.")
    transfer = Transfer.objects.create(
        case=case, from_unit_id=case.unit_id, to_unit=to_unit, message=message.strip(), requested_by=actor
    )
    audit.record(actor=actor, action="transfer.requested", obj=transfer)
    _record_event(
        actor=actor,
        case=case,
        type=EventType.TRANSFER_REQUESTED,
        occurred_on=timezone.localdate(),
        payload={"to_unit": to_unit.name, "message": message.strip()},
    )
    return transfer


@transaction.atomic
def transfer_accept(*, actor: User, transfer: Transfer) -> Case:
    if transfer.status != TransferStatus.REQUESTED:
        raise DomainError("Flytten är redan hanterad.")
    if not can_lead_unit(actor, transfer.to_unit_id):
        raise PermissionDeniedError("Bara den mottagande enhetens arbetsledare eller enhetschef kan ta emot ärendet.")
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    before = audit.snapshot(case)
    transfer.status = TransferStatus.ACCEPTED
    transfer.accepted_by = actor
    transfer.accepted_at = timezone.now()
    transfer.save(update_fields=["status", "accepted_by", "accepted_at"])
    case.unit_id = transfer.to_unit_id
    case.assignee = None
    case.save(update_fields=["unit", "assignee"])
    audit.record(actor=actor, action="case.transferred", obj=case, before=before)
    _record_event(
        actor=actor,
        case=case,
        type=EventType.TRANSFER_ACCEPTED,
        occurred_on=timezone.localdate(),
        payload={"from_unit": transfer.from_unit.name, "to_unit": transfer.to_unit.name},
    )
    return case


@transaction.atomic
def deadline_extend(
    *,
    actor: User,
    case: Case,
    kind: str,
    new_due_on: date,
    reason_code: str,
    reason_text: str,
    decided_on: date,
) -> DeadlineExtension:
    """R-TID-7, R-FORH-2, R-UTR-2: an extension is its own record with a definite date, a reason and the
    deciding delegate; it never overwrites the original date."""
    from lotsen.cases.models import DecisionType, ExtensionReason

    decision_type = {
        "pre_assessment": DecisionType.PRE_ASSESSMENT_EXTENSION,
        "investigation": DecisionType.INVESTIGATION_EXTENSION,
    }.get(kind)
    if decision_type is None:
        raise DomainError("Den fristen kan inte förlängas.")
    rule = delegation.rule_for(decision_type, decided_on)
    if rule is None or not delegation.may_sign(actor, rule, case.unit_id):
        raise PermissionDeniedError(
            "Du kan inte besluta om förlängning. Delegationsordningen ger beslutet till arbetsledare."
        )
    if reason_code not in ExtensionReason.values:
        raise DomainError("Välj skäl till förlängningen.", field="reason_code")
    if reason_code == ExtensionReason.OTHER and not reason_text.strip():
        raise DomainError("Beskriv skälet till förlängningen.", field="reason_text")
    current = case.deadlines.filter(kind=kind).order_by("-started_on").first()
    if current is None or current.status != "pending":
        raise DomainError("Det finns ingen pågående frist att förlänga.")
    if new_due_on <= current.due_on:
        raise DomainError("Det nya datumet måste vara senare än nuvarande sista dag.", field="new_due_on")
    extension = DeadlineExtension.objects.create(
        case=case,
        kind=kind,
        rule_id=current.rule_id if kind == "investigation" else "R-FORH-2",
        original_due_on=current.due_on,
        new_due_on=new_due_on,
        reason_code=reason_code,
        reason_text=reason_text.strip(),
        decided_by=actor,
        decided_on=decided_on,
        delegation_rule=rule,
        extended_after_expiry=decided_on > current.due_on,
    )
    audit.record(actor=actor, action="deadline.extended", obj=extension)
    _record_event(
        actor=actor,
        case=case,
        type=f"{kind}_extended",
        occurred_on=decided_on,
        payload={"until": new_due_on.isoformat(), "reason_code": reason_code, "extension_id": extension.pk},
    )
    return extension


# --- decisions ----------------------------------------------------------------------------------------------


@transaction.atomic
def decision_prepare(
    *,
    actor: User,
    case: Case,
    type: str,
    outcome: str,
    decision_text: str,
    reasons: str,
    person_view: str,
    communicated: str = "",
    payload: dict[str, Any] | None = None,
) -> Decision:
    _require_case_access(actor, case)
    proc = process.get(case.process)
    if type not in proc.decision_types:
        raise DomainError("Beslutstypen finns inte i ärendets process.", field="type")
    if not reasons.strip():
        raise DomainError("Skriv motiveringen till beslutet.", field="reasons")
    if not person_view.strip():
        # R-DOK-3: the person's (child's) view, or why it is missing, before signing.
        raise DomainError("Skriv den enskildes inställning, eller varför den saknas.", field="person_view")
    rule = delegation.rule_for(type, timezone.localdate())
    if rule is None:
        raise DomainError("Delegationsordningen saknar en punkt för den här beslutstypen.", field="type")
    decision = Decision.objects.create(
        case=case,
        type=type,
        outcome=outcome,
        legal_basis=rule.law_reference,
        decision_text=decision_text.strip(),
        reasons=reasons.strip(),
        person_view=person_view.strip(),
        communicated=communicated.strip(),
        prepared_by=actor,
        delegation_rule=rule,
        appeal_route=rule.appeal_route,
        payload=payload or {},
    )
    audit.record(actor=actor, action="decision.prepared", obj=decision)
    return decision


@transaction.atomic
def decision_submit(*, actor: User, decision: Decision) -> Decision:
    _require_case_access(actor, decision.case)
    if decision.status not in (DecisionStatus.DRAFT, DecisionStatus.RETURNED):
        raise DomainError("Beslutet är redan skickat eller fattat.")
    before = audit.snapshot(decision)
    decision.status = DecisionStatus.SUBMITTED
    decision.save(update_fields=["status"])
    audit.record(actor=actor, action="decision.submitted", obj=decision, before=before)
    _record_event(
        actor=actor,
        case=decision.case,
        type=EventType.DECISION_SUBMITTED,
        occurred_on=timezone.localdate(),
        payload={"decision_id": decision.pk, "type": decision.type},
    )
    return decision


@transaction.atomic
def decision_return(*, actor: User, decision: Decision, comment: str) -> Decision:
    rule = decision.delegation_rule
    if rule is None or not delegation.may_sign(actor, rule, decision.case.unit_id):
        raise PermissionDeniedError("Du kan inte återsända ett beslut som du inte är delegat för.")
    if not comment.strip():
        raise DomainError("Skriv en kommentar till handläggaren.", field="comment")
    before = audit.snapshot(decision)
    decision.status = DecisionStatus.RETURNED
    decision.return_comment = comment.strip()
    decision.save(update_fields=["status", "return_comment"])
    audit.record(actor=actor, action="decision.returned", obj=decision, before=before)
    _record_event(
        actor=actor,
        case=decision.case,
        type=EventType.DECISION_RETURNED,
        occurred_on=timezone.localdate(),
        payload={"decision_id": decision.pk},
    )
    return decision


def next_decision_number(on: date) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('cases_decision_number_seq')")
        (value,) = cursor.fetchone()
    return f"B-{on.year}-{value:05d}"


# Decision types whose signing is itself a deadline event (R-TID-9).
_DECISION_EVENTS = {
    "pre_assessment": engine.EventType.PRE_ASSESSMENT_DECIDED,
    "investigation_closed": engine.EventType.INVESTIGATION_DECIDED,
}
# R-FORH-3 outcomes → the engine's interface outcomes (`pafors_pagaende` creates no pre-assessment deadline and
# so needs no deciding event; `overlamnad` ends the pre-assessment without an investigation here).
PRE_ASSESSMENT_ENGINE_OUTCOME = {
    "utredning_inleds": engine.Outcome.OPEN.value,
    "inleds_ej": engine.Outcome.NOT_OPEN.value,
    "overlamnad": engine.Outcome.NOT_OPEN.value,
}
_CONCLUDING_TYPES = {
    "non_residential",
    "contact_person",
    "placement_hvb",
    "placement_foster_home",
    "adult_intervention",
}


def _investigation_ongoing(case: Case) -> bool:
    """An investigation was opened and not yet concluded (children and adults alike)."""
    types = list(
        case.events.filter(type__in=["investigation_opened", "investigation_decided"]).values_list("type", flat=True)
    )
    return types.count("investigation_opened") > types.count("investigation_decided")


@transaction.atomic
def decision_sign(*, actor: User, decision: Decision, decided_on: date | None = None) -> Decision:
    """R-DEL-1: refused when no valid rule covers the signer. Sets number, delegate and time; afterwards the
    row is immutable (database trigger)."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status == DecisionStatus.SIGNED:
        raise DomainError("Beslutet är redan fattat.")
    rule = decision.delegation_rule
    if rule is None or not delegation.may_sign(actor, rule, decision.case.unit_id):
        if rule is not None and rule.committee_only:
            raise PermissionDeniedError(
                "Du kan inte fatta det här beslutet. Delegationsordningen ger det till utskottet. "
                "Skicka det till utskottets föredragningslista."
            )
        raise PermissionDeniedError(
            f"Du kan inte fatta det här beslutet. Delegationsordningen (punkt {rule.point if rule else '–'}) "
            "ger det till en annan roll."
        )
    day = decided_on or timezone.localdate()
    decision.status = DecisionStatus.SIGNED
    decision.delegate = actor
    decision.signed_at = timezone.now()
    decision.decided_on = day
    decision.number = next_decision_number(day)
    decision.save()
    audit.record(actor=actor, action="decision.signed", obj=decision)
    case = decision.case
    linked_to_ongoing = decision.type == "pre_assessment" and decision.outcome == "pafors_pagaende"
    if decision.type in _DECISION_EVENTS and not linked_to_ongoing:  # pafors_pagaende: no deadline to end
        payload: dict[str, Any] = {"decision_id": decision.pk}
        if decision.type == "pre_assessment":
            payload["outcome"] = PRE_ASSESSMENT_ENGINE_OUTCOME[decision.outcome]
            payload["decision_outcome"] = decision.outcome
        _record_event(actor=actor, case=case, type=_DECISION_EVENTS[decision.type], occurred_on=day, payload=payload)
    elif decision.type in _CONCLUDING_TYPES and _investigation_ongoing(case):
        # R-UTR-2: the investigation is completed when the concluding decision is signed.
        _record_event(
            actor=actor,
            case=case,
            type=engine.EventType.INVESTIGATION_DECIDED,
            occurred_on=day,
            payload={"decision_id": decision.pk},
        )
    _record_event(
        actor=actor,
        case=case,
        type=EventType.DECISION_SIGNED,
        occurred_on=day,
        payload={"decision_id": decision.pk, "number": decision.number, "type": decision.type},
    )
    return decision
