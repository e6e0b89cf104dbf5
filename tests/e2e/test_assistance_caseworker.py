"""Browser tests for the caseworker and administrator pages of ekonomiskt bistånd (UI.md pages 18, 19, 21, 27,
the queue, long-term recipients, the share of automated decisions and the automation rules): axe (WCAG 2.1 AA
at 1280 and 375 px), Swedish titles without names or personnummer, the error summary, htmx recalculation of
the line table and the keyboard path to "Fatta beslut"."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from lotsen.accounts.models import Role
from lotsen.assistance import services
from lotsen.assistance.models import ApplicationStatus
from lotsen.assistance.tables import DEFAULT_TABLE_DIR
from tests.e2e.keyboard import assert_keyboard_path
from tests.factories import AssistanceUnitFactory, AutomationRuleSetFactory, MembershipFactory, adult, child

SUFFIX = " – Lotsen"


@pytest.fixture(autouse=True)
def _march_2026(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def eb_caseworker(delegation):
    unit = AssistanceUnitFactory(name="Ekonomiskt bistånd")
    return MembershipFactory(unit=unit, role=Role.CASEWORKER, user__first_name="Sara", user__last_name="Nyström").user


@pytest.fixture
def queued(eb_caseworker):
    AutomationRuleSetFactory(accountable_delegate=eb_caseworker)
    applicant = adult(1984, first_name="Karim", last_name="Sandberg")
    kid = child(dt.date(2015, 2, 1), first_name="Lea", last_name="Sandberg")
    app = services.application_submit(
        applicant=applicant,
        period=dt.date(2026, 3, 1),
        channel="e_service",
        household=services.HouseholdInput(children=[services.ChildInput(kid)]),
        reasonable_costs=[services.CostInput("housing", 8200), services.CostInput("household_electricity", 350)],
        incomes=[
            services.IncomeInput("applicant", "child_allowance", 1250),
            services.IncomeInput("applicant", "sickness_benefit", 3000),
        ],
        message="Hyran har höjts från mars.",
        declaration=True,
    )
    services.assess(app)
    app.refresh_from_db()
    return app


def assert_page(page, title: str, *persons, error: bool = False) -> None:
    assert page.title() == ("Fel: " if error else "") + title + SUFFIX
    for p in persons:
        for value in (p.first_name, p.last_name, p.pnr, p.pnr[:8], f"{p.pnr[:8]}-{p.pnr[8:]}"):
            assert value not in page.title() and value not in page.url


def test_queue_application_calculation_and_decision(page, live_server, browser_login, eb_caseworker, queued, axe_check):
    person = queued.case.subject
    base = live_server.url
    browser_login(page, eb_caseworker)
    page.goto(f"{base}/ekonomiskt-bistand/ansokningar/")
    assert_page(page, "Ansökningar", person)
    row = page.locator("main table tbody tr").first
    expect(row).to_contain_text("Sandberg, Karim")
    expect(row).to_contain_text("Väntar på handläggare")
    expect(row).to_contain_text("En första ansökan")
    axe_check(page, "eb-queue")

    row.get_by_role("link", name="Sandberg, Karim").click()
    assert_page(page, f"Ansökan 2026-03 – Ärende {queued.case.number}", person)
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Ansökan för mars 2026")
    expect(main).to_contain_text("Varför ansökan inte beslutades automatiskt")
    expect(main).to_contain_text("Hyran har höjts från mars.")
    axe_check(page, "eb-application")

    # Begär komplettering: the error summary, then back to the application.
    page.get_by_role("link", name="Begär komplettering").click()
    assert_page(page, f"Begär komplettering – Ärende {queued.case.number}", person)
    page.get_by_role("button", name="Begär komplettering").click()
    page.wait_for_load_state()
    assert_page(page, f"Begär komplettering – Ärende {queued.case.number}", person, error=True)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Skriv vad den sökande ska komplettera med")
    axe_check(page, "eb-completion-errors")
    page.get_by_role("link", name="Avbryt").click()

    # The case's applications (a case section).
    page.goto(f"{base}/ekonomiskt-bistand/arende/{queued.case_id}/")
    assert_page(page, f"Ansökningar – Ärende {queued.case.number}", person)
    expect(main.locator("table")).to_contain_text("2026-03")
    axe_check(page, "eb-case-applications")
    page.goto(f"{base}/ekonomiskt-bistand/ansokningar/{queued.pk}/")

    page.get_by_role("link", name="Beräkna och besluta").click()
    assert_page(page, f"Beräkning och beslut 2026-03 – Ärende {queued.case.number}", person)
    table = page.locator("#calculation table")
    expect(table).to_contain_text("Summa riksnorm")
    expect(table).to_contain_text("Beloppet är bekräftat i en källa")
    expect(page.locator("#calc-status")).to_contain_text("Bistånd:")
    axe_check(page, "eb-calculation")
    assert_keyboard_path(page, "Fatta beslut")

    # An adjustment recalculates the table in place (htmx); focus stays where the user types.
    before = page.locator("#calc-status").inner_text()
    page.locator("#id_adj-0-target").select_option(value="cost:0")
    page.get_by_label("Sänkning").check()
    page.locator("#id_adj-0-amount").fill("1200")
    page.locator("#id_adj-0-reason").fill("Hyran är högre än riktlinjen för två personer")
    page.locator("#id_adj-0-reason").press("Tab")
    expect(table).to_contain_text("sänkt med 1200 kr: Hyran är högre än riktlinjen för två personer")
    expect(page.locator("#calc-status")).not_to_have_text(before)
    axe_check(page, "eb-calculation-adjusted")

    # Nothing chosen for the barrier to self-support: the error summary links to the field.
    page.get_by_label("Bevilja delvis").check()
    page.get_by_role("button", name="Fatta beslut").click()
    page.wait_for_load_state()
    assert_page(page, f"Beräkning och beslut 2026-03 – Ärende {queued.case.number}", person, error=True)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=re.compile("Välj försörjningshinder")).click()
    expect(page.locator("#id_barrier_a1")).to_be_focused()
    axe_check(page, "eb-calculation-errors")

    page.locator("#id_barrier_a1").select_option(value="sick_insufficient_benefit")
    page.get_by_role("button", name="Fatta beslut").click()
    page.wait_for_url(re.compile(r"/ekonomiskt-bistand/beslut/\d+/$"))
    queued.refresh_from_db()
    assert queued.status == ApplicationStatus.DECIDED and queued.decision.outcome == "partly_granted"
    assert_page(page, f"Så fattades beslutet {queued.decision.number} – Ärende {queued.case.number}", person)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Beslut {queued.decision.number} är fattat.")
    expect(main).to_contain_text("Ansökan avslås i övrigt.")
    axe_check(page, "eb-decision")


def test_register_a_paper_application(page, live_server, browser_login, eb_caseworker, axe_check):
    AutomationRuleSetFactory(accountable_delegate=eb_caseworker)
    applicant = adult(1979, first_name="Dragan", last_name="Petrović")
    base = live_server.url
    browser_login(page, eb_caseworker)
    page.goto(f"{base}/ekonomiskt-bistand/ansokningar/")
    page.get_by_role("link", name="Registrera ansökan").click()
    assert_page(page, "Registrera ansökan")
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_load_state()
    assert_page(page, "Registrera ansökan", error=True)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Ange den sökandes personnummer")
    axe_check(page, "eb-register-lookup-errors")
    page.get_by_label("Den sökandes personnummer").fill(f"{applicant.pnr[:8]}-{applicant.pnr[8:]}")
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(f"{base}/ekonomiskt-bistand/ansokningar/registrera/uppgifter/")
    assert_page(page, "Registrera ansökan", applicant)
    axe_check(page, "eb-register-details")
    page.get_by_label("Boende").fill("5600")
    page.get_by_label("Sjukpenning", exact=True).fill("3000")
    page.get_by_role("button", name="Registrera ansökan").click()
    page.wait_for_url(re.compile(r"/ekonomiskt-bistand/ansokningar/\d+/$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Ansökan för mars 2026 är registrerad.")


def test_long_term_and_share_of_automated_decisions(page, live_server, browser_login, eb_caseworker, axe_check):
    AutomationRuleSetFactory(accountable_delegate=eb_caseworker)
    applicant = adult(1972, first_name="Berit", last_name="Olofsson")
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), tick=True):
        for month in range(1, 12):
            app = services.application_submit(
                applicant=applicant,
                period=dt.date(2026, month, 1),
                channel="e_service",
                household=services.HouseholdInput(),
                reasonable_costs=[services.CostInput("housing", 5200)],
                declaration=True,
            )
            services.assess(app)
            app.refresh_from_db()
            if app.status != ApplicationStatus.DECIDED:
                services.decide(
                    actor=eb_caseworker,
                    application=app,
                    outcome="granted",
                    reasons="Behov.",
                    barriers={"a1": "social_reasons"},
                )
        browser_login(page, eb_caseworker)
        page.goto(f"{live_server.url}/ekonomiskt-bistand/langvarigt-bistand/")
        assert_page(page, "Långvarigt bistånd", applicant)
        expect(page.locator("main")).to_contain_text("Olofsson, Berit")
        expect(page.locator("main")).to_contain_text("Arbetshinder av sociala skäl")
        axe_check(page, "eb-long-term")
        page.goto(f"{live_server.url}/ekonomiskt-bistand/automatiserade-beslut/")
        assert_page(page, "Andel automatiserade beslut")
        expect(page.locator("main table")).to_contain_text("2026-11")
        axe_check(page, "eb-automation-share")


def test_automation_rules_and_rate_tables(page, live_server, browser_login, system_admin, eb_caseworker, axe_check):
    base = live_server.url
    browser_login(page, system_admin)
    page.goto(f"{base}/ekonomiskt-bistand/automatiseringsregler/")
    assert_page(page, "Regler för automatiserade beslut")
    axe_check(page, "eb-rules-empty")
    page.locator("#id_valid_from").fill("")
    page.get_by_role("button", name="Spara och använd reglerna").click()
    page.wait_for_load_state()
    assert_page(page, "Regler för automatiserade beslut", error=True)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Ange datum då reglerna börjar gälla")
    axe_check(page, "eb-rules-errors")
    page.locator("#id_valid_from").fill("2026-03-20")
    page.locator("#id_accountable_delegate").select_option(label="Sara Nyström")
    page.get_by_role("button", name="Spara och använd reglerna").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("är sparad och används")
    expect(page.locator("main")).to_contain_text("Används: version 2026.1")
    axe_check(page, "eb-rules")

    page.goto(f"{base}/ekonomiskt-bistand/normbelopp/")
    assert_page(page, "Normbelopp och tabeller")
    expect(page.locator("main table").first).to_contain_text("5\u202f220\u00a0kr")  # 2026 single adult (E1)
    axe_check(page, "eb-tables")
    document = json.loads((Path(DEFAULT_TABLE_DIR) / "riksnorm-2026.json").read_text(encoding="utf-8"))
    document["table_version"] = "2026.2"
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "riksnorm-2026.json", "mimeType": "application/json", "buffer": json.dumps(document).encode()}]
    )
    page.get_by_role("button", name="Ladda upp", exact=True).click()
    page.wait_for_url(re.compile(r"/ekonomiskt-bistand/normbelopp/\d+/$"))
    assert_page(page, "Normtabell 2026")
    expect(page.locator("main")).to_contain_text("Godkänt")
    axe_check(page, "eb-table-version")
    page.get_by_role("button", name="Aktivera").click()
    page.wait_for_url(f"{base}/ekonomiskt-bistand/normbelopp/")
    expect(page.locator("main table").first).to_contain_text("2026.2")
