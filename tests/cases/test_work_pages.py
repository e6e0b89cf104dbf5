"""Pages 1, 2 and the unit's deadline list: content, access, access log and bounded query counts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from lotsen.accounts.models import Role
from lotsen.audit.models import AccessLogEntry
from tests.cases.test_work_fixtures import child_case, report
from tests.factories import MembershipFactory, UnitFactory

TODAY = dt.date(2026, 3, 20)
MAX_QUERIES = 15


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _many_cases(caseworker, team_lead, unit, n):
    start = dt.date(2026, 3, 1)
    return [
        child_case(
            caseworker,
            unit,
            events=report(start + dt.timedelta(days=i % 19), signed=i % 3 != 0),
            assignee=caseworker if i % 2 else None,
            lead=team_lead,
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_my_cases_page(caseworker, team_lead, unit, login):
    weekend = child_case(caseworker, unit, events=report(dt.date(2026, 3, 7)), assignee=caseworker, lead=team_lead)
    client = login(caseworker)
    response = client.get("/arenden/mina/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Mina ärenden – Lotsen</title>" in html
    assert "Att göra" in html and "Mina öppna ärenden" in html
    assert f"{weekend.subject.last_name}, {weekend.subject.first_name}" in html
    assert "Planera senast fre 2026-03-20" in html  # R-TID-4: due Saturday 2026-03-21
    assert f'href="/arenden/{weekend.pk}/"' in html
    assert AccessLogEntry.objects.filter(user=caseworker, case_id=weekend.pk, view="cases:my_cases").count() == 1


@pytest.mark.django_db
def test_my_cases_query_count_is_bounded(caseworker, team_lead, unit, login, django_assert_max_num_queries):
    _many_cases(caseworker, team_lead, unit, 30)  # 15 assigned to the caseworker, 15 in the queue
    client = login(caseworker)
    client.get("/arenden/mina/")  # warm the session
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/arenden/mina/")
    assert response.status_code == 200
    assert response.content.decode().count('class="govuk-table__row"') >= 15


@pytest.mark.django_db
def test_unit_board_for_the_lead_only(caseworker, team_lead, unit, login, client, django_assert_max_num_queries):
    _many_cases(caseworker, team_lead, unit, 30)
    assert login(caseworker).get("/arenden/enheten/").status_code == 403
    client.logout()
    client = login(team_lead)
    client.get("/arenden/enheten/")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get("/arenden/enheten/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Enhetens översikt – Lotsen</title>" in html
    for text in ("Försenade", "I dag", "Inom 7 dagar", "Senare", "Arbetsbelastning per handläggare"):
        assert text in html
    assert "/arenden/enheten/frister/?kind=pre_assessment&amp;bucket=overdue" in html
    assert "Skyddsbedömning saknas" in html  # reports received days ago without a signed assessment
    # The overview shows case numbers and counts, never a person's name: no access-log rows.
    assert not AccessLogEntry.objects.filter(user=team_lead).exists()


@pytest.mark.django_db
def test_unit_deadline_list(caseworker, team_lead, unit, login, django_assert_max_num_queries):
    cases = _many_cases(caseworker, team_lead, unit, 30)
    client = login(team_lead)
    url = "/arenden/enheten/frister/?kind=pre_assessment&bucket=overdue"
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Förhandsbedömning – Försenade" in html
    overdue = [c for c in cases if c.deadlines.filter(kind="pre_assessment", due_on__lt=TODAY).exists()]
    assert overdue and all(c.number in html for c in overdue)
    logged = set(AccessLogEntry.objects.filter(view="cases:unit_deadlines").values_list("case_id", flat=True))
    assert logged == {c.pk for c in overdue}


@pytest.mark.django_db
def test_outsiders_get_nothing(caseworker, team_lead, unit, login):
    case = child_case(caseworker, unit, events=report(dt.date(2026, 3, 10)), assignee=caseworker, lead=team_lead)
    outsider = MembershipFactory(role=Role.CASEWORKER, unit=UnitFactory()).user
    client = login(outsider)
    assert case.number not in client.get("/arenden/mina/").content.decode()
    assert client.get("/arenden/enheten/").status_code == 403
    assert client.get("/arenden/ej-fordelade/").status_code == 403
    assert client.get("/arenden/enheten/frister/").status_code == 403
    assert client.get(f"/arenden/{case.pk}/flytta/").status_code == 404
    assert client.get("/arenden/flyttar/").status_code == 403
