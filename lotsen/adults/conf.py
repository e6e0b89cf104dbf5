"""Settings of the adults' process with their defaults (legal-rules.md R-UTR-1, R-HANDL-1)."""

from __future__ import annotations

from django.conf import settings

# R-UTR-1: adult reports have no statutory pre-assessment deadline; Lotsen warns after this many days
# (practice, unverified default).
DEFAULT_PRACTICE_WARNING_DAYS = 14


def practice_warning_days() -> int:
    return int(getattr(settings, "LOTSEN_ADULT_PRACTICE_WARNING_DAYS", DEFAULT_PRACTICE_WARNING_DAYS))
