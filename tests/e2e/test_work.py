"""Browser tests for the work lists (UI.md pages 1, 2, 16, 17) and the reminders page: axe (WCAG 2.1 AA at
1280 and 375 px), Swedish titles without names, keyboard path, and the main flows: assign two cases, move a
case and accept it in the receiving unit, mark a reminder as read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotsen.accounts.models import Role
from lotsen.reminders.services import create_deadline_reminders
from tests.cases.test_work_fixtures import child_case, report
from tests.e2e.keyboard import assert_keyboard_path
from tests.factories import MembershipFactory, PersonFactory

TITLES = {
    "my_cases": "Mina ärenden – Lotsen",
    "unit_board": "Enhetens översikt – Lotsen",
    "unit_deadlines": "Frister – Enhetens översikt – Lotsen",
    "queue": "Ej fördelade – Lotsen",
    "transfers": "Flyttar till enheten – Lotsen",
    "reminders": "Påminnelser – Lotsen",
}


def _days(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def _assert_private(page, *cases) -> None:
    """Neither the title nor the URL names a person (UI.md 1.8)."""
    for case in cases:
        for value in (case.subject.first_name, case.subject.last_name, case.subject.pnr):
            assert value not in page.title()
            assert value not in page.url


@pytest.fixture
def second_page(browser, browser_context_args, browser_login):
    """A second signed-in browser (its own cookies) for a flow with two users."""
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


def test_my_cases(page, live_server, browser_login, caseworker, team_lead, unit, axe_check):
    def person(last):
        return PersonFactory(first_name="Test", last_name=last, birth_date=dt.date(2014, 5, 1))

    def mine(events, last):
        return child_case(caseworker, unit, events=events, assignee=caseworker, lead=team_lead, person=person(last))

    cases = [
        mine(report(_days(16)), "Dahl"),  # pre-assessment overdue
        mine(report(_days(10)), "Berg"),  # day 10: soon
        mine(report(_days(0), signed=False), "Carlsson"),  # protection assessment not signed
        mine([("investigation_opened", _days(30))], "Andersson"),  # not yet near four months
    ]
    create_deadline_reminders(today=timezone.localdate())
    browser_login(page, caseworker)
    page.goto(f"{live_server.url}/arenden/mina/")
    assert page.title() == TITLES["my_cases"]
    _assert_private(page, *cases)
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Mina ärenden")
    todo = main.get_by_role("table", name="Att göra")
    expect(todo.locator("tbody tr")).to_have_count(4)  # 2 pre-assessments, protection + pre-assessment
    expect(todo).to_contain_text("Försenad")
    expect(todo).to_contain_text("Omedelbar skyddsbedömning")
    expect(main.locator(".moj-alert")).to_contain_text("oläst")
    rows = main.locator("table[data-module='moj-sortable-table'] tbody tr")
    expect(rows).to_have_count(4)
    axe_check(page, "work-my-cases")
    assert_keyboard_path(page, "Visa påminnelser")
    # Sorting by person (MOJ sortable table, Swedish status text).
    main.get_by_role("button", name="Person").click()
    expect(main.locator("[role=status]")).to_contain_text("Sorterat efter Person (stigande)")
    expect(rows.first.get_by_role("link")).to_have_text("Andersson, Test")
    expect(rows.last.get_by_role("link")).to_have_text("Dahl, Test")


def test_unit_board_and_deadline_list(page, live_server, browser_login, caseworker, team_lead, unit, axe_check):
    now = timezone.now()
    child_case(caseworker, unit, events=report(_days(0), signed=False), received_at=now - dt.timedelta(hours=6))
    overdue = child_case(caseworker, unit, events=report(_days(15)), assignee=caseworker, lead=team_lead)
    child_case(caseworker, unit, events=[("investigation_opened", _days(130))], assignee=caseworker, lead=team_lead)
    browser_login(page, team_lead)
    page.goto(f"{live_server.url}/arenden/enheten/")
    assert page.title() == TITLES["unit_board"]
    main = page.locator("main")
    expect(main.locator(".moj-alert--warning")).to_contain_text("Skyddsbedömning saknas")
    expect(main.get_by_role("region", name="Varning: skyddsbedömning saknas")).to_be_visible()
    expect(main.get_by_role("table", name="Arbetsbelastning per handläggare")).to_contain_text(caseworker.display_name)
    expect(main.get_by_role("table", name="Utredningar längre än 4 månader")).to_have_count(1)
    axe_check(page, "work-unit-board")
    assert_keyboard_path(page, "Fördela ärenden")

    matrix = main.get_by_role("table", name="Löpande frister")
    matrix.get_by_role("row", name="Förhandsbedömning").get_by_role("link", name="Förhandsbedömning, Försenade").click()
    page.wait_for_url("**/arenden/enheten/frister/?kind=pre_assessment&bucket=overdue")
    assert page.title() == TITLES["unit_deadlines"]
    expect(page.locator("main h1")).to_have_text("Förhandsbedömning – Försenade")
    expect(page.locator("main tbody tr")).to_have_count(1)
    expect(page.locator("main tbody")).to_contain_text(overdue.number)
    _assert_private(page, overdue)
    axe_check(page, "work-unit-deadlines")


def test_queue_assign_two_cases(page, live_server, browser_login, caseworker, team_lead, unit, axe_check):
    queued = [child_case(caseworker, unit, events=report(_days(3 + i))) for i in range(3)]
    browser_login(page, team_lead)
    page.goto(f"{live_server.url}/arenden/ej-fordelade/")
    assert page.title() == TITLES["queue"]
    _assert_private(page, *queued)
    main = page.locator("main")
    table = main.get_by_role("table", name="Ärenden utan handläggare")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(page.locator("#select-all label")).to_have_text("Markera alla")
    axe_check(page, "work-queue")
    assert_keyboard_path(page, "Tilldela")

    # Nothing selected: the error summary takes focus and links to the first checkbox.
    main.get_by_label("Handläggare", exact=True).select_option(str(caseworker.pk))
    main.get_by_role("button", name="Tilldela").click()
    page.wait_for_load_state()
    assert page.title() == "Fel: " + TITLES["queue"]
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Välj minst ett ärende")
    axe_check(page, "work-queue-error")
    summary.get_by_role("link", name="Välj minst ett ärende").click()
    expect(page.locator("#id_cases_0")).to_be_focused()

    for case in queued[:2]:
        main.get_by_label(f"Välj ärende {case.number}").check()
    main.get_by_label("Handläggare", exact=True).select_option(str(caseworker.pk))
    main.get_by_role("button", name="Tilldela").click()
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(f"2 ärenden tilldelades {caseworker.display_name}")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text(queued[2].number)
    expect(main.get_by_label("Handläggare", exact=True)).to_contain_text(
        f"{caseworker.display_name} – öppna ärenden: 2"
    )
    axe_check(page, "work-queue-assigned")

    # "Markera alla" selects every row.
    page.locator("#select-all label").click()
    expect(main.get_by_label(f"Välj ärende {queued[2].number}")).to_be_checked()


def test_move_case_and_accept(
    page, live_server, browser_login, second_page, caseworker, team_lead, unit, other_unit, axe_check
):
    receiving_lead = MembershipFactory(role=Role.TEAM_LEAD, unit=other_unit).user
    case = child_case(caseworker, unit, events=report(_days(4)), assignee=caseworker, lead=team_lead,
                      person=PersonFactory(birth_date=dt.date(2012, 3, 12)))  # fmt: skip
    locked = child_case(caseworker, unit, events=report(_days(0), signed=False))
    browser_login(page, caseworker)

    page.goto(f"{live_server.url}/arenden/{locked.pk}/flytta/")
    expect(page.locator(".govuk-warning-text")).to_contain_text("skyddsbedömningen är signerad")
    axe_check(page, "work-transfer-locked")

    page.goto(f"{live_server.url}/arenden/{case.pk}/flytta/")
    assert page.title() == f"Flytta ärende – Ärende {case.number} – Lotsen"
    _assert_private(page, case)
    axe_check(page, "work-transfer")
    assert_keyboard_path(page, "Fortsätt")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Välj vilken enhet ärendet ska flyttas till")
    axe_check(page, "work-transfer-error")

    page.get_by_label(other_unit.name).check()
    page.get_by_label("Meddelande till den mottagande enheten").fill("Familjen har flyttat inom kommunen.")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kontrollera flytten")
    expect(page.locator("main")).to_contain_text("Löpande frister fortsätter oförändrade")
    expect(page.locator("main .govuk-summary-list").first).to_contain_text(other_unit.name)
    axe_check(page, "work-transfer-confirm")
    page.get_by_role("button", name="Flytta ärende").click()
    page.wait_for_url(f"{live_server.url}/arenden/{case.pk}/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(f"Flytten till {other_unit.name}")

    receiver = second_page(receiving_lead)
    receiver.goto(f"{live_server.url}/arenden/flyttar/")
    assert receiver.title() == TITLES["transfers"]
    card = receiver.locator(".govuk-summary-card").filter(has_text=case.number)
    expect(card).to_contain_text("Familjen har flyttat inom kommunen.")
    expect(card).not_to_contain_text(case.subject.last_name)
    axe_check(receiver, "work-transfers-incoming")
    card.get_by_role("button", name=f"Ta emot ärende {case.number}").click()
    expect(receiver.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Ärende {case.number} är mottaget i {other_unit.name}"
    )
    receiver.goto(f"{live_server.url}/arenden/{case.pk}/handelser/")
    expect(receiver.locator("main")).to_contain_text("Flytt mottagen")
    expect(receiver.locator("main")).to_contain_text("Anmälan mottagen")


def test_reminders_list(page, live_server, browser_login, caseworker, team_lead, unit, axe_check):
    cases = [
        child_case(caseworker, unit, events=report(_days(16)), assignee=caseworker, lead=team_lead),
        child_case(caseworker, unit, events=report(_days(11)), assignee=caseworker, lead=team_lead),
    ]
    create_deadline_reminders(today=timezone.localdate())
    browser_login(page, caseworker)
    page.goto(f"{live_server.url}/paminnelser/")
    assert page.title() == TITLES["reminders"]
    _assert_private(page, *cases)
    main = page.locator("main")
    expect(main).to_contain_text("Du har 2 olästa påminnelser.")
    axe_check(page, "work-reminders")
    assert_keyboard_path(page, "Markera alla som lästa")
    main.get_by_role("button", name=f"Markera som läst (ärende {cases[0].number})").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Påminnelsen för ärende {cases[0].number} är markerad som läst."
    )
    expect(main).to_contain_text("Du har 1 oläst påminnelse.")
    axe_check(page, "work-reminders-read")
