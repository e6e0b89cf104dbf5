"""Page 17 "Flytta ärende": form → confirm → `services.transfer_request`; the receiving unit accepts with
`services.transfer_accept`; history and running deadlines stay."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from lotsen.accounts.models import Role
from lotsen.audit.models import AccessLogEntry
from lotsen.cases.models import Case, Deadline, Transfer
from tests.cases.test_work_fixtures import child_case, report
from tests.factories import MembershipFactory

TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def receiving_lead(other_unit):
    return MembershipFactory(role=Role.TEAM_LEAD, unit=other_unit).user


@pytest.fixture
def case(caseworker, team_lead, unit):
    return child_case(caseworker, unit, events=report(dt.date(2026, 3, 16)), assignee=caseworker, lead=team_lead)


def _url(case):
    return f"/arenden/{case.pk}/flytta/"


@pytest.mark.django_db
def test_locked_until_the_protection_assessment_is_signed(caseworker, unit, other_unit, login):
    locked = child_case(caseworker, unit, events=report(TODAY, signed=False))
    client = login(caseworker)
    response = client.get(_url(locked))
    assert response.status_code == 200
    html = response.content.decode()
    assert "kan inte flyttas förrän den omedelbara skyddsbedömningen är signerad" in html
    assert 'name="to_unit"' not in html
    # A posted confirmation is refused by the service and its message shown in the error summary.
    response = client.post(_url(locked), {"to_unit": other_unit.pk, "message": "Flytt", "action": "confirm"})
    assert response.status_code == 422
    assert "skyddsbedömningen är signerad (R-SKYDD-1)" in response.content.decode()
    assert not Transfer.objects.exists()


@pytest.mark.django_db
def test_transfer_request_with_confirm_page(case, caseworker, other_unit, login):
    client = login(caseworker)
    response = client.get(_url(case))
    html = response.content.decode()
    assert "<title>Flytta ärende – Ärende" in html and other_unit.name in html
    assert AccessLogEntry.objects.filter(case_id=case.pk, view="cases:transfer").exists()

    response = client.post(_url(case), {"action": "review"})
    assert response.status_code == 422
    assert "Välj vilken enhet ärendet ska flyttas till" in response.content.decode()

    data = {"to_unit": other_unit.pk, "message": "Familjen har flyttat; ärendet gäller nu vuxen förälder."}
    response = client.post(_url(case), {**data, "action": "review"})
    html = response.content.decode()
    assert response.status_code == 200 and "Kontrollera flytten" in html
    assert "Löpande frister fortsätter oförändrade" in html
    assert "Förhandsbedömning" in html  # the running pre-assessment is listed with its date
    assert not Transfer.objects.exists()

    response = client.post(_url(case), {**data, "action": "change"})
    assert 'name="to_unit"' in response.content.decode() and "Familjen har flyttat" in response.content.decode()

    response = client.post(_url(case), {**data, "action": "confirm"})
    assert response.status_code == 302 and response["Location"] == f"/arenden/{case.pk}/"
    transfer = Transfer.objects.get()
    assert (transfer.case, transfer.to_unit, transfer.status) == (case, other_unit, "requested")
    assert case.events.filter(type="transfer_requested").exists()
    response = client.get(_url(case))
    assert "väntar på att enheten tar emot ärendet" in response.content.decode()


@pytest.mark.django_db
def test_receiving_lead_accepts_and_history_stays(case, caseworker, receiving_lead, other_unit, login, client):
    before = {(d.kind, d.due_on, d.status) for d in Deadline.objects.filter(case=case)}
    login(caseworker).post(_url(case), {"to_unit": other_unit.pk, "message": "Flytt", "action": "confirm"})
    client.logout()

    client = login(receiving_lead)
    response = client.get("/arenden/flyttar/")
    html = response.content.decode()
    assert response.status_code == 200 and case.number in html and "Ta emot" in html
    assert case.subject.last_name not in html  # not yet visible to the receiving unit: no name
    transfer = Transfer.objects.get()
    response = client.post(f"/arenden/flyttar/{transfer.pk}/ta-emot/", follow=True)
    assert f"Ärende {case.number} är mottaget i {other_unit.name}" in response.content.decode()

    moved = Case.objects.get(pk=case.pk)
    assert moved.unit == other_unit and moved.assignee is None
    types = list(moved.events.values_list("type", flat=True))
    assert types[:3] == ["case_opened", "report_received", "protection_assessment_signed"]
    assert "transfer_requested" in types and types[-1] == "transfer_accepted"
    assert {(d.kind, d.due_on, d.status) for d in Deadline.objects.filter(case=case)} == before
    assert "Inga ärenden väntar" in client.get("/arenden/flyttar/").content.decode()


@pytest.mark.django_db
def test_only_the_receiving_units_leads_accept(case, caseworker, team_lead, other_unit, login, client):
    login(caseworker).post(_url(case), {"to_unit": other_unit.pk, "message": "Flytt", "action": "confirm"})
    transfer = Transfer.objects.get()
    assert client.post(f"/arenden/flyttar/{transfer.pk}/ta-emot/").status_code == 403  # caseworker: no lead role
    client.logout()
    # The sending unit's lead leads no receiving unit: the transfer is not theirs to accept.
    assert login(team_lead).post(f"/arenden/flyttar/{transfer.pk}/ta-emot/").status_code == 404
    client.logout()
    receiving_caseworker = MembershipFactory(role=Role.CASEWORKER, unit=other_unit).user
    assert login(receiving_caseworker).get("/arenden/flyttar/").status_code == 403
    assert Transfer.objects.get().status == "requested"
