"""Reads for the log review (R-SEK-4). Scope comes from `policies.log_review_units`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from lotsen.audit.models import AccessLogEntry, AccessLogReview
from lotsen.people.models import Protection
from lotsen.policies.access import log_review_units
from lotsen.policies.models import EmergencyAccess


class Selection:
    ALL = "all"
    PROTECTED = "protected"
    EMERGENCY = "emergency"
    UNREVIEWED = "unreviewed"


@dataclass(frozen=True)
class LogFilter:
    date_from: date | None = None
    date_to: date | None = None
    unit_id: int | None = None
    selection: str = Selection.ALL
    person_id: int | None = None
    user_id: int | None = None


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def entries(reviewer: Any, flt: LogFilter) -> QuerySet[AccessLogEntry]:
    qs = AccessLogEntry.objects.select_related("user", "person", "unit", "emergency_access")
    units = log_review_units(reviewer)
    if units is not None:
        qs = qs.filter(unit_id__in=units)
    if flt.date_from:
        qs = qs.filter(at__gte=_day_start(flt.date_from))
    if flt.date_to:
        qs = qs.filter(at__lt=_day_start(flt.date_to + timedelta(days=1)))
    if flt.unit_id:
        qs = qs.filter(unit_id=flt.unit_id)
    if flt.person_id:
        qs = qs.filter(person_id=flt.person_id)
    if flt.user_id:
        qs = qs.filter(user_id=flt.user_id)
    if flt.selection == Selection.PROTECTED:
        qs = qs.exclude(person__protection=Protection.NONE)
    elif flt.selection == Selection.EMERGENCY:
        qs = qs.filter(emergency_access__isnull=False)
    qs = qs.annotate(reviewed=Exists(AccessLogReview.objects.filter(entry=OuterRef("pk"))))
    if flt.selection == Selection.UNREVIEWED:
        qs = qs.filter(reviewed=False)
    return qs.order_by("-at", "-id")


def entry(reviewer: Any, entry_id: int) -> AccessLogEntry | None:
    return entries(reviewer, LogFilter()).filter(pk=entry_id).first()


def emergency_accesses(reviewer: Any) -> QuerySet[EmergencyAccess]:
    qs = EmergencyAccess.objects.select_related("user", "person", "reviewed_by").order_by("-granted_at")
    units = log_review_units(reviewer)
    if units is not None:
        qs = qs.filter(user__memberships__unit_id__in=units).distinct()
    return qs
