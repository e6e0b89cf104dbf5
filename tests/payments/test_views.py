"""The payments pages through the test client: access (404/403 for others), access-log rows, forms with
Swedish errors (422), the batch flow with two approvers and the file download, bounded queries."""

import datetime as dt
from decimal import Decimal

import pytest

from lotsen.audit.models import AccessLogEntry, AuditEvent
from lotsen.payments import services
from lotsen.payments.models import Payment, PaymentBatch, RecoveryStatus, StatisticsSubmission
from lotsen.people.models import Protection
from tests.factories import PersonFactory
from tests.payments import helpers
from tests.payments.conftest import TODAY

PAY_ON = dt.date(2026, 3, 25)


def _date(prefix, d):
    return {f"{prefix}-year": d.year, f"{prefix}-month": d.month, f"{prefix}-day": d.day}


@pytest.fixture
def as_caseworker(login, eb_caseworker):
    return login(eb_caseworker)


def test_case_payments_page_shows_rows_and_logs_the_read(as_caseworker, decision, eb_caseworker, account, eb_case):
    helpers.plan_one(decision, eb_caseworker, "6000", PAY_ON)
    response = as_caseworker.get(f"/utbetalningar/arende/{eb_case.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Utbetalningar</h1>' in html
    assert decision.number in html and "6\u202f000\u00a0kr" in html and "Planerad" in html
    assert "3300-8112189876" in html
    assert AccessLogEntry.objects.filter(view="payments:case", case_id=eb_case.pk).count() == 1


def test_other_units_and_finance_officers_do_not_see_the_case(client, login, eb_case, officer):
    stranger = helpers.member(helpers.eb_unit("Ekonomiskt bistånd väst"))
    assert login(stranger).get(f"/utbetalningar/arende/{eb_case.pk}/").status_code == 404
    client.logout()
    assert login(officer).get(f"/utbetalningar/arende/{eb_case.pk}/").status_code == 404


def test_plan_form_errors_and_success(as_caseworker, decision, eb_case):
    url = f"/utbetalningar/arende/{eb_case.pk}/planera/"
    page = as_caseworker.get(url)
    assert page.status_code == 200
    token = page.context["form"].initial["idempotency_token"]
    data = {"decision": decision.pk, "payee_kind": "landlord", "account": "bankgiro", "creditor_name": "",
            "account_number": "5050-1056", "amount": "6 500", "category": "forsorjningsstod",
            "idempotency_token": token, **_date("pay_on", PAY_ON)}  # fmt: skip
    response = as_caseworker.post(url, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ange mottagarens namn" in html and "Det finns ett problem" in html
    assert "<title>Fel: " in html
    data["creditor_name"] = "Bostads AB Ängen"
    response = as_caseworker.post(url, data)
    assert response.status_code == 422
    assert "Bankgironumret stämmer inte. Kontrollera siffrorna" in response.content.decode()
    data["account_number"] = "5050-1055"
    assert as_caseworker.post(url, data).status_code == 302
    assert as_caseworker.post(url, data).status_code == 302  # double submit
    payment = Payment.objects.get()
    assert (payment.amount, payment.creditor_name, payment.pay_on) == (Decimal("6500.00"), "Bostads AB Ängen", PAY_ON)


def test_plan_from_decision_button_and_payee_account_form(as_caseworker, decision, eb_case):
    url = f"/utbetalningar/arende/{eb_case.pk}/konto/"
    response = as_caseworker.post(url, {"account_kind": "bank_account", "clearing": "3300",
                                        "account_number": "811218-9877", **_date("valid_from", TODAY)})  # fmt: skip
    assert response.status_code == 422
    assert "Kontonumret stämmer inte" in response.content.decode()
    response = as_caseworker.post(url, {"account_kind": "bank_account", "clearing": "3300",
                                        "account_number": "811218-9876", **_date("valid_from", TODAY)})  # fmt: skip
    assert response.status_code == 302
    response = as_caseworker.post(f"/utbetalningar/arende/{eb_case.pk}/beslut/{decision.pk}/skapa/")
    assert response.status_code == 302
    assert Payment.objects.filter(decision=decision).count() == 1
    follow = as_caseworker.get(response.url)
    assert "1 utbetalning planerades enligt beslut" in follow.content.decode()


def test_batch_flow_two_approvers_and_download(client, login, decision, eb_caseworker, account, officer, officer2):
    helpers.plan_one(decision, eb_caseworker, "6000", TODAY)
    as_officer = login(officer)
    page = as_officer.get("/utbetalningar/")
    assert page.status_code == 302 and page.url == "/utbetalningar/omgangar/"
    response = as_officer.post("/utbetalningar/omgangar/", _date("pay_on", TODAY))
    assert response.status_code == 302
    batch = PaymentBatch.objects.get()
    detail = as_officer.get(response.url)
    html = detail.content.decode()
    assert batch.reference in html and "Försörjningsstöd" in html and "Godkänn omgången" in html
    as_officer.post(f"/utbetalningar/omgangar/{batch.pk}/godkann/")
    again = as_officer.post(f"/utbetalningar/omgangar/{batch.pk}/godkann/", follow=True)
    html = again.content.decode()
    assert "Du har redan godkänt omgången. En annan person måste godkänna den." in html
    assert "Godkänn omgången" not in html  # the button is gone for the first approver
    assert services.PaymentBatch.objects.get().approvers == [officer.pk]
    response = as_officer.post(f"/utbetalningar/omgangar/{batch.pk}/skapa-fil/", follow=True)
    assert "måste godkännas av två personer" in response.content.decode()
    client.logout()
    as_second = login(officer2)
    as_second.post(f"/utbetalningar/omgangar/{batch.pk}/godkann/")
    response = as_second.post(f"/utbetalningar/omgangar/{batch.pk}/skapa-fil/", follow=True)
    assert "är skapad och kontrollerad mot ISO 20022-schemat" in response.content.decode()
    download = as_second.get(f"/utbetalningar/omgangar/{batch.pk}/fil/")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/xml")
    assert download["Content-Disposition"] == f'attachment; filename="{batch.reference}.xml"'
    assert b"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09" in download.content
    assert AuditEvent.objects.filter(action="payment_batch_file.exported").count() == 1
    assert AccessLogEntry.objects.filter(view="payments:batch").exists()


def test_caseworkers_cannot_open_batches(as_caseworker):
    assert as_caseworker.get("/utbetalningar/omgangar/").status_code == 403
    assert as_caseworker.get("/utbetalningar/statistik/").status_code == 403
    assert as_caseworker.get("/utbetalningar/").status_code == 200


def test_batch_page_queries_are_bounded_and_protected_persons_masked(
    login, eb_unit, delegation, officer, django_assert_max_num_queries
):
    eb_caseworker = helpers.member(eb_unit, can_view_protected=True)
    hidden = PersonFactory(first_name="Hemlig", last_name="Skyddsdal", protection=Protection.PROTECTED_REGISTRATION)
    for i in range(12):
        case = helpers.assistance_case(eb_caseworker, eb_unit, person=hidden if i == 0 else None)
        d = helpers.signed_decision(case, eb_caseworker, {"granted_total": 1000, "period": "2026-03"})
        landlord = {"payee_kind": "landlord", "creditor_name": f"Hyresvärd {i}", "account_kind": "bankgiro"}
        helpers.plan_one(d, eb_caseworker, "1000", TODAY, token=f"t{i}", account_number="5050-1055", **landlord)
    batch = services.batch_create(actor=officer, pay_on=TODAY)
    client = login(officer)
    with django_assert_max_num_queries(20):
        response = client.get(f"/utbetalningar/omgangar/{batch.pk}/")
    html = response.content.decode()
    assert "Hyresvärd 0" not in html and "Skyddade personuppgifter" in html and "Hyresvärd 1" in html
    with django_assert_max_num_queries(15):
        assert client.get("/utbetalningar/omgangar/").status_code == 200


def test_recovery_form_refuses_33_2_and_list_shows_claims(as_caseworker, decision, eb_case, login, officer, client):
    url = f"/utbetalningar/arende/{eb_case.pk}/aterkrav/nytt/"
    data = {"decision": decision.pk, "legal_ground": "33_2", "circumstance": "advance_on_benefit",
            "amount": "1000", "reason": "Förskott på sjukpenning", **_date("cost_date", dt.date(2026, 3, 5)),
            **_date("decided_on", TODAY)}  # fmt: skip
    response = as_caseworker.post(url, data)
    assert response.status_code == 422
    assert "Beslutet måste ha villkor om återbetalning och vara delgivet personen" in response.content.decode()
    data["legal_ground"] = "33_1"
    response = as_caseworker.post(url, data)
    assert response.status_code == 302
    recovery = services.Recovery.objects.get()
    detail = as_caseworker.get(response.url).content.decode()
    assert "33 kap. 1 § SoL (2025:400)" in detail and "2029-03-05" in detail
    listing = as_caseworker.get("/utbetalningar/aterkrav/").content.decode()
    assert eb_case.number in listing
    client.logout()
    as_officer = login(officer)
    response = as_officer.post(f"/utbetalningar/aterkrav/{recovery.pk}/inbetalning/",
                               {"amount": "1000", "idempotency_token": "x", **_date("received_on", TODAY)})  # fmt: skip
    assert response.status_code == 302
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.REPAID


def test_statistics_page_lists_failing_rows_and_creates_the_file(login, officer, decision, eb_caseworker, account,
                                                                 officer2):  # fmt: skip
    helpers.plan_one(decision, eb_caseworker, "6000", TODAY)
    helpers.exported_batch(officer, officer2, TODAY)
    client = login(officer)
    response = client.get("/utbetalningar/statistik/?manad=2026-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert "V05" in html and "Försörjningshinder saknas för sökande." in html and "2026-04-15" in html
    response = client.post("/utbetalningar/statistik/?manad=2026-03", {"override_reason": ""})
    assert response.status_code == 422
    assert "skriv varför filen skickas utan dem" in response.content.decode()
    response = client.post("/utbetalningar/statistik/?manad=2026-03", {"override_reason": "Rättas i nästa fil"})
    assert response.status_code == 302
    sub = StatisticsSubmission.objects.get()
    assert sub.household_count == 0 and sub.excluded_rows == [{"case_id": decision.case_id}]
    download = client.get(f"/utbetalningar/statistik/{sub.pk}/fil/")
    assert download.status_code == 200 and download.content.decode().startswith("kommunkod;period;")


def test_list_pages_have_bounded_queries(
    as_caseworker, eb_case, eb_caseworker, decision, account, django_assert_max_num_queries
):
    for i in range(8):
        d = helpers.signed_decision(eb_case, eb_caseworker, {"granted_total": 1000, "period": "2026-03"})
        services.recovery_register(actor=eb_caseworker, decision=d, legal_ground="33_1", amount=Decimal("100"),
                                   reason="Fel", cost_date=TODAY, decided_on=TODAY)  # fmt: skip
        helpers.plan_one(d, eb_caseworker, "900", TODAY, token=f"q{i}")
    with django_assert_max_num_queries(15):
        assert as_caseworker.get("/utbetalningar/aterkrav/").status_code == 200
    with django_assert_max_num_queries(15):
        assert as_caseworker.get("/utbetalningar/").status_code == 200
    with django_assert_max_num_queries(60):  # the case page: a few queries per decision (served dates)
        assert as_caseworker.get(f"/utbetalningar/arende/{eb_case.pk}/").status_code == 200
