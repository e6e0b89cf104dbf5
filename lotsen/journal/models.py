"""Journal entries and documents of a case (R-DOK-1/2/3, R-JOUR-1).

A journal entry is a draft (autosaved, visible to its author) until it is signed; a signed entry never
changes. A correction, an addition or a note that the person disputes an entry (R-DOK-3) is a new entry
linked to the original through `corrects_entry`. Documents are immutable from the moment they are stored.
Both rules are enforced by database triggers (migration 0002); only the gallring run (R-GALL-7), which sets
`lotsen.gallring = 'on'` in its own transaction, may delete signed entries and documents.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TEXT_MAX_LENGTH = 10_000


class EntryKind(models.TextChoices):
    CONVERSATION = "conversation", _("conversation")
    HOME_VISIT = "home_visit", _("home visit")
    PHONE = "phone", _("phone call")
    OTHER_AUTHORITY = "other_authority", _("contact with another authority")
    OTHER = "other", pgettext_lazy("journal entry kind", "other")
    # Linked kinds: a new entry that refers to an earlier, signed one (R-JOUR-1, R-DOK-3).
    CORRECTION = "correction", _("correction")
    ADDITION = "addition", _("addition")
    DISPUTED_BY_SUBJECT = "disputed_by_subject", _("the person disputes the entry")


LINKED_KINDS = (EntryKind.CORRECTION, EntryKind.ADDITION, EntryKind.DISPUTED_BY_SUBJECT)
PRIMARY_KINDS = [k for k in EntryKind if k not in LINKED_KINDS]


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SIGNED = "signed", _("signed")


class JournalEntry(models.Model):
    """Journalanteckning. `event_on` is when it happened, `written_at` when the entry was started,
    `signed_at` when it was frozen (R-DOK-2). `key` is the write form's idempotency key: the autosave, the
    "Spara utkast" button and a double-submitted "Signera" all address the same row through it."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="journal_entries")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="journal_entries")
    author_title = models.CharField(_("title"), max_length=100, blank=True)
    kind = models.CharField(_("type"), max_length=30, choices=EntryKind.choices, blank=True)
    event_on = models.DateField(_("date of the event"), null=True, blank=True)
    # Set by the services (not auto_now: imports and the demo bulk-insert entries with their own times).
    written_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("text"))
    status = models.CharField(max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    corrects_entry = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="linked_entries"
    )

    class Meta:
        indexes = [
            models.Index(fields=["case", "status", "event_on"]),
            models.Index(fields=["author", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", signed_at__isnull=True, signed_by__isnull=True)
                | (
                    Q(status="signed", signed_at__isnull=False, signed_by__isnull=False, event_on__isnull=False)
                    & ~Q(kind="")
                    & ~Q(text="")
                ),
                name="journal_signed_entry_is_complete",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), TEXT_MAX_LENGTH), name="journal_text_max_length"
            ),
            models.CheckConstraint(
                condition=Q(corrects_entry__isnull=True, kind__in=["", *PRIMARY_KINDS])
                | Q(corrects_entry__isnull=False, kind__in=list(LINKED_KINDS)),
                name="journal_linked_kind_has_original",
            ),
        ]

    def __str__(self) -> str:
        return f"JournalEntry #{self.pk}"

    @property
    def is_signed(self) -> bool:
        return self.status == EntryStatus.SIGNED

    @property
    def is_linked(self) -> bool:
        return self.corrects_entry_id is not None

    def signed_days_after_event(self) -> int | None:
        """Days between the event and the signing (R-DOK-2), or None for a draft."""
        if self.signed_at is None or self.event_on is None:
            return None
        return (timezone.localtime(self.signed_at).date() - self.event_on).days

    def draft_age_days(self, today: date) -> int:
        return (today - timezone.localtime(self.written_at).date()).days


class DocumentKind(models.TextChoices):
    INCOMING = "incoming", _("incoming document")
    OUTGOING = "outgoing", _("outgoing document")
    STATEMENT = "statement", _("certificate or statement")
    DECISION_LETTER = "decision_letter", _("decision letter")
    OTHER = "other", pgettext_lazy("document kind", "other")


def document_path(instance: Document, filename: str) -> str:
    """Storage path without personal data: the case id and a random name (the original name is a field)."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"journal/{instance.case_id}/{uuid.uuid4().hex}.{suffix}"


class Document(models.Model):
    """An uploaded or generated document in the case. Immutable (database trigger); served only through a
    view that checks access and logs the read, never from a public media URL."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("type"), max_length=30, choices=DocumentKind.choices)
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    received_on = models.DateField(_("received or created"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["case", "received_on"])]
        constraints = [models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256")]

    def __str__(self) -> str:
        return f"Document #{self.pk}"
