"""Reads for the nämnd: meetings, the list of delegated decisions per meeting (R-DEL-3) and the utskott's
list (R-DEL-2).

Who may read them: the board secretary keeps the lists; the head of social services and the auditor read the
delegation decisions (UI.md 2.2 "Delegationsbeslut"). Those checks are `may_keep_board_lists` and
`may_read_delegation_decisions` below (proposed for `lotsen.policies.access`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet

from lotsen.accounts.models import Role
from lotsen.board import rules
from lotsen.board.models import DelegationReport, Meeting, MeetingBody
from lotsen.cases.models import Decision, DecisionStatus
from lotsen.policies.access import roles

READ_DELEGATION_ROLES = {Role.BOARD_SECRETARY, Role.HEAD_OF_SOCIAL_SERVICES, Role.AUDITOR}
# How far back held meetings are checked for a missing report.
UNREPORTED_LOOKBACK_MEETINGS = 12


def may_keep_board_lists(user: Any) -> bool:
    """Meetings, the utskott's list and reporting delegated decisions: the board secretary."""
    return Role.BOARD_SECRETARY in roles(user)


def may_read_delegation_decisions(user: Any) -> bool:
    return bool(roles(user) & READ_DELEGATION_ROLES)


def board_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(body=MeetingBody.BOARD).select_related("delegation_report__reported_by")


def meeting_for_report(decided_on: date) -> Meeting | None:
    """R-DEL-3: `report_to_meeting` = the first nämnd meeting whose list closes on or after the decision day."""
    return (
        Meeting.objects.filter(body=MeetingBody.BOARD, list_closes_on__gte=decided_on)
        .order_by("list_closes_on", "held_on")
        .first()
    )


def previous_board_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(body=MeetingBody.BOARD, list_closes_on__lt=meeting.list_closes_on)
        .order_by("-list_closes_on")
        .first()
    )


def period_of(meeting: Meeting) -> tuple[date, date]:
    previous = previous_board_meeting(meeting)
    return rules.report_period(meeting.list_closes_on, previous.list_closes_on if previous else None)


def next_committee_meeting(today: date) -> Meeting | None:
    return Meeting.objects.filter(body=MeetingBody.COMMITTEE, held_on__gte=today).order_by("held_on").first()


def committee_meetings_to_record(today: date, limit: int = 6) -> list[Meeting]:
    """Recent utskott meetings whose decisions can be recorded (held on or before today), newest first."""
    return list(Meeting.objects.filter(body=MeetingBody.COMMITTEE, held_on__lte=today).order_by("-held_on")[:limit])


def signed_decisions_between(start: date, end: date) -> QuerySet[Decision]:
    """Signed decisions decided in [start, end]: the individual list (secret appendix)."""
    return (
        Decision.objects.filter(status=DecisionStatus.SIGNED, decided_on__gte=start, decided_on__lte=end)
        .select_related("case__subject", "delegate", "delegation_rule", "committee_record__meeting")
        .order_by("decided_on", "number")
    )


@dataclass(frozen=True)
class SummaryRow:
    """Public part: one row per decision type and delegate."""

    decision_type: str
    delegate: str
    count: int


def report_summary(start: date, end: date) -> list[SummaryRow]:
    """Counts per decision type and delegate (R-DEL-3: the public part). Decisions under a committee-only
    rule are the utskott's, whoever recorded them."""
    from lotsen.cases.models import DecisionType

    labels = dict(DecisionType.choices)
    grouped = (
        Decision.objects.filter(status=DecisionStatus.SIGNED, decided_on__gte=start, decided_on__lte=end)
        .values(
            "type",
            "delegation_rule__committee_only",
            "delegate__first_name",
            "delegate__last_name",
            "delegate__username",
        )
        .annotate(n=Count("id"))
    )
    committee = str(MeetingBody.COMMITTEE.label)
    merged: dict[tuple[str, str], int] = {}
    for row in grouped:
        if row["delegation_rule__committee_only"]:
            delegate = committee
        else:
            name = f"{row['delegate__first_name']} {row['delegate__last_name']}".strip()
            delegate = name or row["delegate__username"]
        key = (str(labels.get(row["type"], row["type"])), delegate)
        merged[key] = merged.get(key, 0) + row["n"]
    return [SummaryRow(t[:1].upper() + t[1:], d, n) for (t, d), n in sorted(merged.items())]


@dataclass(frozen=True)
class UnreportedMeeting:
    meeting: Meeting
    decisions: int


def unreported_meetings(today: date) -> list[UnreportedMeeting]:
    """R-DEL-3: held nämnd meetings whose list of delegated decisions was not reported although it had
    decisions on it."""
    held = list(
        Meeting.objects.filter(body=MeetingBody.BOARD, held_on__lt=today, delegation_report__isnull=True).order_by(
            "-held_on"
        )[:UNREPORTED_LOOKBACK_MEETINGS]
    )
    result = []
    for meeting in held:
        start, end = period_of(meeting)
        n = Decision.objects.filter(status=DecisionStatus.SIGNED, decided_on__gte=start, decided_on__lte=end).count()
        if n:
            result.append(UnreportedMeeting(meeting, n))
    return result


def decisions_without_meeting() -> tuple[int, date | None]:
    """Signed decisions after the last planned nämnd meeting's list closed: no meeting to report them at yet.
    Returns the count and the day after which they were made (None when there is no meeting at all)."""
    last = Meeting.objects.filter(body=MeetingBody.BOARD).order_by("-list_closes_on").first()
    signed = Decision.objects.filter(status=DecisionStatus.SIGNED)
    if last is None:
        return signed.count(), None
    return signed.filter(decided_on__gt=last.list_closes_on).count(), last.list_closes_on


def report_of(meeting: Meeting) -> DelegationReport | None:
    try:
        return meeting.delegation_report
    except DelegationReport.DoesNotExist:
        return None
