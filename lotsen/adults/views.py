"""Adults (vuxen): "Registrera ansökan eller anmälan (vuxen)" and the adult case's intake page: the intakes, the
days since the matter came in with the practice warning (R-UTR-1) and the decision whether a report leads to an
investigation. The investigation itself is the shared Utredning section (`children:investigation`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsen.accounts.units import current_membership, staff_user
from lotsen.adults import selectors, services
from lotsen.adults.forms import AREA_CHOICES, KIND_CHOICES, AssessForm, RegisterForm
from lotsen.cases.models import CaseStatus, ProcessCode
from lotsen.cases.selectors import load_case
from lotsen.cases.views import case_context
from lotsen.core.errors import DomainError
from lotsen.core.models import Unit, UnitKind
from lotsen.people.models import Person
from lotsen.people.personnummer import InvalidIdentityNumber, parse
from lotsen.policies.access import CASE_ROLES, can_work_on_case, memberships_of, visible_persons


def _posted(request: HttpRequest) -> Any:
    """The POST data on a POST (also when empty: an empty form must show its errors), else None."""
    return request.POST if request.method == "POST" else None


def _registering_unit(request: HttpRequest) -> Unit | None:
    """The current unit when it is an adult unit where the user handles cases, else the first such unit."""
    units = [m.unit for m in memberships_of(request.user) if m.role in CASE_ROLES and m.unit.kind == UnitKind.ADULT]
    current = current_membership(request)
    for unit in units:
        if current is not None and unit.pk == current.unit_id:
            return unit
    return units[0] if units else None


def _investigation_url(case_id: int) -> str | None:
    """The shared Utredning section, when it exists."""
    try:
        return reverse("children:investigation", kwargs={"case_id": case_id})
    except NoReverseMatch:
        return None


def register(request: HttpRequest) -> HttpResponse:
    unit = _registering_unit(request)
    if unit is None:
        raise PermissionDenied
    form = RegisterForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        today = timezone.localdate()
        person: Person | None = None
        try:
            number = parse(data["pnr"], today=today)
        except InvalidIdentityNumber as exc:
            form.add_error("pnr", exc.message_sv)
        else:
            person = visible_persons(request.user).filter(pnr=number.normalized).first()
            if person is None:
                form.add_error("pnr", _("There is no person with that personal identity number in the register"))
        if person is not None:
            received_at = timezone.make_aware(datetime.combine(data["received_on"], data["received_time"]))
            try:
                case = services.adult_intake_register(
                    actor=staff_user(request),
                    unit=unit,
                    subject=person,
                    kind=data["kind"],
                    area=data["area"],
                    received_at=received_at,
                    channel=data["channel"],
                    content=data["content"],
                    reporter_category=data.get("reporter_category") or "",
                    reporter_name=data.get("reporter_name") or "",
                    reporter_organisation=data.get("reporter_organisation") or "",
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                if data["kind"] == "ansokan":
                    messages.success(request, _("The application is registered and the investigation is opened."))
                else:
                    messages.success(request, _("The matter is registered. Decide whether to open an investigation."))
                return redirect("adults:intake", case_id=case.pk)
    context = {"form": form, "unit": unit}
    return render(request, "adults/register.html", context, status=422 if form.errors else 200)


def intake(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Visa ansökan eller anmälan (vuxen)", view="adults:intake")
    if case.process != ProcessCode.ADULT:
        raise Http404
    today = timezone.localdate()
    can_work = case.status == CaseStatus.OPEN and can_work_on_case(request.user, case)
    form = AssessForm(_posted(request)) if can_work and case.phase == "intake" else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.adult_intake_assess(
                    actor=staff_user(request),
                    case=case,
                    open_investigation=data["decision"] == "open",
                    decided_on=data["decided_on"],
                    reasons=data["reasons"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                if data["decision"] == "open":
                    messages.success(request, _("The investigation is opened."))
                else:
                    messages.success(request, _("No investigation is opened. The case is closed."))
                return redirect("adults:intake", case_id=case.pk)
    events = list(
        case.events.filter(type__in=["intake_assessed", "investigation_opened"]).order_by("occurred_on", "id")
    )
    opened_on = next((e.occurred_on for e in events if e.type == "investigation_opened"), None)
    assessed = next((e for e in events if e.type == "intake_assessed"), None)
    context = case_context(case, "") | {
        "form": form,
        "elapsed": selectors.elapsed_for(case, today),
        "intakes": [(i, dict(KIND_CHOICES).get(i.kind, i.kind)) for i in case.intakes.order_by("-received_at")],
        "opened_on": opened_on,
        "assessed": assessed,
        "area_label": dict(AREA_CHOICES).get(case.area, case.area),
        "investigation_url": _investigation_url(case.pk),
    }
    return render(request, "adults/intake.html", context, status=422 if form and form.errors else 200)
