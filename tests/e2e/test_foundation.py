"""Browser tests for the foundation pages (UI.md 4 and 7): login, start page per role, person search,
person page, log review with XLSX export, emergency access and the unit switcher.

Each page is checked with axe (WCAG 2.1 AA at 1280 and 375 px, no horizontal scroll, screenshots in
var/screenshots/), its Swedish `document.title` (from TITLES, which must be unique) and, for the main pages,
the keyboard path. Names and personnummer never appear in a URL or a title.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from lotsen.accounts.models import Role
from lotsen.people.models import Protection, RelationKind
from tests.e2e.keyboard import assert_keyboard_path
from tests.factories import MembershipFactory, PersonFactory, RelationFactory, UnitFactory

SUFFIX = " – Lotsen"
ERROR_PREFIX = "Fel: "
TITLES = {
    "login": "Logga in – Lotsen",
    "start": "Start – Lotsen",
    "search": "Sök person – Lotsen",
    "person": "Person – Lotsen",
    "emergency_request": "Begär nödåtkomst – Lotsen",
    "switch_unit": "Byt enhet – Lotsen",
    "log_period": "Loggranskning – Lotsen",
    "log_person_lookup": "Per person – Loggranskning – Lotsen",
    "log_person": "Åtkomstlogg per person – Lotsen",
    "log_user_lookup": "Per användare – Loggranskning – Lotsen",
    "log_user": "Åtkomstlogg per användare – Lotsen",
    "log_emergency": "Nödåtkomst – Lotsen",
}
ROLE_LABELS = {
    Role.CASEWORKER: "handläggare",
    Role.UNIT_MANAGER: "enhetschef",
    Role.SYSTEM_ADMIN: "systemförvaltare",
    Role.AUDITOR: "revisor",
}
MASKED_HINT = " (de fyra sista siffrorna visas inte)"


def _pnr_display(person) -> str:
    return f"{person.pnr[:8]}-{person.pnr[8:]}"


def _private_values(*persons) -> list[str]:
    """Strings that must never reach a URL or a title: names and every form of the personnummer."""
    values: list[str] = []
    for p in persons:
        values += [p.first_name, p.last_name, p.pnr, p.pnr[2:], _pnr_display(p), p.pnr[:8]]
    return values


def assert_page(page, key: str, *persons, error: bool = False) -> None:
    """The title is the page's Swedish title; neither the title nor the URL names anyone."""
    expected = (ERROR_PREFIX if error else "") + TITLES[key]
    assert page.title() == expected
    for value in _private_values(*persons):
        assert value not in page.title(), f"{value!r} in the title {page.title()!r}"
        assert value not in page.url, f"{value!r} in the URL {page.url!r}"


def assert_error_summary_focused_and_linked(page, field_ids: list[str]) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Det finns ett problem")
    links = summary.locator(".govuk-error-summary__list a")
    expect(links).to_have_count(len(field_ids))
    for i, field_id in enumerate(field_ids):
        links.nth(i).click()
        expect(page.locator(f"#{field_id}")).to_be_focused()


@pytest.fixture
def open_page(browser, browser_context_args, live_server, browser_login):
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


def test_titles_are_unique_and_swedish():
    assert len(set(TITLES.values())) == len(TITLES)
    assert all(title.endswith(SUFFIX) for title in TITLES.values())


# 1. Login ------------------------------------------------------------------------------------------------


def test_login_page_with_error_summary(page, live_server, axe_check):
    page.goto(f"{live_server.url}/konto/logga-in/")
    assert_page(page, "login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in i Lotsen")
    axe_check(page, "login")
    assert_keyboard_path(page, "Logga in")

    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert_page(page, "login", error=True)
    expect(page.locator("#id_username-error")).to_contain_text("Ange ditt användarnamn")
    expect(page.locator("#id_password-error")).to_contain_text("Ange ditt lösenord")
    assert_error_summary_focused_and_linked(page, ["id_username", "id_password"])
    axe_check(page, "login-errors")


# 2. Start page per role -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "role", "unit_name"),
    [
        pytest.param("caseworker", Role.CASEWORKER, "Mottagning barn och unga", id="caseworker"),
        pytest.param("unit_manager", Role.UNIT_MANAGER, "Mottagning barn och unga", id="unit_manager"),
        pytest.param("system_admin", Role.SYSTEM_ADMIN, "Socialförvaltningen", id="system_admin"),
        pytest.param("auditor", Role.AUDITOR, "Revision", id="auditor"),
    ],
)
def test_start_page_per_role(request, page, browser_login, axe_check, fixture, role, unit_name):
    user = request.getfixturevalue(fixture)
    browser_login(page, user)
    assert_page(page, "start")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text(f"Välkommen, {user.first_name}")
    expect(main).to_contain_text(f"Du arbetar i {unit_name} som {ROLE_LABELS[role]}.")
    expect(page.locator(".moj-header")).to_contain_text(f"{user.display_name}, {ROLE_LABELS[role]}")
    expect(page.get_by_role("navigation", name="Enhet")).to_contain_text(unit_name)
    searches = role in (Role.CASEWORKER, Role.UNIT_MANAGER)
    expect(main.get_by_role("heading", name="Sök person")).to_have_count(1 if searches else 0)
    expect(main.get_by_role("heading", name="Loggranskning")).to_have_count(0 if role == Role.CASEWORKER else 1)
    axe_check(page, f"start-{role}")


# 3. Person search -----------------------------------------------------------------------------------------


def test_person_search(page, live_server, browser_login, caseworker, axe_check):
    astrid = PersonFactory(first_name="Astrid", last_name="Lindqvist", birth_date=dt.date(1985, 4, 12))
    bo = PersonFactory(first_name="Bo", last_name="Lindqvist", birth_date=dt.date(2012, 3, 12))
    hidden = PersonFactory(
        first_name="Cecilia",
        last_name="Lindqvist",
        birth_date=dt.date(1990, 1, 1),
        protection=Protection.SECRECY_MARKING,
    )
    browser_login(page, caseworker)
    page.goto(f"{live_server.url}/personer/sok/")
    assert_page(page, "search")
    axe_check(page, "search")
    assert_keyboard_path(page, "Sök")

    # By personnummer, submitted from the keyboard.
    page.get_by_label("Personnummer eller namn").fill(_pnr_display(astrid))
    page.get_by_role("button", name="Sök").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    table = page.locator("main table")
    expect(table.locator("caption")).to_have_text("1 person hittades")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr").first).to_contain_text("Lindqvist, Astrid")
    expect(table.locator("tbody tr").first).to_contain_text(_pnr_display(astrid))
    assert page.url == f"{live_server.url}/personer/sok/"
    assert_page(page, "search", astrid, bo, hidden)

    # By name: the protected person is absent for a caseworker without the permission (R-SEK-3).
    page.get_by_label("Personnummer eller namn").fill("lindqvist")
    page.get_by_role("button", name="Sök").click()
    expect(table.locator("caption")).to_have_text("2 personer hittades")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).get_by_role("link")).to_have_text("Lindqvist, Astrid")
    expect(rows.nth(1).get_by_role("link")).to_have_text("Lindqvist, Bo")
    expect(table).not_to_contain_text("Cecilia")
    assert_page(page, "search", astrid, bo, hidden)
    axe_check(page, "search-results")

    # No hit.
    page.get_by_label("Personnummer eller namn").fill("Zyxwvu")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("heading", name="Ingen person hittades")).to_be_visible()
    expect(page.locator("main table")).to_have_count(0)
    assert_page(page, "search", astrid, bo, hidden)

    # An invalid personnummer: Swedish error, summary focused and linked to the field.
    page.get_by_label("Personnummer eller namn").fill("19121212-1213")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_load_state()
    assert_page(page, "search", error=True)
    message = "Personnumret stämmer inte. Kontrollera de fyra sista siffrorna"
    expect(page.locator(".govuk-error-summary")).to_contain_text(message)
    expect(page.locator("#id_query-error")).to_contain_text(message)
    assert_error_summary_focused_and_linked(page, ["id_query"])
    expect(page.get_by_label("Personnummer eller namn")).to_have_value("19121212-1213")
    axe_check(page, "search-error")

    page.get_by_label("Personnummer eller namn").fill("12345")
    page.get_by_role("button", name="Sök").click()
    expect(page.locator("#id_query-error")).to_contain_text(
        "Personnumret ska ha 10 eller 12 siffror, till exempel 19121212-1212"
    )
    assert page.url == f"{live_server.url}/personer/sok/"


# 4. Person page -------------------------------------------------------------------------------------------


def test_person_page_with_relations(page, live_server, browser_login, caseworker, axe_check):
    child = PersonFactory(first_name="Ella", last_name="Nyström", birth_date=dt.date(2014, 5, 3))
    mother = PersonFactory(first_name="Maria", last_name="Nyström", birth_date=dt.date(1984, 2, 1))
    RelationFactory(from_person=mother, to_person=child, kind=RelationKind.GUARDIAN_OF)
    browser_login(page, caseworker)

    page.goto(f"{live_server.url}/personer/{child.pk}/")
    assert_page(page, "person", child, mother)
    bar = page.locator(".moj-identity-bar")
    expect(bar).to_contain_text("Ella Nyström")
    expect(bar).to_contain_text(_pnr_display(child))
    details = page.locator("main .govuk-summary-list")
    expect(details).to_contain_text(child.street_address)
    relations = page.get_by_role("table", name="Närstående")
    row = relations.locator("tbody tr").filter(has_text="Maria Nyström")
    expect(row).to_contain_text("Vårdnadshavare")
    axe_check(page, "person")

    row.get_by_role("link", name="Maria Nyström").click()
    page.wait_for_url(f"{live_server.url}/personer/{mother.pk}/")
    assert_page(page, "person", child, mother)
    expect(relations.locator("tbody tr").filter(has_text="Ella Nyström")).to_contain_text("Vårdnadshavare för")


def test_protected_person_for_authorised_unit_manager(page, live_server, browser_login, unit_manager, axe_check):
    person = PersonFactory(
        first_name="Sara",
        last_name="Holm",
        birth_date=dt.date(2011, 9, 30),
        street_address="Hemliga vägen 7",
        phone="070-1234567",
        protection=Protection.SECRECY_MARKING,
    )
    browser_login(page, unit_manager)
    page.goto(f"{live_server.url}/personer/{person.pk}/")
    assert_page(page, "person", person)
    masked = f"{person.pnr[:8]}-XXXX"
    expect(page.locator(".moj-identity-bar")).to_contain_text(masked)
    expect(page.locator(".moj-identity-bar")).to_contain_text("Skyddade personuppgifter")
    expect(page.locator(".moj-identity-bar .govuk-visually-hidden").first).to_have_text(MASKED_HINT)
    content = page.content()
    assert _pnr_display(person) not in content
    assert person.pnr not in content
    assert "Hemliga vägen" not in content
    assert "070-1234567" not in content
    expect(page.locator("main")).to_contain_text("Visas inte: skyddade personuppgifter.")
    axe_check(page, "person-protected")


# 5 and 6. Emergency access and log review ----------------------------------------------------------------


def test_emergency_access_then_log_review(
    page, live_server, browser_login, caseworker, system_admin, open_page, axe_check
):
    protected = PersonFactory(
        first_name="Nora", last_name="Dahl", birth_date=dt.date(2010, 6, 15), protection=Protection.SECRECY_MARKING
    )
    reason = "Akut placering under kvällen, barnet finns på polisstationen"

    # The caseworker cannot find the protected person, so asks for emergency access.
    browser_login(page, caseworker)
    page.goto(f"{live_server.url}/personer/sok/")
    page.get_by_text("Personen finns inte i dina enheter – nödåtkomst").click()
    page.get_by_role("link", name="Begär nödåtkomst").click()
    page.wait_for_url(f"{live_server.url}/personer/nodatkomst/")
    assert_page(page, "emergency_request")
    axe_check(page, "emergency-request")

    # The reason is mandatory.
    page.get_by_label("Personnummer").fill(_pnr_display(protected))
    page.get_by_role("button", name="Begär nödåtkomst").click()
    page.wait_for_load_state()
    assert_page(page, "emergency_request", protected, error=True)
    expect(page.locator("#id_reason-error")).to_contain_text("Ange varför du behöver nödåtkomst")
    assert_error_summary_focused_and_linked(page, ["id_reason"])
    expect(page.get_by_label("Personnummer")).to_have_value(_pnr_display(protected))
    axe_check(page, "emergency-request-error")

    page.get_by_label("Varför behöver du åtkomst nu?").fill(reason)
    page.get_by_role("button", name="Begär nödåtkomst").click()
    page.wait_for_url(f"{live_server.url}/personer/{protected.pk}/")
    assert_page(page, "person", protected)
    success = page.locator(".govuk-notification-banner--success")
    expect(success).to_contain_text("Nödåtkomst beviljad. Din åtkomst loggas och granskas.")
    expect(success).to_be_focused()
    expect(page.get_by_role("region", name="Viktigt")).to_contain_text("Du ser personen genom nödåtkomst till")
    expect(page.locator(".moj-identity-bar")).to_contain_text(f"{protected.pnr[:8]}-XXXX")
    axe_check(page, "person-emergency")

    # The system administrator sees the access, highlighted, on the log review's emergency tab.
    admin = open_page(system_admin)
    admin.goto(f"{live_server.url}/loggranskning/")
    admin.get_by_role("navigation", name="Loggranskningens vyer").get_by_role("link", name="Nödåtkomst").click()
    admin.wait_for_url(f"{live_server.url}/loggranskning/nodatkomst/")
    assert_page(admin, "log_emergency", protected)
    row = admin.locator("main table tbody tr").filter(has_text=caseworker.display_name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(reason)
    expect(row).to_contain_text(f"{protected.pnr[:8]}-XXXX")
    expect(row).to_have_class(re.compile(r"\bapp-row--emergency\b"))
    _assert_highlighted(admin, row)
    axe_check(admin, "log-emergency")

    # On the period tab the read through emergency access is highlighted too.
    admin.get_by_role("link", name="Per period").click()
    admin.wait_for_url(f"{live_server.url}/loggranskning/")
    flagged = admin.locator("main table tbody tr.app-row--emergency")
    expect(flagged).to_have_count(1)
    expect(flagged).to_contain_text(caseworker.display_name)
    expect(flagged).to_contain_text("Nödåtkomst")


def _assert_highlighted(page, row) -> None:
    styles = row.evaluate("r => { const s = getComputedStyle(r); return [s.backgroundColor, s.boxShadow]; }")
    assert styles[0] not in ("rgba(0, 0, 0, 0)", "transparent"), f"row not highlighted: {styles}"
    assert styles[1] != "none", f"row has no marker: {styles}"


def test_log_review_shows_who_read_the_person(
    page, live_server, browser_login, caseworker, system_admin, open_page, axe_check, tmp_path
):
    person = PersonFactory(first_name="Oskar", last_name="Berglund", birth_date=dt.date(2013, 11, 2))

    # The caseworker searches for the person and opens the person page.
    reader = open_page(caseworker)
    reader.goto(f"{live_server.url}/personer/sok/")
    reader.get_by_label("Personnummer eller namn").fill(person.pnr)
    reader.get_by_role("button", name="Sök").click()
    reader.get_by_role("link", name="Berglund, Oskar").click()
    reader.wait_for_url(f"{live_server.url}/personer/{person.pk}/")

    # The system administrator reviews the log.
    browser_login(page, system_admin)
    page.goto(f"{live_server.url}/loggranskning/")
    assert_page(page, "log_period", person)
    rows = page.locator("main table tbody tr").filter(has_text=caseworker.display_name)
    expect(rows.filter(has_text="Visa personuppgifter")).to_have_count(1)
    expect(rows.first).to_contain_text(f"{person.pnr[:8]}-XXXX")
    expect(page.locator("main table")).not_to_contain_text(_pnr_display(person))
    axe_check(page, "log-period")
    assert_keyboard_path(page, "Använd filter")

    # The XLSX export downloads and carries the read, with the full number for the reviewer.
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner Excel (XLSX)").click()
    download = info.value
    assert re.fullmatch(r"atkomstlogg-\d+\.xlsx", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = load_workbook(path).active
    assert sheet["A1"].value.startswith("Sekretess enligt OSL")
    cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    reads = [r for r in cells if r[1] == caseworker.display_name and r[7] == "Visa personuppgifter"]
    assert len(reads) == 1
    assert reads[0][2] == person.pnr
    assert isinstance(reads[0][0], dt.datetime)

    # Per person: a POST lookup by personnummer, then an opaque URL.
    page.get_by_role("link", name="Per person").click()
    page.wait_for_url(f"{live_server.url}/loggranskning/person/")
    assert_page(page, "log_person_lookup")
    axe_check(page, "log-person-lookup")
    page.get_by_label("Personnummer").fill(_pnr_display(person))
    page.get_by_role("button", name="Visa logg").click()
    page.wait_for_url(f"{live_server.url}/loggranskning/person/{person.pk}/")
    assert_page(page, "log_person", person)
    table = page.locator("main table")
    expect(table.locator("tbody tr").filter(has_text=caseworker.display_name).first).to_be_visible()
    expect(table.locator("tbody tr").filter(has_text="Visa personuppgifter")).to_contain_text(caseworker.display_name)
    axe_check(page, "log-person")

    # Per user: what the caseworker has read.
    page.get_by_role("link", name="Per användare").click()
    page.wait_for_url(f"{live_server.url}/loggranskning/anvandare/")
    assert_page(page, "log_user_lookup")
    axe_check(page, "log-user-lookup")
    page.get_by_label("Användare").select_option(str(caseworker.pk))
    page.get_by_role("button", name="Visa logg").click()
    page.wait_for_url(f"{live_server.url}/loggranskning/anvandare/{caseworker.pk}/")
    assert_page(page, "log_user", person)
    expect(page.locator("main").get_by_role("heading", level=2)).to_have_text(
        f"Läsningar gjorda av {caseworker.display_name}"
    )
    expect(page.locator("main table tbody tr").filter(has_text="Visa personuppgifter")).to_have_count(1)
    axe_check(page, "log-user")

    # An unknown personnummer on the lookup: a Swedish error on the field.
    page.get_by_role("link", name="Per person").click()
    page.get_by_label("Personnummer").fill("19121212-1212")
    page.get_by_role("button", name="Visa logg").click()
    page.wait_for_load_state()
    assert_page(page, "log_person_lookup", error=True)
    expect(page.locator("#id_pnr-error")).to_contain_text("Det finns ingen person med det personnumret i registret")
    assert_error_summary_focused_and_linked(page, ["id_pnr"])


# 7. Unit switcher -----------------------------------------------------------------------------------------


def test_unit_switcher(page, live_server, browser_login, axe_check):
    # The current unit starts as the first by name.
    first = UnitFactory(name="Familjebehandling")
    second = UnitFactory(name="Mottagning barn och unga")
    user = MembershipFactory(unit=first, role=Role.CASEWORKER).user
    MembershipFactory(user=user, unit=second, role=Role.UNIT_MANAGER)

    browser_login(page, user)
    unit_nav = page.get_by_role("navigation", name="Enhet")
    expect(unit_nav).to_contain_text("Familjebehandling")
    expect(page.locator("main")).to_contain_text("Du arbetar i Familjebehandling som handläggare.")
    expect(page.locator(".moj-header")).to_contain_text(f"{user.display_name}, handläggare")
    unit_nav.get_by_role("link", name="Byt enhet").click()
    page.wait_for_url(f"{live_server.url}/konto/byt-enhet/")
    assert_page(page, "switch_unit")
    expect(page.get_by_label("Familjebehandling (handläggare)")).to_be_checked()
    axe_check(page, "switch-unit")
    assert_keyboard_path(page, "Byt enhet")

    page.get_by_label("Mottagning barn och unga (enhetschef)").check()
    page.get_by_role("button", name="Byt enhet").click()
    page.wait_for_url(f"{live_server.url}/")
    assert_page(page, "start")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Du arbetar nu i Mottagning barn och unga (enhetschef)."
    )
    expect(page.locator("main")).to_contain_text("Du arbetar i Mottagning barn och unga som enhetschef.")
    expect(unit_nav).to_contain_text("Mottagning barn och unga")
    expect(page.locator(".moj-header")).to_contain_text(f"{user.display_name}, enhetschef")
