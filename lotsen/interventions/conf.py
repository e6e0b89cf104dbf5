"""Settings of interventions and placements with their defaults (legal-rules.md R-VARD-5, R-VERK-1). The
municipality may change them in Django settings; the defaults are the rules' defaults."""

from __future__ import annotations

from django.conf import settings

# R-VARD-5: reminder interval for the responsible socialsekreterare's visits to a placed child (default 3
# months, unverified default).
DEFAULT_VISIT_INTERVAL_MONTHS = 3
# Warn this many days before a visit is due.
DEFAULT_VISIT_WARNING_DAYS = 14


def visit_interval_months() -> int:
    return int(getattr(settings, "LOTSEN_VISIT_REMINDER_MONTHS", DEFAULT_VISIT_INTERVAL_MONTHS))


def visit_warning_days() -> int:
    return int(getattr(settings, "LOTSEN_VISIT_WARNING_DAYS", DEFAULT_VISIT_WARNING_DAYS))
