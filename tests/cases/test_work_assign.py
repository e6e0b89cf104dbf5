"""Page 16 "Ej fördelade": the queue, bulk assignment through `services.case_assign` in one transaction."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from lotsen.accounts.models import Role
from lotsen.cases import services
from lotsen.cases.models import Case, CaseEvent
from lotsen.core.errors import DomainError, PermissionDeniedError
from tests.cases.test_work_fixtures import child_case, report
from tests.factories import MembershipFactory, UnitFactory

URL = "/arenden/ej-fordelade/"


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def queued(caseworker, unit):
    return [child_case(caseworker, unit, events=report(dt.date(2026, 3, 10 + i))) for i in range(3)]


@pytest.mark.django_db
def test_queue_lists_unassigned_cases_with_caseload(queued, caseworker, team_lead, unit, login):
    child_case(caseworker, unit, events=report(dt.date(2026, 3, 2)), assignee=caseworker, lead=team_lead)
    response = login(team_lead).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Ej fördelade – Lotsen</title>" in html
    assert all(c.number in html for c in queued)
    assert f"{caseworker.display_name} – öppna ärenden: 1" in html
    assert 'data-module="moj-multi-select"' in html and 'id="select-all"' in html


@pytest.mark.django_db
def test_lead_assigns_two_cases_in_one_go(queued, caseworker, team_lead, login):
    client = login(team_lead)
    chosen = queued[:2]
    response = client.post(URL, {"cases": [c.pk for c in chosen], "assignee": caseworker.pk}, follow=True)
    assert response.status_code == 200
    assert f"2 ärenden tilldelades {caseworker.display_name}" in response.content.decode()
    assert {c.pk for c in Case.objects.filter(assignee=caseworker)} == {c.pk for c in chosen}
    assert CaseEvent.objects.filter(type="case_assigned", case__in=chosen).count() == 2
    assert Case.objects.get(pk=queued[2].pk).assignee is None


@pytest.mark.django_db
def test_nothing_selected_is_an_error(queued, caseworker, team_lead, login):
    response = login(team_lead).post(URL, {"assignee": caseworker.pk})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<title>Fel: Ej fördelade – Lotsen</title>" in html
    assert html.count("Välj minst ett ärende") == 2  # error summary and at the field
    assert 'href="#id_cases_0"' in html


@pytest.mark.django_db
def test_caseworker_of_another_unit_cannot_be_assigned(queued, team_lead, login):
    stranger = MembershipFactory(role=Role.CASEWORKER, unit=UnitFactory()).user
    response = login(team_lead).post(URL, {"cases": [queued[0].pk], "assignee": stranger.pk})
    assert response.status_code == 422
    assert "Välj en handläggare som arbetar i enheten" in response.content.decode()
    # The service refuses too, whatever the form offers.
    with pytest.raises(DomainError, match="arbetar inte i ärendets enhet"):
        services.case_assign(actor=team_lead, case=queued[0], assignee=stranger)
    assert Case.objects.get(pk=queued[0].pk).assignee is None


@pytest.mark.django_db
def test_only_leads_of_the_unit_assign(queued, caseworker, login, client):
    assert login(caseworker).post(URL, {"cases": [queued[0].pk], "assignee": caseworker.pk}).status_code == 403
    client.logout()
    other_lead = MembershipFactory(role=Role.TEAM_LEAD, unit=UnitFactory()).user
    with pytest.raises(PermissionDeniedError):
        services.case_assign(actor=other_lead, case=queued[0], assignee=caseworker)
    assert login(other_lead).post(URL, {"cases": [queued[0].pk], "assignee": caseworker.pk}).status_code == 422
    assert not Case.objects.filter(assignee__isnull=False).exists()


@pytest.mark.django_db
def test_batch_is_all_or_nothing(queued, caseworker, team_lead, login):
    from lotsen.cases.views_work import assign_cases

    services.case_assign(actor=team_lead, case=queued[1], assignee=caseworker)  # assigned meanwhile
    with pytest.raises(DomainError):
        assign_cases(actor=team_lead, unit_id=queued[0].unit_id, case_ids=[queued[0].pk, queued[1].pk],
                     assignee=team_lead)  # fmt: skip
    assert Case.objects.get(pk=queued[0].pk).assignee is None
    response = login(team_lead).post(URL, {"cases": [queued[0].pk, queued[1].pk], "assignee": caseworker.pk})
    assert response.status_code == 422
    assert "redan tilldelat" in response.content.decode()


@pytest.mark.django_db
def test_filters_are_in_the_url_and_checked(queued, team_lead, login):
    client = login(team_lead)
    response = client.get(URL, {"kind": "ansokan"})
    assert "Inga ej fördelade ärenden matchar filtret." in response.content.decode()
    response = client.get(URL, {"received_from-year": "2026", "received_from-month": "3", "received_from-day": "11"})
    html = response.content.decode()
    assert queued[0].number not in html and queued[1].number in html
    response = client.get(URL, {"received_from-year": "2026", "received_from-month": "2", "received_from-day": "30"})
    assert response.status_code == 422
    assert "Mottagen från måste vara ett riktigt datum" in response.content.decode()
    response = client.get(URL, {"received_to-year": "2026-03-10"})  # a full ISO date in the year field
    html = response.content.decode()
    assert queued[0].number in html and queued[1].number not in html


@pytest.mark.django_db
def test_queue_query_count_is_bounded(caseworker, team_lead, unit, login, django_assert_max_num_queries):
    for i in range(30):
        child_case(caseworker, unit, events=report(dt.date(2026, 3, 1) + dt.timedelta(days=i % 19)))
    client = login(team_lead)
    client.get(URL)
    with django_assert_max_num_queries(15):
        response = client.get(URL)
    assert response.content.decode().count('name="cases"') == 30
