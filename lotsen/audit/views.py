"""Log review (Loggranskning, R-SEK-4): per period, per person, per user, emergency access; XLSX export.
The review itself is logged: opening a person's log is an access-log row, exports and reviews are audited."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsen.accounts.models import User
from lotsen.audit import selectors
from lotsen.audit import services as audit
from lotsen.audit.forms import LogFilterForm, PersonLookupForm, ReviewForm
from lotsen.core.models import Unit
from lotsen.people.models import Person
from lotsen.people.personnummer import InvalidIdentityNumber, parse
from lotsen.policies.access import Action, can, log_review_units

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _require_reviewer(request: HttpRequest) -> None:
    if not can(request.user, Action.REVIEW_ACCESS_LOG_OWN_UNITS):
        raise PermissionDenied


def _unit_choices(request: HttpRequest) -> list[tuple[int, str]]:
    scope = log_review_units(request.user)
    qs = Unit.objects.order_by("name")
    if scope is not None:
        qs = qs.filter(pk__in=scope)
    return list(qs.values_list("pk", "name"))


def _base_context(request: HttpRequest, tab: str) -> dict[str, Any]:
    return {"tab": tab, "can_mark": can(request.user, Action.MARK_ACCESS_LOG_REVIEWED)}


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("sida"))


def period(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    form = LogFilterForm(request.GET or None, units=_unit_choices(request))
    flt = form.to_filter()
    page = _page(request, selectors.entries(request.user, flt))
    query = request.GET.copy()
    query.pop("sida", None)
    context = _base_context(request, "period") | {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/period.html", context, status=422 if form.errors else 200)


def by_person_lookup(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    form = PersonLookupForm(request.POST or None)
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
                return redirect("audit:person", person_id=person.pk)
    context = _base_context(request, "person") | {"form": form}
    return render(request, "audit/person_lookup.html", context, status=422 if form.errors else 200)


def by_person(request: HttpRequest, person_id: int) -> HttpResponse:
    _require_reviewer(request)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404
    audit.log_access(request=request, person=person, purpose="Loggranskning", view="audit:person")
    page = _page(request, selectors.entries(request.user, selectors.LogFilter(person_id=person.pk)))
    context = _base_context(request, "person") | {"person": person, "page": page}
    return render(request, "audit/person.html", context)


def by_user_lookup(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    users = User.objects.filter(memberships__isnull=False).distinct().order_by("last_name", "first_name")
    scope = log_review_units(request.user)
    if scope is not None:
        users = users.filter(memberships__unit_id__in=scope)
    chosen = request.GET.get("anvandare")
    if chosen and chosen.isdigit() and users.filter(pk=int(chosen)).exists():
        return redirect("audit:user", user_id=int(chosen))
    context = _base_context(request, "user") | {"users": users, "invalid": bool(chosen)}
    return render(request, "audit/user_lookup.html", context, status=422 if chosen else 200)


def by_user(request: HttpRequest, user_id: int) -> HttpResponse:
    _require_reviewer(request)
    subject = User.objects.filter(pk=user_id).first()
    if subject is None:
        raise Http404
    page = _page(request, selectors.entries(request.user, selectors.LogFilter(user_id=subject.pk)))
    context = _base_context(request, "user") | {"subject": subject, "page": page}
    return render(request, "audit/user.html", context)


def emergency(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    page = _page(request, selectors.emergency_accesses(request.user))
    context = _base_context(request, "emergency") | {"page": page}
    return render(request, "audit/emergency.html", context)


def review_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    _require_reviewer(request)
    entry = selectors.entry(request.user, entry_id)
    if entry is None:
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not can(request.user, Action.MARK_ACCESS_LOG_REVIEWED):
            raise PermissionDenied
        if form.is_valid():
            audit.review_mark(actor=request.user, entry=entry, comment=form.cleaned_data["comment"])  # type: ignore[arg-type]
            messages.success(request, _("The log row is marked as reviewed."))
            return redirect("audit:review")
    context = _base_context(request, "period") | {
        "entry": entry,
        "form": form,
        "reviews": entry.reviews.all(),
    }
    return render(request, "audit/entry.html", context)


def review_emergency(request: HttpRequest, access_id: int) -> HttpResponse:
    _require_reviewer(request)
    if request.method != "POST" or not can(request.user, Action.MARK_ACCESS_LOG_REVIEWED):
        raise PermissionDenied
    access = selectors.emergency_accesses(request.user).filter(pk=access_id).first()
    if access is None:
        raise Http404
    with transaction.atomic():
        before = audit.snapshot(access)
        access.reviewed_at = timezone.now()
        access.reviewed_by = request.user  # type: ignore[assignment]
        access.save(update_fields=["reviewed_at", "reviewed_by"])
        audit.record(actor=request.user, action="emergency_access.reviewed", obj=access, before=before)  # type: ignore[arg-type]
    messages.success(request, _("The emergency access is marked as reviewed."))
    return redirect("audit:emergency")


def export(request: HttpRequest) -> HttpResponse:
    """XLSX of the filtered rows. Number cells stay numbers; the file carries the secrecy line."""
    _require_reviewer(request)
    form = LogFilterForm(request.GET or None, units=_unit_choices(request))
    flt = form.to_filter()
    rows = selectors.entries(request.user, flt)[:EXPORT_LIMIT]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    sheet = book.add_worksheet("Åtkomstlogg")
    bold = book.add_format({"bold": True})
    when = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    sheet.write(0, 0, "Sekretess enligt OSL 26 kap. 1 §. Innehåller personuppgifter – hanteras enligt rutin.", bold)
    headers = ["Tid", "Användare", "Personnummer", "Namn", "Ärende", "Enhet", "Vy", "Syfte", "Kanal", "Nödåtkomst",
               "Granskad"]  # fmt: skip
    for col, text in enumerate(headers):
        sheet.write(2, col, text, bold)
    count = 0
    for count, entry in enumerate(rows, start=1):
        r = count + 2
        sheet.write_datetime(r, 0, timezone.localtime(entry.at), when)
        sheet.write(r, 1, entry.user.display_name)
        sheet.write(r, 2, entry.person.pnr or entry.person.temp_id or "")
        sheet.write(r, 3, entry.person.full_name)
        if entry.case_id is not None:
            sheet.write_number(r, 4, entry.case_id)
        sheet.write(r, 5, entry.unit.name if entry.unit else "")
        sheet.write(r, 6, entry.view)
        sheet.write(r, 7, entry.purpose)
        sheet.write(r, 8, entry.get_channel_display())
        sheet.write(r, 9, entry.emergency_access.reason if entry.emergency_access else "")
        sheet.write(r, 10, "Ja" if getattr(entry, "reviewed", False) else "Nej")
    sheet.set_column(0, 0, 20)
    sheet.set_column(1, 9, 18)
    book.close()
    marker = audit.record_export(actor=request.user, what="access_log", filters=request.GET.dict(), rows=count)  # type: ignore[arg-type]
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="atkomstlogg-{marker.pk}.xlsx"'
    return response
