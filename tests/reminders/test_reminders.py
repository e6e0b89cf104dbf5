"""Reminders: the stages (pure), the background task (idempotent), the `lotsen remind` command and the
"Påminnelser" page."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from lotsen.accounts.models import Role
from lotsen.reminders import rules
from lotsen.reminders.models import Reminder
from lotsen.reminders.services import create_deadline_reminders
from lotsen.reminders.tasks import send_deadline_reminders
from tests.cases.test_work_fixtures import child_case, report
from tests.factories import MembershipFactory

START = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC)  # Friday 11:00 in Stockholm


# --- stages (pure) --------------------------------------------------------------------------------------------


def test_stages_for_a_pre_assessment():
    due, plan_by = dt.date(2026, 3, 21), dt.date(2026, 3, 20)  # Saturday; plan for Friday (R-TID-4)

    def stage(today):
        return rules.stage_for(due_on=due, plan_by=plan_by, today=today, warning_days=(4,))

    assert stage(dt.date(2026, 3, 16)) is None
    assert stage(dt.date(2026, 3, 17)) == rules.Stage("warning", 4)  # day 10 of 14 (R-FORH-1)
    assert stage(dt.date(2026, 3, 20)) == rules.Stage("last_day")
    assert stage(dt.date(2026, 3, 21)) == rules.Stage("last_day")
    assert stage(dt.date(2026, 3, 22)) == rules.Stage("overdue")


def test_investigation_warns_at_four_and_two_weeks():
    due = dt.date(2026, 7, 10)
    kw = {"due_on": due, "plan_by": due, "warning_days": (28, 14)}
    assert rules.stage_for(today=due - dt.timedelta(days=29), **kw) is None
    assert rules.stage_for(today=due - dt.timedelta(days=28), **kw) == rules.Stage("warning", 28)
    assert rules.stage_for(today=due - dt.timedelta(days=15), **kw) == rules.Stage("warning", 28)
    assert rules.stage_for(today=due - dt.timedelta(days=14), **kw) == rules.Stage("warning", 14)


ORDER = {None: 0, "warning": 1, "last_day": 3, "overdue": 4}


def _rank(stage):
    if stage is None:
        return (0, 0)
    return (ORDER[stage.kind], -stage.days)


@given(
    due=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    back=st.integers(0, 3),
    days=st.lists(st.integers(1, 60), max_size=3),
    a=st.integers(-90, 30),
    b=st.integers(-90, 30),
)
def test_stage_never_goes_back_as_days_pass(due, back, days, a, b):
    plan_by = due - dt.timedelta(days=back)
    early, late = sorted((due + dt.timedelta(days=a), due + dt.timedelta(days=b)))
    kw = {"due_on": due, "plan_by": plan_by, "warning_days": tuple(days)}
    assert _rank(rules.stage_for(today=early, **kw)) <= _rank(rules.stage_for(today=late, **kw))


# --- the task ---------------------------------------------------------------------------------------------------


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _keys(user):
    return sorted(
        (r.case_id, r.deadline_kind, r.kind, r.stage_days, r.due_on) for r in Reminder.objects.filter(user=user)
    )


@pytest.mark.django_db
def test_pre_assessment_day_10_reminds_the_assignee_once(frozen, caseworker, team_lead, unit):
    case = child_case(caseworker, unit, events=report(dt.date(2026, 3, 10)), assignee=caseworker, lead=team_lead)
    assert create_deadline_reminders(today=dt.date(2026, 3, 19)) == 0  # day 9
    assert create_deadline_reminders(today=dt.date(2026, 3, 20)) == 1  # day 10: due 03-24, four days left
    reminder = Reminder.objects.get()
    assert (reminder.user, reminder.case, reminder.kind, reminder.stage_days) == (caseworker, case, "warning", 4)
    assert reminder.message == "Förhandsbedömning: 4 dagar kvar till fristen tis 2026-03-24."
    assert create_deadline_reminders(today=dt.date(2026, 3, 20)) == 0  # rerun: nothing new
    assert create_deadline_reminders(today=dt.date(2026, 3, 21)) == 0  # same stage the next day
    assert Reminder.objects.count() == 1


@pytest.mark.django_db
def test_plan_by_and_overdue(frozen, caseworker, team_lead, unit):
    child_case(caseworker, unit, events=report(dt.date(2026, 3, 7)), assignee=caseworker, lead=team_lead)
    assert create_deadline_reminders(today=dt.date(2026, 3, 20)) == 1  # Friday = plan_by of Sat 03-21
    last = Reminder.objects.get(kind="last_day")
    assert "som inte är en arbetsdag. Planera senast fre 2026-03-20." in last.message
    frozen.move_to(dt.datetime(2026, 3, 22, 10, 0, tzinfo=dt.UTC))
    assert create_deadline_reminders(today=dt.date(2026, 3, 22)) == 2  # overdue: assignee and team lead
    overdue = Reminder.objects.filter(kind="overdue")
    assert {r.user for r in overdue} == {caseworker, team_lead}
    assert overdue.first().message == "Förhandsbedömning: fristen gick ut lör 2026-03-21."


@pytest.mark.django_db
def test_investigation_and_care_review_thresholds(frozen, caseworker, team_lead, unit):
    inv = child_case(
        caseworker, unit, events=[("investigation_opened", dt.date(2025, 12, 17))], assignee=caseworker, lead=team_lead
    )  # fmt: skip - due 2026-04-17: 28 days
    care = child_case(
        caseworker, unit, events=[("placement_started", dt.date(2025, 11, 1))], assignee=caseworker, lead=team_lead
    )  # fmt: skip - review due 2026-05-01: 42 days
    create_deadline_reminders(today=dt.date(2026, 3, 20))
    by_case = {r.case_id: r for r in Reminder.objects.filter(user=caseworker)}
    assert (by_case[inv.pk].kind, by_case[inv.pk].stage_days) == ("warning", 28)
    assert by_case[inv.pk].message == "Utredning: 4 veckor kvar till fristen fre 2026-04-17."
    assert (by_case[care.pk].deadline_kind, by_case[care.pk].stage_days) == ("care_review", 42)
    frozen.move_to(dt.datetime(2026, 4, 3, 10, 0, tzinfo=dt.UTC))
    create_deadline_reminders(today=dt.date(2026, 4, 3))  # two weeks before 04-17
    stages = {r.stage_days for r in Reminder.objects.filter(case=inv, kind="warning")}
    assert stages == {28, 14}


@pytest.mark.django_db
def test_unassigned_cases_remind_the_team_leads(frozen, caseworker, team_lead, unit_manager, unit):
    case = child_case(caseworker, unit, events=report(dt.date(2026, 3, 10)))
    create_deadline_reminders(today=dt.date(2026, 3, 20))
    assert [r.user for r in Reminder.objects.filter(case=case)] == [team_lead]  # not the unit manager


@pytest.mark.django_db
def test_protection_assessment_alert_after_n_hours(frozen, caseworker, team_lead, unit):
    now = timezone.now()
    late = child_case(caseworker, unit, events=report(dt.date(2026, 3, 20), signed=False),
                      received_at=now - dt.timedelta(hours=5), assignee=caseworker, lead=team_lead)  # fmt: skip
    child_case(caseworker, unit, events=report(dt.date(2026, 3, 20), signed=False),
               received_at=now - dt.timedelta(hours=2))  # fmt: skip
    assert create_deadline_reminders(today=dt.date(2026, 3, 20)) == 2  # the lead and the assignee
    alerts = Reminder.objects.filter(kind="protection_missing")
    assert {(r.user, r.case) for r in alerts} == {(team_lead, late), (caseworker, late)}
    assert alerts.first().message.startswith("Ingen signerad omedelbar skyddsbedömning mer än 4 timmar")
    assert create_deadline_reminders(today=dt.date(2026, 3, 20)) == 0
    # "And at the end of the day": a run for the day measures at 23:59 and also catches the later report.
    frozen.move_to(dt.datetime(2026, 3, 21, 6, 0, tzinfo=dt.UTC))
    assert create_deadline_reminders(today=dt.date(2026, 3, 20)) == 1


@pytest.mark.django_db
def test_closed_cases_and_met_deadlines_give_no_reminders(frozen, caseworker, team_lead, unit):
    from lotsen.cases import services

    child_case(
        caseworker, unit, events=[("placement_started", dt.date(2026, 3, 1))], assignee=caseworker, lead=team_lead
    )  # fmt: skip - review due in September: nothing yet
    met = child_case(caseworker, unit, events=report(dt.date(2026, 3, 10)), assignee=caseworker, lead=team_lead)
    services.event_record(actor=caseworker, case=met, type="pre_assessment_decided", occurred_on=dt.date(2026, 3, 16),
                          payload={"outcome": "not_open"})  # fmt: skip
    closed = child_case(caseworker, unit, events=report(dt.date(2026, 3, 5)), assignee=caseworker, lead=team_lead)
    services.event_record(actor=caseworker, case=closed, type="pre_assessment_decided",
                          occurred_on=dt.date(2026, 3, 12), payload={"outcome": "not_open"})  # fmt: skip
    services.case_close(actor=caseworker, case=closed, reason="inleds_ej", closed_on=dt.date(2026, 3, 12))
    assert create_deadline_reminders(today=dt.date(2026, 3, 20)) == 0


@pytest.mark.django_db
def test_task_call_enqueue_and_command(frozen, caseworker, team_lead, unit):
    from django_tasks_db.models import DBTaskResult

    child_case(caseworker, unit, events=report(dt.date(2026, 3, 10)), assignee=caseworker, lead=team_lead)
    assert send_deadline_reminders.call(today="2026-03-20") == 1
    assert send_deadline_reminders.call() == 0  # today by default; idempotent

    out = StringIO()
    call_command("remind", stdout=out)
    assert "reminders enqueued" in out.getvalue()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "lotsen.reminders.tasks.send_deadline_reminders"

    out = StringIO()
    call_command("remind", "--sync", "--today", "2026-03-20", stdout=out)
    assert out.getvalue().strip() == "0 new reminders"
    with pytest.raises(CommandError):
        call_command("remind", "--today", "20 mars")


# --- the page ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_reminder_list_and_mark_read(frozen, caseworker, team_lead, unit, login, client):
    case = child_case(caseworker, unit, events=report(dt.date(2026, 3, 5)), assignee=caseworker, lead=team_lead)
    create_deadline_reminders(today=dt.date(2026, 3, 20))
    mine = Reminder.objects.get(user=caseworker)
    theirs = Reminder.objects.get(user=team_lead)

    client = login(caseworker)
    assert "Du har 1 oläst påminnelse." in client.get("/arenden/mina/").content.decode()
    response = client.get("/paminnelser/")
    html = response.content.decode()
    assert response.status_code == 200 and "<title>Påminnelser – Lotsen</title>" in html
    assert case.number in html and "Markera som läst" in html and mine.message in html
    assert case.subject.last_name not in html  # case numbers only

    assert client.post(f"/paminnelser/{theirs.pk}/last/").status_code == 404  # not mine
    response = client.post(f"/paminnelser/{mine.pk}/last/", follow=True)
    assert f"Påminnelsen för ärende {case.number} är markerad som läst." in response.content.decode()
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "Du har 0 olästa påminnelser." in client.get("/paminnelser/").content.decode()
    assert "oläst påminnelse" not in client.get("/arenden/mina/").content.decode()
    assert client.get(f"/paminnelser/{mine.pk}/last/").status_code == 405

    client.logout()
    client = login(team_lead)
    response = client.post("/paminnelser/alla-lasta/", follow=True)
    assert "1 påminnelse är markerad som läst." in response.content.decode()
    assert not Reminder.objects.filter(read_at__isnull=True).exists()


@pytest.mark.django_db
def test_reminders_do_not_duplicate_under_the_database_constraint(frozen, caseworker, team_lead, unit):
    from django.db import IntegrityError, transaction

    child_case(caseworker, unit, events=report(dt.date(2026, 3, 10)), assignee=caseworker, lead=team_lead)
    create_deadline_reminders(today=dt.date(2026, 3, 20))
    r = Reminder.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(user=r.user, case=r.case, kind=r.kind, deadline_kind=r.deadline_kind,
                                stage_days=r.stage_days, message="x", due_on=r.due_on)  # fmt: skip


@pytest.mark.django_db
def test_unit_managers_are_alerted_when_the_unit_has_no_team_lead(frozen, caseworker, unit):
    manager = MembershipFactory(role=Role.UNIT_MANAGER, unit=unit).user
    case = child_case(caseworker, unit, events=report(dt.date(2026, 3, 20), signed=False),
                      received_at=timezone.now() - dt.timedelta(hours=6))  # fmt: skip
    create_deadline_reminders(today=dt.date(2026, 3, 20))
    assert [r.user for r in Reminder.objects.filter(case=case)] == [manager]
