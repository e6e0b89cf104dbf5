"""The board's demo data: meetings over the history, reports for held meetings but the latest, notifications."""

import datetime as dt
import random

import pytest

from lotsen.board.demo import meeting_days, seed_board
from lotsen.board.models import DecisionNotification, DelegationReport, Meeting, MeetingBody
from lotsen.cases import services
from lotsen.core.workdays import is_working_day
from tests.board.helpers import board_secretary, child_case, submitted

TODAY = dt.date(2026, 3, 20)


def test_meeting_days_are_working_days_and_skip_july():
    days = meeting_days(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert all(is_working_day(d) for _body, d in days)
    assert not any(d.month == 7 for _body, d in days)
    assert sum(1 for body, _d in days if body == MeetingBody.BOARD) == 11
    assert sum(1 for body, _d in days if body == MeetingBody.COMMITTEE) == 22


@pytest.mark.django_db
def test_seed_board_is_idempotent(caseworker, team_lead, unit, delegation):
    board_secretary()
    for day in (dt.date(2026, 1, 8), dt.date(2026, 2, 3), dt.date(2026, 3, 2)):
        case = child_case(caseworker, unit, opened_on=day)
        services.decision_sign(actor=team_lead, decision=submitted(caseworker, case), decided_on=day)
    first = seed_board(rng=random.Random(1), today=TODAY, years=1)
    assert first.meetings == Meeting.objects.count() > 30
    held = Meeting.objects.filter(body=MeetingBody.BOARD, held_on__lt=TODAY).order_by("held_on")
    assert first.reports == held.count() - 1
    assert not DelegationReport.objects.filter(meeting=held.last()).exists()
    assert sum(r.decision_count for r in DelegationReport.objects.all()) >= 2
    assert first.notifications == DecisionNotification.objects.count() <= 3
    again = seed_board(rng=random.Random(1), today=TODAY, years=1)
    assert (again.meetings, again.reports) == (0, 0)
    assert Meeting.objects.filter(held_on__gt=TODAY).exists()
