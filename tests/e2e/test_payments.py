"""Browser tests for UI.md page 20 (Utbetalningar): the EB caseworker's case payments page with the plan form,
the finance officer's batch pages with two approvers and the file download, återkrav and the statistics page.
Each page: axe (WCAG 2.1 AA at 1280 and 375 px, no horizontal scroll), a Swedish title without names, and the
keyboard path to the primary action."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from lotsen.payments.models import PaymentBatch
from tests.e2e.keyboard import assert_keyboard_path
from tests.payments import helpers


@pytest.fixture
def second_page(browser, browser_context_args, browser_login):
    contexts = []

    def _open(user):
        context = browser.new_context(**browser_context_args)
        contexts.append(context)
        other = context.new_page()
        browser_login(other, user)
        return other

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def eb(transactional_db, delegation):
    unit = helpers.eb_unit()
    worker = helpers.member(unit)
    case = helpers.assistance_case(worker, unit)
    decision = helpers.signed_decision(
        case, worker,
        {"granted_total": 9200, "period": f"{dt.date.today():%Y-%m}",
         "category_totals": {"forsorjningsstod": 8000, "livsforing_ovrigt": 1200}},
    )  # fmt: skip
    helpers.register_account(case, worker, dt.date.today())
    return {"unit": unit, "worker": worker, "case": case, "decision": decision}


def _no_names(page, person):
    for value in (person.first_name, person.last_name, person.pnr, f"{person.pnr[:8]}-{person.pnr[8:]}"):
        assert value not in page.title() and value not in page.url


def test_case_payments_page_and_plan_form(page, live_server, browser_login, axe_check, eb):
    case, person = eb["case"], eb["case"].subject
    browser_login(page, eb["worker"])
    page.goto(f"{live_server.url}/utbetalningar/arende/{case.pk}/")
    assert page.title() == f"Utbetalningar – Ärende {case.number} – Lotsen"
    _no_names(page, person)
    expect(page.get_by_role("heading", level=1)).to_have_text("Utbetalningar")
    expect(page.locator("main")).to_contain_text("3300-8112189876")
    axe_check(page, "payments-case-empty")
    assert_keyboard_path(page, "Planera utbetalning")

    # The decision's own payments (one per category).
    page.get_by_role("button", name="Skapa utbetalningar enligt beslutet").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("2 utbetalningar planerades")
    rows = page.get_by_role("region", name=f"Utbetalningar enligt beslut {eb['decision'].number}").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("8\u202f000\u00a0kr")
    expect(rows.first).to_contain_text("Planerad")
    axe_check(page, "payments-case")

    # The plan form: errors first, then a landlord payment to a bankgiro.
    page.get_by_role("link", name="Planera utbetalning").click()
    assert page.title() == f"Planera utbetalning – Ärende {case.number} – Lotsen"
    page.get_by_label("Hyresvärd").check()
    page.get_by_label("Bankgiro", exact=True).check()
    page.get_by_role("button", name="Planera utbetalningen").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Ange mottagarens namn")
    expect(summary).to_contain_text("Ange beloppet")
    assert page.title().startswith("Fel: ")
    axe_check(page, "payments-plan-errors")
    page.get_by_label("Mottagarens namn").fill("Bostads AB Ängen")
    page.get_by_label("Kontonummer eller bankgironummer").fill("5050-1055")
    page.get_by_label("Belopp i kronor").fill("0,50")
    page.get_by_role("button", name="Planera utbetalningen").click()
    expect(summary).to_contain_text("men beslutet gäller 9\u202f200\u00a0kr")
    # Payments already planned for the whole decision: stop one, then plan the landlord payment.
    page.get_by_role("link", name="Avbryt").click()
    page.get_by_role("link", name="Stoppa").first.click()
    page.get_by_label("Skäl").fill("Hyran betalas direkt till hyresvärden")
    page.get_by_role("button", name="Stoppa utbetalningen").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Utbetalningen är stoppad")
    page.get_by_role("link", name="Planera utbetalning").click()
    page.get_by_label("Hyresvärd").check()
    page.get_by_label("Bankgiro", exact=True).check()
    page.get_by_label("Mottagarens namn").fill("Bostads AB Ängen")
    page.get_by_label("Kontonummer eller bankgironummer").fill("5050-1055")
    page.get_by_label("Belopp i kronor").fill("6 500")
    page.get_by_role("button", name="Planera utbetalningen").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Utbetalningen är planerad")
    expect(page.locator("main")).to_contain_text("Bostads AB Ängen")
    expect(page.locator("main")).to_contain_text("Bankgiro 5050-1055")
    expect(page.locator("main")).to_contain_text("Stoppad")
    _no_names(page, person)


def test_batch_pages_with_two_approvers(page, live_server, browser_login, second_page, axe_check, eb):
    from lotsen.payments import services

    services.payments_plan_from_decision(actor=eb["worker"], decision=eb["decision"])
    officer = helpers.finance_officer("Johan")
    officer2 = helpers.finance_officer("Malin")
    browser_login(page, officer)
    page.goto(f"{live_server.url}/utbetalningar/")
    assert page.title() == "Utbetalningsomgångar – Lotsen"
    expect(page.locator("main")).to_contain_text("2 planerade utbetalningar väntar på en omgång")
    axe_check(page, "payments-batches")
    assert_keyboard_path(page, "Skapa omgång")
    page.get_by_role("button", name="Skapa omgång").click()
    batch = PaymentBatch.objects.get()
    assert page.title() == f"Utbetalningsomgång {batch.reference} – Lotsen"
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Två personer måste godkänna den")
    totals = page.get_by_role("region", name="Summor per typ av bistånd").locator("table")
    expect(totals).to_contain_text("Försörjningsstöd")
    expect(totals).to_contain_text("Levnadskostnader i övrigt")
    expect(totals).to_contain_text("9\u202f200\u00a0kr")
    axe_check(page, "payments-batch-draft")
    assert_keyboard_path(page, "Godkänn omgången")
    page.get_by_role("button", name="Godkänn omgången").click()
    expect(page.locator("main")).to_contain_text("En annan person måste också godkänna den")
    expect(page.get_by_role("button", name="Godkänn omgången")).to_have_count(0)

    other = second_page(officer2)
    other.goto(f"{live_server.url}/utbetalningar/omgangar/{batch.pk}/")
    other.get_by_role("button", name="Godkänn omgången").click()
    expect(other.locator(".govuk-notification-banner--success")).to_contain_text("godkänd av två personer")
    other.get_by_role("button", name="Skapa betalfil").click()
    expect(other.locator(".govuk-notification-banner--success")).to_contain_text("kontrollerad mot ISO 20022")
    axe_check(other, "payments-batch-exported")
    with other.expect_download() as download_info:
        other.get_by_role("link", name="Ladda ner betalfil (XML)").click()
    download = download_info.value
    assert download.suggested_filename == f"{batch.reference}.xml"
    assert b"pain.001.001.09" in open(download.path(), "rb").read()  # noqa: SIM115

    # A bank return on one payment.
    other.get_by_role("link", name="Registrera retur").first.click()
    assert other.title() == "Registrera retur från banken – Lotsen"
    other.get_by_role("button", name="Registrera retur").click()
    expect(other.locator(".govuk-error-summary")).to_contain_text("Skriv varför banken skickade tillbaka pengarna")
    axe_check(other, "payments-return-errors")
    other.get_by_label("Varför skickade banken tillbaka pengarna?").fill("Kontot är avslutat")
    other.get_by_role("button", name="Registrera retur").click()
    expect(other.locator(".govuk-notification-banner--success")).to_contain_text("Returen är registrerad")
    expect(other.locator("main")).to_contain_text("Retur från banken")


def test_recovery_and_statistics_pages(page, live_server, browser_login, second_page, axe_check, eb):
    case = eb["case"]
    browser_login(page, eb["worker"])
    page.goto(f"{live_server.url}/utbetalningar/arende/{case.pk}/aterkrav/nytt/")
    assert page.title() == f"Registrera återkrav – Ärende {case.number} – Lotsen"
    page.get_by_label("förskott eller villkorat bistånd (33 kap. 2 §)", exact=False).check()
    page.get_by_label("Belopp att återkräva i kronor").fill("1000")
    page.get_by_role("button", name="Registrera återkravet").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Ange datum då kostnaden uppkom")
    expect(summary).to_contain_text("Skriv varför biståndet återkrävs")
    axe_check(page, "payments-recovery-errors")
    today = dt.date.today()
    group = page.get_by_role("group", name="Datum då kostnaden uppkom")
    group.get_by_label("År").fill(str(today.year))
    group.get_by_label("Månad").fill(str(today.month))
    group.get_by_label("Dag").fill(str(today.day))
    page.get_by_label("Varför återkrävs biståndet?").fill("Lön som inte redovisades i ansökan")
    page.get_by_role("button", name="Registrera återkravet").click()
    expect(summary).to_contain_text("Välj i vilken situation biståndet gavs")
    page.get_by_label("Förskott på en förmån").check()
    page.get_by_role("button", name="Registrera återkravet").click()
    expect(summary).to_contain_text("Beslutet måste ha villkor om återbetalning och vara delgivet personen")
    page.get_by_label("Felaktigt utbetalt (33 kap. 1 §)", exact=False).check()
    page.get_by_role("button", name="Registrera återkravet").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Återkravet är registrerat")
    assert page.title() == f"Återkrav – Ärende {case.number} – Lotsen"
    expect(page.locator("main")).to_contain_text("33 kap. 1 § SoL (2025:400)")
    axe_check(page, "payments-recovery")
    page.get_by_role("link", name="Tillbaka").click()
    assert page.title() == "Återkrav – Lotsen"
    axe_check(page, "payments-recoveries")

    officer = helpers.finance_officer("Johan")
    other = second_page(officer)
    other.goto(f"{live_server.url}/utbetalningar/statistik/")
    assert other.title() == "Statistik till Socialstyrelsen – Lotsen"
    axe_check(other, "payments-statistics")
    assert_keyboard_path(other, "Kontrollera månaden")
