"""Case pages: overview, decisions, events. Section pages of other apps extend `cases/case_base.html` and
get their case through `selectors.load_case` (access check + access log)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lotsen.cases import process, selectors
from lotsen.cases.models import Case
from lotsen.cases.sections import sections_for


def case_context(case: Case, section: str) -> dict[str, Any]:
    """Context every case section page needs for the case header and the sub navigation."""
    today = timezone.localdate()
    proc = process.get(case.process)
    return {
        "case": case,
        "person": case.subject,
        "age": case.subject.age_on(today),
        "phase_label": proc.phase(case.phase).label,
        "process_label": proc.label,
        "next_deadline": selectors.next_deadline(case, today),
        "sections": sections_for(case.pk, section),
        "today": today,
    }


def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.load_case(request, case_id, purpose="Visa ärende", view="cases:detail")
    context = case_context(case, "overview") | {
        "deadlines": selectors.deadline_views(case),
        "intakes": case.intakes.order_by("-received_at"),
        "extensions": case.extensions.select_related("decided_by").order_by("decided_on"),
        "recent_events": case.events.select_related("actor").order_by("-occurred_on", "-id")[:5],
    }
    return render(request, "cases/detail.html", context)


def events(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.load_case(request, case_id, purpose="Visa ärendets händelser", view="cases:events")
    context = case_context(case, "events") | {
        "events": case.events.select_related("actor").order_by("-occurred_on", "-id"),
    }
    return render(request, "cases/events.html", context)


def decisions(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.load_case(request, case_id, purpose="Visa ärendets beslut", view="cases:decisions")
    context = case_context(case, "decisions") | {
        "decisions": case.decisions.select_related("prepared_by", "delegate", "delegation_rule").order_by(
            "-prepared_at"
        ),
    }
    return render(request, "cases/decisions.html", context)
