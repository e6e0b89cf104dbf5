"""Case pages: overview, decisions, events. Section pages of other apps extend `cases/case_base.html` and
get their case through `selectors.load_case` (access check + access log)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from lotsen.accounts.units import staff_user
from lotsen.cases import process, selectors, services
from lotsen.cases.models import Case
from lotsen.cases.sections import sections_for
from lotsen.core.errors import DomainError
from lotsen.core.forms import GovukForm


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
        "sections": sections_for(case.pk, section, case.process),
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


CLOSE_REASONS = [
    ("completed", _("The intervention or investigation is completed")),
    ("no_need", _("No further need")),
    ("moved", _("The person has moved to another municipality")),
    ("declined", _("The person declined further contact")),
    ("deceased", _("The person has died")),
    ("other", _("Other reason")),
]


class CloseForm(GovukForm):
    reason = forms.ChoiceField(
        label=_("Why is the case closed?"),
        choices=CLOSE_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select why the case is closed")},
    )


def close(request: HttpRequest, case_id: int) -> HttpResponse:
    """Avsluta ärende: refused by the service while a report lacks its protection assessment or
    pre-assessment decision (R-SKYDD-1, R-FORH-1)."""
    case = selectors.load_case(request, case_id, purpose="Avsluta ärende", view="cases:close")
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(
                actor=staff_user(request),
                case=case,
                reason=form.cleaned_data["reason"],
                closed_on=timezone.localdate(),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, gettext_now("The case is closed."))
            return redirect("cases:detail", case_id=case.pk)
    context = case_context(case, "overview") | {"form": form}
    return render(request, "cases/close.html", context, status=422 if form.errors else 200)
