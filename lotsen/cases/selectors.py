"""Reads of cases. Everything starts from `policies.visible_cases(user)`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from lotsen.audit.services import log_access
from lotsen.cases.models import Case, CaseStatus, Deadline
from lotsen.policies.access import emergency_access_for, visible_cases


def case_for(user: Any, case_id: int) -> Case | None:
    return (
        visible_cases(user)
        .select_related("subject", "unit", "assignee")
        .prefetch_related(Prefetch("deadlines", queryset=Deadline.objects.order_by("due_on", "kind")))
        .filter(pk=case_id)
        .first()
    )


def load_case(request: HttpRequest, case_id: int, *, purpose: str, view: str) -> Case:
    """The one way a view gets a case: access checked, and the read logged (R-SEK-4). 404 when the case does
    not exist or is not visible (the same answer: no disclosure)."""
    case = case_for(request.user, case_id)
    if case is None:
        raise Http404
    log_access(
        request=request,
        person=case.subject,
        purpose=purpose,
        view=view,
        case_id=case.pk,
        emergency_access=emergency_access_for(request.user, case.subject),
    )
    return case


@dataclass(frozen=True)
class DeadlineView:
    """A deadline as shown (UI.md 2.5): status words, days left, plan-by and the original date."""

    deadline: Deadline
    today: date

    @property
    def done(self) -> bool:
        return self.deadline.status != "pending"

    @property
    def days_left(self) -> int:
        return (self.deadline.due_on - self.today).days

    @property
    def state(self) -> str:
        d = self.deadline
        if d.status == "met":
            return "met"
        if d.status in ("late", "late_within_sunday_rule"):
            return d.status
        if self.today > d.due_on:
            return "overdue"
        if self.today == d.due_on:
            return "today"
        if self.days_left <= WARNING_DAYS.get(d.kind, 7):
            return "soon"
        return "open"


# Warning thresholds (settings in the UI guide: R-FORH-1 day 10 → 4 days left, R-UTR-2 two weeks).
WARNING_DAYS = {"protection_assessment": 0, "pre_assessment": 4, "investigation": 14, "reporter_feedback": 2,
                "care_review": 42}  # fmt: skip


def deadline_views(case: Case, today: date | None = None) -> list[DeadlineView]:
    day = today or timezone.localdate()
    return [DeadlineView(d, day) for d in case.deadlines.all()]


def next_deadline(case: Case, today: date | None = None) -> DeadlineView | None:
    pending = [v for v in deadline_views(case, today) if not v.done]
    return min(pending, key=lambda v: v.deadline.due_on) if pending else None


def open_cases_for_person(user: Any, person_id: int) -> QuerySet[Case]:
    """Cases shown on a person page. A case that ended with `inleds_ej` is not shown in general lists: it is
    reached only through the report register (R-FORH-3)."""
    return (
        visible_cases(user)
        .filter(subject_id=person_id)
        .exclude(status=CaseStatus.CLOSED, close_reason="inleds_ej")
        .select_related("unit", "assignee")
        .order_by("-opened_on")
    )
