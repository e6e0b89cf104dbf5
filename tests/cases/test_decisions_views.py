"""The decision pages: Förbered beslut (11), Att besluta (12), Granska och fatta beslut → kvitto (13), return,
notification and the letter. Access checks, access log rows, domain errors in the error summary (422)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lotsen.accounts.models import Role
from lotsen.audit.models import AccessLogEntry
from lotsen.board.models import DecisionNotification, MeetingBody
from lotsen.cases import services
from lotsen.cases.models import CaseEvent, Decision, DecisionStatus
from tests.board.helpers import board_secretary, child_case, client_for, meeting, member, prepare, submitted
from tests.factories import UnitFactory

TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def case(caseworker, unit, delegation):
    return child_case(caseworker, unit, opened_on=TODAY)


def _url(name, decision, **kwargs):
    return reverse(f"cases:{name}", kwargs={"case_id": decision.case_id, "decision_id": decision.pk, **kwargs})


def _prepare_url(case):
    return reverse("cases:decision_prepare", kwargs={"case_id": case.pk})


VALID = {
    "type": "non_residential",
    "outcome": "granted",
    "decision_text": "Familjen beviljas föräldrastöd i öppenvård under sex månader.",
    "reasons": "Utredningen visar att familjen behöver stöd.",
    "person_view": "Barnet vill ha hjälp.",
    "communicated_how": "letter",
    "communicated_on_year": "2026",
    "communicated_on_month": "3",
    "communicated_on_day": "12",
}


# --- page 11 ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_prepare_starts_with_the_process_decision_types(login, caseworker, case):
    response = login(caseworker).get(_prepare_url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="non_residential"' in body and 'value="placement_foster_home"' in body
    assert 'value="adult_intervention"' not in body  # not a child-process type
    assert 'value="investigation_extension"' not in body  # extensions: "Besluta om förlängning"
    assert AccessLogEntry.objects.filter(user=caseworker, case_id=case.pk, view="cases:decision_prepare").exists()


@pytest.mark.django_db
def test_prepare_shows_who_decides_the_law_and_the_appeal_route(login, caseworker, case):
    body = login(caseworker).get(_prepare_url(case), {"typ": "non_residential"}).content.decode()
    assert "Beslutet fattas av:" in body and "arbetsledare" in body and "punkt 3.1" in body
    assert "11 kap. 1 § SoL (2025:400)" in body
    assert "Så överklagar du beslutet" in body
    assert "Skicka för beslut" in body and "Granska och fatta beslut" not in body


@pytest.mark.django_db
def test_unknown_type_asks_to_choose(login, caseworker, case):
    response = login(caseworker).get(_prepare_url(case), {"typ": "adult_intervention"})
    assert response.status_code == 422
    assert "Välj beslutstyp" in response.content.decode()


@pytest.mark.django_db
def test_empty_form_shows_every_error_in_the_summary(login, caseworker, case):
    response = login(caseworker).post(_prepare_url(case), {"type": "non_residential"})
    assert response.status_code == 422
    body = response.content.decode()
    for message in (
        "Välj beslut",
        "Skriv vad som beslutas",
        "Skriv skälen för beslutet",
        "Skriv barnets inställning, eller varför den saknas",
        "Välj hur beslutsunderlaget kommunicerades",
    ):
        assert body.count(message) >= 2, message  # in the summary and at the field
    assert "<title>Fel: " in body
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_communication_needs_a_date_or_a_reason(login, caseworker, case):
    client = login(caseworker)
    no_date = {**VALID, "communicated_on_year": "", "communicated_on_month": "", "communicated_on_day": ""}
    assert "Ange datum då beslutsunderlaget kommunicerades" in client.post(_prepare_url(case), no_date).content.decode()
    future = {**VALID, "communicated_on_year": "2026", "communicated_on_month": "4", "communicated_on_day": "1"}
    assert "kan inte vara senare än i dag" in client.post(_prepare_url(case), future).content.decode()
    not_real = {**VALID, "communicated_on_month": "2", "communicated_on_day": "30"}
    assert "måste vara ett riktigt datum" in client.post(_prepare_url(case), not_real).content.decode()
    none = {**VALID, "communicated_how": "not_communicated"}
    assert (
        "Skriv varför beslutsunderlaget inte har kommunicerats"
        in client.post(_prepare_url(case), none).content.decode()
    )
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_send_for_decision(login, caseworker, case):
    response = login(caseworker).post(_prepare_url(case), {**VALID, "action": "submit"})
    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("decision_detail", decision)
    assert decision.status == DecisionStatus.SUBMITTED
    assert decision.communicated == "2026-03-12, per brev"
    assert decision.payload["communication"] == {"how": "letter", "on": "2026-03-12"}
    assert CaseEvent.objects.filter(case=case, type="decision_submitted").exists()


@pytest.mark.django_db
def test_committee_only_type_goes_to_the_committee_list(login, caseworker, case):
    client = login(caseworker)
    page = client.get(_prepare_url(case), {"typ": "placement_foster_home"}).content.decode()
    assert "Beslutet fattas av:</strong> individutskottet" in page
    assert "Skicka till utskottet" in page and "Skicka för beslut" not in page
    data = {**VALID, "type": "placement_foster_home", "action": "submit"}
    response = client.post(_prepare_url(case), data, follow=True)
    assert "Beslutet har skickats till utskottets lista." in response.content.decode()
    decision = Decision.objects.get()
    assert decision.status == DecisionStatus.SUBMITTED and decision.delegation_rule.committee_only


@pytest.mark.django_db
def test_iso_date_pasted_in_the_year_field_is_accepted(login, caseworker, case):
    data = {**VALID, "communicated_on_year": "2026-03-12", "communicated_on_month": "", "communicated_on_day": ""}
    login(caseworker).post(_prepare_url(case), data)
    assert Decision.objects.get().communicated.startswith("2026-03-12")


@pytest.mark.django_db
def test_covered_preparer_goes_on_to_review(login, caseworker, case):
    data = {**VALID, "type": "pre_assessment", "outcome": "inleds_ej", "action": "review"}
    response = login(caseworker).post(_prepare_url(case), data)
    decision = Decision.objects.get()
    assert response["Location"] == _url("decision_sign", decision)
    assert decision.status == DecisionStatus.DRAFT


@pytest.mark.django_db
def test_uncovered_preparer_cannot_skip_to_review(login, caseworker, case):
    login(caseworker).post(_prepare_url(case), {**VALID, "action": "review"})
    assert Decision.objects.get().status == DecisionStatus.SUBMITTED


@pytest.mark.django_db
def test_investigation_closed_has_a_single_outcome(login, team_lead, case):
    client = login(team_lead)
    body = client.get(_prepare_url(case), {"typ": "investigation_closed"}).content.decode()
    assert 'type="hidden" name="outcome" value="closed_without_intervention"' in body
    data = {**VALID, "type": "investigation_closed", "outcome": "closed_without_intervention", "action": "review"}
    response = client.post(_prepare_url(case), data)
    assert Decision.objects.get().outcome == "closed_without_intervention"
    assert response["Location"].endswith("/fatta/")


@pytest.mark.django_db
def test_outsider_gets_404(login, case):
    outsider = member(UnitFactory(), Role.CASEWORKER)
    assert login(outsider).get(_prepare_url(case)).status_code == 404


# --- page 13 and the receipt -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_team_lead_makes_the_decision_and_sees_the_receipt(login, caseworker, team_lead, case):
    decision = submitted(caseworker, case)
    client = login(team_lead)
    page = client.get(_url("decision_sign", decision)).content.decode()
    assert "Jag fattar beslutet enligt delegationsordningen punkt 3.1" in page
    assert 'data-prevent-double-click="true"' in page
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    missing = client.post(_url("decision_sign", decision), {"idempotency_key": key})
    assert missing.status_code == 422
    assert "Bekräfta att du fattar beslutet enligt delegationsordningen" in missing.content.decode()
    response = client.post(_url("decision_sign", decision), {"confirm": "on", "idempotency_key": key})
    assert response["Location"] == _url("decision_receipt", decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED and decision.delegate == team_lead
    # A second click of "Fatta beslut" leads to the same receipt and signs nothing again.
    again = client.post(_url("decision_sign", decision), {"confirm": "on", "idempotency_key": key})
    assert again["Location"] == _url("decision_receipt", decision)
    assert CaseEvent.objects.filter(type="decision_signed").count() == 1
    receipt = client.get(_url("decision_receipt", decision)).content.decode()
    assert "Beslutet är fattat" in receipt and decision.number in receipt
    assert "2026-04-10" in receipt  # notified today → three weeks → Friday 10 April
    assert "beslut.pdf" in receipt


@pytest.mark.django_db
def test_receipt_names_the_board_meeting_where_the_decision_is_reported(login, caseworker, team_lead, case):
    secretary = board_secretary()
    meeting(secretary, held_on=dt.date(2026, 3, 18), list_closes_on=dt.date(2026, 3, 11))
    meeting(secretary, held_on=dt.date(2026, 4, 15), list_closes_on=dt.date(2026, 4, 7))
    decision = services.decision_sign(actor=team_lead, decision=submitted(caseworker, case))
    receipt = login(team_lead).get(_url("decision_receipt", decision)).content.decode()
    assert "2026-04-15" in receipt


@pytest.mark.django_db
def test_uncovered_user_gets_the_error_with_the_next_step(login, caseworker, case):
    decision = prepare(caseworker, case)
    client = login(caseworker)
    page = client.get(_url("decision_sign", decision)).content.decode()
    assert "Jag fattar beslutet" not in page
    assert "Delegationsordningen ger det till arbetsledare (punkt 3.1). Skicka det för beslut." in page
    response = client.post(_url("decision_sign", decision), {"confirm": "on"})
    assert response.status_code == 422
    assert 'href="#next-step"' in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


@pytest.mark.django_db
def test_committee_only_decision_refused_for_the_team_lead(login, caseworker, team_lead, case):
    decision = submitted(caseworker, case, type="placement_foster_home")
    response = login(team_lead).post(_url("decision_sign", decision), {"confirm": "on"})
    assert response.status_code == 422
    assert "Delegationsordningen ger det till utskottet. Skicka det till utskottets föredragningslista." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_board_secretary_records_the_committee_decision_from_the_list(login, caseworker, case):
    decision = submitted(caseworker, case, type="placement_foster_home")
    secretary = board_secretary()
    held = meeting(secretary, MeetingBody.COMMITTEE, held_on=dt.date(2026, 3, 18))
    client = login(secretary)
    listing = client.get(reverse("cases:to_decide")).content.decode()
    assert "Till utskottet" in listing and case.number in listing
    assert case.subject.pnr not in listing  # masked for the board secretary
    page = client.get(_url("decision_sign", decision)).content.decode()
    assert "2026-03-18" in page
    response = client.post(
        _url("decision_sign", decision), {"meeting": held.pk, "section_number": "7", "confirm": "on"}
    )
    assert response["Location"] == _url("decision_receipt", decision)
    decision.refresh_from_db()
    assert decision.decided_on == dt.date(2026, 3, 18) and decision.committee_record.section_number == 7
    assert AccessLogEntry.objects.filter(user=secretary, case_id=case.pk, view="cases:decision_sign").exists()


@pytest.mark.django_db
def test_board_secretary_sees_no_officer_decisions(login, caseworker, case):
    decision = submitted(caseworker, case, type="non_residential")
    assert login(board_secretary()).get(_url("decision_sign", decision)).status_code == 404


# --- page 12 ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_to_decide_lists_what_the_team_lead_may_sign(
    login, caseworker, team_lead, case, unit, django_assert_max_num_queries
):
    mine = submitted(caseworker, case, type="non_residential")
    for _ in range(5):
        submitted(caseworker, child_case(caseworker, unit, opened_on=TODAY), type="contact_person")
    manager_only = submitted(caseworker, child_case(caseworker, unit, opened_on=TODAY), type="placement_hvb")
    committee = submitted(caseworker, child_case(caseworker, unit, opened_on=TODAY), type="placement_foster_home")
    client = login(team_lead)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:to_decide"))
    body = response.content.decode()
    assert _url("decision_sign", mine) in body
    assert _url("decision_sign", manager_only) not in body
    assert _url("decision_sign", committee) not in body
    assert "Till utskottet" not in body
    assert "2026-03-20" in body  # sent date
    assert AccessLogEntry.objects.filter(user=team_lead, view="cases:to_decide").count() == 6


@pytest.mark.django_db
def test_caseworker_sees_no_team_lead_decisions(login, caseworker, case):
    decision = submitted(caseworker, case, type="non_residential")
    body = login(caseworker).get(reverse("cases:to_decide")).content.decode()
    assert _url("decision_sign", decision) not in body
    assert "Inga beslut väntar på dig." in body


@pytest.mark.django_db
def test_to_decide_is_not_for_the_system_administrator(login, system_admin):
    assert login(system_admin).get(reverse("cases:to_decide")).status_code == 403


@pytest.mark.django_db
def test_return_with_comment(login, caseworker, team_lead, case):
    decision = submitted(caseworker, case)
    client = login(team_lead)
    empty = client.post(_url("decision_return", decision), {"comment": ""})
    assert empty.status_code == 422 and "Skriv en kommentar till handläggaren" in empty.content.decode()
    response = client.post(_url("decision_return", decision), {"comment": "Komplettera med barnets inställning."})
    assert response["Location"] == reverse("cases:to_decide")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.RETURNED
    detail = client_for(caseworker).get(_url("decision_detail", decision)).content.decode()
    assert "Komplettera med barnets inställning." in detail and "Skicka för beslut igen" in detail


@pytest.mark.django_db
def test_caseworker_cannot_return(login, caseworker, case):
    decision = submitted(caseworker, case)
    assert login(caseworker).get(_url("decision_return", decision)).status_code == 403


# --- notification and letter ------------------------------------------------------------------------------


@pytest.fixture
def signed(caseworker, team_lead, case):
    return services.decision_sign(actor=team_lead, decision=submitted(caseworker, case))


@pytest.mark.django_db
def test_record_notification(login, caseworker, signed):
    client = login(caseworker)
    data = {"recipient": "Vårdnadshavarna", "notified_on_year": "2026", "notified_on_month": "3",
            "notified_on_day": "20", "how": "handed_over"}  # fmt: skip
    response = client.post(_url("decision_notify", signed), data, follow=True)
    assert "Sista dag att överklaga är 2026-04-10" in response.content.decode()
    notification = DecisionNotification.objects.get()
    assert notification.notified_on == TODAY and notification.recorded_by == caseworker
    assert CaseEvent.objects.filter(type="decision_notified", payload__decision_id=signed.pk).exists()
    assert "2026-04-10" in client.get(_url("decision_detail", signed)).content.decode()


@pytest.mark.django_db
def test_notification_date_checks(login, caseworker, signed):
    client = login(caseworker)
    base = {"recipient": "Den enskilde", "how": "letter"}
    future = client.post(
        _url("decision_notify", signed),
        {**base, "notified_on_year": "2026", "notified_on_month": "3", "notified_on_day": "21"},
    )
    assert future.status_code == 422
    assert "Datum då personen fick del av beslutet kan inte vara senare än i dag" in future.content.decode()
    before = client.post(
        _url("decision_notify", signed),
        {**base, "notified_on_year": "2026", "notified_on_month": "3", "notified_on_day": "1"},
    )
    assert before.status_code == 422 and "före beslutsdagen" in before.content.decode()
    assert not DecisionNotification.objects.exists()


@pytest.mark.django_db
def test_letter_is_served_logged_and_only_for_signed_decisions(login, caseworker, case, signed):
    client = login(caseworker)
    response = client.get(_url("decision_letter", signed))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert signed.number in response["Content-Disposition"]
    assert AccessLogEntry.objects.filter(user=caseworker, case_id=case.pk, view="cases:decision_letter").exists()
    draft = prepare(caseworker, case)
    assert client.get(_url("decision_letter", draft)).status_code == 404
    outsider = member(UnitFactory(), Role.TEAM_LEAD)
    assert client_for(outsider).get(_url("decision_letter", signed)).status_code == 404
