"""Writes of the journal: drafts, signing, linked entries (rättelse, tillägg, invändning) and documents.

Every service is keyword-only and atomic, checks the actor's access through `policies.access`, writes its
audit row and (for signing and documents) the case timeline event in the same transaction. Signed entries and
documents are immutable in the database as well (migration 0002).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from lotsen.audit import services as audit
from lotsen.cases.services import EventType, _record_event
from lotsen.core.errors import DomainError, NotFoundError, PermissionDeniedError
from lotsen.journal import conf
from lotsen.journal.models import (
    LINKED_KINDS,
    PRIMARY_KINDS,
    TEXT_MAX_LENGTH,
    Document,
    DocumentKind,
    EntryStatus,
    JournalEntry,
)
from lotsen.policies.access import can_work_on_case

if TYPE_CHECKING:
    from lotsen.accounts.models import User
    from lotsen.cases.models import Case

NNBSP = "\u202f"


@dataclass(frozen=True)
class EntryContent:
    """What the write form carries. A draft may lack kind and date; a signed entry may not."""

    kind: str
    event_on: date | None
    text: str


@dataclass(frozen=True)
class SignResult:
    entry: JournalEntry
    already_signed: bool  # the same form was submitted again (idempotency key): nothing was written
    late_days: int | None  # R-DOK-2: days after the event, when more than the setting; else None


# --- helpers --------------------------------------------------------------------------------------------


def _require_write_access(actor: User, case: Case) -> None:
    if not can_work_on_case(actor, case):
        raise PermissionDeniedError("Du har inte behörighet att skriva i det här ärendets journal.")


def normalise_text(text: str) -> str:
    """Browsers send textarea line breaks as CRLF; the limit counts characters as the user sees them."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def too_long_message() -> str:
    return f"Anteckningen får vara högst {TEXT_MAX_LENGTH // 1000}{NNBSP}000 tecken"


def _validate(content: EntryContent, *, signing: bool, linked_kind: bool) -> EntryContent:
    text = normalise_text(content.text)
    allowed = LINKED_KINDS if linked_kind else set(PRIMARY_KINDS)
    if content.kind and content.kind not in allowed:
        raise DomainError("Välj typ av anteckning", field="kind")
    if content.event_on and content.event_on > timezone.localdate():
        raise DomainError("Datum för händelsen kan inte vara senare än i dag", field="event_on")
    if not text:
        raise DomainError("Skriv anteckningen", field="text")
    if len(text) > TEXT_MAX_LENGTH:
        raise DomainError(too_long_message(), field="text")
    if signing:
        if not content.kind:
            raise DomainError("Välj typ av anteckning", field="kind")
        if content.event_on is None:
            raise DomainError("Ange datum för händelsen", field="event_on")
    return EntryContent(kind=content.kind, event_on=content.event_on, text=text)


def _check_original(case: Case, original: JournalEntry | None) -> JournalEntry | None:
    """A linked entry refers to a signed entry of the same case; a link to a linked entry goes to its root,
    so that every linked entry is shown beside the entry it is about."""
    if original is None:
        return None
    if original.case_id != case.pk:
        raise NotFoundError("Anteckningen finns inte i det här ärendet.")
    if original.status != EntryStatus.SIGNED:
        raise DomainError("Du kan bara skriva rättelse, tillägg eller invändning till en signerad anteckning.")
    if original.corrects_entry_id is not None:
        return JournalEntry.objects.get(pk=original.corrects_entry_id)
    return original


def _lock_key(key: uuid.UUID) -> None:
    """Serialise the saves of one write form (an autosave in flight and a click on "Signera", or a double
    click): a transaction-scoped advisory lock on the key, taken before the row may even exist."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [(key.int >> 65) - (1 << 62)])


def _draft_for_key(*, actor: User, case: Case, key: uuid.UUID | None) -> JournalEntry | None:
    """The row the write form addresses, locked; None when the form has not been saved yet."""
    if key is None:
        return None
    _lock_key(key)
    entry = JournalEntry.objects.select_for_update().filter(key=key).first()
    if entry is None:
        return None
    if entry.case_id != case.pk:
        raise NotFoundError("Utkastet finns inte i det här ärendet.")
    if entry.author_id != actor.pk:
        raise PermissionDeniedError("Bara den som skrev utkastet kan ändra det.")
    return entry


def _draft_audit(entry: JournalEntry) -> dict[str, Any]:
    """Audit of a draft save without the text (an autosave every few seconds would copy it each time)."""
    return {
        "id": entry.pk,
        "case": entry.case_id,
        "kind": entry.kind,
        "event_on": entry.event_on.isoformat() if entry.event_on else None,
        "status": entry.status,
        "text_length": len(entry.text),
        "corrects_entry": entry.corrects_entry_id,
    }


def _apply(entry: JournalEntry, content: EntryContent) -> None:
    entry.kind = content.kind
    entry.event_on = content.event_on
    entry.text = content.text


def _create(
    *, actor: User, case: Case, key: uuid.UUID | None, content: EntryContent, original: JournalEntry | None
) -> JournalEntry:
    entry = JournalEntry(
        case=case,
        author=actor,
        author_title=actor.title,
        corrects_entry=original,
        kind=content.kind,
        event_on=content.event_on,
        text=content.text,
    )
    if key is not None:
        entry.key = key
    entry.save()
    return entry


# --- journal entries ------------------------------------------------------------------------------------


@transaction.atomic
def draft_save(
    *,
    actor: User,
    case: Case,
    content: EntryContent,
    key: uuid.UUID | None = None,
    corrects: JournalEntry | None = None,
) -> JournalEntry:
    """Create or update the actor's own draft addressed by `key` (the write form's idempotency key).
    Only the author may change a draft; a signed entry cannot be changed."""
    _require_write_access(actor, case)
    entry = _draft_for_key(actor=actor, case=case, key=key)
    if entry is not None and entry.status == EntryStatus.SIGNED:
        raise DomainError(
            "Anteckningen är redan signerad och kan inte ändras. Skriv en rättelse eller ett tillägg i stället."
        )
    original = _check_original(case, entry.corrects_entry if entry is not None else corrects)
    content = _validate(content, signing=False, linked_kind=original is not None)
    if entry is None:
        entry = _create(actor=actor, case=case, key=key, content=content, original=original)
        audit.record(actor=actor, action="journal.draft_created", obj=entry, after=_draft_audit(entry))
        return entry
    before = _draft_audit(entry)
    _apply(entry, content)
    entry.updated_at = timezone.now()
    entry.save(update_fields=["kind", "event_on", "text", "updated_at"])
    audit.record(actor=actor, action="journal.draft_saved", obj=entry, before=before, after=_draft_audit(entry))
    return entry


@transaction.atomic
def entry_sign(
    *,
    actor: User,
    case: Case,
    key: uuid.UUID,
    content: EntryContent | None = None,
    corrects: JournalEntry | None = None,
) -> SignResult:
    """Save (when `content` is given) and sign the entry addressed by `key`, freezing it (R-JOUR-1), and
    record the timeline event `journal_signed`. Submitting the same form again finds the signed entry and
    writes nothing (`already_signed`). Signing more than the set number of days after the event returns
    `late_days` for the warning of R-DOK-2."""
    _require_write_access(actor, case)
    entry = _draft_for_key(actor=actor, case=case, key=key)
    if entry is not None and entry.status == EntryStatus.SIGNED:
        return SignResult(entry=entry, already_signed=True, late_days=_late_days(entry))
    original = _check_original(case, entry.corrects_entry if entry is not None else corrects)
    if content is None:
        if entry is None:
            raise NotFoundError("Det finns inget utkast att signera.")
        content = EntryContent(kind=entry.kind, event_on=entry.event_on, text=entry.text)
    content = _validate(content, signing=True, linked_kind=original is not None)
    before = _draft_audit(entry) if entry is not None else None
    if entry is None:
        entry = _create(actor=actor, case=case, key=key, content=content, original=original)
    else:
        _apply(entry, content)
    entry.status = EntryStatus.SIGNED
    entry.signed_at = entry.updated_at = timezone.now()
    entry.signed_by = actor
    entry.author_title = entry.author_title or actor.title
    entry.save()
    audit.record(actor=actor, action="journal.signed", obj=entry, before=before)
    payload: dict[str, Any] = {"entry_id": entry.pk, "kind": entry.kind}
    if original is not None:
        payload["corrects_entry_id"] = original.pk
    _record_event(
        actor=actor,
        case=case,
        type=EventType.JOURNAL_SIGNED,
        occurred_on=timezone.localdate(),
        payload=payload,
    )
    return SignResult(entry=entry, already_signed=False, late_days=_late_days(entry))


def _late_days(entry: JournalEntry) -> int | None:
    days = entry.signed_days_after_event()
    return days if days is not None and days > conf.late_sign_days() else None


@transaction.atomic
def correction_create(
    *,
    actor: User,
    original: JournalEntry,
    kind: str,
    text: str,
    event_on: date | None = None,
    key: uuid.UUID | None = None,
    sign: bool = False,
) -> JournalEntry:
    """A rättelse, tillägg or the person's invändning (R-DOK-3): a new entry linked to a signed one and
    shown beside it (R-JOUR-1). Saved as the actor's draft, or signed at once with `sign=True`."""
    if kind not in LINKED_KINDS:
        raise DomainError("Välj om du skriver en rättelse, ett tillägg eller en invändning", field="kind")
    case = original.case
    content = EntryContent(kind=kind, event_on=event_on or timezone.localdate(), text=text)
    if sign:
        return entry_sign(actor=actor, case=case, key=key or uuid.uuid4(), content=content, corrects=original).entry
    return draft_save(actor=actor, case=case, content=content, key=key, corrects=original)


@transaction.atomic
def draft_discard(*, actor: User, entry: JournalEntry) -> None:
    """Remove the actor's own draft (never a signed entry: the database refuses that too)."""
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    _require_write_access(actor, entry.case)
    if entry.author_id != actor.pk:
        raise PermissionDeniedError("Bara den som skrev utkastet kan ta bort det.")
    if entry.status == EntryStatus.SIGNED:
        raise DomainError("En signerad anteckning kan inte tas bort.")
    before = _draft_audit(entry)
    audit.record(actor=actor, action="journal.draft_discarded", obj=entry, before=before, after={})
    entry.delete()


# --- documents ------------------------------------------------------------------------------------------

# Accepted types, recognised by their content (the browser's content type and the file name are not trusted).
_SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]


def sniff_type(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, suffix in _SIGNATURES:
        if head.startswith(signature):
            return content_type, suffix
    return None


def clean_file_name(name: str) -> str:
    """The name as shown and offered on download: no path, no control characters, at most 255 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if not name:
        return "dokument"
    if len(name) > 255:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem[: 254 - len(suffix)]}.{suffix}" if dot and len(suffix) <= 10 else name[:255]
    return name


def _max_size_message() -> str:
    return f"Filen måste vara mindre än {conf.max_upload_bytes() // (1024 * 1024)} MB"


@transaction.atomic
def document_add(
    *,
    actor: User,
    case: Case,
    file: File | None,
    kind: str,
    received_on: date | None = None,
    name: str | None = None,
) -> Document:
    """Store a document in the case: PDF, JPEG or PNG (recognised by content) up to the size limit, with its
    SHA-256, and record the timeline event `document_added`."""
    _require_write_access(actor, case)
    if file is None:
        raise DomainError("Välj en fil", field="file")
    if kind not in DocumentKind.values:
        raise DomainError("Välj typ av dokument", field="kind")
    day = received_on or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError("Datum då dokumentet kom in kan inte vara senare än i dag", field="received_on")
    size = file.size
    if size is None or size == 0:
        raise DomainError("Den valda filen är tom", field="file")
    if size > conf.max_upload_bytes():
        raise DomainError(_max_size_message(), field="file")
    file.seek(0)
    sniffed = sniff_type(file.read(16))
    if sniffed is None:
        raise DomainError("Filen måste vara PDF, JPG eller PNG", field="file")
    content_type, suffix = sniffed
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    original_name = clean_file_name(name or file.name or "")
    document = Document(
        case=case,
        kind=kind,
        original_name=original_name,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        received_on=day,
        created_by=actor,
    )
    document.file.save(f"upload.{suffix}", file, save=False)
    try:
        document.save()
    except Exception:
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    audit.record(actor=actor, action="document.added", obj=document)
    _record_event(
        actor=actor,
        case=case,
        type=EventType.DOCUMENT_ADDED,
        occurred_on=timezone.localdate(),
        payload={"document_id": document.pk, "kind": kind},
    )
    return document
