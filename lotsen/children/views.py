"""Pages of the children's process (UI.md 4: pages 6, 7, 8 and 10, and the report register). Every page
that shows a person's data gets its case through `cases.selectors.load_case` (access check + access log)
or logs the persons it lists (R-SEK-4). Forms post to their own URL and work without JavaScript."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lotsen.accounts.units import current_membership
from lotsen.accounts.units import staff_user as _user
from lotsen.audit.models import AccessLogEntry
from lotsen.audit.services import client_ip, log_access
from lotsen.cases import delegation
from lotsen.cases import services as cases
from lotsen.cases.labels import OUTCOME_LABELS
from lotsen.cases.models import Case, DecisionType, Intake
from lotsen.cases.selectors import DeadlineView, load_case
from lotsen.cases.views import case_context
from lotsen.children import forms, selectors, services
from lotsen.children.letters import feedback_letter
from lotsen.children.models import ChildReport, InvestigationPart, InvestigationStructure, PartStatus, ReporterFeedback
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.people.models import Person
from lotsen.policies.access import visible_cases

if TYPE_CHECKING:
    pass


def _show_error(form: Any, exc: DomainError) -> int:
    """A domain error goes next to its field (or in the summary): 422, or 403 when not permitted."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return 403 if isinstance(exc, PermissionDeniedError) else 422


def elapsed_text(since: Any, now: Any) -> str:
    """ "3 timmar sedan" (UI.md page 7): minutes, hours or days since the report came in."""
    seconds = max(0, int((now - since).total_seconds()))
    if seconds < 60:
        return _("just now")
    minutes = seconds // 60
    if minutes < 60:
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {"count": minutes}
    hours = minutes // 60
    if hours < 24:
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    days = hours // 24
    return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}


# --- page 6: register a report ------------------------------------------------------------------------------


def _shifted_children(data: Any, count: int, remove: int) -> Any:
    """The POST data with child `remove` taken out and the later ones moved up."""
    data = data.copy()
    values = [data.get(f"child_{i}", "") for i in range(count)]
    del values[remove]
    for i in range(count):
        data.pop(f"child_{i}", None)
    for i, value in enumerate(values):
        data[f"child_{i}"] = value
    return data


def register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    units = selectors.registration_units(user)
    if not units:
        raise PermissionDenied
    today = timezone.localdate()
    membership = current_membership(request)
    default_unit = membership.unit_id if membership and any(u.pk == membership.unit_id for u in units) else units[0].pk
    status = 200
    found: dict[int, dict[str, Any]] = {}
    if request.method != "POST":
        form = forms.ReportRegisterForm(
            units=units, initial={"unit": default_unit, "received_on": today, "form_key": uuid.uuid4()}
        )
        return render(request, "children/register.html", _register_context(form, found), status=status)

    data = request.POST
    try:
        count = int(data.get("child_count", "1"))
    except ValueError:
        count = 1
    count = max(1, min(count, forms.MAX_CHILDREN))
    action = data.get("action", "register")
    if "remove_child" in data:
        try:
            remove = int(data["remove_child"])
        except ValueError:
            remove = -1
        if 0 <= remove < count and count > 1:
            data = _shifted_children(data, count, remove)
            count -= 1
        action = "edit"
    elif action == "add_child":
        count = min(count + 1, forms.MAX_CHILDREN)
        action = "edit"
    elif action != "register":
        action = "edit"  # "lookup": Enter in a field shows the children found
    form = forms.ReportRegisterForm(data, units=units, child_count=count)

    child_errors: dict[str, str] = {}
    children: list[Person] = []
    positions: list[int] = []  # the form row of each child found
    for i in range(count):
        text = (data.get(f"child_{i}") or "").strip()
        if not text:
            continue
        try:
            person = selectors.find_child(user, text, today=today)
        except selectors.ChildLookupError as exc:
            child_errors[f"child_{i}"] = exc.message
            continue
        if any(c.pk == person.pk for c in children):
            child_errors[f"child_{i}"] = "Barnet finns redan med i anmälan"
            continue
        children.append(person)
        positions.append(i)
        log_access(request=request, person=person, purpose="Registrera orosanmälan", view="children:register")
        found[i] = {
            "person": person,
            "age": person.age_on(today),
            "guardians": selectors.visible_guardians(user, person, today),
        }

    if action == "edit":
        # Adding or removing a child: no error messages for fields the user has not reached yet.
        form._errors = ErrorDict({name: ErrorList([message]) for name, message in child_errors.items()})  # type: ignore[attr-defined]
        return render(request, "children/register.html", _register_context(form, found), status=200)

    valid = form.is_valid()
    for name, message in child_errors.items():
        form.add_error(name, message)
    if valid and not child_errors:
        unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
        cd = form.cleaned_data
        try:
            results = services.report_register(
                actor=user,
                unit=unit,
                received_at=cd["received_at"],
                channel=cd["channel"],
                reporter_category=cd["reporter_category"],
                reporter_name=cd["reporter_name"],
                reporter_organisation=cd["reporter_organisation"],
                reporter_contact=cd["reporter_contact"],
                anonymous=cd["anonymous"],
                wants_feedback=cd["wants_feedback"],
                children=children,
                content=cd["content"],
                batch=cd.get("form_key"),
            )
        except services.AlreadyRegisteredError as exc:
            return redirect("children:register_receipt", batch=exc.batch)
        except DomainError as exc:
            if exc.field and exc.field.startswith("child_"):
                # The service numbers the children it was given; the form numbers its rows.
                index = int(exc.field.removeprefix("child_"))
                exc.field = f"child_{positions[index]}" if index < len(positions) else "child_0"
            status = _show_error(form, exc)
        else:
            messages.success(
                request,
                ngettext("The report is registered.", "The report is registered for %(count)d children.", len(results))
                % {"count": len(results)},
            )
            first = results[0]
            if len(results) == 1 and visible_cases(user).filter(pk=first.case.pk).exists():
                return redirect("children:protection", case_id=first.case.pk, intake_id=first.intake.pk)
            return redirect("children:register_receipt", batch=first.intake.child_report.batch)
    else:
        status = 422
    return render(request, "children/register.html", _register_context(form, found), status=status)


def _register_context(form: forms.ReportRegisterForm, found: dict[int, dict[str, Any]]) -> dict[str, Any]:
    rows = [{"field": field, "index": i, "found": found.get(i)} for i, field in enumerate(form.child_fields())]
    return {
        "form": form,
        "child_rows": rows,
        "child_count": form.child_count,
        "can_add_child": form.child_count < forms.MAX_CHILDREN,
        "today": timezone.localdate(),
    }


def register_receipt(request: HttpRequest, batch: Any) -> HttpResponse:
    """After a report about several children, or one linked to an investigation in another unit: what was
    registered where. Only for the person who registered it."""
    user = _user(request)
    reports = list(
        ChildReport.objects.filter(batch=batch, intake__registered_by=user)
        .select_related("intake__case__subject", "intake__case__unit")
        .order_by("pk")
    )
    if not reports:
        raise Http404
    visible = set(visible_cases(user).filter(pk__in=[r.intake.case_id for r in reports]).values_list("pk", flat=True))
    rows = []
    for report in reports:
        case = report.intake.case
        log_access(
            request=request,
            person=case.subject,
            purpose="Kvitto på registrerad orosanmälan",
            view="children:register_receipt",
            case_id=case.pk,
        )
        rows.append({"report": report, "case": case, "visible": case.pk in visible})
    return render(request, "children/register_receipt.html", {"rows": rows})


# --- page 7: immediate protection assessment -------------------------------------------------------------


def _intake(case: Case, intake_id: int) -> Intake:
    return get_object_or_404(selectors.report_intakes(case), pk=intake_id)


def protection(request: HttpRequest, case_id: int, intake_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Omedelbar skyddsbedömning", view="children:protection")
    intake = _intake(case, intake_id)
    existing = selectors.protection_assessment_for(intake)
    form = forms.ProtectionAssessmentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if existing is not None:
            form.add_error(None, "Skyddsbedömningen är redan signerad.")
            status = 422
        elif form.is_valid():
            try:
                services.protection_assessment_sign(
                    actor=_user(request),
                    intake=intake,
                    needs_immediate_protection=form.cleaned_data["needs_protection"] == "yes",
                    measures=form.cleaned_data["measures"],
                    assessment=form.cleaned_data["assessment"],
                )
            except DomainError as exc:
                status = _show_error(form, exc)
            else:
                messages.success(request, _("The protection assessment is signed."))
                return redirect("children:report", case_id=case.pk, intake_id=intake.pk)
        else:
            status = 422
    now = timezone.now()
    context = case_context(case, "protection") | {
        "intake": intake,
        "report": getattr(intake, "child_report", None),
        "existing": existing,
        "form": form,
        "elapsed": elapsed_text(intake.received_at, now),
        "registered_days_late": (timezone.localtime(intake.registered_at).date() - intake.received_on).days,
        "deadline": _deadline_view(case, "protection_assessment", intake.received_on),
    }
    return render(request, "children/protection.html", context, status=status)


def _deadline_view(case: Case, kind: str, started_on: Any) -> DeadlineView | None:
    deadline = next((d for d in case.deadlines.all() if d.kind == kind and d.started_on == started_on), None)
    return DeadlineView(deadline, timezone.localdate()) if deadline else None


# --- page 8: the report and its pre-assessment -----------------------------------------------------------


def pre_assessment(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's pre-assessment: the page of the report that opened the case."""
    case = load_case(request, case_id, purpose="Förhandsbedömning", view="children:pre_assessment")
    intake = selectors.pre_assessment_intake(case)
    if intake is None:
        raise Http404
    return redirect("children:report", case_id=case.pk, intake_id=intake.pk)


def _can_extend(user: Any, case: Case, decision_type: str) -> bool:
    rule = delegation.rule_for(decision_type, timezone.localdate())
    return rule is not None and delegation.may_sign(user, rule, case.unit_id)


def report(request: HttpRequest, case_id: int, intake_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Förhandsbedömning", view="children:report")
    intake = _intake(case, intake_id)
    user = _user(request)
    child_report = getattr(intake, "child_report", None)
    linked = bool(child_report and child_report.linked_to_ongoing)
    protection_done = selectors.protection_assessment_for(intake)
    decision = None if linked else selectors.pre_assessment_decision(case)
    is_pre_assessment_report = not linked and selectors.pre_assessment_intake(case) == intake
    form = forms.PreAssessmentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "carry_out" and decision is not None:
                services.pre_assessment_carry_out(actor=user, case=case, decision=decision)
                messages.success(request, _("The decision is carried out in the case."))
                return redirect("children:report", case_id=case.pk, intake_id=intake.pk)
            if not is_pre_assessment_report or decision is not None:
                raise DomainError("Det finns ingen förhandsbedömning att besluta för den här anmälan.")
            if protection_done is None:
                raise DomainError("Signera skyddsbedömningen innan du beslutar i förhandsbedömningen.")
            if form.is_valid():
                cd = form.cleaned_data
                decision = services.pre_assessment_decide(
                    actor=user,
                    case=case,
                    outcome=cd["outcome"],
                    reasons=cd["reasons"],
                    child_heard=cd["child_heard"] == "yes",
                    child_view=cd["child_view"],
                    handed_over_to=cd["handed_over_to"],
                )
                if decision.outcome == "utredning_inleds":
                    messages.success(request, _("The decision is made. The investigation is opened."))
                    return redirect("children:investigation", case_id=case.pk)
                messages.success(request, _("The decision is made. The case is closed."))
                return redirect("children:report", case_id=case.pk, intake_id=intake.pk)
            status = 422
        except DomainError as exc:
            status = _show_error(form, exc)
    today = timezone.localdate()
    history = selectors.repeated_reports(case.subject, today)
    feedback = ReporterFeedback.objects.filter(intake=intake).select_related("sent_by").first()
    feedback_deadline = selectors.feedback_deadline(case, intake)
    context = case_context(case, "pre_assessment") | {
        "intake": intake,
        "report": child_report,
        "linked": linked,
        "protection_done": protection_done,
        "decision": decision,
        "is_pre_assessment_report": is_pre_assessment_report,
        "pending_carry_out": services.pending_carry_out(case, decision),
        "deadline": None if linked else _deadline_view(case, "pre_assessment", intake.received_on),
        "history": history,
        "earlier": selectors.earlier_reports(user, case.subject, exclude_intake_id=intake.pk),
        "feedback_requested": selectors.feedback_requested(intake),
        "feedback": feedback,
        "feedback_deadline": DeadlineView(feedback_deadline, today) if feedback_deadline else None,
        "can_extend": _can_extend(user, case, DecisionType.PRE_ASSESSMENT_EXTENSION),
        "extensions": case.extensions.filter(kind="pre_assessment").select_related("decided_by"),
        "form": form,
        "show_form": is_pre_assessment_report and decision is None and case.status == "open",
    }
    return render(request, "children/report.html", context, status=status)


def pre_assessment_extend(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(
        request, case_id, purpose="Förlängning av förhandsbedömning", view="children:pre_assessment_extend"
    )
    intake = selectors.pre_assessment_intake(case)
    if intake is None:
        raise Http404
    return _extend(
        request,
        case,
        kind="pre_assessment",
        form=forms.PreAssessmentExtensionForm(request.POST or None),
        back=reverse("children:report", kwargs={"case_id": case.pk, "intake_id": intake.pk}),
        template="children/pre_assessment_extend.html",
    )


def investigation_extend(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Förlängning av utredning", view="children:investigation_extend")
    return _extend(
        request,
        case,
        kind="investigation",
        form=forms.InvestigationExtensionForm(request.POST or None),
        back=reverse("children:investigation", kwargs={"case_id": case.pk}),
        template="children/investigation_extend.html",
    )


def _extend(request: HttpRequest, case: Case, *, kind: str, form: Any, back: str, template: str) -> HttpResponse:
    status = 200
    current = case.deadlines.filter(kind=kind, status="pending").order_by("-started_on").first()
    if request.method == "POST":
        if form.is_valid():
            try:
                cases.deadline_extend(
                    actor=_user(request),
                    case=case,
                    kind=kind,
                    new_due_on=form.cleaned_data["new_due_on"],
                    reason_code=form.cleaned_data.get("reason_code") or "other",
                    reason_text=form.cleaned_data["reason_text"],
                    decided_on=timezone.localdate(),
                )
            except DomainError as exc:
                status = _show_error(form, exc)
            else:
                messages.success(request, _("The extension is decided."))
                return redirect(back)
        else:
            status = 422
    decision_type = (
        DecisionType.PRE_ASSESSMENT_EXTENSION if kind == "pre_assessment" else DecisionType.INVESTIGATION_EXTENSION
    )
    rule = delegation.rule_for(decision_type, timezone.localdate())
    context = case_context(case, "investigation" if kind == "investigation" else "pre_assessment") | {
        "form": form,
        "back": back,
        "current": DeadlineView(current, timezone.localdate()) if current else None,
        "rule": rule,
        "may_decide": rule is not None and delegation.may_sign(request.user, rule, case.unit_id),
        "extensions": case.extensions.filter(kind=kind).select_related("decided_by").order_by("decided_on"),
    }
    return render(request, template, context, status=status)


# --- reporter feedback (R-INFO-1) --------------------------------------------------------------------------


def _feedback_case(request: HttpRequest, case_id: int, intake_id: int, view: str) -> tuple[Case, Intake]:
    case = load_case(request, case_id, purpose="Återkoppling till anmälare", view=view)
    intake = _intake(case, intake_id)
    if not selectors.feedback_requested(intake):
        raise Http404
    return case, intake


def _unit_name(request: HttpRequest, case: Case) -> str:
    return case.unit.name


def feedback(request: HttpRequest, case_id: int, intake_id: int) -> HttpResponse:
    case, intake = _feedback_case(request, case_id, intake_id, "children:feedback")
    sent = ReporterFeedback.objects.filter(intake=intake).select_related("sent_by").first()
    form = forms.FeedbackSentForm(request.POST or None, initial={"sent_on": timezone.localdate()})
    fact = selectors.feedback_fact(intake)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.reporter_feedback_send(
                    actor=_user(request),
                    intake=intake,
                    sent_on=form.cleaned_data["sent_on"],
                    sender_unit_name=_unit_name(request, case),
                )
            except DomainError as exc:
                status = _show_error(form, exc)
            else:
                messages.success(request, _("The information to the reporter is marked as sent."))
                return redirect("children:feedback", case_id=case.pk, intake_id=intake.pk)
        else:
            status = 422
    deadline = selectors.feedback_deadline(case, intake)
    letter = None
    if fact is not None and sent is None:
        letter = feedback_letter(
            intake=intake,
            fact=fact,
            letter_date=timezone.localdate(),
            sender=request.user,
            unit_name=_unit_name(request, case),
        )
    context = case_context(case, "feedback") | {
        "intake": intake,
        "fact": fact,
        "sent": sent,
        "letter": letter,
        "deadline": DeadlineView(deadline, timezone.localdate()) if deadline else None,
        "form": form,
    }
    return render(request, "children/feedback.html", context, status=status)


def _letter_for(request: HttpRequest, case: Case, intake: Intake) -> dict[str, Any]:
    sent = ReporterFeedback.objects.filter(intake=intake).select_related("sent_by").first()
    fact = sent.fact if sent else selectors.feedback_fact(intake)
    if fact is None:
        raise Http404
    letter_date = sent.sent_on if sent else timezone.localdate()
    sender = sent.sent_by if sent else request.user
    letter = feedback_letter(
        intake=intake, fact=fact, letter_date=letter_date, sender=sender, unit_name=_unit_name(request, case)
    )
    return {"letter": letter, "case": case, "intake": intake, "sent": sent}


def feedback_letter_page(request: HttpRequest, case_id: int, intake_id: int) -> HttpResponse:
    case, intake = _feedback_case(request, case_id, intake_id, "children:feedback_letter")
    return render(request, "children/letter.html", _letter_for(request, case, intake))


def feedback_letter_pdf(request: HttpRequest, case_id: int, intake_id: int) -> HttpResponse:
    from weasyprint import HTML

    case, intake = _feedback_case(request, case_id, intake_id, "children:feedback_letter_pdf")
    html = render_to_string("children/letter_pdf.html", _letter_for(request, case, intake), request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="aterkoppling.pdf"'
    return response


# --- page 10: investigation ---------------------------------------------------------------------------------


def investigation(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Utredning", view="children:investigation")
    inv = selectors.investigation_for(case)
    user = _user(request)
    plan_form = forms.PlanForm(request.POST or None, initial={"plan": inv.plan if inv else ""})
    status = 200
    if request.method == "POST":
        if inv is None:
            raise Http404
        if plan_form.is_valid():
            try:
                services.investigation_plan_save(actor=user, investigation=inv, plan=plan_form.cleaned_data["plan"])
            except DomainError as exc:
                status = _show_error(plan_form, exc)
            else:
                messages.success(request, _("The investigation plan is saved."))
                return redirect("children:investigation", case_id=case.pk)
        else:
            status = 422
    context = case_context(case, "investigation") | {
        "investigation": inv,
        "plan_form": plan_form,
        "part_form": forms.FreePartForm(),
        "editable": bool(inv and inv.is_open and case.status == "open"),
    }
    if inv is not None:
        done, total = selectors.completed_count(inv)
        deadline = selectors.investigation_deadline(case, inv)
        context |= {
            "groups": selectors.part_groups(inv),
            "done_count": done,
            "total_count": total,
            "deadline": DeadlineView(deadline, timezone.localdate()) if deadline else None,
            "extensions": case.extensions.filter(kind="investigation")
            .select_related("decided_by")
            .order_by("decided_on"),
            "can_extend": _can_extend(user, case, DecisionType.INVESTIGATION_EXTENSION),
            "is_bbic": inv.structure == InvestigationStructure.BBIC,
        }
    else:
        context["can_open"] = case.process != "child" and case.status == "open"
        context["pre_assessment_intake"] = selectors.pre_assessment_intake(case) if case.process == "child" else None
    return render(request, "children/investigation.html", context, status=status)


@require_POST
def investigation_open(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Inled utredning", view="children:investigation_open")
    try:
        services.investigation_open(actor=_user(request), case=case, opened_on=timezone.localdate())
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The investigation is opened."))
    return redirect("children:investigation", case_id=case.pk)


@require_POST
def investigation_part_add(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Utredning", view="children:investigation_part_add")
    inv = selectors.investigation_for(case)
    if inv is None:
        raise Http404
    form = forms.FreePartForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            part = services.investigation_part_add(
                actor=_user(request), investigation=inv, title=form.cleaned_data["title"]
            )
        except DomainError as exc:
            status = _show_error(form, exc)
        else:
            return redirect("children:investigation_part", case_id=case.pk, part_id=part.pk)
    done, total = selectors.completed_count(inv)
    context = case_context(case, "investigation") | {
        "investigation": inv,
        "plan_form": forms.PlanForm(initial={"plan": inv.plan}),
        "part_form": form,
        "editable": inv.is_open and case.status == "open",
        "groups": selectors.part_groups(inv),
        "done_count": done,
        "total_count": total,
        "deadline": None,
        "is_bbic": False,
    }
    return render(request, "children/investigation.html", context, status=status)


def investigation_part(request: HttpRequest, case_id: int, part_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Utredning", view="children:investigation_part")
    part = get_object_or_404(
        InvestigationPart.objects.select_related("investigation"), pk=part_id, investigation__case=case
    )
    inv = part.investigation
    by_key = {p.key: p for p in inv.parts.all()}
    can_start = selectors.part_can_start(part, by_key)
    initial = {
        "text": part.text,
        "rating": part.rating,
        "sources": part.sources,
        "done": part.status == PartStatus.DONE,
    }
    form = forms.PartForm(request.POST or None, initial=initial, rated=part.rated)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.investigation_part_save(
                    actor=_user(request),
                    part=part,
                    text=form.cleaned_data["text"],
                    rating=form.cleaned_data.get("rating") or "",
                    sources=form.cleaned_data["sources"],
                    done=form.cleaned_data["done"],
                )
            except DomainError as exc:
                status = _show_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(part)s is saved.") % {"part": part.display_title},
                )
                return redirect("children:investigation", case_id=case.pk)
        else:
            status = 422
    context = case_context(case, "investigation") | {
        "part": part,
        "investigation": inv,
        "form": form,
        "can_start": can_start,
        "prerequisite": by_key.get(selectors.PREREQUISITES.get(part.key, "")),
        "editable": inv.is_open and case.status == "open" and can_start,
    }
    return render(request, "children/investigation_part.html", context, status=status)


# --- the report register (R-FORH-3) ------------------------------------------------------------------------

REGISTER_PAGE_SIZE = 50


def _log_rows(request: HttpRequest, intakes: list[Intake], *, purpose: str) -> None:
    """One access-log row per listed person (R-SEK-4), written in one statement."""
    membership = current_membership(request)
    ip = client_ip(request)
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                user=_user(request),
                person_id=i.case.subject_id,
                case_id=i.case_id,
                unit_id=membership.unit_id if membership else None,
                view="children:report_register",
                purpose=purpose,
                ip=ip,
            )
            for i in intakes
        ]
    )


def report_register(request: HttpRequest) -> HttpResponse:
    """Anmälningsregister: the unit's reports of concern with their outcome. Reports that ended `inleds_ej`
    are found only here (R-FORH-3); every listed row is access-logged."""
    user = _user(request)
    units = selectors.register_units(user)
    if not units:
        raise PermissionDenied
    membership = current_membership(request)
    unit = next((u for u in units if membership and u.pk == membership.unit_id), units[0])
    outcome_choices: list[tuple[str, Any]] = [
        (o, OUTCOME_LABELS[o]) for o in selectors.OUTCOME_FILTERS if o in OUTCOME_LABELS
    ]
    outcome_choices.append(("pending", _("Not decided")))
    filter_form = forms.RegisterFilterForm(request.GET or None, outcome_choices=outcome_choices)
    search_form = forms.RegisterSearchForm(request.POST or None)
    today = timezone.localdate()
    status = 200
    person = None
    period, outcome = "180", ""
    if filter_form.is_valid():
        period = filter_form.cleaned_data["period"] or "180"
        outcome = filter_form.cleaned_data["outcome"] or ""
    searched = request.method == "POST"
    if searched:
        if search_form.is_valid():
            try:
                person = selectors.find_child(user, search_form.cleaned_data["pnr"], today=today)
            except selectors.ChildLookupError as exc:
                search_form.add_error("pnr", exc.message)
                status = 422
        else:
            status = 422
    received_from = None if period == "all" or person else today - timedelta(days=int(period))
    intakes = selectors.register_intakes(
        user, unit_id=unit.pk, received_from=received_from, outcome="" if person else outcome, person=person
    )
    if searched and person is None:
        intakes = intakes.none()
    paginator = Paginator(intakes, REGISTER_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("sida"))
    rows = list(page.object_list)
    _log_rows(request, rows, purpose="Anmälningsregister")
    query = ""
    if filter_form.is_bound and filter_form.is_valid():
        query = f"period={period}&outcome={outcome}"
    context = {
        "unit": unit,
        "filter_form": filter_form,
        "search_form": search_form,
        "rows": [{"intake": i, "outcome": selectors.register_row_outcome(i)} for i in rows],
        "page": page,
        "query": query,
        "person": person,
        "searched": searched,
        "total": paginator.count,
    }
    return render(request, "children/report_register.html", context, status=status)
