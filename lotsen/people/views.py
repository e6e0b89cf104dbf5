"""Person search (a POST: no personal data in URLs) and the person page (logged, R-SEK-4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsen.audit.services import log_access, log_search_hits
from lotsen.cases.selectors import open_cases_for_person
from lotsen.core.errors import DomainError
from lotsen.people import selectors
from lotsen.people.forms import EmergencyAccessForm, PersonSearchForm, RevealForm
from lotsen.people.models import Person
from lotsen.people.personnummer import InvalidIdentityNumber, parse
from lotsen.policies.access import Action, can, emergency_access_for
from lotsen.policies.services import emergency_access_grant


def _require(request: HttpRequest, action: Action) -> None:
    if not can(request.user, action):
        raise PermissionDenied


def search(request: HttpRequest) -> HttpResponse:
    _require(request, Action.SEARCH_PERSONS)
    form = PersonSearchForm(request.POST or None)
    results: list[Person] | None = None
    truncated = False
    if request.method == "POST" and form.is_valid():
        try:
            query = selectors.parse_query(form.cleaned_data["query"])
        except selectors.SearchInputError as exc:
            form.add_error("query", exc.message)
        else:
            results = selectors.search_persons(request.user, query)
            truncated = len(results) > selectors.MAX_RESULTS
            results = results[: selectors.MAX_RESULTS]
            log_search_hits(request=request, persons=results)
    context = {
        "form": form,
        "results": results,
        "truncated": truncated,
        "max_results": selectors.MAX_RESULTS,
        "today": timezone.localdate(),
        "can_request_emergency": can(request.user, Action.REQUEST_EMERGENCY_ACCESS),
    }
    return render(request, "people/search.html", context, status=422 if form.errors else 200)


def detail(request: HttpRequest, person_id: int) -> HttpResponse:
    _require(request, Action.VIEW_PERSON)
    person = selectors.person_for(request.user, person_id)
    if person is None:
        # The same answer whether the person does not exist or is not visible: no disclosure.
        raise Http404
    reveal_form = RevealForm(request.POST or None)
    reveal = False
    purpose = "Visa personuppgifter"
    if request.method == "POST" and reveal_form.is_valid():
        reveal = True
        purpose = f"Visa fullständigt personnummer: {reveal_form.cleaned_data['purpose']}"
    emergency = emergency_access_for(request.user, person)
    log_access(request=request, person=person, purpose=purpose, view="people:detail", emergency_access=emergency)
    relations = selectors.related_persons(request.user, person)
    related_ids = {r.person.pk for r in relations}
    context = {
        "person": person,
        "age": person.age_on(timezone.localdate()),
        "relations": relations,
        "household": [p for p in selectors.household_members(request.user, person) if p.pk not in related_ids],
        "emergency": emergency,
        "cases": open_cases_for_person(request.user, person.pk),
        "reveal": reveal,
        "reveal_form": reveal_form,
    }
    status = 422 if reveal_form.errors else 200
    return render(request, "people/detail.html", context, status=status)


def emergency_access(request: HttpRequest) -> HttpResponse:
    _require(request, Action.REQUEST_EMERGENCY_ACCESS)
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            number = parse(form.cleaned_data["pnr"], today=timezone.localdate())
        except InvalidIdentityNumber as exc:
            form.add_error("pnr", exc.message_sv)
        else:
            person = Person.objects.filter(pnr=number.normalized).first()
            if person is None:
                form.add_error("pnr", _("There is no person with that personal identity number in the register"))
            else:
                try:
                    emergency_access_grant(actor=request.user, person=person, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
                except DomainError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.success(request, _("Emergency access granted. Your access is logged and reviewed."))
                    return redirect("people:detail", person_id=person.pk)
    return render(request, "people/emergency_access.html", {"form": form}, status=422 if form.errors else 200)
