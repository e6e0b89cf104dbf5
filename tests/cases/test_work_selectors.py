"""Selectors of the work lists (UI.md pages 1, 2, 16): the deadline projection read by bucket and threshold,
with today fixed by time-machine (Friday 2026-03-20, 11:00 in Stockholm)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from lotsen.accounts.models import Role
from lotsen.cases import selectors_work, services
from lotsen.cases.selectors import DeadlineView
from tests.cases.test_work_fixtures import child_case, report
from tests.factories import MembershipFactory, UnitFactory

TODAY = dt.date(2026, 3, 20)
NOW = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def mine(caseworker, team_lead, unit):
    """My cases (assigned to `caseworker`): one per situation the lists must tell apart."""

    def make(events, **kwargs):
        return child_case(caseworker, unit, events=events, assignee=caseworker, lead=team_lead, **kwargs)

    return {
        "pre_today": make(report(dt.date(2026, 3, 6))),  # due 03-20
        "pre_overdue": make(report(dt.date(2026, 3, 5))),  # due 03-19
        "pre_week": make(report(dt.date(2026, 3, 10))),  # due 03-24
        "unsigned": make(report(dt.date(2026, 3, 18), signed=False)),  # protection due 03-18, pre 04-01
        "weekend": make(report(dt.date(2026, 3, 7))),  # due Sat 03-21, plan by Fri 03-20
        "inv_near": make([("investigation_opened", dt.date(2025, 12, 1))]),  # due 04-01: 12 days
        "inv_far": make([("investigation_opened", dt.date(2026, 3, 1))]),  # due 07-01
        "care_near": make([("placement_started", dt.date(2025, 10, 15))]),  # review due 04-15: 26 days
    }


def _todo(user):
    return selectors_work.todo_items(selectors_work.my_open_cases(user), TODAY)


@pytest.mark.django_db
def test_todo_lists_running_deadlines_by_threshold_sorted_by_due_date(mine, caseworker):
    items = _todo(caseworker)
    listed = [(i.case.pk, i.kind) for i in items]
    assert (mine["pre_today"].pk, "pre_assessment") in listed
    assert (mine["pre_overdue"].pk, "pre_assessment") in listed
    assert (mine["unsigned"].pk, "protection_assessment") in listed  # unsigned protection assessment
    assert (mine["unsigned"].pk, "pre_assessment") in listed
    assert (mine["inv_near"].pk, "investigation") in listed  # within four weeks (R-UTR-2)
    assert (mine["care_near"].pk, "care_review") in listed  # within six weeks (R-VARD-1)
    assert all(case_id != mine["inv_far"].pk for case_id, _ in listed)  # 103 days left: not yet
    dues = [i.view.deadline.due_on for i in items]
    assert dues == sorted(dues)
    assert items[0].case == mine["unsigned"] and items[0].kind == "protection_assessment"  # 03-18 first


@pytest.mark.django_db
def test_deadline_states_overdue_today_soon_and_plan_by(mine, caseworker):
    views = {(i.case.pk, i.kind): i.view for i in _todo(caseworker)}
    assert views[(mine["pre_overdue"].pk, "pre_assessment")].state == "overdue"
    assert views[(mine["pre_today"].pk, "pre_assessment")].state == "today"
    assert views[(mine["pre_week"].pk, "pre_assessment")].state == "soon"  # day 10 of 14 reached
    weekend = views[(mine["weekend"].pk, "pre_assessment")].deadline
    assert (weekend.due_on, weekend.plan_by) == (dt.date(2026, 3, 21), dt.date(2026, 3, 20))


@pytest.mark.django_db
def test_my_case_rows_have_next_deadline_phase_and_latest_event(mine, caseworker):
    rows = {r.case.pk: r for r in selectors_work.case_rows(selectors_work.my_open_cases(caseworker), TODAY)}
    assert set(rows) == {c.pk for c in mine.values()}
    row = rows[mine["unsigned"].pk]
    assert row.next_deadline.deadline.kind == "protection_assessment"
    assert str(row.phase_label) == "Förhandsbedömning"
    assert row.latest_event_type == "case_assigned"
    assert rows[mine["inv_far"].pk].next_deadline.deadline.due_on == dt.date(2026, 7, 1)


@pytest.mark.django_db
def test_deadline_matrix_buckets(mine, team_lead, unit):
    matrix = {row.kind: row.counts for row in selectors_work.deadline_matrix(team_lead, unit.pk, TODAY)}
    assert matrix["pre_assessment"] == {"overdue": 1, "today": 1, "week": 2, "later": 1}  # week: 03-21, 03-24
    assert matrix["protection_assessment"] == {"overdue": 1, "today": 0, "week": 0, "later": 0}
    assert matrix["investigation"]["later"] == 2
    assert matrix["care_review"]["later"] == 1
    assert matrix["reporter_feedback"] == {"overdue": 0, "today": 0, "week": 0, "later": 0}
    overdue = selectors_work.unit_deadlines(team_lead, unit.pk, TODAY, kind="pre_assessment", bucket="overdue")
    assert [d.case for d in overdue] == [mine["pre_overdue"]]


@pytest.mark.django_db
def test_protection_alert_after_n_hours(caseworker, team_lead, unit, settings):
    now = timezone.now()
    old = child_case(caseworker, unit, events=report(TODAY, signed=False), received_at=now - dt.timedelta(hours=5))
    child_case(caseworker, unit, events=report(TODAY, signed=False), received_at=now - dt.timedelta(hours=2))
    child_case(caseworker, unit, events=report(TODAY), received_at=now - dt.timedelta(hours=9))  # signed
    alerts = selectors_work.unit_protection_alerts(team_lead, unit.pk, now)
    assert [(a.case, a.hours) for a in alerts] == [(old, 5)]
    settings.LOTSEN_PROTECTION_ALERT_HOURS = 1
    assert len(selectors_work.unit_protection_alerts(team_lead, unit.pk, now)) == 2


@pytest.mark.django_db
def test_unit_board_counts(mine, caseworker, team_lead, unit, delegation):
    child_case(caseworker, unit, events=report(dt.date(2026, 3, 16)))  # unassigned
    old = child_case(caseworker, unit, events=[("investigation_opened", dt.date(2025, 11, 2))])  # due 03-02
    services.deadline_extend(
        actor=team_lead,
        case=old,
        kind="investigation",
        new_due_on=dt.date(2026, 4, 30),
        reason_code="other",
        reason_text="Väntar på utlåtande från BUP.",
        decided_on=dt.date(2026, 3, 1),
    )
    assert selectors_work.unassigned_count(team_lead, unit.pk) == 2
    over = selectors_work.investigations_over_four_months(team_lead, unit.pk, TODAY)
    assert [d.case for d in over] == [old]  # extended, but opened more than four months ago (FU-M3)
    assert [x.case for x in selectors_work.extensions_this_month(team_lead, unit.pk, TODAY)] == [old]
    assert selectors_work.reports_without_pre_assessment(team_lead, unit.pk) == 6
    load = {row.user: row for row in selectors_work.workload(team_lead, unit.pk, TODAY)}
    assert load[caseworker].open_cases == len(mine)
    assert load[caseworker].overdue_cases == 2  # pre_overdue and unsigned (protection due 03-18)
    assert load[team_lead].open_cases == 0


@pytest.mark.django_db
def test_queue_filters_by_kind_and_received_dates(caseworker, team_lead, unit):
    at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    report_case = child_case(caseworker, unit, events=report(dt.date(2026, 3, 2)), received_at=at)
    application = child_case(
        caseworker, unit, received_at=at + dt.timedelta(days=10), intake_kind="ansokan", opened_on=TODAY
    )
    child_case(caseworker, unit, events=report(dt.date(2026, 3, 3)), assignee=caseworker, lead=team_lead)
    everything = list(selectors_work.queue(team_lead, unit.pk))
    assert everything == [report_case, application]  # running deadline first
    assert everything[1].received_on == dt.date(2026, 3, 12) and everything[1].intake_kind == "ansokan"
    assert list(selectors_work.queue(team_lead, unit.pk, kind="ansokan")) == [application]
    assert list(selectors_work.queue(team_lead, unit.pk, received_from=dt.date(2026, 3, 5))) == [application]
    assert list(selectors_work.queue(team_lead, unit.pk, received_to=dt.date(2026, 3, 5))) == [report_case]


@pytest.mark.django_db
def test_a_caseworker_outside_the_unit_sees_nothing(mine, unit, team_lead):
    outsider = MembershipFactory(role=Role.CASEWORKER, unit=UnitFactory()).user
    outside_lead = MembershipFactory(role=Role.TEAM_LEAD, unit=UnitFactory()).user
    assert selectors_work.my_open_cases(outsider) == []
    assert all(r.total == 0 for r in selectors_work.deadline_matrix(outside_lead, unit.pk, TODAY))
    assert selectors_work.unassigned_count(outside_lead, unit.pk) == 0
    assert list(selectors_work.queue(outside_lead, unit.pk)) == []
    assert selectors_work.workload(outside_lead, unit.pk, TODAY)[0].open_cases == 0


def test_is_todo_thresholds():
    from lotsen.cases.models import Deadline

    def view(kind, days_left):
        return DeadlineView(Deadline(kind=kind, due_on=TODAY + dt.timedelta(days=days_left), status="pending"), TODAY)

    warnings = selectors_work.DEFAULT_WARNING_DAYS
    assert selectors_work.is_todo(view("pre_assessment", 13), warnings)
    assert selectors_work.is_todo(view("investigation", 28), warnings)
    assert not selectors_work.is_todo(view("investigation", 29), warnings)
    assert selectors_work.is_todo(view("care_review", 42), warnings)
    assert not selectors_work.is_todo(view("care_review", 43), warnings)
