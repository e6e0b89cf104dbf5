"""Browser tests for Registrera ansökan eller anmälan (vuxen) and the adult case's intake page (R-UTR-1): axe
(WCAG 2.1 AA at 1280 and 375 px) with and without the error summary, Swedish titles without names, the keyboard
path, and the flow: register a report, see the days since it came in, decide to open an investigation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotsen.accounts.models import Role
from lotsen.cases.models import Case
from tests.e2e.keyboard import assert_keyboard_path
from tests.factories import MembershipFactory, PersonFactory, UnitFactory


@pytest.fixture
def adult_worker(db):
    unit = UnitFactory(name="Vuxenenheten", kind="adult")
    return MembershipFactory(unit=unit, role=Role.CASEWORKER).user


def test_register_an_adult_report_and_open_the_investigation(page, live_server, browser_login, adult_worker,
                                                             axe_check):  # fmt: skip
    person = PersonFactory(first_name="Vera", last_name="Vuxenberg", birth_date=dt.date(1979, 8, 30))
    browser_login(page, adult_worker)
    page.goto(f"{live_server.url}/vuxna/registrera/")
    assert page.title() == "Registrera ansökan eller anmälan (vuxen) – Lotsen"
    expect(page.locator("main h1")).to_have_text("Registrera ansökan eller anmälan (vuxen)")
    axe_check(page, "adults-register")
    assert_keyboard_path(page, "Registrera")

    page.get_by_role("button", name="Registrera").click()
    assert page.title() == "Fel: Registrera ansökan eller anmälan (vuxen) – Lotsen"
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    for message in ("Ange personnumret", "Välj vad som har kommit in", "Välj vilket område det gäller",
                    "Välj hur ansökan eller anmälan kom in", "Beskriv vad ansökan eller anmälan gäller"):  # fmt: skip
        expect(summary).to_contain_text(message)
    summary.get_by_role("link", name="Välj vad som har kommit in").click()
    expect(page.locator("#id_kind_0")).to_be_focused()
    axe_check(page, "adults-register-errors")

    page.get_by_label("Personnummer").fill(f"{person.pnr[:8]}-{person.pnr[8:]}")
    page.get_by_label("Anmälan", exact=True).check()
    page.get_by_label("Våld i nära relationer").check()
    received = timezone.localdate() - dt.timedelta(days=16)
    page.locator("#id_received_on").fill(str(received.year))
    page.locator("#id_received_on-month").fill(str(received.month))
    page.locator("#id_received_on-day").fill(str(received.day))
    page.get_by_label("Klockslag").fill("10:30")
    page.get_by_label("Telefon").check()
    page.get_by_label("Vem gjorde anmälan?").select_option("police")
    page.get_by_label("Vad gäller ansökan eller anmälan?").fill("Polisen har varit på plats efter larm om våld.")
    page.get_by_role("button", name="Registrera").click()

    case = Case.objects.get(subject=person)
    assert page.url == f"{live_server.url}/vuxna/{case.pk}/aktualisering/"
    assert page.title() == f"Ansökan eller anmälan – Ärende {case.number} – Lotsen"
    for value in (person.first_name, person.last_name, person.pnr):
        assert value not in page.title() and value not in page.url
    main = page.locator("main")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Aktualiseringen är registrerad.")
    expect(main).to_contain_text("16 dagar sedan")
    expect(main.locator(".govuk-warning-text")).to_contain_text("enligt praxis")  # R-UTR-1: after 14 days
    axe_check(page, "adults-intake")

    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Välj om utredning ska inledas")
    axe_check(page, "adults-intake-errors")
    page.get_by_label("Ja, inled utredning").check()
    page.get_by_label("Motivering").fill("Personen behöver skydd och stöd.")
    page.get_by_role("button", name="Spara beslutet").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Utredningen är inledd.")
    expect(main).to_contain_text("Utredningen inleddes")
    case.refresh_from_db()
    assert case.phase == "investigation"
