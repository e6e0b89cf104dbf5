"""Caseworker and administrator pages of ekonomiskt bistånd (UI.md pages 18, 19, 21, 27 and the lists).

Cases are reached only through ``cases.selectors.load_case`` (access check + access log); lists log one row
per person shown. Writes go through ``services``; domain errors come back next to their field (status 422).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from lotsen.accounts.units import staff_user
from lotsen.assistance import automation, calc, letters, selectors, services
from lotsen.assistance.codes import BARRIERS
from lotsen.assistance.forms import (
    AdjustmentFormSet,
    CompletionForm,
    DecisionForm,
    ListFilterForm,
    LookupForm,
    NoticeForm,
    RegisterForm,
    RuleSetForm,
    TableUploadForm,
    adjustment_initial,
    adjustment_targets,
)
from lotsen.assistance.models import (
    Application,
    ApplicationDecision,
    ApplicationStatus,
    Attachment,
    AutomationRuleSet,
    MemberRole,
    NormTableStatus,
    NormTableVersion,
)
from lotsen.assistance.norm import INCOME_LABELS, OTHER_NEED_LABELS, REASONABLE_COST_LABELS
from lotsen.assistance.periods import add_months, month_label, month_start, parse_month
from lotsen.cases.models import Decision
from lotsen.cases.views import case_context
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.policies.access import can_work_on_case, roles

REGISTER_SESSION_KEY = "assistance_register_person"


def _post(request: HttpRequest) -> Any:
    """The POST data on a POST (also when empty: an empty form must be validated), else None."""
    return request.POST if request.method == "POST" else None


def _posted(request: HttpRequest) -> tuple[Any, Any]:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _require_eb(request: HttpRequest) -> None:
    if not selectors.may_handle_applications(request.user):
        raise PermissionDenied


def _require_admin(request: HttpRequest) -> None:
    from lotsen.accounts.models import Role

    if Role.SYSTEM_ADMIN not in roles(request.user):
        raise PermissionDenied


def _form_error(form: Any, exc: DomainError) -> None:
    field = exc.field if exc.field in getattr(form, "fields", {}) else None
    form.add_error(field, exc.message)


# --- the list (queue) ----------------------------------------------------------------------------------------


def application_list(request: HttpRequest) -> HttpResponse:
    _require_eb(request)
    today = timezone.localdate()
    form = ListFilterForm(request.GET or None, today=today)
    view = (form.cleaned_data.get("view") if form.is_valid() else "") or "queue"
    period = form.period_value() if request.GET else None
    qs = selectors.applications(request.user, view=view, period=period)
    page = Paginator(qs, 50).get_page(request.GET.get("sida"))
    rows = []
    for app in page:
        assessment = app.latest_assessment
        reason = ""
        if app.status != ApplicationStatus.DECIDED:
            if app.status == ApplicationStatus.NEEDS_COMPLETION:
                reason = pgettext("assistance", "Waiting for the applicant's completion.")
            elif assessment is not None:
                reason = automation.queue_reason(assessment.results)
            elif app.status == ApplicationStatus.READY:
                reason = pgettext("assistance", "Automated decisions are not switched on.")
        rows.append({"app": app, "reason": reason})
    persons = []
    for app in page:
        person = app.case.subject
        person._case_id = app.case_id  # type: ignore[attr-defined]
        persons.append(person)
    selectors.log_persons(request, persons, view="assistance:applications", purpose="Ansökningar om ekonomiskt bistånd")
    query = urlencode({k: v for k, v in {"view": view, "period": request.GET.get("period", "")}.items() if v})
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "query": query,
        "view": view,
        "counts": selectors.queue_counts(request.user),
        "period_label": month_label(period) if period else "",
    }
    return render(request, "assistance/list.html", context)


# --- registering an application ------------------------------------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    """Step 1: the applicant's personnummer (a POST: no personal data in the URL)."""
    _require_eb(request)
    from lotsen.people.personnummer import InvalidIdentityNumber, parse
    from lotsen.policies.access import visible_persons

    form = LookupForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            number = parse(form.cleaned_data["pnr"], today=timezone.localdate())
        except InvalidIdentityNumber as exc:
            form.add_error("pnr", exc.message_sv)
        else:
            person = visible_persons(request.user).filter(pnr=number.normalized).first()
            if person is None:
                form.add_error("pnr", pgettext("assistance", "No person with that personal identity number was found"))
            else:
                request.session[REGISTER_SESSION_KEY] = person.pk
                return redirect("assistance:register_details")
    return render(request, "assistance/register_lookup.html", {"form": form}, status=422 if form.errors else 200)


def _register_relatives(person: Any) -> tuple[list[Any], list[Any]]:
    from django.db.models import Q

    from lotsen.people.models import HouseholdMember, Person, Relation, RelationKind

    today = timezone.localdate()
    partner_ids = set(
        Relation.objects.filter(kind=RelationKind.PARTNER_OF, from_person=person).values_list("to_person_id", flat=True)
    ) | set(
        Relation.objects.filter(kind=RelationKind.PARTNER_OF, to_person=person).values_list("from_person_id", flat=True)
    )
    child_ids = set(
        Relation.objects.filter(
            kind__in=(RelationKind.GUARDIAN_OF, RelationKind.PARENT_OF), from_person=person
        ).values_list("to_person_id", flat=True)
    )
    household_ids = HouseholdMember.objects.filter(person=person).values("household_id")
    for member in HouseholdMember.objects.filter(household_id__in=household_ids).exclude(person=person):
        if member.role == "partner":
            partner_ids.add(member.person_id)
        elif member.role == "child":
            child_ids.add(member.person_id)
    partners = list(Person.objects.filter(pk__in=partner_ids, deceased_on__isnull=True).order_by("birth_date"))
    children = [
        c
        for c in Person.objects.filter(Q(pk__in=child_ids), deceased_on__isnull=True).order_by("birth_date")
        if c.birth_date is None or (c.age_on(today) or 0) < 18
    ]
    return partners, children


def register_details(request: HttpRequest) -> HttpResponse:
    """Step 2: household (from the population register), costs and incomes, on one page."""
    _require_eb(request)
    from lotsen.policies.access import visible_persons

    person_id = request.session.get(REGISTER_SESSION_KEY)
    person = visible_persons(request.user).filter(pk=person_id).first() if person_id else None
    if person is None:
        return redirect("assistance:register")
    partners, children = _register_relatives(person)
    today = timezone.localdate()
    form = RegisterForm(
        _post(request),
        today=today,
        partners=partners,
        children=children,
        initial={"period": f"{month_start(today):%Y-%m}"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_id = {str(p.pk): p for p in [*partners, *children]}
        lunch = set(data["lunch_away"])
        household = services.HouseholdInput(
            partner=by_id.get(data["partner"]) if data["partner"] else None,
            children=[services.ChildInput(by_id[c], lunch_away_weekdays=c in lunch) for c in data["children"]],
            shared_total_persons=data.get("shared_total_persons"),
        )
        costs = [services.CostInput(code, data[f"cost_{code}"] or 0) for code in REASONABLE_COST_LABELS]
        incomes = []
        for name, value in data.items():
            if name.startswith("income_") and value:
                _prefix, member, income = name.split("_", 2)
                incomes.append(services.IncomeInput(member, income, value))
        try:
            app = services.application_submit(
                applicant=person,
                period=parse_month(data["period"]),
                channel="caseworker",
                household=household,
                reasonable_costs=costs,
                incomes=incomes,
                message=data.get("message") or "",
                registered_by=staff_user(request),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            services.assess(app)
            request.session.pop(REGISTER_SESSION_KEY, None)
            messages.success(
                request,
                pgettext("assistance", "The application for %(month)s is registered.")
                % {"month": month_label(app.period)},
            )
            return redirect("assistance:application", application_id=app.pk)
    shown = [person, *partners, *children]
    selectors.log_persons(request, shown, view="assistance:register_details", purpose="Registrera ansökan")
    context = {"form": form, "person": person, "partners": partners, "children": children}
    return render(request, "assistance/register_details.html", context, status=422 if form.errors else 200)


# --- the case's applications (a case section) -------------------------------------------------------------------


def case_applications(request: HttpRequest, case_id: int) -> HttpResponse:
    """The applications of one case, month by month (the case section "Ansökningar")."""
    from lotsen.cases.selectors import load_case

    case = load_case(request, case_id, purpose="Visa ansökningar om ekonomiskt bistånd", view="assistance:case")
    applications = list(
        Application.objects.filter(case=case).select_related("decision", "latest_assessment").order_by("-period")
    )
    rows = [
        {
            "app": app,
            "reason": automation.queue_reason(app.latest_assessment.results)
            if app.latest_assessment is not None and app.status != ApplicationStatus.DECIDED
            else "",
        }
        for app in applications
    ]
    context = case_context(case, "applications") | {"rows": rows}
    return render(request, "assistance/case_applications.html", context)


# --- page 18: the application --------------------------------------------------------------------------------


def _member_rows(app: Application) -> list[dict[str, Any]]:
    persons = {m.person_id: m.person for m in app.members.all()}
    members = {m.member_id: m for m in app.members.all()}
    rows = []
    for item in app.household_snapshot["members"]:
        person = persons.get(item["person_id"])
        member = members.get(item["id"])
        rows.append(
            {
                "id": item["id"],
                "person": person,
                "role": item["role"],
                "age": person.age_on(app.period) if person else None,
                "lunch_away": item.get("lunch_away_weekdays", False),
                "in_school": item.get("in_school"),
                "barrier": BARRIERS.get(member.barrier_to_self_support, "") if member else "",
            }
        )
    return rows


def _names(app: Application) -> dict[str, str]:
    rows = _member_rows(app)
    return {r["id"]: r["person"].full_name for r in rows if r["person"] is not None}


def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    app = selectors.load_application(
        request, application_id, purpose="Visa ansökan om ekonomiskt bistånd", view="assistance:application"
    )
    case = app.case
    members = _member_rows(app)
    names = {r["id"]: r["person"].full_name for r in members if r["person"]}
    adults = [r for r in members if r["role"] != MemberRole.CHILD and r["person"]]
    history = selectors.case_history(case, before=app.period)
    months = selectors.granted_months(
        [r["person"].pk for r in adults], first=add_months(app.period, -23), last=add_months(app.period, -1)
    )
    windows = selectors.windows_for([r["person"].pk for r in adults])
    adult_rows = [
        {
            "member": r,
            "in_a_row": selectors.months_in_a_row(months.get(r["person"].pk, []), add_months(app.period, -1)),
            "months": len(months.get(r["person"].pk, [])),
            "window": next((w for w in windows.get(r["person"].pk, []) if w.covers(app.period)), None),
        }
        for r in adults
    ]
    assessment = app.latest_assessment
    context = case_context(case, "applications") | {
        "app": app,
        "members": members,
        "adult_rows": adult_rows,
        "cost_rows": [(REASONABLE_COST_LABELS[c["type"]], c) for c in app.costs.get("reasonable_costs", [])],
        "need_rows": [(OTHER_NEED_LABELS[c["type"]], c) for c in app.costs.get("other_needs", [])],
        "income_rows": [(INCOME_LABELS[i["type"]], names.get(i["member_id"], ""), i) for i in app.incomes],
        "history": history,
        "assessment": assessment,
        "failed_rules": [r for r in assessment.results if not r["passed"]] if assessment else [],
        "completion_requests": app.completion_requests.select_related("requested_by"),
        "flags": [automation.FLAG_LABELS.get(f, f) for f in app.flags],
        "changed": [automation.CHANGE_LABELS[k] for k, v in (app.changed_circumstances or {}).items() if v],
        "can_work": can_work_on_case(request.user, case),
        "period_label": month_label(app.period),
    }
    return render(request, "assistance/application.html", context)


def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    attachment = Attachment.objects.filter(pk=attachment_id, application__isnull=False).first()
    if attachment is None:
        raise Http404
    assert attachment.application_id is not None
    selectors.load_application(request, attachment.application_id, purpose="Visa bilaga", view="assistance:attachment")
    suffix = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(attachment.content_type, "bin")
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=f"bilaga-{attachment.pk}.{suffix}",
    )
    return response


@require_POST
def attachment_check(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = Attachment.objects.filter(pk=attachment_id, application__isnull=False).first()
    if attachment is None:
        raise Http404
    assert attachment.application_id is not None
    selectors.load_application(
        request, attachment.application_id, purpose="Kontrollera bilaga", view="assistance:attachment_check"
    )
    try:
        services.attachment_check(actor=request.user, attachment=attachment)  # type: ignore[arg-type]
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    messages.success(request, pgettext("assistance", "The attachment is marked as checked."))
    return redirect("assistance:application", application_id=attachment.application_id)


def completion(request: HttpRequest, application_id: int) -> HttpResponse:
    app = selectors.load_application(
        request, application_id, purpose="Begär komplettering", view="assistance:completion"
    )
    if not can_work_on_case(request.user, app.case):
        raise PermissionDenied
    form = CompletionForm(_post(request))
    if request.method == "POST" and form.is_valid():
        try:
            request_row = services.completion_request(
                actor=staff_user(request),
                application=app,
                message=form.cleaned_data["message"],
                due_on=form.cleaned_data["due_on"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                pgettext("assistance", "The applicant is asked to complete the application by %(day)s.")
                % {"day": request_row.due_on.isoformat()},
            )
            return redirect("assistance:application", application_id=app.pk)
    context = case_context(app.case, "applications") | {
        "app": app,
        "form": form,
        "period_label": month_label(app.period),
    }
    return render(request, "assistance/completion.html", context, status=422 if form.errors else 200)


# --- page 19: calculation and decision -----------------------------------------------------------------------


def _suggested_reasons(result: dict[str, Any] | None) -> str:
    if not result:
        return ""
    from lotsen.assistance.automation import kr

    if result["entitlement"] > 0:
        return (
            f"Hushållets behov enligt riksnormen och skäliga kostnader är {kr(result['need_total'])}. "
            f"Inkomster som räknas är {kr(result['income_counted_total'])}. Hushållet har rätt till "
            f"{kr(result['entitlement'])} (socialtjänstlagen 12 kap. 1 och 7 §§)."
        )
    return (
        f"Hushållets inkomster som räknas, {kr(result['income_counted_total'])}, är lika höga som eller högre än "
        f"behovet {kr(result['need_total'])}. Hushållet kan därför tillgodose sitt behov på annat sätt "
        "(socialtjänstlagen 12 kap. 1 §)."
    )


def calculation(request: HttpRequest, application_id: int) -> HttpResponse:
    app = selectors.load_application(
        request, application_id, purpose="Beräkna och besluta ekonomiskt bistånd", view="assistance:calculation"
    )
    case = app.case
    can_decide = can_work_on_case(request.user, case)
    targets = adjustment_targets(app.costs)
    names = _names(app)
    adults = [
        (m["id"], names.get(m["id"], m["id"]))
        for m in app.household_snapshot["members"]
        if m["role"] != MemberRole.CHILD
    ]
    action = request.POST.get("action") if request.method == "POST" else None
    status = 200
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        formset = AdjustmentFormSet(request.POST, prefix="adj", targets=targets)
        decision_form = DecisionForm(
            request.POST if action == "decide" else None, adults=adults, initial=_decision_initial(request.POST, adults)
        )
        formset_valid = formset.is_valid()
        adjustments = formset.adjustments()
    else:
        adjustments = services.carried_adjustments(app)
        formset = AdjustmentFormSet(prefix="adj", targets=targets, initial=adjustment_initial(adjustments))
        decision_form = None
        formset_valid = True
    preview = services.preview(app, adjustments)
    adjustment_error = ""
    try:
        calc.validate_adjustments(app.costs, adjustments)
    except DomainError as exc:
        adjustment_error = exc.message
    if decision_form is None:
        result = preview.result
        initial: dict[str, Any] = {
            "outcome": ("granted" if result and result["entitlement"] > 0 else "rejected") if result else "",
            "reasons": _suggested_reasons(result),
            "based_on": str(app.decision_id or ""),
        }
        for member in app.members.all():
            if member.role != MemberRole.CHILD and member.barrier_to_self_support:
                initial[f"barrier_{member.member_id}"] = member.barrier_to_self_support
        if app.decision_id and app.decision:
            initial["outcome"] = app.decision.outcome
            initial["reasons"] = app.decision.reasons
        decision_form = DecisionForm(adults=adults, initial=initial)
    if request.htmx and request.method == "POST":  # type: ignore[attr-defined]
        # Every htmx request on this page is a preview while typing (the buttons post normally): only the
        # calculation region is swapped, focus stays in the field, and nothing is decided.
        context = _calculation_context(app, preview, adjustments, adjustment_error, names)
        return render(request, "assistance/calculation.html#calculation", context)
    if action == "decide" and decision_form.is_valid() and formset_valid and not adjustment_error:
        data = decision_form.cleaned_data
        based_on = int(data["based_on"]) if data.get("based_on") else None
        try:
            decision = services.decide(
                actor=staff_user(request),
                application=app,
                outcome=data["outcome"],
                reasons=data["reasons"],
                adjustments=adjustments,
                barriers=decision_form.barriers(),
                require_manual_next=data.get("require_manual_next", False),
                require_manual_reason=data.get("require_manual_reason") or "",
                based_on_decision_id=based_on,
            )
        except DomainError as exc:
            target = exc.field if exc.field in decision_form.fields else None
            if exc.field and exc.field.startswith("barrier_") and exc.field in decision_form.fields:
                target = exc.field
            decision_form.add_error(target, exc.message)
        else:
            messages.success(
                request, pgettext("assistance", "Decision %(number)s is made.") % {"number": decision.number}
            )
            return redirect("assistance:decision", decision_id=decision.pk)
    if request.method == "POST" and (
        decision_form.errors or not formset_valid or adjustment_error or formset.non_form_errors()
    ):
        status = 422
    elif action == "recalculate":
        # "Beräkna igen" without JavaScript: the valid rows plus a new empty row for the next adjustment.
        formset = AdjustmentFormSet(prefix="adj", targets=targets, initial=adjustment_initial(adjustments))
    context = (
        case_context(case, "applications")
        | _calculation_context(app, preview, adjustments, adjustment_error, names)
        | {
            "formset": formset,
            "decision_form": decision_form,
            "can_decide": can_decide,
            "adjustment_errors": [e for f in formset.forms for e in _form_errors(f)],
            "has_errors": status == 422,
        }
    )
    return render(request, "assistance/calculation.html", context, status=status)


def _decision_initial(data: Any, adults: list[tuple[str, str]]) -> dict[str, Any]:
    initial = {k: data.get(k, "") for k in ("outcome", "reasons", "based_on", "require_manual_reason")}
    initial["require_manual_next"] = bool(data.get("require_manual_next"))
    for member_id, _label in adults:
        initial[f"barrier_{member_id}"] = data.get(f"barrier_{member_id}", "")
    return initial


def _form_errors(form: Any) -> list[tuple[str, str]]:
    items = []
    for name, errors in form.errors.items():
        for error in errors:
            items.append((f"{form[name].auto_id}{'_0' if name == 'direction' else ''}", error))
    return items


def _calculation_context(
    app: Application,
    preview: services.Preview,
    adjustments: list[calc.Adjustment],
    error: str,
    names: dict[str, str],
) -> dict[str, Any]:
    result = preview.result
    return {
        "app": app,
        "period_label": month_label(app.period),
        "result": result,
        "calc_error": preview.error,
        "calc_sections": calc.table_sections(result, app.costs, names) if result else [],
        "document": preview.document,
        "adjustments": adjustments,
        "adjustment_error": error,
        "warnings": [w["message"] for w in result["warnings"]] if result else [],
    }


# --- page 21 (staff): how the decision was made, the letter --------------------------------------------------


def decision_detail(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision, case = selectors.load_decision(
        request, decision_id, purpose="Visa beslut om ekonomiskt bistånd", view="assistance:decision"
    )
    letter = letters.build(decision)
    link = ApplicationDecision.objects.filter(decision=decision).select_related("application", "calculation").first()
    notice_form = None
    if letter.notified_on is None and can_work_on_case(request.user, case):
        notice_form = NoticeForm(_post(request))
        if request.method == "POST" and notice_form.is_valid():
            services.notice_record(
                decision=decision,
                channel=notice_form.cleaned_data["channel"],
                on=notice_form.cleaned_data["notified_on"],
                recorded_by=staff_user(request),
            )
            messages.success(
                request, pgettext("assistance", "The date the applicant received the decision is recorded.")
            )
            return redirect("assistance:decision", decision_id=decision.pk)
    replaced_by = Decision.objects.filter(replaces=decision).only("id", "number").first()
    context = case_context(case, "decisions") | {
        "decision": decision,
        "letter": letter,
        "application": link.application if link else None,
        "explanation": decision.explanation or {},
        "input_json": _pretty(link.calculation.input if link else None),
        "notice_form": notice_form,
        "replaced_by": replaced_by,
    }
    return render(
        request,
        "assistance/decision.html",
        context,
        status=422 if notice_form is not None and notice_form.errors else 200,
    )


def _pretty(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, indent=2) if value is not None else ""


def decision_pdf(request: HttpRequest, decision_id: int) -> HttpResponse:
    decision, _case = selectors.load_decision(
        request, decision_id, purpose="Visa beslutsbrev", view="assistance:decision_pdf"
    )
    pdf = letters.render_pdf(letters.build(decision))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="beslut-{decision.number}.pdf"'
    return response


# --- planning and follow-up ----------------------------------------------------------------------------------


def long_term(request: HttpRequest) -> HttpResponse:
    _require_eb(request)
    try:
        min_months = max(6, min(12, int(request.GET.get("minst", "10"))))
    except ValueError:
        min_months = 10
    rows, first, last = selectors.long_term_recipients(request.user, min_months=min_months)
    persons = []
    for row in rows:
        row.person._case_id = row.case.pk  # type: ignore[attr-defined]
        persons.append(row.person)
    selectors.log_persons(request, persons, view="assistance:long_term", purpose="Planering: långvarigt bistånd")
    context = {
        "rows": rows,
        "first": first,
        "last": last,
        "first_label": month_label(first),
        "last_label": month_label(last),
        "min_months": min_months,
        "choices": range(6, 13),
        "barriers": selectors.barrier_summary(rows),
    }
    return render(request, "assistance/long_term.html", context)


def automation_share(request: HttpRequest) -> HttpResponse:
    if not selectors.may_see_statistics(request.user):
        raise PermissionDenied
    rows = selectors.automation_share()
    totals = {
        "total": sum(r.total for r in rows),
        "automated": sum(r.automated for r in rows),
        "changed": sum(r.changed for r in rows),
    }
    share = totals["automated"] * 100 / totals["total"] if totals["total"] else None
    context = {"rows": rows, "totals": totals, "share": share, "chart": _share_chart(rows)}
    return render(request, "assistance/automation_share.html", context)


def _share_chart(rows: list[selectors.ShareRow]) -> dict[str, Any]:
    """Bars for the share per month, drawn server-side as SVG (UI.md 5), the table beside it has the numbers."""
    width, height, left, bottom = 640, 240, 40, 30
    bar_w = (width - left - 10) / max(len(rows), 1)
    bars = []
    for i, row in enumerate(rows):
        share = row.share or 0.0
        h = (height - bottom - 10) * share / 100
        bars.append(
            {
                "x": round(left + i * bar_w + bar_w * 0.15, 1),
                "y": round(height - bottom - h, 1),
                "w": round(bar_w * 0.7, 1),
                "h": round(h, 1),
                "label": row.month.strftime("%m"),
                "label_x": round(left + i * bar_w + bar_w / 2, 1),
                "value": f"{share:.0f}",
            }
        )
    last = rows[-1] if rows else None
    desc = ""
    if last is not None:
        share_text = f"{last.share:.1f}".replace(".", ",") if last.share is not None else "–"
        desc = (
            f"{month_label(last.month).capitalize()}: {share_text} % automatiserade beslut "
            f"({last.automated} av {last.total})."
        )
    grid = [{"y": round(height - bottom - (height - bottom - 10) * p / 100, 1), "label": p} for p in (0, 50, 100)]
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "desc": desc,
        "grid": grid,
        "base": height - bottom,
        "left": left,
    }


# --- administration: rules and rate tables -------------------------------------------------------------------


def _delegate_candidates() -> list[Any]:
    from lotsen.accounts.models import Membership, User
    from lotsen.core.models import UnitKind
    from lotsen.policies.access import CASE_ROLES

    ids = (
        Membership.objects.active()
        .filter(unit__kind=UnitKind.ASSISTANCE, role__in=list(CASE_ROLES))
        .values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name"))


def rules(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    current = services.active_rule_set()
    from lotsen.assistance.automation import default_rules

    current_rules = current.rules if current else default_rules()
    initial = {
        "accountable_delegate": current.accountable_delegate_id if current else None,
        "valid_from": timezone.localdate(),
        "adopted_by": current.adopted_by if current else "",
    }
    form = RuleSetForm(_post(request), delegates=_delegate_candidates(), current=current_rules, initial=initial)
    if request.method == "POST" and form.is_valid():
        from lotsen.accounts.models import User

        delegate_id = form.cleaned_data.get("accountable_delegate")
        try:
            rule_set = services.ruleset_save(
                actor=staff_user(request),
                rules=form.rules(),
                valid_from=form.cleaned_data["valid_from"],
                accountable_delegate=User.objects.filter(pk=delegate_id).first() if delegate_id else None,
                adopted_by=form.cleaned_data.get("adopted_by") or "",
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                pgettext("assistance", "Version %(version)s of the rules is saved and in use.")
                % {"version": rule_set.version},
            )
            return redirect("assistance:automation_rules")
    versions = AutomationRuleSet.objects.select_related("accountable_delegate", "created_by")[:20]
    context = {
        "form": form,
        "current": current,
        "current_rules": _rule_rows(current.rules if current else []),
        "versions": versions,
        "delegate_problem": services.delegate_check(current, unit_id=_first_assistance_unit())[1] if current else None,
    }
    return render(request, "assistance/rules.html", context, status=422 if form.errors else 200)


def _first_assistance_unit() -> int | None:
    try:
        return services.assistance_unit().pk
    except DomainError:
        return None


def _rule_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_code = {i["code"]: i for i in items}
    rows = []
    for spec in automation.RULES:
        item = by_code.get(spec.code)
        if item is None:
            continue
        params = {k: item.get(k) for k in spec.defaults}
        rows.append({"spec": spec, "enabled": item.get("enabled", True), "params": params})
    return rows


def tables(request: HttpRequest) -> HttpResponse:
    """Page 27: rate tables per year; upload a year's JSON; activation after the golden examples pass."""
    _require_admin(request)
    form = TableUploadForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            version = services.table_upload(actor=request.user, content=form.cleaned_data["file"].read())  # type: ignore[arg-type]
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                pgettext("assistance", "The table for %(year)s, version %(version)s, is uploaded.")
                % {"year": version.year, "version": version.table_version},
            )
            return redirect("assistance:table_version", version_id=version.pk)
    in_use = calc.current_tables()
    active = {v.year: v for v in NormTableVersion.objects.filter(status=NormTableStatus.ACTIVE)}
    years: list[dict[str, Any]] = []
    for year in in_use.years():
        table = in_use.get(year)
        years.append(
            {
                "year": year,
                "table": table,
                "single": table.single_adult + table.by_size[1],
                "couple": table.couple + table.by_size[2],
                "unverified": len([p for p in _amount_paths(table) if table.is_unverified(p)]),
                "source": active.get(year),
            }
        )
    context = {
        "form": form,
        "years": sorted(years, key=lambda y: -int(y["year"])),
        "uploads": NormTableVersion.objects.select_related("uploaded_by", "activated_by")[:30],
    }
    return render(request, "assistance/tables.html", context, status=422 if form.errors else 200)


def _amount_paths(table: Any) -> set[str]:
    from lotsen.assistance.tables import amount_paths

    return amount_paths(table.document)


def table_version(request: HttpRequest, version_id: int) -> HttpResponse:
    _require_admin(request)
    version = NormTableVersion.objects.filter(pk=version_id).select_related("uploaded_by", "activated_by").first()
    if version is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.table_activate(actor=request.user, version=version)  # type: ignore[arg-type]
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                pgettext("assistance", "The table for %(year)s, version %(version)s, is now in use.")
                % {"year": version.year, "version": version.table_version},
            )
            return redirect("assistance:tables")
    document = version.document
    context = {
        "version": version,
        "report": version.golden_report,
        "error": error,
        "personal": document.get("personal_costs", {}),
        "common": document.get("household_common_costs", {}).get("by_size", {}),
        "prisbasbelopp": document.get("prisbasbelopp", {}).get("amount"),
    }
    return render(request, "assistance/table_version.html", context, status=422 if error else 200)


def case_section_url(case_id: int) -> str:
    return reverse("cases:detail", kwargs={"case_id": case_id})


def current_month() -> date:
    return month_start(timezone.localdate())
