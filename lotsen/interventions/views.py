"""Insatser och placeringar (UI.md page 15): the case section, the forms to carry out a decision, record a
care review or a visit, end an intervention, and the unit's list of decisions not carried out (R-VERK-1).

Case pages get their case through `lotsen.cases.selectors.load_case` (access check + access log) and extend
`cases/case_base.html`. Writes go through `lotsen.interventions.services`; a `DomainError` is shown next to
its field in the error summary (status 422)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsen.accounts.units import staff_user
from lotsen.cases.models import Case, CaseStatus, ProcessCode
from lotsen.cases.selectors import load_case
from lotsen.cases.views import case_context
from lotsen.core.errors import DomainError
from lotsen.interventions import forms, rules, selectors, services
from lotsen.interventions.models import InterventionKind
from lotsen.policies.access import can_work_on_case

LIST_PURPOSE = "Visa insatser och placeringar"


def _posted(request: HttpRequest) -> Any:
    """The POST data on a POST (also when empty: an empty form must show its errors), else None."""
    return request.POST if request.method == "POST" else None


def _add_domain_error(form: Form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _workable_case(request: HttpRequest, case_id: int, *, purpose: str, view: str) -> Case:
    case = load_case(request, case_id, purpose=purpose, view=view)
    if not can_work_on_case(request.user, case) or case.status == CaseStatus.CLOSED:
        raise PermissionDenied
    return case


def _form_page(
    request: HttpRequest,
    case: Case,
    form: Form,
    *,
    template: str,
    save: Callable[[], Any],
    success: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """POST-redirect-GET for the section's forms; invalid input answers 422 with the error summary."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("interventions:list", case_id=case.pk)
    context = case_context(case, "interventions") | {"form": form} | (extra or {})
    return render(request, template, context, status=422 if form.errors else 200)


def case_list(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose=LIST_PURPOSE, view="interventions:list")
    today = timezone.localdate()
    context = case_context(case, "interventions") | {
        "data": selectors.case_interventions(case, today),
        "can_work": case.status == CaseStatus.OPEN and can_work_on_case(request.user, case),
        "child": case.process == ProcessCode.CHILD,
    }
    return render(request, "interventions/list.html", context)


def start(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    case = _workable_case(request, case_id, purpose="Verkställ beslut", view="interventions:start")
    decision = selectors.executable_decision(case, decision_id)
    if decision is None:
        raise Http404
    form = forms.StartForm(
        _posted(request),
        decision=decision,
        providers=selectors.providers(),
        workers=selectors.eligible_workers(case),
        initial={"responsible_worker": case.assignee_id},
    )

    def save() -> None:
        data = form.cleaned_data
        services.intervention_start(
            actor=staff_user(request),
            decision=decision,
            kind=data["kind"],
            start_on=data["start_on"],
            provider=data["provider"],
            planned_end_on=data.get("planned_end_on"),
            responsible_worker=data.get("responsible_worker"),
            placement_form=data.get("placement_form") or "",
        )

    return _form_page(
        request,
        case,
        form,
        template="interventions/start.html",
        save=save,
        success=_("The decision has been carried out."),
        extra={"decision": decision, "reportable_from": rules.reportable_from(decision.decided_on)},  # type: ignore[arg-type]
    )


def end(request: HttpRequest, case_id: int, intervention_id: int) -> HttpResponse:
    case = _workable_case(request, case_id, purpose="Avsluta insats", view="interventions:end")
    intervention = selectors.case_intervention(case, intervention_id)
    if intervention is None or intervention.end_on is not None:
        raise Http404
    form = forms.EndForm(_posted(request))

    def save() -> None:
        data = form.cleaned_data
        services.intervention_end(
            actor=staff_user(request),
            intervention=intervention,
            end_on=data["end_on"],
            end_reason=data["end_reason"],
            note=data.get("note") or "",
        )

    is_placement = intervention.kind == InterventionKind.PLACEMENT
    return _form_page(
        request,
        case,
        form,
        template="interventions/end.html",
        save=save,
        success=_("The placement has been ended.") if is_placement else _("The intervention has been ended."),
        extra={"intervention": intervention, "is_placement": is_placement, "child": case.process == ProcessCode.CHILD},
    )


def _placement_or_404(case: Case, intervention_id: int) -> Any:
    placement = selectors.case_placement(case, intervention_id)
    if placement is None or placement.intervention.end_on is not None:
        raise Http404
    return placement


def care_review(request: HttpRequest, case_id: int, intervention_id: int) -> HttpResponse:
    case = _workable_case(request, case_id, purpose="Registrera övervägande", view="interventions:care_review")
    if case.process != ProcessCode.CHILD:
        raise Http404
    placement = _placement_or_404(case, intervention_id)
    form = forms.CareReviewForm(_posted(request))

    def save() -> None:
        data = form.cleaned_data
        services.care_review_record(
            actor=staff_user(request),
            placement=placement,
            reviewed_on=data["reviewed_on"],
            committee_reference=data["committee_reference"],
            conclusion=data["conclusion"],
            note=data.get("note") or "",
        )

    return _form_page(
        request,
        case,
        form,
        template="interventions/care_review.html",
        save=save,
        success=_("The care review has been recorded. The next review is due within six months."),
        extra={"placement": placement},
    )


def visit(request: HttpRequest, case_id: int, intervention_id: int) -> HttpResponse:
    case = _workable_case(request, case_id, purpose="Registrera besök", view="interventions:visit")
    placement = _placement_or_404(case, intervention_id)
    form = forms.VisitForm(_posted(request), child=case.process == ProcessCode.CHILD)

    def save() -> None:
        data = form.cleaned_data
        services.visit_record(
            actor=staff_user(request),
            placement=placement,
            visited_on=data["visited_on"],
            spoke_alone=bool(data.get("spoke_alone")),
            note=data.get("note") or "",
        )

    return _form_page(
        request,
        case,
        form,
        template="interventions/visit.html",
        save=save,
        success=_("The visit has been recorded."),
        extra={"placement": placement},
    )


def plans(request: HttpRequest, case_id: int, intervention_id: int) -> HttpResponse:
    case = _workable_case(request, case_id, purpose="Registrera vårdplan", view="interventions:plans")
    placement = _placement_or_404(case, intervention_id)
    child = case.process == ProcessCode.CHILD
    form = forms.PlansForm(
        _posted(request),
        child=child,
        initial={"care_plan_on": placement.care_plan_on, "implementation_plan_on": placement.implementation_plan_on},
    )

    def save() -> None:
        data = form.cleaned_data
        services.placement_plans_record(
            actor=staff_user(request),
            placement=placement,
            care_plan_on=data.get("care_plan_on"),
            implementation_plan_on=data.get("implementation_plan_on") if child else placement.implementation_plan_on,
        )

    return _form_page(
        request,
        case,
        form,
        template="interventions/plans.html",
        save=save,
        success=_("The plans have been saved."),
        extra={"placement": placement, "child": child},
    )


def delay(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    case = _workable_case(request, case_id, purpose="Ange skäl till dröjsmål", view="interventions:delay")
    decision = selectors.executable_decision(case, decision_id)
    if decision is None:
        raise Http404
    form = forms.DelayForm(_posted(request))

    def save() -> None:
        services.delay_reason_record(
            actor=staff_user(request),
            decision=decision,
            reason=form.cleaned_data["reason"],
            requested_by_person=bool(form.cleaned_data.get("requested_by_person")),
        )

    return _form_page(
        request,
        case,
        form,
        template="interventions/delay.html",
        save=save,
        success=_("The reason for the delay has been saved."),
        extra={"decision": decision, "reportable_from": rules.reportable_from(decision.decided_on)},  # type: ignore[arg-type]
    )


# --- the unit's list (R-VERK-1) -------------------------------------------------------------------------------


def _quarter_choices(today: Any, count: int = 8) -> list[tuple[str, str]]:
    year, quarter = rules.quarter_of(today)
    choices = []
    for _i in range(count):
        _first, last = rules.quarter_bounds(year, quarter)
        label = _("Quarter %(quarter)s %(year)s") % {"quarter": quarter, "year": year}
        if last >= today:
            label = _("%(label)s (ongoing)") % {"label": label}
        choices.append((f"{year}-{quarter}", label))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return choices


def unexecuted(request: HttpRequest) -> HttpResponse:
    """Ej verkställda beslut: the unit's favourable decisions not carried out within three months (R-VERK-1),
    today and per quarter. Case numbers only: no names, so nothing here is a read of a person's data."""
    if not selectors.can_see_unexecuted(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    choices = _quarter_choices(today)
    default = choices[1][0]  # the last completed quarter
    form = forms.QuarterForm(request.GET or None, choices=choices, initial={"quarter": default})
    chosen = default
    if form.is_bound and form.is_valid() and form.cleaned_data.get("quarter"):
        chosen = form.cleaned_data["quarter"]
    year, quarter = (int(part) for part in chosen.split("-"))
    unit_ids = selectors.report_unit_ids(request.user)
    context = {
        "form": form,
        "today": today,
        "rows": selectors.unexecuted_decisions(request.user, today, unit_ids),
        "report": selectors.quarter_report(request.user, year, quarter, unit_ids),
        "units": selectors.report_units(request.user),
    }
    return render(request, "interventions/unexecuted.html", context, status=422 if form.errors else 200)
