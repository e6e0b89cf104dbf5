"""Writes for the nämnd: meetings, reporting delegated decisions (R-DEL-3), recording an utskott's decision
(R-DEL-2) and the notification of a decision (R-BESL-1). Each in one transaction with its audit row."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from lotsen.audit import services as audit
from lotsen.board import selectors
from lotsen.board.models import (
    CommitteeDecision,
    DecisionNotification,
    DelegationReport,
    Meeting,
    MeetingBody,
    NotificationMethod,
)
from lotsen.cases import services as case_services
from lotsen.cases.models import Decision, DecisionStatus
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.policies.access import can_work_on_case

if TYPE_CHECKING:
    from lotsen.accounts.models import User

NOTIFIED_EVENT = "decision_notified"


def _require_secretary(actor: User) -> None:
    if not selectors.may_keep_board_lists(actor):
        raise PermissionDeniedError("Bara nämndsekreteraren kan göra det här.")


@transaction.atomic
def meeting_create(*, actor: User, body: str, held_on: date, list_closes_on: date) -> Meeting:
    _require_secretary(actor)
    if body not in MeetingBody.values:
        raise DomainError("Välj nämnd eller utskott.", field="body")
    if list_closes_on > held_on:
        raise DomainError("Sista beslutsdag för listan kan inte vara senare än sammanträdet.", field="list_closes_on")
    if Meeting.objects.filter(body=body, held_on=held_on).exists():
        raise DomainError("Det finns redan ett sammanträde den dagen.", field="held_on")
    meeting = Meeting.objects.create(body=body, held_on=held_on, list_closes_on=list_closes_on, created_by=actor)
    audit.record(actor=actor, action="meeting.created", obj=meeting)
    return meeting


@transaction.atomic
def delegation_report_record(*, actor: User, meeting: Meeting) -> DelegationReport:
    """R-DEL-3: the list of the meeting's period is reported (anmäld) at the meeting."""
    _require_secretary(actor)
    if meeting.body != MeetingBody.BOARD:
        raise DomainError("Delegationsbeslut anmäls till nämndens sammanträden.")
    if DelegationReport.objects.filter(meeting=meeting).exists():
        raise DomainError("Delegationsbesluten är redan anmälda vid det här sammanträdet.")
    start, end = selectors.period_of(meeting)
    count = selectors.signed_decisions_between(start, end).count()
    report = DelegationReport.objects.create(
        meeting=meeting, period_from=start, period_to=end, decision_count=count, reported_by=actor
    )
    audit.record(actor=actor, action="delegation_report.reported", obj=report)
    return report


@transaction.atomic
def committee_decision_record(
    *, actor: User, decision: Decision, meeting: Meeting, section_number: int
) -> CommitteeDecision:
    """R-DEL-2: a committee-only decision is the utskott's. The board secretary records it from the minutes;
    the decision is signed with the meeting day as decision date (`decision_sign` checks the delegation)."""
    _require_secretary(actor)
    rule = decision.delegation_rule
    if rule is None or not rule.committee_only:
        raise DomainError("Beslutet fattas inte av utskottet.")
    if meeting.body != MeetingBody.COMMITTEE:
        raise DomainError("Välj ett av utskottets sammanträden.", field="meeting")
    if meeting.held_on > timezone.localdate():
        raise DomainError("Sammanträdet har inte hållits än.", field="meeting")
    if section_number < 1:
        raise DomainError("Ange paragrafnumret i protokollet, till exempel 12.", field="section_number")
    if CommitteeDecision.objects.filter(meeting=meeting, section_number=section_number).exists():
        raise DomainError("Paragrafen är redan använd för ett annat beslut vid sammanträdet.", field="section_number")
    signed = case_services.decision_sign(actor=actor, decision=decision, decided_on=meeting.held_on)
    try:
        with transaction.atomic():
            record = CommitteeDecision.objects.create(
                decision=signed, meeting=meeting, section_number=section_number, recorded_by=actor
            )
    except IntegrityError as exc:  # a concurrent recording took the same paragraph
        raise DomainError(
            "Paragrafen är redan använd för ett annat beslut vid sammanträdet.", field="section_number"
        ) from exc
    audit.record(actor=actor, action="committee_decision.recorded", obj=record)
    return record


@transaction.atomic
def notification_record(
    *, actor: User, decision: Decision, recipient: str, notified_on: date, how: str
) -> DecisionNotification:
    """R-BESL-1: the party is notified of the decision; the appeal period runs from `notified_on` (R-BESL-3)."""
    if not can_work_on_case(actor, decision.case):
        raise PermissionDeniedError("Du har inte behörighet att arbeta i det här ärendet.")
    if decision.status != DecisionStatus.SIGNED or decision.decided_on is None:
        raise DomainError("Beslutet är inte fattat än.")
    if not recipient.strip():
        raise DomainError("Skriv vem som har fått del av beslutet.", field="recipient")
    if how not in NotificationMethod.values:
        raise DomainError("Välj hur beslutet lämnades.", field="how")
    if notified_on > timezone.localdate():
        raise DomainError("Datum då beslutet lämnades kan inte vara senare än i dag.", field="notified_on")
    if notified_on < decision.decided_on:
        raise DomainError("Datum då beslutet lämnades kan inte vara före beslutsdagen.", field="notified_on")
    notification = DecisionNotification.objects.create(
        decision=decision, recipient=recipient.strip(), notified_on=notified_on, how=how, recorded_by=actor
    )
    audit.record(actor=actor, action="decision.notified", obj=notification)
    case_services.event_record(
        actor=actor,
        case=decision.case,
        type=NOTIFIED_EVENT,
        occurred_on=notified_on,
        payload={"decision_id": decision.pk, "number": decision.number, "how": how},
    )
    return notification
