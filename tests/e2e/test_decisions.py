"""Browser tests for decisions and delegation (UI.md 4: pages 11, 12, 13 with the receipt, 25, 26, and the
decision page, notification and meetings): axe (WCAG 2.1 AA at 1280 and 375 px), Swedish titles without
names or personnummer, error summaries, the keyboard path to the primary action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotsen.board.models import MeetingBody
from lotsen.cases import services
from lotsen.cases.models import Decision, DecisionStatus, DelegationScheme
from tests.board.helpers import board_secretary, child_case, meeting, submitted
from tests.e2e.keyboard import assert_keyboard_path

SUFFIX = " – Lotsen"


@pytest.fixture
def open_page(browser, browser_context_args, browser_login):
    """A second signed-in browser (its own cookies) for a test with two users."""
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


def assert_private(page, *persons, title: str, error: bool = False) -> None:
    assert page.title() == ("Fel: " if error else "") + title + SUFFIX
    for p in persons:
        for value in (p.first_name, p.last_name, p.pnr, p.pnr[:8], f"{p.pnr[:8]}-{p.pnr[8:]}"):
            assert value not in page.title() and value not in page.url


def submit(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


# Pages 11, 12, 13 and the receipt ------------------------------------------------------------------------


def test_prepare_send_and_make_a_decision(
    page, live_server, browser_login, open_page, caseworker, team_lead, unit, delegation, axe_check
):
    today = timezone.localdate()
    case = child_case(caseworker, unit, opened_on=today)
    child = case.subject
    browser_login(page, caseworker)

    # Page 11, step 1: the decision type, with who decides under each option.
    page.goto(f"{live_server.url}/arenden/{case.pk}/beslut/nytt/")
    assert_private(page, child, title=f"Förbered beslut – Ärende {case.number}")
    expect(page.get_by_text("Fattas av arbetsledare (punkt 3.1) · 11 kap. 1 § SoL")).to_be_visible()
    axe_check(page, "decision-prepare-type")
    submit(page, "Fortsätt")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Välj beslutstyp")
    axe_check(page, "decision-prepare-type-errors")
    page.get_by_label("Öppenvårdsinsats").check()
    submit(page, "Fortsätt")

    # Page 11, step 2: the form, the delegate box and the appeal preview.
    assert_private(page, child, title=f"Förbered beslut – Ärende {case.number}")
    expect(page.locator(".app-delegate-box")).to_contain_text(
        "Beslutet fattas av: arbetsledare (delegationsordning punkt 3.1)"
    )
    expect(page.locator(".app-delegate-box")).to_contain_text("11 kap. 1 § SoL (2025:400)")
    axe_check(page, "decision-prepare")
    assert_keyboard_path(page, "Skicka för beslut")
    submit(page, "Skicka för beslut")
    assert_private(page, child, title=f"Förbered beslut – Ärende {case.number}", error=True)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Skriv barnets inställning, eller varför den saknas")
    axe_check(page, "decision-prepare-errors")
    summary.get_by_role("link", name="Välj beslut", exact=True).click()
    expect(page.locator("#id_outcome_0")).to_be_focused()

    page.get_by_label("Bifall", exact=True).check()
    page.get_by_label("Vad som beslutas").fill("Familjen beviljas föräldrastöd i öppenvård under sex månader.")
    page.get_by_label("Motivering").fill("Utredningen visar att familjen behöver stöd i föräldraskapet.")
    page.get_by_label("Barnets inställning, eller varför den saknas").fill("Barnet vill ha hjälp.")
    page.get_by_label("Per brev").check()
    page.get_by_label("År").fill(str(today.year))
    page.get_by_label("Månad").fill(str(today.month))
    page.get_by_label("Dag").fill(str(today.day))
    submit(page, "Skicka för beslut")
    decision = Decision.objects.get(case=case)
    assert decision.status == DecisionStatus.SUBMITTED
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Beslutet har skickats för beslut till arbetsledare."
    )
    assert_private(page, child, title=f"Beslut (inte fattat) – Ärende {case.number}")
    axe_check(page, "decision-detail-submitted")

    # Page 12: the team lead's list.
    lead = open_page(team_lead)
    lead.goto(f"{live_server.url}/arenden/att-besluta/")
    assert_private(lead, child, title="Att besluta")
    row = lead.locator("main table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(case.number)
    expect(row).to_contain_text(f"{child.last_name}, {child.first_name}")
    axe_check(lead, "to-decide")
    assert_keyboard_path(lead, "Öppenvårdsinsats")

    # Page 13: check answers, confirm, make the decision.
    row.get_by_role("link", name="Öppenvårdsinsats").click()
    assert_private(lead, child, title=f"Granska och fatta beslut – Ärende {case.number}")
    expect(lead.locator(".govuk-summary-list")).to_contain_text("Familjen beviljas föräldrastöd")
    axe_check(lead, "decision-sign")
    assert_keyboard_path(lead, "Fatta beslut")
    button = lead.get_by_role("button", name="Fatta beslut")
    assert button.get_attribute("data-prevent-double-click") == "true"
    submit(lead, "Fatta beslut")
    expect(lead.locator(".govuk-error-summary")).to_contain_text(
        "Bekräfta att du fattar beslutet enligt delegationsordningen"
    )
    axe_check(lead, "decision-sign-errors")
    lead.get_by_label("Jag fattar beslutet enligt delegationsordningen punkt 3.1").check()
    submit(lead, "Fatta beslut")

    # The receipt.
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED
    panel = lead.locator(".govuk-panel--confirmation")
    expect(panel).to_contain_text("Beslutet är fattat")
    expect(panel).to_contain_text(decision.number)
    expect(lead.get_by_role("heading", name="Det här händer nu")).to_be_visible()
    assert_private(lead, child, title=f"Beslutet är fattat – Ärende {case.number}")
    axe_check(lead, "decision-receipt")
    href = lead.get_by_role("link", name="Ladda ner beslutet (PDF)").get_attribute("href")
    pdf = lead.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    # The caseworker records the notification.
    page.goto(f"{live_server.url}/arenden/{case.pk}/beslut/{decision.pk}/underrattelse/")
    assert_private(page, child, title=f"Registrera underrättelse – Ärende {case.number}")
    axe_check(page, "decision-notify")
    submit(page, "Registrera underrättelse")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Ange datum då personen fick del av beslutet")
    axe_check(page, "decision-notify-errors")
    page.get_by_label("Vem fick del av beslutet?").fill("Vårdnadshavarna")
    page.get_by_label("År").fill(str(today.year))
    page.get_by_label("Månad").fill(str(today.month))
    page.get_by_label("Dag").fill(str(today.day))
    page.get_by_label("Personligen").check()
    submit(page, "Registrera underrättelse")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Sista dag att överklaga är")
    assert_private(page, child, title=f"Beslut {decision.number} – Ärende {case.number}")
    axe_check(page, "decision-detail-signed")


def test_make_a_decision_without_javascript(
    browser, browser_context_args, browser_login, live_server, caseworker, team_lead, unit, delegation
):
    case = child_case(caseworker, unit, opened_on=timezone.localdate())
    decision = submitted(caseworker, case, type="contact_person")
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = browser_login(context.new_page(), team_lead)
        page.goto(f"{live_server.url}/arenden/{case.pk}/beslut/{decision.pk}/fatta/")
        page.get_by_label("Jag fattar beslutet enligt delegationsordningen punkt 3.2").check()
        submit(page, "Fatta beslut")
        expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Beslutet är fattat")
    finally:
        context.close()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED and decision.delegate == team_lead


def test_uncovered_user_sees_the_next_step(page, live_server, browser_login, caseworker, unit, delegation, axe_check):
    case = child_case(caseworker, unit, opened_on=timezone.localdate())
    decision = submitted(caseworker, case, type="placement_foster_home")
    browser_login(page, caseworker)
    page.goto(f"{live_server.url}/arenden/{case.pk}/beslut/{decision.pk}/fatta/")
    expect(page.locator("main")).to_contain_text(
        "Du kan inte fatta det här beslutet. Delegationsordningen ger det till utskottet. "
        "Skicka det till utskottets föredragningslista."
    )
    expect(page.get_by_role("button", name="Fatta beslut")).to_have_count(0)
    axe_check(page, "decision-sign-refused")


# Page 12 for the board secretary, the committee's decision, meetings and page 25 ----------------------------


def test_board_secretary_pages(page, live_server, browser_login, caseworker, team_lead, unit, delegation, axe_check):
    today = timezone.localdate()
    secretary = board_secretary()
    committee = meeting(secretary, MeetingBody.COMMITTEE, held_on=today - dt.timedelta(days=1))
    board = meeting(secretary, held_on=today + dt.timedelta(days=20), list_closes_on=today + dt.timedelta(days=12))
    meeting(secretary, held_on=today - dt.timedelta(days=30), list_closes_on=today - dt.timedelta(days=38))
    cases = [child_case(caseworker, unit, opened_on=today) for _ in range(3)]
    for case in cases[:2]:
        services.decision_sign(actor=team_lead, decision=submitted(caseworker, case, type="contact_person"))
    foster = submitted(caseworker, cases[2], type="placement_foster_home")
    browser_login(page, secretary)

    page.goto(f"{live_server.url}/namnd/sammantraden/")
    assert_private(page, title="Sammanträden")
    axe_check(page, "meetings")
    submit(page, "Lägg till sammanträde")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Välj nämnd eller utskott")
    axe_check(page, "meetings-errors")

    page.goto(f"{live_server.url}/arenden/att-besluta/")
    expect(page.get_by_role("heading", name="Till utskottet")).to_be_visible()
    row = page.locator("main table tbody tr")
    expect(row).to_contain_text(cases[2].number)
    expect(row).to_contain_text("XXXX")
    axe_check(page, "to-decide-committee")
    row.get_by_role("link").click()
    assert_private(page, cases[2].subject, title=f"Granska och fatta beslut – Ärende {cases[2].number}")
    axe_check(page, "committee-record")
    page.get_by_label(committee.held_on.isoformat()).check()
    page.get_by_label("Paragraf (§) i protokollet").fill("4")
    page.get_by_label("Jag registrerar utskottets beslut enligt delegationsordningen punkt 3.4").check()
    submit(page, "Registrera beslutet")
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Beslutet är fattat")
    foster.refresh_from_db()
    assert foster.status == DecisionStatus.SIGNED and foster.decided_on == committee.held_on

    page.goto(f"{live_server.url}/arenden/delegationsbeslut/")
    assert_private(page, *(c.subject for c in cases), title="Anmälan av delegationsbeslut")
    expect(page.get_by_role("heading", name=f"Sammanträde {board.held_on.isoformat()}")).to_be_visible()
    expect(page.locator("#public-part + table")).to_contain_text("Kontaktperson eller kontaktfamilj")
    expect(page.locator("main")).to_contain_text(f"{cases[0].subject.pnr[:8]}-XXXX")
    expect(page.locator("main")).not_to_contain_text(cases[0].subject.pnr)
    axe_check(page, "delegation-report")
    assert_keyboard_path(page, "Ladda ner PDF")
    page.get_by_text("Välj en period i stället").click()
    page.get_by_role("button", name="Visa perioden").click()
    page.wait_for_load_state()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Ange första dagen i perioden")
    axe_check(page, "delegation-report-errors")


# Page 26 ------------------------------------------------------------------------------------------------


def test_delegation_scheme_pages(page, live_server, browser_login, system_admin, delegation, axe_check):
    browser_login(page, system_admin)
    page.goto(f"{live_server.url}/arenden/delegationsordning/")
    assert_private(page, title="Delegationsordning")
    axe_check(page, "delegation-schemes")
    assert_keyboard_path(page, "Skapa en ny version")
    page.get_by_role("link", name="Skapa en ny version").click()
    assert_private(page, title="Ny version av delegationsordningen")
    submit(page, "Skapa utkast")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Ange ett versionsnamn, till exempel 2026.2")
    axe_check(page, "delegation-scheme-new-errors")
    today = timezone.localdate()
    page.get_by_label("Version", exact=True).fill("2026.2")
    page.get_by_label("År").fill(str(today.year))
    page.get_by_label("Månad").fill(str(today.month))
    page.get_by_label("Dag").fill(str(today.day))
    submit(page, "Skapa utkast")

    draft = DelegationScheme.objects.get(version="2026.2")
    assert_private(page, title="Delegationsordning 2026.2")
    expect(page.locator("main table")).to_contain_text("Placering i familjehem")
    axe_check(page, "delegation-scheme-draft")
    page.get_by_role("link", name="Ändra punkt 3.4").click()
    assert_private(page, title="Ändra punkt – Delegationsordning 2026.2")
    axe_check(page, "delegation-rule")
    page.get_by_label("Arbetsledare").check()
    submit(page, "Spara punkt")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Punkt 3.4: beslutstypen får bara delegeras till utskott (30 kap. 6 § SoL).")
    axe_check(page, "delegation-rule-errors")
    page.get_by_label("Individutskottet").check()
    page.get_by_label("Begränsningar (frivilligt)").fill("Efter utredning")
    submit(page, "Spara punkt")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Punkt 3.4 har sparats.")

    yesterday = today - dt.timedelta(days=1)
    page.get_by_label("År").fill(str(yesterday.year))
    page.get_by_label("Månad").fill(str(yesterday.month))
    page.get_by_label("Dag").fill(str(yesterday.day))
    page.get_by_label("Paragraf (§) i nämndens protokoll").fill("12")
    submit(page, "Aktivera version")
    draft.refresh_from_db()
    assert draft.is_active
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 2026.2 är nu den aktiva")
    axe_check(page, "delegation-scheme-active")
