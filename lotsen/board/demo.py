"""Demo data for the nämnd: meetings of the socialnämnd and its individutskott over the demo's history and the
next months, the list of delegated decisions reported at each held meeting except the latest (so the
"not reported" flag shows), and notifications for most signed decisions.

`seed_board` is called by the demo generator after the cases and decisions are seeded (the reports count
the decisions of their period). It is idempotent: meetings and notifications that exist are kept."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from lotsen.accounts.models import Membership, Role, User
from lotsen.board import selectors
from lotsen.board.models import (
    DecisionNotification,
    DelegationReport,
    Meeting,
    MeetingBody,
    NotificationMethod,
)
from lotsen.cases.models import CaseEvent, Decision, DecisionStatus
from lotsen.core.workdays import add_months, is_working_day

BOARD_LIST_CLOSES_DAYS_BEFORE = 8
COMMITTEE_LIST_CLOSES_DAYS_BEFORE = 2
MONTHS_AHEAD = 4
NOTIFIED_SHARE = 0.85
NO_MEETINGS_IN = {7}  # July


@dataclass
class BoardSeedReport:
    meetings: int = 0
    reports: int = 0
    notifications: int = 0


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _working_day_on_or_after(d: date) -> date:
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def meeting_days(start: date, end: date) -> list[tuple[str, date]]:
    """The nämnd on the third Wednesday, the utskott on the first and third Tuesday of each month but July
    (moved to the next working day when a holiday)."""
    days: list[tuple[str, date]] = []
    month = date(start.year, start.month, 1)
    while month <= end:
        if month.month not in NO_MEETINGS_IN:
            days.append((MeetingBody.BOARD, _working_day_on_or_after(_nth_weekday(month.year, month.month, 2, 3))))
            for n in (1, 3):
                days.append(
                    (MeetingBody.COMMITTEE, _working_day_on_or_after(_nth_weekday(month.year, month.month, 1, n)))
                )
        month = add_months(month, 1)
    return [(body, d) for body, d in days if start <= d <= end]


def _secretary() -> User:
    membership = Membership.objects.active().filter(role=Role.BOARD_SECRETARY).select_related("user").first()
    if membership is None:
        raise ValueError("seed_board needs a user with the board secretary role (seed the users first).")
    return membership.user


def seed_board(*, rng: random.Random, today: date, years: int) -> BoardSeedReport:
    report = BoardSeedReport()
    secretary = _secretary()
    start = date(today.year - years, 1, 1)
    end = add_months(today, MONTHS_AHEAD)
    with transaction.atomic():
        existing = set(Meeting.objects.values_list("body", "held_on"))
        new = []
        for body, held_on in meeting_days(start, end):
            if (body, held_on) in existing:
                continue
            before = BOARD_LIST_CLOSES_DAYS_BEFORE if body == MeetingBody.BOARD else COMMITTEE_LIST_CLOSES_DAYS_BEFORE
            new.append(
                Meeting(
                    body=body, held_on=held_on, list_closes_on=held_on - timedelta(days=before), created_by=secretary
                )
            )
        Meeting.objects.bulk_create(new)
        report.meetings = len(new)

        held = list(
            Meeting.objects.filter(body=MeetingBody.BOARD, held_on__lt=today, delegation_report__isnull=True).order_by(
                "held_on"
            )
        )
        for meeting in held[:-1]:  # the latest held meeting stays unreported: the page flags it
            period_from, period_to = selectors.period_of(meeting)
            count = selectors.signed_decisions_between(period_from, period_to).count()
            DelegationReport.objects.create(
                meeting=meeting,
                period_from=period_from,
                period_to=period_to,
                decision_count=count,
                reported_by=secretary,
            )
            report.reports += 1

        report.notifications = _seed_notifications(rng, today)
    return report


def _seed_notifications(rng: random.Random, today: date) -> int:
    """Most signed decisions were handed over or sent within a week; the rest are still to be notified."""
    methods = [NotificationMethod.LETTER, NotificationMethod.LETTER, NotificationMethod.HANDED_OVER,
               NotificationMethod.E_SERVICE, NotificationMethod.MEETING]  # fmt: skip
    decisions = (
        Decision.objects.filter(status=DecisionStatus.SIGNED, notifications__isnull=True)
        .select_related("case")
        .order_by("pk")
    )
    notifications: list[DecisionNotification] = []
    events: list[CaseEvent] = []
    for decision in decisions.iterator():
        if decision.decided_on is None or rng.random() > NOTIFIED_SHARE:
            continue
        notified_on = min(today, decision.decided_on + timedelta(days=rng.randint(0, 7)))
        how = rng.choice(methods)
        notifications.append(
            DecisionNotification(
                decision=decision,
                recipient="Den enskilde" if decision.case.process != "child" else "Vårdnadshavarna",
                notified_on=notified_on,
                how=how,
                recorded_by_id=decision.prepared_by_id,
            )
        )
        events.append(
            CaseEvent(
                case_id=decision.case_id,
                type="decision_notified",
                occurred_on=notified_on,
                actor_id=decision.prepared_by_id,
                payload={"decision_id": decision.pk, "number": decision.number, "how": how},
            )
        )
    DecisionNotification.objects.bulk_create(notifications, batch_size=1000)
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    return len(notifications)
