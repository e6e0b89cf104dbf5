"""Reads of ekonomiskt bistånd. Everything starts from ``policies.visible_cases(user)``; pages that show a
person's data write access-log rows (R-SEK-4): one per person in a list, one per page for a case."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest
from django.utils import timezone

from lotsen.assistance.codes import BARRIERS
from lotsen.assistance.models import (
    Application,
    ApplicationDecision,
    ApplicationMember,
    ApplicationStatus,
    JobbstimulansWindow,
    MemberRole,
)
from lotsen.assistance.periods import add_months, month_start
from lotsen.audit.models import AccessLogEntry
from lotsen.audit.services import client_ip
from lotsen.cases.models import Case, Decision, ProcessCode
from lotsen.cases.selectors import load_case
from lotsen.core.models import UnitKind
from lotsen.policies.access import CASE_ROLES, memberships_of, roles, sees_all_units, visible_cases

if TYPE_CHECKING:
    from lotsen.people.models import Person


def eb_unit_ids(user: Any) -> set[int]:
    """Assistance units where the user handles cases."""
    return {m.unit_id for m in memberships_of(user) if m.role in CASE_ROLES and m.unit.kind == UnitKind.ASSISTANCE}


def may_handle_applications(user: Any) -> bool:
    return bool(eb_unit_ids(user)) or sees_all_units(user)


def may_see_statistics(user: Any) -> bool:
    """Aggregates without person data: EB staff, heads of social services, system administrators, auditors."""
    from lotsen.accounts.models import Role

    return may_handle_applications(user) or bool(roles(user) & {Role.SYSTEM_ADMIN, Role.AUDITOR})


def assistance_cases(user: Any) -> QuerySet[Case]:
    return visible_cases(user).filter(process=ProcessCode.ASSISTANCE)


def log_persons(request: HttpRequest, persons: list[Any], *, view: str, purpose: str) -> None:
    """A list shows names and numbers: one access-log row per person shown (R-SEK-4)."""
    if not persons:
        return
    from lotsen.accounts.units import current_membership

    membership = current_membership(request)
    unit_id = membership.unit_id if membership else None
    ip = client_ip(request)
    user = cast(Any, request.user)
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                user=user,
                person=p,
                unit_id=unit_id,
                view=view,
                purpose=purpose,
                ip=ip,
                case_id=getattr(p, "_case_id", None),
            )
            for p in persons
        ]
    )


# --- applications ------------------------------------------------------------------------------------------

QUEUE_STATUSES = (ApplicationStatus.RECEIVED, ApplicationStatus.READY, ApplicationStatus.NEEDS_COMPLETION)


def applications(user: Any, *, view: str = "queue", period: date | None = None) -> QuerySet[Application]:
    """The list page: ``queue`` (waiting for a caseworker), ``decided`` or ``all``."""
    qs = (
        Application.objects.filter(case__in=assistance_cases(user))
        .select_related("case", "case__subject", "latest_assessment", "decision")
        # The list shows none of the large JSON documents but the failed rules of the assessment.
        .defer(
            "household_snapshot",
            "costs",
            "incomes",
            "changed_circumstances",
            "decision__explanation",
            "decision__payload",
            "decision__decision_text",
            "decision__reasons",
            "decision__person_view",
        )
        .order_by("received_on", "id")
    )
    if view == "queue":
        qs = qs.filter(status__in=QUEUE_STATUSES)
    elif view == "decided":
        qs = (
            qs.filter(status=ApplicationStatus.DECIDED)
            .defer("latest_assessment__results")
            .order_by("-period", "-received_on", "-id")
        )
    else:
        qs = qs.order_by("-period", "-received_on", "-id")
    if period is not None:
        qs = qs.filter(period=period)
    return qs


def queue_counts(user: Any) -> dict[str, int]:
    rows = (
        Application.objects.filter(case__in=assistance_cases(user), status__in=QUEUE_STATUSES)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {r["status"]: r["n"] for r in rows}


def load_application(request: HttpRequest, application_id: int, *, purpose: str, view: str) -> Application:
    """An application through its case (access check and access log in ``cases.selectors.load_case``)."""
    case_id = Application.objects.filter(pk=application_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Http404
    case = load_case(request, case_id, purpose=purpose, view=view)
    if case.process != ProcessCode.ASSISTANCE:
        raise Http404
    app = (
        Application.objects.select_related(
            "decision", "decision__delegate", "latest_assessment", "latest_assessment__rule_set", "registered_by"
        )
        .prefetch_related("members__person", "attachments")
        .get(pk=application_id)
    )
    app.case = case  # the checked, prefetched case (deadlines, subject) for the case header
    return app


def load_decision(request: HttpRequest, decision_id: int, *, purpose: str, view: str) -> tuple[Decision, Case]:
    decision = (
        Decision.objects.filter(pk=decision_id, type="financial_assistance", status="signed")
        .select_related("delegate", "delegation_rule", "prepared_by", "replaces")
        .first()
    )
    if decision is None:
        raise Http404
    case = load_case(request, decision.case_id, purpose=purpose, view=view)
    return decision, case


def case_history(case: Case, *, before: date | None = None, limit: int = 13) -> list[Application]:
    qs = Application.objects.filter(case=case).select_related("decision").order_by("-period")
    if before is not None:
        qs = qs.filter(period__lt=before)
    return list(qs[:limit])


def windows_for(person_ids: list[int]) -> dict[int, list[JobbstimulansWindow]]:
    result: dict[int, list[JobbstimulansWindow]] = defaultdict(list)
    for w in JobbstimulansWindow.objects.filter(person_id__in=person_ids).order_by("start_month"):
        result[w.person_id].append(w)
    return result


def granted_months(person_ids: list[int], *, first: date, last: date) -> dict[int, list[date]]:
    """Months with granted aid per person (applicant or partner in a decided application with aid > 0)."""
    rows = (
        ApplicationMember.objects.filter(
            person_id__in=person_ids,
            role__in=(MemberRole.APPLICANT, MemberRole.PARTNER),
            application__status=ApplicationStatus.DECIDED,
            application__granted_amount__gt=0,
            application__period__gte=first,
            application__period__lte=last,
        )
        .values_list("person_id", "application__period")
        .distinct()
    )
    result: dict[int, list[date]] = defaultdict(list)
    for person_id, period in rows:
        result[person_id].append(period)
    for months in result.values():
        months.sort()
    return result


def months_in_a_row(months: list[date], until: date) -> int:
    """Consecutive months with aid ending with ``until`` (or the month before it)."""
    have = set(months)
    current = until if until in have else add_months(until, -1)
    n = 0
    while current in have:
        n += 1
        current = add_months(current, -1)
    return n


# --- long-term recipients ("Rätt försörjning") -------------------------------------------------------------------


@dataclass
class LongTermRow:
    person: Person
    case: Case
    role: str
    months: int
    in_a_row: int
    barrier: str
    barrier_label: str
    jobbstimulans: JobbstimulansWindow | None
    last_period: date
    months_list: list[date] = field(default_factory=list)


def long_term_recipients(
    user: Any, *, today: date | None = None, min_months: int = 10, window: int = 12
) -> tuple[list[LongTermRow], date, date]:
    """Adults with aid in at least ``min_months`` of the last ``window`` months (ending this month), with
    their försörjningshinder, for planning towards self-support (Rätt försörjning; FU-K1 uses 10 of 12)."""
    last = month_start(today or timezone.localdate())
    first = add_months(last, -(window - 1))
    rows = (
        ApplicationMember.objects.filter(
            role__in=(MemberRole.APPLICANT, MemberRole.PARTNER),
            application__case__in=assistance_cases(user),
            application__status=ApplicationStatus.DECIDED,
            application__granted_amount__gt=0,
            application__period__gte=first,
            application__period__lte=last,
        )
        .values("person_id")
        .annotate(n=Count("application__period", distinct=True))
        .filter(n__gte=min_months)
    )
    counts = {r["person_id"]: r["n"] for r in rows}
    if not counts:
        return [], first, last
    # Each person's latest decided month (DISTINCT ON), with only the columns the list shows.
    members = (
        ApplicationMember.objects.filter(
            person_id__in=list(counts),
            application__status=ApplicationStatus.DECIDED,
            application__period__gte=first,
            application__period__lte=last,
            application__case__in=assistance_cases(user),
        )
        .select_related("person", "application", "application__case")
        .only(
            "person_id",
            "role",
            "barrier_to_self_support",
            "application__period",
            "application__case__number",
            "person__first_name",
            "person__last_name",
            "person__pnr",
            "person__temp_id",
            "person__protection",
            "person__birth_date",
        )
        .order_by("person_id", "-application__period")
        .distinct("person_id")
    )
    latest: dict[int, ApplicationMember] = {m.person_id: m for m in members}
    months = granted_months(list(counts), first=first, last=last)
    windows = windows_for(list(counts))
    result = []
    for person_id, n in counts.items():
        m = latest[person_id]
        own = [w for w in windows.get(person_id, []) if w.covers(last)]
        result.append(
            LongTermRow(
                person=m.person,
                case=m.application.case,
                role=m.role,
                months=n,
                in_a_row=months_in_a_row(months.get(person_id, []), last),
                barrier=m.barrier_to_self_support,
                barrier_label=BARRIERS.get(m.barrier_to_self_support, ""),
                jobbstimulans=own[0] if own else None,
                last_period=m.application.period,
                months_list=months.get(person_id, []),
            )
        )
    result.sort(key=lambda r: (-r.months, -r.in_a_row, r.person.last_name, r.person.first_name))
    return result, first, last


def barrier_summary(rows: list[LongTermRow]) -> list[tuple[str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.barrier_label or "Försörjningshinder saknas"] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# --- share of automated decisions -------------------------------------------------------------------------------


@dataclass
class ShareRow:
    month: date
    total: int
    automated: int
    changed: int

    @property
    def share(self) -> float | None:
        return None if not self.total else self.automated * 100 / self.total


def automation_share(*, months: int = 12, today: date | None = None) -> list[ShareRow]:
    """Per month of signing: decisions on ekonomiskt bistånd, automated ones, and automated ones a caseworker
    later replaced. Aggregates only (no person data)."""
    last = month_start(today or timezone.localdate())
    first = add_months(last, -(months - 1))
    rows = (
        ApplicationDecision.objects.filter(decision__decided_on__gte=first)
        .annotate(month=TruncMonth("decision__decided_on"))
        .values("month")
        .annotate(total=Count("id"), automated=Count("id", filter=Q(automated=True)))
    )
    replaced_ids = set(
        Decision.objects.filter(type="financial_assistance", replaces__isnull=False, decided_on__gte=first).values_list(
            "replaces_id", flat=True
        )
    )
    changed_rows = (
        ApplicationDecision.objects.filter(automated=True, decision_id__in=replaced_ids)
        .annotate(month=TruncMonth("decision__decided_on"))
        .values("month")
        .annotate(n=Count("id"))
    )
    changed = {r["month"]: r["n"] for r in changed_rows}
    by_month = {r["month"]: r for r in rows}
    result = []
    month = first
    while month <= last:
        row = by_month.get(month)
        result.append(
            ShareRow(month, row["total"] if row else 0, row["automated"] if row else 0, changed.get(month, 0))
        )
        month = add_months(month, 1)
    return result
