"""Journal and documents pages: access and access log, writing, autosave, idempotent signing, corrections,
filters, uploads and downloads."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lotsen.accounts.models import Role
from lotsen.audit.models import AccessLogEntry
from lotsen.cases.models import CaseEvent
from lotsen.journal import services
from lotsen.journal.models import Document, EntryKind, EntryStatus, JournalEntry
from lotsen.journal.services import EntryContent
from tests.factories import MembershipFactory, UnitFactory
from tests.journal.conftest import TODAY

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _today(frozen):
    return frozen


def url(case, suffix=""):
    return f"/journal/{case.pk}/{suffix}"


def entry_post(key=None, *, action="save", kind="conversation", day=TODAY, text="Samtal med barnet.", **extra):
    data = {"key": str(key or uuid.uuid4()), "action": action, "kind": kind, "text": text}
    if day is not None:
        data |= {"event_on-year": str(day.year), "event_on-month": str(day.month), "event_on-day": str(day.day)}
    return data | extra


def sign(actor, case, text="Signerad anteckning.", kind=EntryKind.CONVERSATION, event_on=TODAY):
    content = EntryContent(kind=kind, event_on=event_on, text=text)
    return services.entry_sign(actor=actor, case=case, key=uuid.uuid4(), content=content).entry


def outsider():
    return MembershipFactory(unit=UnitFactory(), role=Role.CASEWORKER).user


def html(response) -> str:
    return response.content.decode()


# --- access ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_view_writes_one_access_log_row(caseworker, case, login):
    client = login(caseworker)
    draft = services.draft_save(actor=caseworker, case=case, content=EntryContent("phone", TODAY, "Utkast"))
    entry = sign(caseworker, case)
    document = services.document_add(
        actor=caseworker, case=case, file=SimpleUploadedFile("a.pdf", PDF), kind="incoming"
    )
    pages = [
        (url(case), "journal:list"),
        (url(case, "ny/"), "journal:write"),
        (url(case, f"anteckning/{draft.pk}/"), "journal:edit"),
        (url(case, f"anteckning/{draft.pk}/ta-bort/"), "journal:discard"),
        (url(case, f"anteckning/{entry.pk}/rattelse/"), "journal:correction"),
        (url(case, f"anteckning/{entry.pk}/tillagg/"), "journal:addition"),
        (url(case, f"anteckning/{entry.pk}/invandning/"), "journal:dispute"),
        (url(case, "dokument/"), "journal:documents"),
        (url(case, f"dokument/{document.pk}/"), "journal:document"),
    ]
    for address, view in pages:
        before = AccessLogEntry.objects.count()
        response = client.get(address)
        assert response.status_code == 200, address
        assert response["Cache-Control"] == "no-store"
        rows = AccessLogEntry.objects.order_by("-id")[: AccessLogEntry.objects.count() - before]
        assert [(r.view, r.case_id, r.person_id, r.user_id) for r in rows] == [
            (view, case.pk, case.subject_id, caseworker.pk)
        ], address


@pytest.mark.django_db
def test_caseworker_outside_the_unit_gets_404(case, caseworker, login):
    entry = sign(caseworker, case)
    document = services.document_add(
        actor=caseworker, case=case, file=SimpleUploadedFile("a.pdf", PDF), kind="incoming"
    )
    client = login(outsider())
    for address in [
        url(case),
        url(case, "ny/"),
        url(case, f"anteckning/{entry.pk}/rattelse/"),
        url(case, "dokument/"),
        url(case, f"dokument/{document.pk}/"),
    ]:
        assert client.get(address).status_code == 404, address
    assert client.post(url(case, "ny/"), entry_post(action="sign")).status_code == 404
    assert client.post(url(case, "spara-utkast/"), entry_post(), HTTP_HX_REQUEST="true").status_code == 404
    upload = {
        "kind": "incoming",
        "received_on-year": "2026",
        "received_on-month": "3",
        "received_on-day": "20",
        "file": SimpleUploadedFile("b.pdf", PDF),
    }
    assert client.post(url(case, "dokument/"), upload).status_code == 404
    assert JournalEntry.objects.count() == 1 and Document.objects.count() == 1
    assert not AccessLogEntry.objects.filter(case_id=case.pk, user__username=client.session.get("_auth_user_id"))


@pytest.mark.django_db
def test_reader_without_write_access_sees_the_journal_but_cannot_write(case, caseworker, login):
    from lotsen.accounts.models import Role

    head = MembershipFactory(unit=UnitFactory(name="Förvaltningen"), role=Role.HEAD_OF_SOCIAL_SERVICES).user
    sign(caseworker, case)
    client = login(head)
    page = client.get(url(case))
    assert page.status_code == 200 and "Signerad anteckning." in html(page)
    assert "Skriv journalanteckning" not in html(page) and "Skriv rättelse" not in html(page)
    assert client.get(url(case, "ny/")).status_code == 403
    assert client.post(url(case, "ny/"), entry_post(action="sign")).status_code == 403


# --- writing and signing --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_write_page_prefills_today_and_a_fresh_key(caseworker, case, login):
    page = html(login(caseworker).get(url(case, "ny/")))
    assert "<title>Skriv journalanteckning – Ärende IFO-2026-" in page
    assert 'name="event_on-year" value="2026"' in page and 'name="event_on-month" value="3"' in page
    assert 'name="event_on-day" value="20"' in page and 'id="id_event_on"' in page
    assert re.search(r'name="key" value="[0-9a-f-]{36}"', page)
    assert 'data-module="govuk-character-count"' in page and 'data-maxlength="10000"' in page
    assert 'data-threshold="80"' in page and 'data-prevent-double-click="true"' in page
    assert "När du signerar kan anteckningen inte ändras." in page
    assert 'data-autosave-url="/journal/' in page and "js/autosave.mjs" in page


@pytest.mark.django_db
def test_save_draft_without_javascript_then_sign(caseworker, case, login):
    client = login(caseworker)
    key = uuid.uuid4()
    response = client.post(url(case, "ny/"), entry_post(key, action="save", text="Första\r\nraden"))
    draft = JournalEntry.objects.get(key=key)
    assert response.status_code == 302 and response["Location"] == url(case, f"anteckning/{draft.pk}/")
    assert draft.status == EntryStatus.DRAFT and draft.text == "Första\nraden"
    page = client.get(response["Location"])
    assert "Utkast sparat kl. 10:00" in html(page) and "Första\nraden</textarea>" in html(page)
    response = client.post(response["Location"], entry_post(key, action="sign", text="Första\r\nraden"))
    assert response.status_code == 302 and response["Location"] == url(case)
    draft.refresh_from_db()
    assert draft.status == EntryStatus.SIGNED
    page = html(client.get(url(case)))
    assert "Anteckningen är signerad." in page and "Första<br>raden" in page


@pytest.mark.django_db
def test_double_submitted_sign_signs_once(caseworker, case, login):
    client = login(caseworker)
    data = entry_post(action="sign")
    first = client.post(url(case, "ny/"), data)
    second = client.post(url(case, "ny/"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == url(case)
    assert JournalEntry.objects.filter(status="signed").count() == 1
    assert CaseEvent.objects.filter(case=case, type="journal_signed").count() == 1


@pytest.mark.django_db
def test_double_submitted_sign_on_a_draft_page_signs_once_and_later_saves_keep_the_text(caseworker, case, login):
    client = login(caseworker)
    draft = services.draft_save(actor=caseworker, case=case, content=EntryContent("phone", TODAY, "Utkast"))
    address = url(case, f"anteckning/{draft.pk}/")
    data = entry_post(draft.key, action="sign", kind="phone", text="Färdig text")
    assert [client.post(address, data)["Location"] for _ in range(2)] == [url(case), url(case)]
    assert CaseEvent.objects.filter(case=case, type="journal_signed").count() == 1
    response = client.post(address, data | {"action": "save", "text": "Sent tillägg i fel flik"})
    assert response.status_code == 422
    page = html(response)
    assert "redan signerad" in page and "Sent tillägg i fel flik</textarea>" in page
    assert "Ta bort utkastet" not in page
    assert client.get(address)["Location"] == url(case)
    draft.refresh_from_db()
    assert draft.text == "Färdig text"


@pytest.mark.django_db
def test_sign_errors_are_swedish_and_next_to_the_fields(caseworker, case, login):
    client = login(caseworker)
    response = client.post(url(case, "ny/"), entry_post(action="sign", kind="", day=None, text=""))
    page = html(response)
    assert response.status_code == 422
    assert "<title>Fel: Skriv journalanteckning" in page
    for field, message in [
        ("kind", "Välj typ av anteckning"),
        ("event_on", "Ange datum för händelsen"),
        ("text", "Skriv anteckningen"),
    ]:
        assert f'<a href="#id_{field}{"_0" if field == "kind" else ""}">{message}</a>' in page
        assert f'id="id_{field}-error"' in page
    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("2026", "2", "30"), "Datum för händelsen måste vara ett riktigt datum"),
        (("2026", "", "3"), "Datum för händelsen måste innehålla år, månad och dag"),
        (("26", "3", "3"), "Datum för händelsen måste vara ett riktigt datum"),
        (("2026", "3", "21"), "Datum för händelsen kan inte vara senare än i dag"),
    ],
)
def test_date_input_errors(caseworker, case, login, parts, message):
    data = entry_post(action="sign", day=None) | dict(
        zip(["event_on-year", "event_on-month", "event_on-day"], parts, strict=True)
    )
    response = login(caseworker).post(url(case, "ny/"), data)
    assert response.status_code == 422
    assert f'<a href="#id_event_on">{message}</a>' in html(response)
    assert "govuk-input--error" in html(response)


@pytest.mark.django_db
def test_date_input_accepts_an_iso_date_in_the_year_field(caseworker, case, login):
    data = entry_post(action="sign", day=None) | {
        "event_on-year": "2026-03-16",
        "event_on-month": "",
        "event_on-day": "",
    }
    assert login(caseworker).post(url(case, "ny/"), data).status_code == 302
    assert JournalEntry.objects.get().event_on == dt.date(2026, 3, 16)


@pytest.mark.django_db
def test_too_long_text_is_refused_with_the_limit(caseworker, case, login):
    response = login(caseworker).post(url(case, "ny/"), entry_post(text="a" * 10_001))
    assert response.status_code == 422
    assert "Anteckningen får vara högst 10\u202f000 tecken" in html(response)
    assert 'class="govuk-textarea govuk-js-character-count govuk-textarea--error"' in html(response)


@pytest.mark.django_db
def test_late_signing_warns_before_and_after(caseworker, case, login):
    client = login(caseworker)
    draft = services.draft_save(
        actor=caseworker, case=case, content=EntryContent("phone", TODAY - dt.timedelta(days=5), "Telefonsamtal")
    )
    page = html(client.get(url(case, f"anteckning/{draft.pk}/")))
    assert "Händelsen är mer än 3 dagar sedan." in page
    client.post(
        url(case, f"anteckning/{draft.pk}/"),
        entry_post(draft.key, action="sign", kind="phone", day=TODAY - dt.timedelta(days=5)),
    )
    page = html(client.get(url(case)))
    assert "Den signerades 5 dagar efter händelsen." in page and "(5 dagar efter händelsen)" in page


@pytest.mark.django_db
def test_someone_elses_draft_cannot_be_opened_or_posted(caseworker, case, unit, login):
    draft = services.draft_save(actor=caseworker, case=case, content=EntryContent("phone", TODAY, "Mitt utkast"))
    other = MembershipFactory(unit=unit, role=Role.CASEWORKER).user
    client = login(other)
    assert client.get(url(case, f"anteckning/{draft.pk}/")).status_code == 404
    assert client.post(url(case, f"anteckning/{draft.pk}/"), entry_post(draft.key)).status_code == 404
    assert client.post(url(case, "ny/"), entry_post(draft.key, action="sign")).status_code == 403
    assert "Mitt utkast" not in html(client.get(url(case)))
    draft.refresh_from_db()
    assert draft.text == "Mitt utkast" and draft.status == EntryStatus.DRAFT


@pytest.mark.django_db
def test_discard_own_draft(caseworker, case, login):
    client = login(caseworker)
    draft = services.draft_save(actor=caseworker, case=case, content=EntryContent("phone", TODAY, "Bort"))
    page = html(client.get(url(case, f"anteckning/{draft.pk}/ta-bort/")))
    assert "Vill du ta bort utkastet?" in page
    response = client.post(url(case, f"anteckning/{draft.pk}/ta-bort/"))
    assert response.status_code == 302 and not JournalEntry.objects.exists()
    signed = sign(caseworker, case)
    assert client.post(url(case, f"anteckning/{signed.pk}/ta-bort/")).status_code == 404


# --- autosave -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_autosave_returns_the_status_fragment(caseworker, case, login):
    client = login(caseworker)
    key = uuid.uuid4()
    before = AccessLogEntry.objects.count()
    response = client.post(
        url(case, "spara-utkast/"), entry_post(key, kind="", text="Skriver…"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert (
        html(response).strip() == '<p class="govuk-body-s govuk-!-margin-top-0" id="autosave-status" '
        'role="status">Utkast sparat kl. 10:00</p>'
    )
    draft = JournalEntry.objects.get(key=key)
    assert draft.text == "Skriver…" and draft.kind == "" and draft.status == EntryStatus.DRAFT
    response = client.post(url(case, "spara-utkast/"), entry_post(key, text="Skriver vidare"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and JournalEntry.objects.get(key=key).text == "Skriver vidare"
    # No personal data in the answer: no access-log row for every few seconds of typing.
    assert AccessLogEntry.objects.count() == before


@pytest.mark.django_db
def test_autosave_refusal_says_why_and_keeps_nothing(caseworker, case, login):
    response = login(caseworker).post(url(case, "spara-utkast/"), entry_post(text="a" * 10_001), HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Utkastet kunde inte sparas. Texten finns kvar i fältet." in html(response)
    assert "högst 10\u202f000 tecken" in html(response)
    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_autosave_of_someone_elses_draft_is_forbidden(caseworker, case, unit, login):
    draft = services.draft_save(actor=caseworker, case=case, content=EntryContent("phone", TODAY, "Mitt utkast"))
    other = MembershipFactory(unit=unit, role=Role.CASEWORKER).user
    response = login(other).post(
        url(case, "spara-utkast/"), entry_post(draft.key, text="Kapad"), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.text == "Mitt utkast"


@pytest.mark.django_db
def test_autosave_after_signing_does_not_change_the_entry(caseworker, case, login):
    client = login(caseworker)
    data = entry_post(action="sign")
    client.post(url(case, "ny/"), data)
    response = client.post(url(case, "spara-utkast/"), data | {"text": "Efteråt"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "redan signerad" in html(response)
    assert JournalEntry.objects.get().text == "Samtal med barnet."


@pytest.mark.django_db
def test_autosave_without_htmx_falls_back_to_the_draft_page(caseworker, case, login):
    key = uuid.uuid4()
    response = login(caseworker).post(url(case, "spara-utkast/"), entry_post(key))
    assert response.status_code == 302
    assert response["Location"] == url(case, f"anteckning/{JournalEntry.objects.get(key=key).pk}/")


# --- linked entries -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_correction_flow(caseworker, case, login):
    client = login(caseworker)
    original = sign(caseworker, case, text="Barnet går i klass 4.")
    page = html(client.get(url(case)))
    assert f'href="/journal/{case.pk}/anteckning/{original.pk}/rattelse/"' in page
    form = html(client.get(url(case, f"anteckning/{original.pk}/rattelse/")))
    assert '<h1 class="govuk-heading-l">Skriv rättelse</h1>' in form and "Barnet går i klass 4." in form
    assert 'name="kind" value="correction"' in form and f'name="corrects" value="{original.pk}"' in form
    key = uuid.uuid4()
    response = client.post(
        url(case, f"anteckning/{original.pk}/rattelse/"),
        entry_post(key, action="sign", kind="phone", text="Rätt är klass 5."),
    )
    assert response.status_code == 302
    correction = JournalEntry.objects.get(key=key)
    assert correction.kind == EntryKind.CORRECTION and correction.corrects_entry == original
    assert correction.status == EntryStatus.SIGNED
    original.refresh_from_db()
    assert original.text == "Barnet går i klass 4."
    page = html(client.get(url(case)))
    # The correction is beside the original (its own column in the original's article), not a separate entry.
    article = page[page.index(f'id="anteckning-{original.pk}"') :]
    article = article[: article.index("</article>")]
    assert "Rätt är klass 5." in article and "Rättelse" in article
    assert page.count("<article") == 1


@pytest.mark.django_db
def test_linked_draft_autosaves_and_continues(caseworker, case, login):
    client = login(caseworker)
    original = sign(caseworker, case)
    key = uuid.uuid4()
    data = entry_post(key, kind="addition", text="Tillägg", linked_kind="addition", corrects=str(original.pk))
    assert client.post(url(case, "spara-utkast/"), data, HTTP_HX_REQUEST="true").status_code == 200
    draft = JournalEntry.objects.get(key=key)
    assert draft.corrects_entry == original and draft.kind == "addition"
    page = html(client.get(url(case, f"anteckning/{draft.pk}/")))
    assert "Skriv tillägg" in page and "Signerad anteckning." in page


@pytest.mark.django_db
def test_disputed_entry_is_marked(caseworker, case, login):
    client = login(caseworker)
    original = sign(caseworker, case)
    client.post(
        url(case, f"anteckning/{original.pk}/invandning/"),
        entry_post(action="sign", kind="", text="Pappan menar att han inte sa så."),
    )
    page = html(client.get(url(case)))
    assert "Personen invänder" in page and "Pappan menar att han inte sa så." in page


@pytest.mark.django_db
def test_draft_cannot_be_corrected(caseworker, case, login):
    draft = services.draft_save(actor=caseworker, case=case, content=EntryContent("phone", TODAY, "Utkast"))
    assert login(caseworker).get(url(case, f"anteckning/{draft.pk}/rattelse/")).status_code == 404


# --- the list -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_order_filters_and_draft_flags(caseworker, case, unit, login, frozen):
    other = MembershipFactory(unit=unit, role=Role.CASEWORKER, user__first_name="Olle", user__last_name="Ek").user
    sign(caseworker, case, text="Hembesök i början", event_on=dt.date(2026, 3, 1), kind=EntryKind.HOME_VISIT)
    sign(other, case, text="Samtal i mitten", event_on=dt.date(2026, 3, 10), kind=EntryKind.PHONE)
    old = services.draft_save(actor=caseworker, case=case, content=EntryContent("", None, "Gammalt utkast"))
    JournalEntry.objects.filter(pk=old.pk).update(written_at=frozen_minus(days=3))
    sign(caseworker, case, text="Samtal senast", event_on=dt.date(2026, 3, 18))
    client = login(caseworker)
    page = html(client.get(url(case)))
    assert order(page, ["Gammalt utkast", "Samtal senast", "Samtal i mitten", "Hembesök i början"])
    assert "4 anteckningar" in page and "Äldre än 2 dagar" in page and "Fortsätt skriva" in page
    page = html(client.get(url(case), {"order": "oldest"}))
    assert order(page, ["Hembesök i början", "Samtal i mitten", "Samtal senast", "Gammalt utkast"])
    assert "Visa nyaste först" in page
    page = html(client.get(url(case), {"kind": "phone"}))
    assert "Samtal i mitten" in page and "Hembesök i början" not in page and "1 anteckning " in page
    page = html(client.get(url(case), {"author": other.pk}))
    assert "Samtal i mitten" in page and "Samtal senast" not in page
    page = html(client.get(url(case), {"date_from": "2026-03-05", "date_to": "2026-03-15"}))
    assert "Samtal i mitten" in page and "Samtal senast" not in page and "Hembesök i början" not in page
    response = client.get(url(case), {"date_from": "2026-03-15", "date_to": "2026-03-05"})
    assert response.status_code == 422 and "Fel: Journal" in html(response)
    # The other caseworker sees the signed entries but not the draft.
    client.logout()
    assert "Gammalt utkast" not in html(login(other).get(url(case)))


def frozen_minus(days: int):
    from django.utils import timezone

    return timezone.now() - dt.timedelta(days=days)


def order(page: str, texts: list[str]) -> bool:
    positions = [page.index(t) for t in texts]
    return positions == sorted(positions)


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_entries(caseworker, case, login, django_assert_max_num_queries):
    for i in range(30):
        entry = sign(caseworker, case, text=f"Anteckning {i}")
        if i % 3 == 0:
            services.correction_create(
                actor=caseworker, original=entry, kind=EntryKind.ADDITION, text="Tillägg", sign=True
            )
    client = login(caseworker)
    client.get(url(case))
    with django_assert_max_num_queries(22):
        response = client.get(url(case))
    assert response.status_code == 200 and html(response).count("<article") == 30


@pytest.mark.django_db
def test_list_is_paginated(caseworker, case, login):
    for i in range(55):
        JournalEntry.objects.create(
            case=case,
            author=caseworker,
            kind="other",
            event_on=TODAY,
            text=f"Nr {i}.",
            status="signed",
            signed_at=frozen_minus(0),
            signed_by=caseworker,
        )
    client = login(caseworker)
    first = html(client.get(url(case)))
    assert first.count("<article") == 50 and "sida=2" in first
    assert html(client.get(url(case), {"sida": 2})).count("<article") == 5


# --- drafts to sign -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_drafts_page_lists_own_drafts_and_logs_the_persons(caseworker, case, unit, login):
    draft = services.draft_save(actor=caseworker, case=case, content=EntryContent("phone", TODAY, "Utkast"))
    JournalEntry.objects.filter(pk=draft.pk).update(written_at=frozen_minus(days=3))
    other = MembershipFactory(unit=unit, role=Role.CASEWORKER).user
    services.draft_save(actor=other, case=case, content=EntryContent("phone", TODAY, "Annans utkast"))
    response = login(caseworker).get("/journal/att-signera/")
    page = html(response)
    assert response.status_code == 200 and "<title>Att signera – Lotsen</title>" in page
    assert page.count('class="govuk-table__row"') == 2  # header + one draft
    assert "Tindra Testsson" in page and "Äldre än 2 dagar" in page and case.number in page
    rows = AccessLogEntry.objects.filter(view="journal:drafts")
    assert [(r.person_id, r.case_id) for r in rows] == [(case.subject_id, case.pk)]


# --- documents ------------------------------------------------------------------------------------------


def upload_data(data=PDF, name="Intyg från skolan.pdf", kind="incoming", day=TODAY):
    return {
        "kind": kind,
        "received_on-year": str(day.year),
        "received_on-month": str(day.month),
        "received_on-day": str(day.day),
        "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
    }


@pytest.mark.django_db
def test_upload_list_and_download(caseworker, case, login):
    client = login(caseworker)
    response = client.post(url(case, "dokument/"), upload_data(day=dt.date(2026, 3, 18)))
    assert response.status_code == 302 and response["Location"] == url(case, "dokument/")
    document = Document.objects.get()
    page = html(client.get(url(case, "dokument/")))
    assert "Dokumentet är uppladdat." in page and "Intyg från skolan.pdf" in page and "2026-03-18" in page
    assert "Inkommen handling" in page and f'href="/journal/{case.pk}/dokument/{document.pk}/"' in page
    assert "/media/" not in page
    download = client.get(url(case, f"dokument/{document.pk}/"))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "Intyg%20fr%C3%A5n%20skolan.pdf" in download["Content-Disposition"]
    assert AccessLogEntry.objects.filter(view="journal:document", case_id=case.pk).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"file": SimpleUploadedFile("a.exe", b"MZ\x90\x00")}, "Filen måste vara PDF, JPG eller PNG"),
        ({"file": ""}, "Välj en fil"),
        ({"file": SimpleUploadedFile("tom.pdf", b"")}, "Den valda filen är tom"),
        ({"kind": ""}, "Välj typ av dokument"),
        ({"received_on-day": "32"}, "Datum då dokumentet kom in måste vara ett riktigt datum"),
    ],
)
def test_upload_errors_are_swedish(caseworker, case, login, data, message):
    response = login(caseworker).post(url(case, "dokument/"), upload_data() | data)
    assert response.status_code == 422
    assert message in html(response) and "Det finns ett problem" in html(response)
    assert "<title>Fel: Dokument" in html(response)
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_upload_too_large(caseworker, case, login):
    big = PDF + b"0" * (20 * 1024 * 1024)
    response = login(caseworker).post(url(case, "dokument/"), upload_data(data=big))
    assert response.status_code == 422 and "Filen måste vara mindre än 20 MB" in html(response)
    assert '<a href="#id_file">Filen måste vara mindre än 20 MB</a>' in html(response)


@pytest.mark.django_db
def test_document_of_another_case_is_not_served(caseworker, case, unit, login):
    from lotsen.cases import services as case_services
    from tests.factories import PersonFactory

    other_case = case_services.case_open(
        actor=caseworker, subject=PersonFactory(), process_code="child", unit=unit, opened_on=TODAY
    )
    document = services.document_add(
        actor=caseworker, case=other_case, file=SimpleUploadedFile("a.pdf", PDF), kind="incoming"
    )
    assert login(caseworker).get(url(case, f"dokument/{document.pk}/")).status_code == 404
