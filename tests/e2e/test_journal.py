"""Browser tests for the journal (UI.md page 14), the documents page (page 9) and "Att signera": axe (WCAG 2.1
AA at 1280 and 375 px) on load, with the error summary and after the autosave status changes; the keyboard
path; autosave and Ctrl+S; signing once; a correction beside the original; signing without JavaScript."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotsen.cases import services as case_services
from lotsen.cases.models import CaseEvent
from lotsen.journal.models import Document, EntryStatus, JournalEntry
from tests.e2e.keyboard import assert_keyboard_path
from tests.factories import PersonFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SAVED = re.compile(r"^Utkast sparat kl\. \d\d:\d\d$")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def case(caseworker, unit):
    child = PersonFactory(first_name="Tindra", last_name="Testsson", birth_date=dt.date(2014, 5, 1))
    return case_services.case_open(
        actor=caseworker, subject=child, process_code="child", unit=unit, opened_on=timezone.localdate()
    )


def wait_until(page, condition, timeout_ms: int = 10_000) -> None:
    """Wait for a condition on the server side (the database), checking every 100 ms."""
    for _ in range(timeout_ms // 100):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("condition not met in time")


def assert_private(page, case) -> None:
    person = case.subject
    for value in (person.first_name, person.last_name, person.pnr, person.pnr[:8]):
        assert value not in page.title() and value not in page.url


def test_write_autosave_sign_and_correct(page, live_server, browser_login, caseworker, case, axe_check):
    base = f"{live_server.url}/journal/{case.pk}/"
    browser_login(page, caseworker)
    page.goto(base)
    assert page.title() == f"Journal – Ärende {case.number} – Lotsen"
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal")
    expect(page.locator("main")).to_contain_text("Journalen har inga anteckningar än.")
    expect(page.get_by_role("navigation", name="Ärendets delar").get_by_role("link", name="Journal")).to_have_attribute(
        "aria-current", "page"
    )
    axe_check(page, "journal-empty")
    assert_keyboard_path(page, "Skriv journalanteckning")

    page.get_by_role("button", name="Skriv journalanteckning").click()
    page.wait_for_url(f"{base}ny/")
    assert page.title() == f"Skriv journalanteckning – Ärende {case.number} – Lotsen"
    today = timezone.localdate()
    expect(page.get_by_label("År")).to_have_value(str(today.year))
    expect(page.get_by_label("Månad")).to_have_value(str(today.month))
    expect(page.get_by_label("Dag")).to_have_value(str(today.day))
    expect(page.locator("#id_text-info")).to_have_text("Du kan skriva upp till 10\u202f000 tecken")
    expect(page.locator(".govuk-warning-text").last).to_contain_text("När du signerar kan anteckningen inte ändras.")
    axe_check(page, "journal-write")
    assert_keyboard_path(page, "Signera")

    # Signing an empty form: the error summary takes focus and links to the fields.
    page.get_by_role("button", name="Signera").click()
    page.wait_for_load_state()
    assert page.title() == f"Fel: Skriv journalanteckning – Ärende {case.number} – Lotsen"
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Välj typ av anteckning")
    expect(summary).to_contain_text("Skriv anteckningen")
    summary.get_by_role("link", name="Skriv anteckningen").click()
    expect(page.get_by_label("Anteckning", exact=True)).to_be_focused()
    axe_check(page, "journal-write-errors")

    # Autosave: 3 s after typing stops, without moving focus.
    page.get_by_label("Samtal", exact=True).check()
    text = page.get_by_label("Anteckning", exact=True)
    text.fill("Samtal med Tindra i skolan om hur hon har det hemma.")
    status = page.locator("#autosave-status")
    expect(status).to_have_text(SAVED, timeout=10_000)
    expect(text).to_be_focused()
    draft = JournalEntry.objects.get(case=case)
    assert draft.status == EntryStatus.DRAFT and draft.kind == "conversation" and draft.text.startswith("Samtal med")
    axe_check(page, "journal-write-autosaved")

    # Ctrl+S saves at once.
    text.press("End")
    text.type(" Hon säger att det är bra.")
    page.keyboard.press("Control+s")
    wait_until(page, lambda: "Hon säger att det är bra." in JournalEntry.objects.get(pk=draft.pk).text)
    expect(status).to_have_text(SAVED)
    expect(text).to_be_focused()

    page.get_by_role("button", name="Signera").click()
    page.wait_for_url(base)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Anteckningen är signerad.")
    draft.refresh_from_db()
    assert draft.status == EntryStatus.SIGNED and draft.text.endswith("Hon säger att det är bra.")
    assert CaseEvent.objects.filter(case=case, type="journal_signed").count() == 1
    article = page.locator(f"#anteckning-{draft.pk}")
    expect(article.get_by_role("heading", level=2)).to_have_text(f"{today.isoformat()} · Samtal")
    expect(article).to_contain_text("Signerad")
    expect(article).to_contain_text(caseworker.display_name)
    assert_private(page, case)
    axe_check(page, "journal-list")

    # A correction is a new entry, shown beside the original.
    article.get_by_role("link", name=re.compile(r"^Skriv rättelse")).click()
    page.wait_for_url(f"{base}anteckning/{draft.pk}/rattelse/")
    assert page.title() == f"Skriv rättelse – Ärende {case.number} – Lotsen"
    expect(page.locator(".govuk-inset-text")).to_contain_text("Samtal med Tindra i skolan")
    axe_check(page, "journal-correction")
    page.get_by_label("Anteckning", exact=True).fill("Samtalet ägde rum på fritids, inte i skolan.")
    page.get_by_role("button", name="Signera").click()
    page.wait_for_url(base)
    correction = JournalEntry.objects.get(corrects_entry=draft)
    assert correction.kind == "correction" and correction.status == EntryStatus.SIGNED
    beside = article.locator(f"#anteckning-{correction.pk}")
    expect(beside).to_contain_text("Rättelse")
    expect(beside).to_contain_text("Samtalet ägde rum på fritids, inte i skolan.")
    expect(page.locator("main article")).to_have_count(1)
    axe_check(page, "journal-list-with-correction")

    # The person disputes the entry (R-DOK-3).
    article.get_by_role("link", name=re.compile(r"^Anteckna invändning")).click()
    page.get_by_label("Anteckning", exact=True).fill("Tindras pappa menar att samtalet inte ägde rum.")
    page.get_by_role("button", name="Signera").click()
    page.wait_for_url(base)
    expect(article).to_contain_text("Personen invänder")


def test_enter_in_a_field_saves_the_draft_and_does_not_sign(page, live_server, browser_login, caseworker, case):
    base = f"{live_server.url}/journal/{case.pk}/"
    browser_login(page, caseworker)
    page.goto(f"{base}ny/")
    page.get_by_label("Telefonsamtal").check()
    page.get_by_label("Anteckning", exact=True).fill("Ringde skolan.")
    # A pasted ISO date is split across År, Månad and Dag (UI.md 3.2).
    day = timezone.localdate() - dt.timedelta(days=2)
    page.get_by_label("Dag").evaluate(
        """(el, text) => {
            const data = new DataTransfer();
            data.setData("text", text);
            el.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        day.isoformat(),
    )
    expect(page.get_by_label("År")).to_have_value(str(day.year))
    expect(page.get_by_label("Månad")).to_have_value(str(day.month))
    expect(page.get_by_label("Dag")).to_have_value(str(day.day))
    page.get_by_label("Dag").press("Enter")
    page.wait_for_url(re.compile(rf"{re.escape(base)}anteckning/\d+/$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Utkast sparat kl.")
    entry = JournalEntry.objects.get(case=case)
    assert entry.status == EntryStatus.DRAFT and entry.text == "Ringde skolan." and entry.event_on == day
    expect(page.get_by_label("Anteckning", exact=True)).to_have_value("Ringde skolan.")
    expect(page.locator("#autosave-status")).to_have_text(SAVED)


def test_sign_without_javascript(browser, browser_context_args, live_server, browser_login, caseworker, case):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = context.new_page()
        browser_login(page, caseworker)
        base = f"{live_server.url}/journal/{case.pk}/"
        page.goto(f"{base}ny/")
        expect(page.locator("#id_text-info")).to_have_text("Du kan skriva upp till 10\u202f000 tecken")
        page.get_by_label("Hembesök").check()
        page.get_by_label("Anteckning", exact=True).fill("Hembesök hos familjen. Barnet visade sitt rum.")
        page.get_by_role("button", name="Spara utkast").click()
        page.wait_for_url(re.compile(rf"{re.escape(base)}anteckning/\d+/$"))
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Utkast sparat kl.")
        page.get_by_role("button", name="Signera").click()
        page.wait_for_url(base)
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Anteckningen är signerad.")
        expect(page.locator("main")).to_contain_text("Hembesök hos familjen. Barnet visade sitt rum.")
        entry = JournalEntry.objects.get(case=case)
        assert entry.status == EntryStatus.SIGNED and entry.kind == "home_visit"
        assert CaseEvent.objects.filter(case=case, type="journal_signed").count() == 1
    finally:
        context.close()


def test_documents_page_upload_and_download(page, live_server, browser_login, caseworker, case, axe_check):
    base = f"{live_server.url}/journal/{case.pk}/dokument/"
    browser_login(page, caseworker)
    page.goto(base)
    assert page.title() == f"Dokument – Ärende {case.number} – Lotsen"
    expect(page.locator("main")).to_contain_text("Inga dokument har lagts till i ärendet.")
    axe_check(page, "documents-empty")
    assert_keyboard_path(page, "Ladda upp")

    page.get_by_role("button", name="Ladda upp").click()
    page.wait_for_load_state()
    assert page.title() == f"Fel: Dokument – Ärende {case.number} – Lotsen"
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Välj typ av dokument")
    expect(summary).to_contain_text("Välj en fil")
    axe_check(page, "documents-errors")

    page.get_by_label("Inkommen handling").check()
    page.set_input_files(
        "input[type=file]", files=[{"name": "Kallelse.txt", "mimeType": "text/plain", "buffer": b"hej"}]
    )
    page.get_by_role("button", name="Ladda upp").click()
    expect(page.locator("#id_file-error")).to_contain_text("Filen måste vara PDF, JPG eller PNG")

    page.get_by_label("Intyg eller utlåtande").check()
    page.set_input_files(
        "input[type=file]", files=[{"name": "Läkarintyg.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Ladda upp").click()
    page.wait_for_url(base)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Dokumentet är uppladdat.")
    table = page.locator("main table")
    expect(table.locator("caption")).to_have_text("1 dokument")
    row = table.locator("tbody tr").first
    expect(row).to_contain_text("Läkarintyg.pdf")
    expect(row).to_contain_text("Intyg eller utlåtande")
    expect(row).to_contain_text(timezone.localdate().isoformat())
    expect(row).to_contain_text(caseworker.display_name)
    axe_check(page, "documents")

    with page.expect_download() as info:
        row.get_by_role("link", name=re.compile("^Läkarintyg.pdf")).click()
    download = info.value
    assert download.suggested_filename == "Läkarintyg.pdf"
    assert Path(download.path()).read_bytes() == PDF
    assert Document.objects.get().sha256


def test_drafts_to_sign(page, live_server, browser_login, caseworker, case, axe_check):
    from lotsen.journal import services
    from lotsen.journal.services import EntryContent

    draft = services.draft_save(actor=caseworker, case=case, content=EntryContent("phone", None, "Ringde mamman."))
    JournalEntry.objects.filter(pk=draft.pk).update(written_at=timezone.now() - dt.timedelta(days=4))
    browser_login(page, caseworker)
    page.goto(f"{live_server.url}/journal/att-signera/")
    assert page.title() == "Att signera – Lotsen"
    row = page.locator("main tbody tr").first
    expect(row).to_contain_text("Telefonsamtal")
    expect(row).to_contain_text("Äldre än 2 dagar")
    expect(row).to_contain_text(case.number)
    axe_check(page, "journal-drafts")
    row.get_by_role("link", name="Telefonsamtal").click()
    page.wait_for_url(f"{live_server.url}/journal/{case.pk}/anteckning/{draft.pk}/")
    expect(page.get_by_label("Anteckning", exact=True)).to_have_value("Ringde mamman.")
    axe_check(page, "journal-draft-edit")
