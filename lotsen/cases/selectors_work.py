"""Reads for the work lists (UI.md pages 1, 2, 16 and 17): "Mina ärenden", "Enhetens översikt", the unit's
filtered deadline list, "Ej fördelade" and incoming transfers.

Everything starts from `policies.visible_cases(user)` and reads the `Deadline` projection (one indexed table)
instead of recomputing deadlines, so each page costs a fixed number of queries whatever the number of cases.
Warning thresholds are settings (legal-rules.md R-FORH-1 day 10, R-UTR-2 four and two weeks, R-VARD-1 six
weeks, R-SKYDD-1 N hours); the same thresholds drive the reminders (`lotsen.reminders`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from lotsen.accounts.models import Membership, Role
from lotsen.cases import process
from lotsen.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Deadline,
    DeadlineExtension,
    DeadlineStatus,
    Intake,
    Transfer,
    TransferStatus,
)
from lotsen.cases.selectors import DeadlineView
from lotsen.core.models import Unit, UnitKind
from lotsen.policies.access import LEAD_ROLES, memberships_of, visible_cases

PENDING = DeadlineStatus.PENDING

# The deadline kinds in the order the work lists show them (legal-rules.md R-TID-9).
KINDS = ["protection_assessment", "pre_assessment", "reporter_feedback", "investigation", "care_review"]

# Days before the due date at which a deadline warns. R-FORH-1: day 10 of 14 = 4 days left; R-UTR-2: four
# and two weeks; R-VARD-1: six weeks; R-INFO-1 (one week): two days. Override with the setting
# LOTSEN_DEADLINE_WARNING_DAYS (same shape).
DEFAULT_WARNING_DAYS: dict[str, tuple[int, ...]] = {
    "pre_assessment": (4,),
    "investigation": (28, 14),
    "care_review": (42,),
    "reporter_feedback": (2,),
}
# R-SKYDD-1: the team lead is alerted when no protection assessment is signed N hours after the report came
# in (unverified default 4, a setting).
DEFAULT_PROTECTION_ALERT_HOURS = 4
# Kinds listed in "Att göra" for as long as they run; the others once their first warning is reached.
ALWAYS_TODO = {"protection_assessment", "pre_assessment", "reporter_feedback"}

# The deadline matrix's columns (UI.md page 2).
BUCKETS = ["overdue", "today", "week", "later"]
WEEK_DAYS = 7

# Units that handle individual cases and so can receive a transfer.
CASE_UNIT_KINDS = [
    UnitKind.RECEPTION,
    UnitKind.CHILD_INVESTIGATION,
    UnitKind.ADULT,
    UnitKind.ASSISTANCE,
    UnitKind.PLACEMENT,
    UnitKind.OPEN_CARE,
    UnitKind.FAMILY_CENTRE,
]
# Roles that are assigned cases (the select in the queue lists them with their caseload).
ASSIGNABLE_ROLES = [Role.CASEWORKER, Role.TEAM_LEAD]


def warning_days() -> dict[str, tuple[int, ...]]:
    configured = getattr(settings, "LOTSEN_DEADLINE_WARNING_DAYS", {})
    merged = {**DEFAULT_WARNING_DAYS, **configured}
    return {kind: tuple(sorted(days, reverse=True)) for kind, days in merged.items()}


def protection_alert_hours() -> int:
    return int(getattr(settings, "LOTSEN_PROTECTION_ALERT_HOURS", DEFAULT_PROTECTION_ALERT_HOURS))


def pending_deadlines_prefetch() -> Prefetch:
    """A case's running deadlines, ordered, as `case.pending_deadlines` (one query for any number of cases)."""
    return Prefetch(
        "deadlines",
        queryset=Deadline.objects.filter(status=PENDING).order_by("due_on", "kind"),
        to_attr="pending_deadlines",
    )


def _kind_order(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def phase_label(case: Case) -> Any:
    proc = process.get(case.process)
    try:
        return proc.phase(case.phase).label
    except KeyError:
        return case.phase


# --- page 1: Mina ärenden ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodoItem:
    """One thing to do in one of my cases, with its deadline (UI.md 2.5)."""

    case: Case
    view: DeadlineView

    @property
    def kind(self) -> str:
        return self.view.deadline.kind


@dataclass(frozen=True)
class CaseRow:
    case: Case
    phase_label: Any
    next_deadline: DeadlineView | None
    latest_event_type: str | None
    latest_event_on: date | None


def _with_latest_event(qs: QuerySet[Case]) -> QuerySet[Case]:
    latest = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-occurred_on", "-id")
    return qs.annotate(
        latest_event_type=Subquery(latest.values("type")[:1]),
        latest_event_on=Subquery(latest.values("occurred_on")[:1]),
    )


def my_open_cases(user: Any) -> list[Case]:
    """The user's open cases with subject, unit, running deadlines and latest event: two queries."""
    qs = (
        visible_cases(user)
        .filter(assignee=user, status=CaseStatus.OPEN)
        .select_related("subject", "unit")
        .prefetch_related(pending_deadlines_prefetch())
    )
    return list(_with_latest_event(qs).order_by("pk"))


def is_todo(view: DeadlineView, warnings: dict[str, tuple[int, ...]] | None = None) -> bool:
    """Does a running deadline belong in "Att göra"? Protection assessments, pre-assessments and reporter
    feedback always; investigations and care reviews from their first warning (R-UTR-2, R-VARD-1)."""
    kind = view.deadline.kind
    if kind in ALWAYS_TODO:
        return True
    days = (warnings or warning_days()).get(kind, ())
    return bool(days) and view.days_left <= max(days)


def todo_items(cases: Iterable[Case], today: date) -> list[TodoItem]:
    warnings = warning_days()
    items = [
        TodoItem(case, view)
        for case in cases
        for view in (DeadlineView(d, today) for d in case.pending_deadlines)  # type: ignore[attr-defined]
        if is_todo(view, warnings)
    ]
    return sorted(items, key=lambda i: (i.view.deadline.due_on, _kind_order(i.kind), i.case.number))


def case_rows(cases: Iterable[Case], today: date) -> list[CaseRow]:
    rows = []
    for case in cases:
        pending = case.pending_deadlines  # type: ignore[attr-defined]
        rows.append(
            CaseRow(
                case=case,
                phase_label=phase_label(case),
                next_deadline=DeadlineView(pending[0], today) if pending else None,
                latest_event_type=case.latest_event_type,  # type: ignore[attr-defined]
                latest_event_on=case.latest_event_on,  # type: ignore[attr-defined]
            )
        )
    far = date.max
    return sorted(rows, key=lambda r: (r.next_deadline.deadline.due_on if r.next_deadline else far, r.case.number))


# --- page 2: Enhetens översikt --------------------------------------------------------------------------------


def unit_cases(user: Any, unit_id: int) -> QuerySet[Case]:
    """The unit's open cases the user may see."""
    return visible_cases(user).filter(unit_id=unit_id, status=CaseStatus.OPEN)


def _unit_pending(user: Any, unit_id: int) -> QuerySet[Deadline]:
    return Deadline.objects.filter(status=PENDING, case__in=unit_cases(user, unit_id).values("pk"))


def bucket_filter(bucket: str, today: date) -> Q:
    return {
        "overdue": Q(due_on__lt=today),
        "today": Q(due_on=today),
        "week": Q(due_on__gt=today, due_on__lte=today + timedelta(days=WEEK_DAYS)),
        "later": Q(due_on__gt=today + timedelta(days=WEEK_DAYS)),
    }.get(bucket, Q())


@dataclass(frozen=True)
class MatrixRow:
    kind: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def deadline_matrix(user: Any, unit_id: int, today: date) -> list[MatrixRow]:
    """Running deadlines of the unit per kind × Försenade / I dag / Inom 7 dagar / Senare: one query."""
    aggregates = {bucket: Count("pk", filter=bucket_filter(bucket, today)) for bucket in BUCKETS}
    found: dict[str, dict[str, Any]] = {
        row["kind"]: dict(row) for row in _unit_pending(user, unit_id).values("kind").annotate(**aggregates)
    }
    return [
        MatrixRow(kind, {bucket: int(found.get(kind, {}).get(bucket, 0)) for bucket in BUCKETS})
        for kind in sorted(set(KINDS) | set(found), key=_kind_order)
    ]


@dataclass(frozen=True)
class ProtectionAlert:
    """R-SKYDD-1: a report without a signed protection assessment N hours after it came in."""

    deadline: Deadline
    received_at: datetime
    hours: int  # whole hours since the report came in

    @property
    def case(self) -> Case:
        return self.deadline.case


def start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def protection_alerts(deadlines: QuerySet[Deadline], now: datetime, hours: int | None = None) -> list[ProtectionAlert]:
    """Running protection assessments whose report came in more than `hours` before `now`. The report's time is
    the first intake received on the deadline's start date (R-ANM-2); without one, the start of that day."""
    limit = timedelta(hours=protection_alert_hours() if hours is None else hours)
    first_received = (
        Intake.objects.filter(case=OuterRef("case_id"), received_on=OuterRef("started_on"))
        .order_by("received_at")
        .values("received_at")[:1]
    )
    rows = (
        deadlines.filter(kind="protection_assessment", status=PENDING)
        .annotate(report_received_at=Subquery(first_received))
        .select_related("case", "case__assignee")
        .order_by("started_on", "case_id")
    )
    alerts = []
    for d in rows:
        received_at = d.report_received_at or start_of_day(d.started_on)
        if received_at <= now - limit:
            alerts.append(ProtectionAlert(d, received_at, int((now - received_at).total_seconds() // 3600)))
    return sorted(alerts, key=lambda a: a.received_at)


def unit_protection_alerts(user: Any, unit_id: int, now: datetime) -> list[ProtectionAlert]:
    return protection_alerts(_unit_pending(user, unit_id), now)


def unassigned_count(user: Any, unit_id: int) -> int:
    return unit_cases(user, unit_id).filter(assignee__isnull=True).count()


@dataclass(frozen=True)
class WorkloadRow:
    user: Any
    open_cases: int
    overdue_cases: int


def unit_staff(unit_id: int, today: date) -> list[Any]:
    """Active caseworkers and team leads of the unit (the people cases are assigned to), by name."""
    members = (
        Membership.objects.active(today)
        .filter(unit_id=unit_id, role__in=ASSIGNABLE_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user_id")
    )
    seen: dict[int, Any] = {}
    for m in members:
        seen.setdefault(m.user_id, m.user)
    return list(seen.values())


def workload(user: Any, unit_id: int, today: date) -> list[WorkloadRow]:
    """Per caseworker of the unit: open cases and cases with an overdue deadline. Two queries."""
    staff = unit_staff(unit_id, today)
    counts: dict[int, dict[str, Any]] = {
        row["assignee"]: dict(row)
        for row in unit_cases(user, unit_id)
        .filter(assignee__in=[u.pk for u in staff])
        .values("assignee")
        .annotate(
            open_cases=Count("pk", distinct=True),
            overdue_cases=Count("pk", filter=Q(deadlines__status=PENDING, deadlines__due_on__lt=today), distinct=True),
        )
    }
    return [
        WorkloadRow(u, counts.get(u.pk, {}).get("open_cases", 0), counts.get(u.pk, {}).get("overdue_cases", 0))
        for u in staff
    ]


def extensions_this_month(user: Any, unit_id: int, today: date) -> list[DeadlineExtension]:
    """R-TID-7 extensions decided this calendar month in the unit's cases (closed ones included)."""
    cases = visible_cases(user).filter(unit_id=unit_id).values("pk")
    return list(
        DeadlineExtension.objects.filter(case__in=cases, decided_on__gte=today.replace(day=1), decided_on__lte=today)
        .select_related("case", "decided_by")
        .order_by("-decided_on", "-pk")
    )


def investigations_over_four_months(user: Any, unit_id: int, today: date) -> list[Deadline]:
    """Running investigations opened more than four months ago (R-UTR-2, followup.md FU-M3), extended or not:
    the original due date is `add_months(opened_on, 4)`."""
    return list(
        _unit_pending(user, unit_id)
        .filter(kind="investigation")
        .annotate(four_months=Coalesce(F("original_due_on"), F("due_on")))
        .filter(four_months__lt=today)
        .select_related("case", "case__assignee")
        .order_by("started_on", "case_id")
    )


def reports_without_pre_assessment(user: Any, unit_id: int) -> int:
    """Reports whose pre-assessment decision (R-FORH-1) is not yet made."""
    return _unit_pending(user, unit_id).filter(kind="pre_assessment").count()


def unit_deadlines(user: Any, unit_id: int, today: date, *, kind: str | None, bucket: str | None) -> QuerySet[Deadline]:
    """The matrix's cells as a list: running deadlines of the unit filtered by kind and bucket."""
    qs = _unit_pending(user, unit_id)
    if kind:
        qs = qs.filter(kind=kind)
    if bucket:
        qs = qs.filter(bucket_filter(bucket, today))
    return qs.select_related("case", "case__subject", "case__assignee").order_by("due_on", "kind", "case_id")


# --- page 16: Ej fördelade ------------------------------------------------------------------------------------


def queue(
    user: Any,
    unit_id: int,
    *,
    kind: str | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
) -> QuerySet[Case]:
    """Unassigned open cases of the unit, with the latest intake's received date and kind and the next running
    deadline; ordered by that deadline (none last), then received date."""
    latest_intake = Intake.objects.filter(case=OuterRef("pk")).order_by("-received_at", "-pk")
    next_due = Deadline.objects.filter(case=OuterRef("pk"), status=PENDING).order_by("due_on").values("due_on")[:1]
    qs = (
        unit_cases(user, unit_id)
        .filter(assignee__isnull=True)
        .annotate(
            received_on=Coalesce(Subquery(latest_intake.values("received_on")[:1]), F("opened_on")),
            received_at=Subquery(latest_intake.values("received_at")[:1]),
            intake_kind=Subquery(latest_intake.values("kind")[:1]),
            next_due_on=Subquery(next_due),
        )
    )
    if kind:
        qs = qs.filter(intake_kind=kind)
    if received_from:
        qs = qs.filter(received_on__gte=received_from)
    if received_to:
        qs = qs.filter(received_on__lte=received_to)
    return qs.select_related("subject").order_by(F("next_due_on").asc(nulls_last=True), "received_on", "pk")


def queue_ids(user: Any, unit_id: int) -> set[int]:
    return set(unit_cases(user, unit_id).filter(assignee__isnull=True).values_list("pk", flat=True))


def caseload(user: Any, unit_id: int, today: date) -> list[tuple[Any, int]]:
    """The unit's caseworkers with their number of open cases in the unit (the assignment select)."""
    return [(row.user, row.open_cases) for row in workload(user, unit_id, today)]


# --- page 17: transfers ---------------------------------------------------------------------------------------


def transfer_target_units(case: Case) -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True, kind__in=CASE_UNIT_KINDS).exclude(pk=case.unit_id).order_by("name")


def pending_transfer(case: Case) -> Transfer | None:
    return case.transfers.filter(status=TransferStatus.REQUESTED).select_related("to_unit", "requested_by").first()


def led_unit_ids(user: Any) -> set[int]:
    return {m.unit_id for m in memberships_of(user) if m.role in LEAD_ROLES}


def incoming_transfers(user: Any) -> QuerySet[Transfer]:
    """Transfers waiting for one of the units the user leads. The case is not yet visible to the receiving
    unit, so the list shows the case number, the message and the running deadlines, never the person."""
    return (
        Transfer.objects.filter(status=TransferStatus.REQUESTED, to_unit_id__in=led_unit_ids(user))
        .select_related("case", "from_unit", "to_unit", "requested_by")
        .prefetch_related(
            Prefetch(
                "case__deadlines",
                queryset=Deadline.objects.filter(status=PENDING).order_by("due_on", "kind"),
                to_attr="pending_deadlines",
            )
        )
        .order_by("requested_at", "pk")
    )


def incoming_transfer(user: Any, transfer_id: int) -> Transfer | None:
    return incoming_transfers(user).filter(pk=transfer_id).first()
