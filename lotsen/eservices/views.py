"""The citizen e-service for ekonomiskt bistånd (UI.md pages 29–31, 21): start page, login (demo picker behind
``LOTSEN_DEMO_LOGIN``), the application one question per page, "Kontrollera dina svar", the confirmation
with the automated decision when there is one, "Ansök igen" with its task list, and "Mina ansökningar och
beslut" with the decision in HTML and PDF.

A citizen sees only their own applications (``case.subject`` is the identified person); every page that shows
their data writes a ``CitizenAccessLog`` row.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from lotsen.assistance import letters
from lotsen.assistance import services as eb
from lotsen.assistance.models import Application, ApplicationDecision, ApplicationStatus, Attachment
from lotsen.assistance.periods import month_label, month_text
from lotsen.audit.services import client_ip
from lotsen.cases.models import Decision
from lotsen.core.errors import DomainError
from lotsen.eservices import flow, identity
from lotsen.eservices.forms import (
    COST_QUESTIONS,
    INCOME_QUESTIONS,
    PERSONAL_INCOME_TYPES,
    ChangedForm,
    CheckForm,
    ChildrenForm,
    CompletionAnswerForm,
    CostsForm,
    IncomeForm,
    LoginForm,
    LunchForm,
    MonthForm,
    OtherForm,
    PartnerForm,
    UploadForm,
)
from lotsen.eservices.models import ApplicationDraft, CitizenAccessLog, DraftKind
from lotsen.people.models import Person

MAX_ATTACHMENTS = 10


def _post(request: HttpRequest) -> Any:
    """The POST data on a POST (also when empty: an empty form must be validated), else None."""
    return request.POST if request.method == "POST" else None


def _posted(request: HttpRequest) -> tuple[Any, Any]:
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _log(request: HttpRequest, view: str, purpose: str, **ids: Any) -> None:
    identity_ = request.citizen  # type: ignore[attr-defined]
    CitizenAccessLog.objects.create(
        person_id=identity_.person_id,
        view=view,
        purpose=purpose,
        identity_method=identity_.method,
        ip=client_ip(request),
        **ids,
    )


# --- start and login ------------------------------------------------------------------------------------------


@login_not_required
def start(request: HttpRequest) -> HttpResponse:
    return render(request, "eservices/start.html", {"citizen": identity.current(request)})


def _demo_people() -> list[tuple[str, str]]:
    """Demo: applicants whose last month was granted (they can apply again and get an automated decision),
    one whose application waits for a caseworker, and two adults without a case (a first application)."""
    from lotsen.cases.models import Case, CaseStatus, ProcessCode
    from lotsen.people.models import Protection

    latest = (
        Application.objects.filter(
            case__status=CaseStatus.OPEN, case__subject__protection=Protection.NONE, case__subject__pnr__isnull=False
        )
        .order_by("case_id", "-period")
        .distinct("case_id")
        .values_list("case__subject_id", "status", "granted_amount")[:400]
    )
    granted = [pid for pid, status, amount in latest if status == ApplicationStatus.DECIDED and (amount or 0) > 0]
    waiting = [pid for pid, status, _amount in latest if status != ApplicationStatus.DECIDED]
    chosen = [*granted[:4], *waiting[:1]]
    today = timezone.localdate()
    others = list(
        Person.objects.filter(
            protection=Protection.NONE,
            pnr__isnull=False,
            deceased_on__isnull=True,
            birth_date__lte=today.replace(year=today.year - 25),
            birth_date__gte=today.replace(year=today.year - 60),
        )
        .exclude(pk__in=Case.objects.filter(process=ProcessCode.ASSISTANCE).values("subject_id"))
        .order_by("id")[:2]
    )
    people = {p.pk: p for p in Person.objects.filter(pk__in=chosen)}
    persons = [people[pk] for pk in chosen if pk in people] + others
    return [(p.pnr or "", f"{p.full_name}, {p.pnr[:8]}-{p.pnr[8:]}") for p in persons if p.pnr]


@login_not_required
def login(request: HttpRequest) -> HttpResponse:
    provider = identity.provider()
    if provider is None:
        return render(request, "eservices/login_unavailable.html", status=503)
    form = LoginForm(_post(request), people=_demo_people())
    if request.method == "POST" and form.is_valid():
        try:
            citizen = provider.complete(request, pnr=form.personnummer())
        except identity.IdentityError as exc:
            form.add_error("pnr" if form.cleaned_data.get("choice") == "other" else "choice", exc.message)
        else:
            identity.login(request, citizen)
            return redirect("eservices:home")
    return render(request, "eservices/login.html", {"form": form}, status=422 if form.errors else 200)


@login_not_required
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    identity.logout(request)
    return redirect("eservices:start")


# --- page 31: my applications and decisions ----------------------------------------------------------------------


@identity.citizen_required
def home(request: HttpRequest) -> HttpResponse:
    person: Person = request.citizen_person  # type: ignore[attr-defined]
    applications = flow.own_applications(person)
    _log(request, "eservices:home", "Mina ansökningar och beslut")
    draft = flow.open_draft(person)
    months = flow.available_months(person)
    context = {
        "person": person,
        "applications": applications,
        "draft": draft,
        "months": [month_label(m) for m in months],
        "can_apply": bool(months),
        "reapply": flow.latest_application(person) is not None,
        "nav": "home",
    }
    return render(request, "eservices/home.html", context)


def _own_application(request: HttpRequest, application_id: int) -> Application:
    person: Person = request.citizen_person  # type: ignore[attr-defined]
    app = (
        Application.objects.filter(pk=application_id, case__subject=person)
        .select_related("case", "decision")
        .prefetch_related("attachments", "completion_requests")
        .first()
    )
    if app is None:
        raise Http404  # the same answer whether it does not exist or is someone else's
    return app


@identity.citizen_required
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    app = _own_application(request, application_id)
    person: Person = request.citizen_person  # type: ignore[attr-defined]
    open_request = app.completion_requests.filter(answered_at__isnull=True).first()
    form = CompletionAnswerForm(*_posted(request)) if open_request else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            files = [
                eb.attachment_add(owner=person, file=f, kind=form.cleaned_data.get("kind") or "other")
                for f in form.cleaned_data.get("upload") or []
            ]
            eb.completion_answer(
                applicant=person, application=app, answer=form.cleaned_data.get("answer") or "", attachments=files
            )
        except DomainError as exc:
            form.add_error("upload" if exc.field == "file" else "answer", exc.message)
        else:
            from django.contrib import messages

            messages.success(request, pgettext("eservices", "Thank you. Your completion has been sent."))
            return redirect("eservices:application", application_id=app.pk)
    _log(request, "eservices:application", "Visa egen ansökan", case_id=app.case_id, application_id=app.pk)
    links = list(ApplicationDecision.objects.filter(application=app).select_related("decision").order_by("id"))
    context = {
        "app": app,
        "period_label": month_label(app.period),
        "open_request": open_request,
        "form": form,
        "decisions": [link.decision for link in links],
        "timeline": _timeline(app, links),
        "nav": "home",
    }
    return render(request, "eservices/application.html", context, status=422 if form and form.errors else 200)


def _timeline(app: Application, links: list[ApplicationDecision]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = [
        {"at": app.submitted_at, "title": pgettext("eservices", "Application received"), "text": ""}
    ]
    for r in app.completion_requests.all():
        items.append({"at": r.requested_at, "title": pgettext("eservices", "Completion requested"), "text": r.message})
        if r.answered_at:
            items.append({"at": r.answered_at, "title": pgettext("eservices", "Completion sent"), "text": ""})
    for link in links:
        d = link.decision
        items.append({"at": d.signed_at, "title": pgettext("eservices", "Decision made"), "text": d.decision_text})
    return sorted(items, key=lambda i: i["at"], reverse=True)


def _own_decision(request: HttpRequest, decision_id: int) -> Decision:
    person: Person = request.citizen_person  # type: ignore[attr-defined]
    decision = (
        Decision.objects.filter(pk=decision_id, case__subject=person, type="financial_assistance", status="signed")
        .select_related("case", "case__subject", "delegate", "delegation_rule", "replaces")
        .first()
    )
    if decision is None:
        raise Http404
    return decision


@identity.citizen_required
def decision(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Page 21 for the citizen: the decision in one sentence, the calculation, the rules, the delegate and
    how to appeal. Opening it is the day the citizen learned of the decision (R-BESL-3)."""
    d = _own_decision(request, decision_id)
    eb.notice_record(decision=d, channel="e_service")
    _log(request, "eservices:decision", "Visa eget beslut", case_id=d.case_id, decision_id=d.pk)
    link = ApplicationDecision.objects.filter(decision=d).select_related("application").first()
    replaced_by = Decision.objects.filter(replaces=d).only("id", "number").first()
    context = {
        "decision": d,
        "letter": letters.build(d),
        "application": link.application if link else None,
        "replaced_by": replaced_by,
        "nav": "home",
    }
    return render(request, "eservices/decision.html", context)


@identity.citizen_required
def decision_pdf(request: HttpRequest, decision_id: int) -> HttpResponse:
    d = _own_decision(request, decision_id)
    eb.notice_record(decision=d, channel="e_service")
    _log(request, "eservices:decision_pdf", "Ladda ner eget beslut", case_id=d.case_id, decision_id=d.pk)
    response = HttpResponse(letters.render_pdf(letters.build(d)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="beslut-{d.number}.pdf"'
    return response


# --- the application, one question per page ---------------------------------------------------------------------


@identity.citizen_required
def apply(request: HttpRequest) -> HttpResponse:
    """Start (or continue) an application: a re-application opens its task list (page 30)."""
    person: Person = request.citizen_person  # type: ignore[attr-defined]
    if not flow.available_months(person) and flow.open_draft(person) is None:
        return redirect("eservices:home")
    draft = flow.start(person)
    if draft.kind == DraftKind.REAPPLY:
        return redirect("eservices:tasks")
    return redirect("eservices:step", step="manad")


def _draft(request: HttpRequest) -> ApplicationDraft | None:
    return flow.open_draft(request.citizen_person)  # type: ignore[attr-defined]


def _choices(persons: list[Person]) -> list[tuple[str, str]]:
    return [(str(p.pk), f"{p.full_name}, {p.birth_date.isoformat() if p.birth_date else ''}") for p in persons]


def _register_children(person: Person) -> list[Person]:
    """Children under 18 registered with the applicant (population register: guardian/parent, household)."""
    from lotsen.people.models import HouseholdMember, Relation, RelationKind

    ids = set(
        Relation.objects.filter(
            from_person=person, kind__in=(RelationKind.GUARDIAN_OF, RelationKind.PARENT_OF)
        ).values_list("to_person_id", flat=True)
    )
    households = HouseholdMember.objects.filter(person=person).values("household_id")
    ids |= set(
        HouseholdMember.objects.filter(household_id__in=households, role="child").values_list("person_id", flat=True)
    )
    today = timezone.localdate()
    children = Person.objects.filter(pk__in=ids, deceased_on__isnull=True).order_by("birth_date")
    return [c for c in children if c.birth_date is None or (c.age_on(today) or 0) < 18]


def _register_partner(person: Person) -> Person | None:
    from django.db.models import Q

    from lotsen.people.models import Relation, RelationKind

    rel = Relation.objects.filter(Q(from_person=person) | Q(to_person=person), kind=RelationKind.PARTNER_OF).first()
    if rel is None:
        return None
    return rel.to_person if rel.from_person_id == person.pk else rel.from_person


STEP_TEMPLATES = {
    "manad": "eservices/step_radios.html",
    "sambo": "eservices/step_partner.html",
    "barn": "eservices/step_checkboxes.html",
    "lunch": "eservices/step_checkboxes.html",
    "kostnader": "eservices/step_costs.html",
    "inkomster": "eservices/step_incomes.html",
    "inkomster-sambo": "eservices/step_incomes.html",
    "bidrag": "eservices/step_incomes.html",
    "ovrigt": "eservices/step_other.html",
}


def _step_form(step: str, draft: ApplicationDraft, data: Any) -> tuple[Any, dict[str, Any]]:
    """The form of a step, prefilled from the draft, and extra context for its page."""
    answers = draft.answers
    person = draft.person
    initial: dict[str, Any]
    form: Any
    types: tuple[str, ...]
    if step == "manad":
        months = flow.available_months(person)
        choices = [(month_text(m), month_label(m).capitalize()) for m in months]
        return MonthForm(data, months=choices, initial={"period": answers.get("period")}), {}
    if step == "sambo":
        partner = flow.persons([answers["partner_id"]])[0] if answers.get("partner_id") else _register_partner(person)
        initial = {
            "has_partner": "yes" if answers.get("has_partner") else ("no" if "has_partner" in answers else None),
            "partner_pnr": f"{partner.pnr[:8]}-{partner.pnr[8:]}" if partner and partner.pnr else "",
        }
        return PartnerForm(data, initial=initial), {}
    if step == "barn":
        children = _register_children(person)
        known = {c.pk for c in children}
        children += [c for c in flow.persons(answers.get("children", [])) if c.pk not in known]
        initial = {"children": [str(i) for i in answers.get("children", [])]}
        hint = pgettext(
            "eservices",
            "The children who are registered with you. Leave everything unticked if no children live with you.",
        )
        form = ChildrenForm(data, children=_choices(children), initial=initial)
        return form, {
            "field": form["children"],
            "hint": hint,
            "empty": pgettext("eservices", "No children are registered with you."),
        }
    if step == "lunch":
        children = flow.small_children(draft)
        initial = {"lunch_away": [str(i) for i in answers.get("lunch_away", [])]}
        form = LunchForm(data, children=_choices(children), initial=initial)
        hint = pgettext(
            "eservices",
            "Children up to 6 years who eat lunch at preschool get a somewhat lower amount for food at home.",
        )
        return form, {"field": form["lunch_away"], "hint": hint, "empty": ""}
    if step == "kostnader":
        return CostsForm(data, initial=answers.get("costs", {})), {}
    if step in ("inkomster", "inkomster-sambo", "bidrag"):
        from lotsen.assistance.codes import HOUSEHOLD_INCOME_TYPES

        if step == "bidrag":
            types, stored = HOUSEHOLD_INCOME_TYPES, answers.get("household_incomes", {})
            heading = pgettext("eservices", "Does your household get any of these?")
            hint = pgettext(
                "eservices", "Tick all that your household gets this month. Leave everything unticked if you get none."
            )
        else:
            member = "partner" if step == "inkomster-sambo" else "applicant"
            types, stored = PERSONAL_INCOME_TYPES, answers.get("incomes", {}).get(member, {})
            heading = (
                pgettext("eservices", "What incomes does your husband, wife or partner have this month?")
                if member == "partner"
                else pgettext("eservices", "What incomes do you have this month?")
            )
            hint = pgettext(
                "eservices",
                "Tick all that you get this month and write the amount after tax. Leave everything unticked if "
                "there are no incomes.",
            )
        initial = {}
        for code, amount in stored.items():
            initial[f"has_{code}"] = True
            initial[f"amount_{code}"] = amount
        if "other" in types:
            initial["other_note"] = answers.get("other_note", "")
        return IncomeForm(data, types=types, initial=initial), {"heading": heading, "hint": hint}
    if step == "ovrigt":
        initial = {
            "other_needs": "yes" if answers.get("other_needs") else ("no" if "other_needs" in answers else None),
            "other_needs_text": answers.get("other_needs_text", ""),
            "message": answers.get("message", ""),
        }
        return OtherForm(data, initial=initial), {}
    raise Http404


def _save_step(step: str, draft: ApplicationDraft, form: Any) -> str | None:
    """Store the answer in the draft; returns an error message for the form, or None."""
    answers = draft.answers
    data = form.cleaned_data
    if step == "manad":
        answers["period"] = data["period"]
    elif step == "sambo":
        if data["has_partner"] == "no":
            answers.update(has_partner=False, partner_id=None)
            return None
        from lotsen.people.personnummer import InvalidIdentityNumber, parse

        try:
            number = parse(data["partner_pnr"], today=timezone.localdate())
        except InvalidIdentityNumber as exc:
            return exc.message_sv
        partner = Person.objects.filter(pnr=number.normalized, deceased_on__isnull=True).first()
        if partner is None:
            return pgettext(
                "eservices", "We cannot find that personal identity number in the population register. Check the number"
            )
        if partner.pk == draft.person_id:
            return pgettext("eservices", "Enter your husband's, wife's or partner's number, not your own")
        answers.update(has_partner=True, partner_id=partner.pk)
    elif step == "barn":
        answers["children"] = [int(i) for i in data["children"]]
        answers["lunch_away"] = [i for i in answers.get("lunch_away", []) if i in answers["children"]]
    elif step == "lunch":
        answers["lunch_away"] = [int(i) for i in data["lunch_away"]]
    elif step == "kostnader":
        answers["costs"] = {code: data[code] for code in COST_QUESTIONS if data.get(code)}
    elif step in ("inkomster", "inkomster-sambo"):
        member = "partner" if step == "inkomster-sambo" else "applicant"
        answers.setdefault("incomes", {})[member] = form.amounts()
        if "other" in form.amounts():
            answers["other_note"] = (data.get("other_note") or "").strip()
    elif step == "bidrag":
        answers["household_incomes"] = form.amounts()
    elif step == "ovrigt":
        answers["other_needs"] = data["other_needs"] == "yes"
        answers["other_needs_text"] = (data.get("other_needs_text") or "").strip() if answers["other_needs"] else ""
        answers["message"] = (data.get("message") or "").strip()
    return None


@identity.citizen_required
def step(request: HttpRequest, step: str) -> HttpResponseBase:
    draft = _draft(request)
    if draft is None:
        return redirect("eservices:apply")
    if step == "bilagor":
        return attachments(request)
    if step not in STEP_TEMPLATES or not flow.applies(step, draft):
        raise Http404
    if request.GET.get("tillbaka") == "kontrollera":
        draft.answers["return_to_check"] = True
        draft.save(update_fields=["answers", "updated_at"])
    form, extra = _step_form(step, draft, _post(request))
    if request.method == "POST" and form.is_valid():
        error = _save_step(step, draft, form)
        if error:
            form.add_error("partner_pnr" if step == "sambo" else None, error)
        else:
            flow.mark(draft, step)
            url_name, next_step = flow.next_url_name(draft, step)
            draft.save(update_fields=["answers", "updated_at"])
            if next_step:
                return redirect(url_name, step=next_step)
            return redirect(url_name)
    _log(request, "eservices:step", f"Ansökan: {step}")
    context = {
        "form": form,
        "step": step,
        "draft": draft,
        "back": _back_url(draft, step),
        "period_label": _period_label(draft),
        "nav": "apply",
        **extra,
    }
    return render(request, STEP_TEMPLATES[step], context, status=422 if form.errors else 200)


def _period_label(draft: ApplicationDraft) -> str:
    period = flow.period_of(draft)
    return month_label(period) if period else ""


def _back_url(draft: ApplicationDraft, step: str) -> str:
    if draft.answers.get("return_to_check"):
        return reverse("eservices:check")
    flow_steps = flow.steps(draft)
    if step in flow_steps:
        earlier = [s for s in flow_steps[: flow_steps.index(step)] if flow.applies(s, draft)]
        if earlier:
            return reverse("eservices:step", kwargs={"step": earlier[-1]})
    return reverse("eservices:tasks") if draft.kind == DraftKind.REAPPLY else reverse("eservices:home")


@identity.citizen_required
def attachments(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if draft is None:
        return redirect("eservices:apply")
    person: Person = request.citizen_person  # type: ignore[attr-defined]
    form = UploadForm(*_posted(request))
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "remove":
        draft.attachments.remove(*draft.attachments.filter(pk=request.POST.get("attachment") or 0))
        return redirect("eservices:step", step="bilagor")
    if action == "upload" and form.is_valid():
        files = form.cleaned_data.get("upload") or []
        if not files:
            form.add_error("upload", pgettext("eservices", "Choose a file"))
        elif draft.attachments.count() + len(files) > MAX_ATTACHMENTS:
            form.add_error("upload", pgettext("eservices", "You can upload at most 10 files"))
        else:
            try:
                for f in files:
                    draft.attachments.add(
                        eb.attachment_add(owner=person, file=f, kind=form.cleaned_data.get("kind") or "other")
                    )
            except DomainError as exc:
                form.add_error("upload", exc.message)
            else:
                return redirect("eservices:step", step="bilagor")
    if action == "continue":
        flow.mark(draft, "bilagor")
        url_name, _next = flow.next_url_name(draft, "bilagor")
        draft.save(update_fields=["answers", "updated_at"])
        return redirect(url_name)
    _log(request, "eservices:attachments", "Ansökan: bilagor")
    context = {
        "form": form,
        "draft": draft,
        "files": draft.attachments.all(),
        "back": _back_url(draft, "bilagor"),
        "period_label": _period_label(draft),
        "nav": "apply",
    }
    return render(request, "eservices/step_attachments.html", context, status=422 if form.errors else 200)


# --- page 30: re-application task list ---------------------------------------------------------------------------


@identity.citizen_required
def tasks(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if draft is None or draft.kind != DraftKind.REAPPLY:
        return redirect("eservices:apply")
    if not draft.answers.get("period"):
        return redirect("eservices:home")
    _log(request, "eservices:tasks", "Ansök igen")
    status = flow.task_status(draft)
    items = [
        {"section": "hushall", "name": pgettext("eservices", "Your household"), "status": status["hushall"]},
        {"section": "kostnader", "name": pgettext("eservices", "Housing and costs"), "status": status["kostnader"]},
        {"section": "inkomster", "name": pgettext("eservices", "Incomes"), "status": status["inkomster"]},
        {"section": "ovrigt", "name": pgettext("eservices", "Anything else"), "status": status["ovrigt"]},
    ]
    context = {
        "draft": draft,
        "items": items,
        "period_label": _period_label(draft),
        "ready": flow.ready_to_check(draft),
        "files": draft.attachments.count(),
        "nav": "apply",
    }
    return render(request, "eservices/tasks.html", context)


CHANGED_QUESTIONS = {
    "hushall": pgettext_lazy("eservices", "Has anything changed in your household since your last application?"),
    "kostnader": pgettext_lazy("eservices", "Have your housing or other costs changed since your last application?"),
    "inkomster": pgettext_lazy(
        "eservices", "Have your or your household's incomes changed since your last application?"
    ),
    "ovrigt": pgettext_lazy("eservices", "Has anything else changed, or do you need help with something else?"),
}


@identity.citizen_required
def changed(request: HttpRequest, section: str) -> HttpResponse:
    draft = _draft(request)
    if draft is None or draft.kind != DraftKind.REAPPLY:
        return redirect("eservices:apply")
    if section not in flow.SECTIONS:
        raise Http404
    key = flow.SECTION_KEYS[section]
    current = draft.answers.get("changed", {}).get(key)
    form = ChangedForm(_post(request), initial={"changed": None if current is None else ("yes" if current else "no")})
    if request.method == "POST" and form.is_valid():
        yes = form.cleaned_data["changed"] == "yes"
        draft.answers.setdefault("changed", {})[key] = yes
        if yes:
            draft.answers["section"] = section
            first = next(s for s in flow.SECTIONS[section] if flow.applies(s, draft))
            draft.save(update_fields=["answers", "updated_at"])
            return redirect("eservices:step", step=first)
        if section == "ovrigt":
            draft.answers.update(other_needs=False, other_needs_text="", message="")
        draft.save(update_fields=["answers", "updated_at"])
        return redirect("eservices:tasks")
    _log(request, "eservices:changed", f"Ansök igen: {section}")
    context = {
        "form": form,
        "question": str(CHANGED_QUESTIONS[section]),
        "summary": _summary(draft, section),
        "draft": draft,
        "period_label": _period_label(draft),
        "nav": "apply",
    }
    return render(request, "eservices/changed.html", context, status=422 if form.errors else 200)


# --- check answers, submit, confirmation ----------------------------------------------------------------------------


def _summary(draft: ApplicationDraft, section: str | None = None) -> list[dict[str, Any]]:
    """Rows of "Kontrollera dina svar" (or one section of it): key, value lines, change link."""
    a = draft.answers
    rows: list[dict[str, Any]] = []

    def add(key: str, lines: list[str], step: str, sec: str) -> None:
        if section is None or section == sec:
            rows.append({"key": key, "lines": lines or [pgettext("eservices", "None")], "step": step})

    def kr(n: int) -> str:
        from lotsen.core.templatetags.lotsen import kronor

        return kronor(n)

    if section is None:
        add(pgettext("eservices", "Month"), [_period_label(draft).capitalize()], "manad", "")
    partner = flow.persons([a["partner_id"]]) if a.get("has_partner") and a.get("partner_id") else []
    add(
        pgettext("eservices", "Husband, wife or partner"),
        [p.full_name for p in partner] or [pgettext("eservices", "No")],
        "sambo",
        "hushall",
    )
    children = flow.persons(a.get("children", []))
    add(pgettext("eservices", "Children who live with you"), [c.full_name for c in children], "barn", "hushall")
    if flow.applies("lunch", draft):
        lunch = [c.full_name for c in children if c.pk in set(a.get("lunch_away", []))]
        add(pgettext("eservices", "Lunch at preschool"), lunch, "lunch", "hushall")
    add(
        pgettext("eservices", "Costs"),
        [f"{COST_QUESTIONS[k]}: {kr(v)}" for k, v in a.get("costs", {}).items()],
        "kostnader",
        "kostnader",
    )
    add(
        pgettext("eservices", "Your incomes"),
        [f"{INCOME_QUESTIONS[k]}: {kr(v)}" for k, v in a.get("incomes", {}).get("applicant", {}).items()],
        "inkomster",
        "inkomster",
    )
    if a.get("has_partner"):
        add(
            pgettext("eservices", "Incomes of your husband, wife or partner"),
            [f"{INCOME_QUESTIONS[k]}: {kr(v)}" for k, v in a.get("incomes", {}).get("partner", {}).items()],
            "inkomster-sambo",
            "inkomster",
        )
    add(
        pgettext("eservices", "Support to the household"),
        [f"{INCOME_QUESTIONS[k]}: {kr(v)}" for k, v in a.get("household_incomes", {}).items()],
        "bidrag",
        "inkomster",
    )
    if section is None or section == "ovrigt":
        other = [a["other_needs_text"]] if a.get("other_needs") else [pgettext("eservices", "No")]
        add(pgettext("eservices", "Help with anything else"), other, "ovrigt", "ovrigt")
        if a.get("message"):
            add(pgettext("eservices", "Message"), [a["message"]], "ovrigt", "ovrigt")
    if section is None:
        add(pgettext("eservices", "Files"), [f.original_name for f in draft.attachments.all()], "bilagor", "")
    return rows


@identity.citizen_required
def check(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    if draft is None:
        return redirect("eservices:apply")
    if not flow.ready_to_check(draft):
        return redirect("eservices:tasks" if draft.kind == DraftKind.REAPPLY else "eservices:apply")
    form = CheckForm(_post(request), initial={"token": draft.answers.get("token")})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["token"] != draft.answers.get("token"):
            form.add_error(None, pgettext("eservices", "The application has already been sent."))
        else:
            try:
                app = flow.submit(draft)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                return redirect("eservices:sent", application_id=app.pk)
    _log(request, "eservices:check", "Kontrollera dina svar")
    context = {
        "form": form,
        "draft": draft,
        "rows": _summary(draft),
        "period_label": _period_label(draft),
        "changed": _changed_rows(draft),
        "nav": "apply",
    }
    return render(request, "eservices/check.html", context, status=422 if form.errors else 200)


def _changed_rows(draft: ApplicationDraft) -> list[dict[str, Any]]:
    if draft.kind != DraftKind.REAPPLY:
        return []
    status = flow.task_status(draft)
    return [
        {
            "key": str(CHANGED_QUESTIONS[s]),
            "value": pgettext("eservices", "Yes") if status[s] else pgettext("eservices", "No"),
            "section": s,
        }
        for s in flow.SECTIONS
    ]


@identity.citizen_required
def sent(request: HttpRequest, application_id: int) -> HttpResponse:
    """ "Ansökan är skickad" with the case number, and the decision when it was made automatically."""
    app = _own_application(request, application_id)
    d = app.decision if app.status == ApplicationStatus.DECIDED else None
    if d is not None:
        eb.notice_record(decision=d, channel="e_service")
    _log(request, "eservices:sent", "Ansökan skickad", case_id=app.case_id, application_id=app.pk)
    context = {
        "app": app,
        "decision": d,
        "period_label": month_label(app.period),
        "letter": letters.build(d) if d else None,
        "nav": "apply",
    }
    return render(request, "eservices/sent.html", context)


@identity.citizen_required
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    """The citizen's own uploaded file."""
    from django.http import FileResponse

    person: Person = request.citizen_person  # type: ignore[attr-defined]
    item = Attachment.objects.filter(pk=attachment_id, owner=person).first()
    if item is None:
        raise Http404
    _log(request, "eservices:attachment", "Visa egen bilaga", application_id=item.application_id)
    suffix = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(item.content_type, "bin")
    return FileResponse(
        item.file.open("rb"), content_type=item.content_type, as_attachment=True, filename=f"bilaga-{item.pk}.{suffix}"
    )
