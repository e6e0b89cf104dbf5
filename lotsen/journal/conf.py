"""Settings of the journal with their defaults (legal-rules.md R-DOK-2, R-JOUR-1). The municipality may
change them in Django settings; the defaults are the rules' defaults."""

from __future__ import annotations

from django.conf import settings

# R-DOK-2: warn when an entry is signed more than N days after the event (default 3).
DEFAULT_LATE_SIGN_DAYS = 3
# R-JOUR-1: drafts older than N days are listed and flagged (default 2).
DEFAULT_DRAFT_WARNING_DAYS = 2
# UI.md 3.1: staff uploads, PDF/JPEG/PNG up to 20 MB.
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def late_sign_days() -> int:
    return int(getattr(settings, "LOTSEN_JOURNAL_LATE_SIGN_DAYS", DEFAULT_LATE_SIGN_DAYS))


def draft_warning_days() -> int:
    return int(getattr(settings, "LOTSEN_JOURNAL_DRAFT_WARNING_DAYS", DEFAULT_DRAFT_WARNING_DAYS))


def drafts_visible_to_team_lead() -> bool:
    """R-JOUR-1: a draft is visible to its author and, if configured, to the unit's team lead."""
    return bool(getattr(settings, "LOTSEN_JOURNAL_DRAFTS_VISIBLE_TO_TEAM_LEAD", False))


def max_upload_bytes() -> int:
    return int(getattr(settings, "LOTSEN_DOCUMENT_MAX_BYTES", DEFAULT_MAX_UPLOAD_BYTES))
