"""Journal services: drafts, signing (idempotent, frozen), linked entries and documents; the database
triggers behind R-JOUR-1 and the immutability of documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction

from lotsen.accounts.models import Role
from lotsen.audit.models import AuditEvent
from lotsen.cases.models import CaseEvent
from lotsen.core.errors import DomainError, NotFoundError, PermissionDeniedError
from lotsen.journal import selectors, services
from lotsen.journal.models import Document, EntryKind, EntryStatus, JournalEntry
from lotsen.journal.services import EntryContent
from tests.factories import MembershipFactory, UnitFactory
from tests.journal.conftest import TODAY

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _today(frozen):
    return frozen


def content(text="Samtal med barnet i skolan.", kind=EntryKind.CONVERSATION, event_on=TODAY):
    return EntryContent(kind=kind, event_on=event_on, text=text)


def colleague(unit):
    return MembershipFactory(unit=unit, role=Role.CASEWORKER).user


def signed_entry(actor, case, **kwargs):
    return services.entry_sign(actor=actor, case=case, key=uuid.uuid4(), content=content(**kwargs)).entry


# --- drafts ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_draft_is_created_and_updated_through_its_key(caseworker, case):
    key = uuid.uuid4()
    draft = services.draft_save(actor=caseworker, case=case, key=key, content=content(text="Första"))
    again = services.draft_save(actor=caseworker, case=case, key=key, content=content(text="Andra\r\nraden"))
    assert again.pk == draft.pk and JournalEntry.objects.count() == 1
    draft.refresh_from_db()
    assert draft.text == "Andra\nraden" and draft.status == EntryStatus.DRAFT and draft.signed_at is None
    assert draft.author == caseworker and draft.key == key
    actions = list(
        AuditEvent.objects.filter(object_type="journal.journalentry", object_id=str(draft.pk)).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["journal.draft_created", "journal.draft_saved"]
    # A draft save never copies the text into the audit trail (an autosave every few seconds would).
    assert all(
        "text" not in (a.after or {})
        for a in AuditEvent.objects.filter(object_type="journal.journalentry", object_id=str(draft.pk))
    )


@pytest.mark.django_db
def test_a_draft_may_lack_type_and_date_but_not_text(caseworker, case):
    draft = services.draft_save(actor=caseworker, case=case, content=EntryContent(kind="", event_on=None, text="x"))
    assert draft.kind == "" and draft.event_on is None
    with pytest.raises(DomainError, match="Skriv anteckningen") as exc:
        services.draft_save(actor=caseworker, case=case, content=content(text="  \r\n "))
    assert exc.value.field == "text"


@pytest.mark.django_db
def test_only_the_author_may_change_a_draft(caseworker, case, unit):
    draft = services.draft_save(actor=caseworker, case=case, content=content())
    other = colleague(unit)
    with pytest.raises(PermissionDeniedError):
        services.draft_save(actor=other, case=case, key=draft.key, content=content(text="Ändrad"))
    with pytest.raises(PermissionDeniedError):
        services.entry_sign(actor=other, case=case, key=draft.key)
    with pytest.raises(PermissionDeniedError):
        services.draft_discard(actor=other, entry=draft)
    draft.refresh_from_db()
    assert draft.text == "Samtal med barnet i skolan." and draft.status == EntryStatus.DRAFT


@pytest.mark.django_db
def test_outsider_cannot_write_in_the_journal(case):
    outsider = MembershipFactory(unit=UnitFactory(), role=Role.CASEWORKER).user
    with pytest.raises(PermissionDeniedError):
        services.draft_save(actor=outsider, case=case, content=content())
    with pytest.raises(PermissionDeniedError):
        services.entry_sign(actor=outsider, case=case, key=uuid.uuid4(), content=content())


@pytest.mark.django_db
def test_a_key_of_another_case_is_not_found(caseworker, case, unit):
    from lotsen.cases import services as case_services
    from tests.factories import PersonFactory

    other_case = case_services.case_open(
        actor=caseworker, subject=PersonFactory(), process_code="child", unit=unit, opened_on=TODAY
    )
    draft = services.draft_save(actor=caseworker, case=case, content=content())
    with pytest.raises(NotFoundError):
        services.draft_save(actor=caseworker, case=other_case, key=draft.key, content=content())


@pytest.mark.django_db
def test_text_limit_future_date_and_kind_are_checked(caseworker, case):
    with pytest.raises(DomainError, match="högst 10\u202f000 tecken"):
        services.draft_save(actor=caseworker, case=case, content=content(text="a" * 10_001))
    assert services.draft_save(actor=caseworker, case=case, content=content(text="a" * 10_000))
    with pytest.raises(DomainError, match="senare än i dag") as exc:
        services.draft_save(actor=caseworker, case=case, content=content(event_on=TODAY + dt.timedelta(days=1)))
    assert exc.value.field == "event_on"
    with pytest.raises(DomainError, match="Välj typ"):
        services.draft_save(actor=caseworker, case=case, content=content(kind=EntryKind.CORRECTION))


# --- signing --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_signing_freezes_the_entry_and_records_the_event(caseworker, case):
    caseworker.title = "socialsekreterare"
    caseworker.save()
    draft = services.draft_save(actor=caseworker, case=case, content=content())
    result = services.entry_sign(actor=caseworker, case=case, key=draft.key)
    entry = result.entry
    assert not result.already_signed and result.late_days is None
    assert entry.pk == draft.pk and entry.status == EntryStatus.SIGNED
    assert entry.signed_by == caseworker and entry.signed_at is not None and entry.author_title == "socialsekreterare"
    event = CaseEvent.objects.get(case=case, type="journal_signed")
    assert event.payload == {"entry_id": entry.pk, "kind": "conversation"} and event.occurred_on == TODAY
    assert AuditEvent.objects.filter(action="journal.signed", object_id=str(entry.pk)).exists()
    with pytest.raises(DomainError, match="redan signerad"):
        services.draft_save(actor=caseworker, case=case, key=draft.key, content=content(text="Ändrad"))
    with pytest.raises(DomainError, match="kan inte tas bort"):
        services.draft_discard(actor=caseworker, entry=entry)


@pytest.mark.django_db
def test_signing_twice_with_the_same_key_signs_once(caseworker, case):
    key = uuid.uuid4()
    first = services.entry_sign(actor=caseworker, case=case, key=key, content=content())
    second = services.entry_sign(actor=caseworker, case=case, key=key, content=content(text="Dubbelklick"))
    assert second.already_signed and second.entry.pk == first.entry.pk
    assert JournalEntry.objects.count() == 1
    assert JournalEntry.objects.get().text == "Samtal med barnet i skolan."
    assert CaseEvent.objects.filter(case=case, type="journal_signed").count() == 1


@pytest.mark.django_db
def test_signing_needs_type_and_date(caseworker, case):
    draft = services.draft_save(actor=caseworker, case=case, content=EntryContent(kind="", event_on=None, text="x"))
    with pytest.raises(DomainError, match="Välj typ av anteckning"):
        services.entry_sign(actor=caseworker, case=case, key=draft.key)
    with pytest.raises(DomainError, match="Ange datum för händelsen"):
        services.entry_sign(
            actor=caseworker, case=case, key=draft.key, content=EntryContent(kind="phone", event_on=None, text="x")
        )
    assert JournalEntry.objects.get().status == EntryStatus.DRAFT


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "late"), [(0, None), (3, None), (4, 4), (12, 12)])
def test_late_signing_is_reported(caseworker, case, days, late):
    """R-DOK-2: a warning when an entry is signed more than 3 days (the setting) after the event."""
    result = services.entry_sign(
        actor=caseworker, case=case, key=uuid.uuid4(), content=content(event_on=TODAY - dt.timedelta(days=days))
    )
    assert result.late_days == late


@pytest.mark.django_db
def test_late_signing_threshold_is_a_setting(caseworker, case, settings):
    settings.LOTSEN_JOURNAL_LATE_SIGN_DAYS = 1
    result = services.entry_sign(
        actor=caseworker, case=case, key=uuid.uuid4(), content=content(event_on=TODAY - dt.timedelta(days=2))
    )
    assert result.late_days == 2


# --- database triggers (R-JOUR-1) -----------------------------------------------------------------------


@pytest.mark.django_db
def test_signed_entry_refuses_update_and_delete_in_the_database(caseworker, case):
    entry = signed_entry(caseworker, case)
    with pytest.raises(DatabaseError, match="signed journal entry"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE journal_journalentry SET text = 'Ändrad' WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE journal_journalentry SET status = 'draft', signed_at = NULL, signed_by_id = NULL WHERE id = %s",
            [entry.pk],
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM journal_journalentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalEntry.objects.filter(pk=entry.pk).update(text="Ändrad")
    entry.refresh_from_db()
    assert entry.text == "Samtal med barnet i skolan." and entry.status == EntryStatus.SIGNED


@pytest.mark.django_db
def test_draft_can_be_updated_and_deleted_in_the_database(caseworker, case):
    draft = services.draft_save(actor=caseworker, case=case, content=content())
    with connection.cursor() as cur:
        cur.execute("UPDATE journal_journalentry SET text = 'Ny text' WHERE id = %s", [draft.pk])
    draft.refresh_from_db()
    assert draft.text == "Ny text"
    services.draft_discard(actor=caseworker, entry=draft)
    assert not JournalEntry.objects.exists()
    assert AuditEvent.objects.filter(action="journal.draft_discarded", object_id=str(draft.pk)).exists()


@pytest.mark.django_db
def test_only_the_gallring_run_may_delete_a_signed_entry(caseworker, case):
    entry = signed_entry(caseworker, case)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL lotsen.gallring = 'on'")
        with pytest.raises(DatabaseError), transaction.atomic():
            cur.execute("UPDATE journal_journalentry SET text = 'Ändrad' WHERE id = %s", [entry.pk])
        cur.execute("DELETE FROM journal_journalentry WHERE id = %s", [entry.pk])
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_database_refuses_incomplete_signed_rows_and_over_long_text(caseworker, case):
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalEntry.objects.create(case=case, author=caseworker, text="x", status="signed")
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalEntry.objects.create(case=case, author=caseworker, text="x" * 10_001)
    with pytest.raises(DatabaseError), transaction.atomic():
        JournalEntry.objects.create(case=case, author=caseworker, text="x", kind="correction")


# --- linked entries -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_correction_is_a_new_entry_shown_beside_the_original(caseworker, case):
    original = signed_entry(caseworker, case, text="Barnet är 11 år.")
    draft = services.correction_create(
        actor=caseworker, original=original, kind=EntryKind.CORRECTION, text="Rätt ålder är 12 år."
    )
    assert draft.status == EntryStatus.DRAFT and draft.corrects_entry == original and draft.event_on == TODAY
    services.entry_sign(actor=caseworker, case=case, key=draft.key)
    addition = services.correction_create(
        actor=caseworker, original=original, kind=EntryKind.ADDITION, text="Skolan har bekräftat.", sign=True
    )
    original.refresh_from_db()
    assert original.text == "Barnet är 11 år." and original.status == EntryStatus.SIGNED
    _page, views = selectors.journal_page(caseworker, case, selectors.JournalFilter(), 1, TODAY)
    assert [v.entry.pk for v in views] == [original.pk]
    assert [v.entry.pk for v in views[0].linked] == [draft.pk, addition.pk]
    assert not views[0].disputed
    event = CaseEvent.objects.filter(type="journal_signed").order_by("-id").first()
    assert event.payload["corrects_entry_id"] == original.pk


@pytest.mark.django_db
def test_linked_entries_refer_to_signed_roots(caseworker, case):
    draft = services.draft_save(actor=caseworker, case=case, content=content())
    with pytest.raises(DomainError, match="signerad anteckning"):
        services.correction_create(actor=caseworker, original=draft, kind=EntryKind.CORRECTION, text="x")
    original = signed_entry(caseworker, case)
    correction = services.correction_create(
        actor=caseworker, original=original, kind=EntryKind.CORRECTION, text="Rättelse", sign=True
    )
    # A correction of a correction is linked to the entry it is all about.
    second = services.correction_create(actor=caseworker, original=correction, kind=EntryKind.ADDITION, text="Mer")
    assert second.corrects_entry == original
    with pytest.raises(DomainError, match="rättelse, ett tillägg"):
        services.correction_create(actor=caseworker, original=original, kind=EntryKind.PHONE, text="x")


@pytest.mark.django_db
def test_disputed_by_subject_marks_the_entry(caseworker, case):
    """R-DOK-3: the person considers the entry incorrect; that is noted, linked and shown with it."""
    original = signed_entry(caseworker, case)
    services.correction_create(
        actor=caseworker,
        original=original,
        kind=EntryKind.DISPUTED_BY_SUBJECT,
        text="Mamman menar att samtalet inte ägde rum i skolan.",
        sign=True,
    )
    _page, views = selectors.journal_page(caseworker, case, selectors.JournalFilter(), 1, TODAY)
    assert views[0].disputed


@pytest.mark.django_db
def test_drafts_are_visible_to_their_author_only(caseworker, case, unit, team_lead, settings):
    services.draft_save(actor=caseworker, case=case, content=content())
    signed_entry(caseworker, case)
    other = colleague(unit)
    assert selectors.visible_entries(caseworker, case).count() == 2
    assert selectors.visible_entries(other, case).count() == 1
    assert selectors.visible_entries(team_lead, case).count() == 1
    settings.LOTSEN_JOURNAL_DRAFTS_VISIBLE_TO_TEAM_LEAD = True
    assert selectors.visible_entries(team_lead, case).count() == 2
    assert selectors.visible_entries(other, case).count() == 1


# --- documents ------------------------------------------------------------------------------------------


def upload(data: bytes, name="intyg.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "content_type"), [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")])
def test_document_is_stored_with_hash_and_event(caseworker, case, data, content_type):
    document = services.document_add(
        actor=caseworker,
        case=case,
        file=upload(data, name="../../Läkarintyg.pdf"),
        kind="statement",
        received_on=TODAY - dt.timedelta(days=2),
    )
    assert document.sha256 == hashlib.sha256(data).hexdigest() and document.size == len(data)
    assert document.content_type == content_type and document.original_name == "Läkarintyg.pdf"
    assert document.file.name.startswith(f"journal/{case.pk}/") and "Läkarintyg" not in document.file.name
    with document.file.open("rb") as stored:
        assert stored.read() == data
    event = CaseEvent.objects.get(case=case, type="document_added")
    assert event.payload == {"document_id": document.pk, "kind": "statement"}
    assert AuditEvent.objects.filter(action="document.added", object_id=str(document.pk)).exists()


@pytest.mark.django_db
def test_document_type_is_recognised_by_content(caseworker, case):
    with pytest.raises(DomainError, match="Filen måste vara PDF, JPG eller PNG") as exc:
        services.document_add(
            actor=caseworker, case=case, file=upload(b"MZ\x90\x00 not a pdf", name="virus.pdf"), kind="incoming"
        )
    assert exc.value.field == "file"
    with pytest.raises(DomainError, match="Filen måste vara PDF, JPG eller PNG"):
        services.document_add(
            actor=caseworker, case=case, file=upload(b"<html><script>", name="a.png"), kind="incoming"
        )
    assert not Document.objects.exists() and not CaseEvent.objects.filter(type="document_added").exists()


@pytest.mark.django_db
def test_document_size_limit_and_empty_and_missing_file(caseworker, case):
    limit = 20 * 1024 * 1024
    with pytest.raises(DomainError, match="Filen måste vara mindre än 20 MB"):
        services.document_add(
            actor=caseworker, case=case, file=upload(PDF + b"0" * (limit - len(PDF) + 1)), kind="incoming"
        )
    assert (
        services.document_add(
            actor=caseworker, case=case, file=upload(PDF + b"0" * (limit - len(PDF))), kind="incoming"
        ).size
        == limit
    )
    with pytest.raises(DomainError, match="tom"):
        services.document_add(actor=caseworker, case=case, file=upload(b""), kind="incoming")
    with pytest.raises(DomainError, match="Välj en fil"):
        services.document_add(actor=caseworker, case=case, file=None, kind="incoming")


@pytest.mark.django_db
def test_outsider_cannot_add_documents(case):
    outsider = MembershipFactory(unit=UnitFactory(), role=Role.CASEWORKER).user
    with pytest.raises(PermissionDeniedError):
        services.document_add(actor=outsider, case=case, file=upload(PDF), kind="incoming")


@pytest.mark.django_db
def test_document_is_immutable_in_the_database(caseworker, case):
    document = services.document_add(actor=caseworker, case=case, file=upload(PDF), kind="incoming")
    with pytest.raises(DatabaseError, match="document"), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(original_name="annat.pdf")
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=document.pk).delete()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL lotsen.gallring = 'on'")
        cur.execute("DELETE FROM journal_document WHERE id = %s", [document.pk])
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("C:\\Users\\anna\\Intyg.pdf", "Intyg.pdf"),
        ("/tmp/x/brev.png", "brev.png"),
        ("bad\x00name\x1f.pdf", "badname.pdf"),
        ("", "dokument"),
        ("...", "dokument"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
    ],
)
def test_clean_file_name(name, expected):
    assert services.clean_file_name(name) == expected
