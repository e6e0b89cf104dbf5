"""Browser tests for the citizen e-service (UI.md pages 29, 30, 31 and 21) on a phone: the first application
question by question, the re-application with its task list and an automated decision shown on the
confirmation, "Mina ansökningar och beslut" and the decision. Every page: axe (WCAG 2.1 AA at 375 and
1280 px, no horizontal scroll), a Swedish title without names or personnummer; the error summary is shown
and linked; the application works without JavaScript too."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import expect

from lotsen.accounts.models import Role
from lotsen.assistance import services
from lotsen.assistance.models import Application, ApplicationStatus
from tests.e2e.keyboard import assert_keyboard_path
from tests.factories import (
    AssistanceUnitFactory,
    AutomationRuleSetFactory,
    MembershipFactory,
    adult,
    child,
    registered_household,
)

SUFFIX = " – Ekonomiskt bistånd – Exempelby kommun"
PHONE = {"width": 375, "height": 812}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _march_2026(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def eb(delegation):
    unit = AssistanceUnitFactory(name="Ekonomiskt bistånd")
    caseworker = MembershipFactory(
        unit=unit, role=Role.CASEWORKER, user__first_name="Sara", user__last_name="Nyström"
    ).user
    AutomationRuleSetFactory(accountable_delegate=caseworker)
    return caseworker


@pytest.fixture
def family(db):
    applicant = adult(1987, first_name="Amira", last_name="Lundgren")
    kid = child(dt.date(2021, 9, 1), first_name="Noor", last_name="Lundgren")
    registered_household(applicant, children=[kid])
    return applicant, kid


def assert_page(page, title: str, *persons, error: bool = False) -> None:
    assert page.title() == ("Fel: " if error else "") + title + SUFFIX
    for p in persons:
        for value in (p.first_name, p.last_name, p.pnr, p.pnr[:8], f"{p.pnr[:8]}-{p.pnr[8:]}"):
            assert value not in page.title() and value not in page.url


def cont(page) -> None:
    page.get_by_role("button", name="Fortsätt", exact=True).click()
    page.wait_for_load_state()


def log_in(page, base: str, person) -> None:
    page.goto(f"{base}/e-tjanst/")
    page.get_by_role("button", name="Logga in med BankID").click()
    page.get_by_label("En annan person").check()
    page.get_by_label("Personnummer").fill(f"{person.pnr[:8]}-{person.pnr[8:]}")
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url(f"{base}/e-tjanst/mina-sidor/")


def test_first_application_on_a_phone(page, live_server, eb, family, axe_check):
    applicant, kid = family
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/e-tjanst/")
    assert_page(page, "Ansök om ekonomiskt bistånd")
    axe_check(page, "eservice-start", widths=(375, 1280))
    assert_keyboard_path(page, "Logga in med BankID")

    page.get_by_role("button", name="Logga in med BankID").click()
    assert_page(page, "Logga in")
    page.get_by_role("button", name="Logga in", exact=True).click()
    assert_page(page, "Logga in", error=True)
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    axe_check(page, "eservice-login-errors", widths=(375, 1280))
    page.get_by_label("En annan person").check()
    page.get_by_label("Personnummer").fill(f"{applicant.pnr[:8]}-{applicant.pnr[8:]}")
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url(f"{base}/e-tjanst/mina-sidor/")
    assert_page(page, "Mina ansökningar och beslut", applicant)
    axe_check(page, "eservice-home-empty", widths=(375, 1280))

    page.get_by_role("link", name="Ansök om ekonomiskt bistånd").click()
    assert_page(page, "Vilken månad söker du för?", applicant)
    cont(page)  # nothing chosen: the error summary takes focus and links to the first radio
    assert_page(page, "Vilken månad söker du för?", applicant, error=True)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Välj vilken månad du söker för").click()
    expect(page.locator("#id_period_0")).to_be_focused()
    axe_check(page, "eservice-month-errors", widths=(375, 1280))
    page.get_by_label("Mars 2026").check()
    cont(page)

    assert_page(page, "Bor du med en make, maka eller sambo?", applicant)
    page.get_by_label("Nej").check()
    axe_check(page, "eservice-partner", widths=(375, 1280))
    cont(page)

    assert_page(page, "Vilka barn bor hos dig?", applicant, kid)
    page.get_by_label(re.compile("Noor Lundgren")).check()
    axe_check(page, "eservice-children", widths=(375, 1280))
    cont(page)
    assert_page(page, "Vilka barn äter lunch i förskolan på vardagar?", applicant, kid)
    page.get_by_label(re.compile("Noor Lundgren")).check()
    axe_check(page, "eservice-lunch", widths=(375, 1280))
    cont(page)

    assert_page(page, "Vilka kostnader har du den här månaden?", applicant)
    page.get_by_label("Hyra eller annan boendekostnad").fill("7000")
    page.get_by_label("Hushållsel").fill("3oo")
    cont(page)
    assert_page(page, "Vilka kostnader har du den här månaden?", applicant, error=True)
    expect(page.locator("#id_household_electricity-error")).to_contain_text("Skriv beloppet i hela kronor")
    axe_check(page, "eservice-costs-errors", widths=(375, 1280))
    page.get_by_label("Hushållsel").fill("300")
    cont(page)

    assert_page(page, "Vilka inkomster har du den här månaden?", applicant)
    axe_check(page, "eservice-incomes", widths=(375, 1280))
    cont(page)
    assert_page(page, "Får ert hushåll något av det här?", applicant)
    page.get_by_label("Barnbidrag eller studiebidrag").check()
    page.locator("#id_amount_child_allowance").fill("1250")
    cont(page)

    assert_page(page, "Behöver du hjälp med något mer den här månaden?", applicant)
    page.get_by_label("Nej").check()
    axe_check(page, "eservice-other", widths=(375, 1280))
    cont(page)

    assert_page(page, "Ladda upp underlag", applicant)
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "hyresavi-mars.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Ladda upp filen").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("hyresavi-mars.pdf")
    axe_check(page, "eservice-uploads", widths=(375, 1280))
    cont(page)

    assert_page(page, "Kontrollera dina svar", applicant, kid)
    main = page.locator("main")
    expect(main).to_contain_text("Mars 2026")
    expect(main).to_contain_text("Hyra eller annan boendekostnad: 7\u202f000\u00a0kr")
    expect(main).to_contain_text("hyresavi-mars.pdf")
    page.get_by_role("button", name="Skicka ansökan").click()
    page.wait_for_load_state()
    assert_page(page, "Kontrollera dina svar", applicant, kid, error=True)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Intyga att uppgifterna är riktiga och fullständiga")
    axe_check(page, "eservice-check-errors", widths=(375, 1280))
    page.get_by_label("Jag intygar att uppgifterna är riktiga och fullständiga").check()
    page.get_by_role("button", name="Skicka ansökan").click()
    page.wait_for_load_state()

    assert_page(page, "Ansökan är skickad", applicant)
    app = Application.objects.get(case__subject=applicant)
    expect(page.locator(".govuk-panel")).to_contain_text(app.case.number)
    expect(main).to_contain_text("Vad händer nu")
    axe_check(page, "eservice-sent-queued", widths=(375, 1280))
    assert app.status == ApplicationStatus.READY

    page.get_by_role("link", name="Gå till Mina ansökningar och beslut").click()
    expect(page.locator("main table")).to_contain_text("Mottagen")
    page.get_by_role("link", name=re.compile("2026-03")).click()
    assert_page(page, "Din ansökan 2026-03", applicant)
    expect(page.locator(".moj-timeline")).to_contain_text("Ansökan kom in")
    axe_check(page, "eservice-application", widths=(375, 1280))


def _decided_february(applicant, kid, caseworker):
    february = services.application_submit(
        applicant=applicant,
        period=dt.date(2026, 2, 1),
        channel="e_service",
        household=services.HouseholdInput(children=[services.ChildInput(kid, lunch_away_weekdays=True)]),
        reasonable_costs=[services.CostInput("housing", 7000), services.CostInput("household_electricity", 300)],
        incomes=[services.IncomeInput("applicant", "child_allowance", 1250)],
        declaration=True,
        submitted_at=dt.datetime(2026, 2, 3, 9, 0, tzinfo=dt.UTC),
    )
    services.assess(february)
    services.decide(
        actor=caseworker,
        application=february,
        outcome="granted",
        reasons="Behov enligt riksnormen.",
        barriers={"a1": "unemployed_no_benefit"},
    )
    return february


def test_reapplication_gets_an_automated_decision_on_a_phone(page, live_server, eb, family, axe_check):
    applicant, kid = family
    _decided_february(applicant, kid, eb)
    base = live_server.url
    page.set_viewport_size(PHONE)
    log_in(page, base, applicant)
    expect(page.locator("main table")).to_contain_text("Beslut fattat")
    axe_check(page, "eservice-home", widths=(375, 1280))

    page.get_by_role("link", name="Ansök igen").click()
    assert_page(page, "Ansök igen", applicant)
    expect(page.locator("main")).to_contain_text("Du ansöker för mars 2026")
    axe_check(page, "eservice-tasks", widths=(375, 1280))
    assert_keyboard_path(page, "Ditt hushåll")

    for name, question in [
        ("Ditt hushåll", "Har något ändrats i ditt hushåll sedan din förra ansökan?"),
        ("Boende och kostnader", "Har ditt boende eller dina kostnader ändrats sedan din förra ansökan?"),
        ("Inkomster", "Har dina eller ert hushålls inkomster ändrats sedan din förra ansökan?"),
        ("Något annat", "Har något annat ändrats, eller behöver du hjälp med något mer?"),
    ]:
        page.get_by_role("link", name=name, exact=True).click()
        assert_page(page, question, applicant, kid)
        if name == "Boende och kostnader":
            expect(page.locator("main")).to_contain_text("Hyra eller annan boendekostnad: 7\u202f000\u00a0kr")
            axe_check(page, "eservice-changed", widths=(375, 1280))
        page.get_by_label("Nej").check()
        cont(page)
        assert_page(page, "Ansök igen", applicant)
    expect(page.locator(".govuk-task-list")).not_to_contain_text("Inte besvarad")

    page.get_by_role("link", name="Kontrollera dina svar").click()
    assert_page(page, "Kontrollera dina svar", applicant, kid)
    axe_check(page, "eservice-check-reapply", widths=(375, 1280))
    page.get_by_label("Jag intygar att uppgifterna är riktiga och fullständiga").check()
    page.get_by_role("button", name="Skicka ansökan").click()
    page.wait_for_load_state()

    # The automated decision is there within the same request.
    assert_page(page, "Ansökan är skickad", applicant)
    march = Application.objects.get(case__subject=applicant, period=dt.date(2026, 3, 1))
    assert march.status == ApplicationStatus.DECIDED and march.automated
    main = page.locator("main")
    expect(main).to_contain_text("beviljar")
    expect(main).to_contain_text("uppfyllde alla regler för ett automatiskt beslut")
    axe_check(page, "eservice-sent-decided", widths=(375, 1280))

    page.get_by_role("link", name="Läs beslutet och hur det fattades").click()
    assert_page(page, f"Ditt beslut {march.decision.number}", applicant)
    expect(main).to_contain_text("Så fattades beslutet")
    expect(main).to_contain_text("Ansvarig delegat är Sara Nyström")
    expect(main).to_contain_text("Reglerna som beslutet fattades efter")
    expect(main).to_contain_text("Överklaga senast fredag 10 april 2026")
    axe_check(page, "eservice-decision", widths=(375, 1280))


def test_first_application_without_javascript(browser, browser_context_args, live_server, eb, family):
    applicant, _kid = family
    context = browser.new_context(**browser_context_args, java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        base = live_server.url
        log_in(page, base, applicant)
        page.get_by_role("link", name="Ansök om ekonomiskt bistånd").click()
        page.get_by_label("Mars 2026").check()
        cont(page)
        page.get_by_label("Ja").check()
        page.get_by_label("Hens personnummer").fill("19121212-1213")  # check digit wrong
        cont(page)
        expect(page.locator("#id_partner_pnr-error")).to_contain_text("Personnumret stämmer inte")
        page.get_by_label("Nej").check()
        cont(page)
        cont(page)  # no children ticked
        page.get_by_label("Hyra eller annan boendekostnad").fill("6500")
        cont(page)
        page.get_by_label("Lön").check()
        page.locator("#id_amount_salary").fill("4000")
        cont(page)
        cont(page)
        page.get_by_label("Nej").check()
        cont(page)
        page.get_by_role("button", name="Fortsätt").click()
        page.wait_for_load_state()
        page.get_by_label("Jag intygar att uppgifterna är riktiga och fullständiga").check()
        page.get_by_role("button", name="Skicka ansökan").click()
        page.wait_for_load_state()
        expect(page.locator(".govuk-panel")).to_contain_text("Ansökan är skickad")
        app = Application.objects.get(case__subject=applicant)
        assert app.costs["reasonable_costs"] == [{"type": "housing", "amount": 6500}]
        assert [(i["type"], i["amount"]) for i in app.incomes] == [("salary", 4000)]
    finally:
        context.close()
