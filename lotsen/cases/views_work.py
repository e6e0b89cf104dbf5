"""Work lists and transfers (UI.md pages 1, 2, 16 and 17): "Mina ärenden", "Enhetens översikt" with its
filtered deadline list, the "Ej fördelade" queue with bulk assignment, "Flytta ärende" and the receiving
unit's incoming transfers.

Reads go through `selectors_work` (from `policies.visible_cases`), writes through `lotsen.cases.services`.
Pages that show persons' names write one access-log row per case shown (R-SEK-4); the unit overview shows
case numbers and counts only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lotsen.accounts.models import Membership
from lotsen.accounts.units import current_membership
from lotsen.audit.models import AccessLogEntry
from lotsen.audit.services import client_ip
from lotsen.cases import selectors, selectors_work, services
from lotsen.cases.forms_work import AssignForm, QueueFilterForm, TransferForm
from lotsen.cases.models import Case, IntakeKind
from lotsen.cases.selectors import DeadlineView
from lotsen.cases.views import case_context
from lotsen.core.errors import DomainError
from lotsen.policies.access import can_lead_unit

PAGE_SIZE = 50


def _log_list_access(request: HttpRequest, cases: Iterable[Case], *, view: str, purpose: str) -> None:
    """A list that shows names: one access-log row per case shown (R-SEK-4), in one insert."""
    membership = current_membership(request)
    ip = client_ip(request)
    rows = [
        AccessLogEntry(
            user=cast(Any, request.user),
            person_id=case.subject_id,
            case_id=case.pk,
            unit_id=membership.unit_id if membership else None,
            view=view,
            purpose=purpose,
            ip=ip,
        )
        for case in cases
    ]
    if rows:
        AccessLogEntry.objects.bulk_create(rows)


def _lead_membership(request: HttpRequest) -> Membership:
    """The current unit (organisation navigation), which the user must lead (team lead or unit manager)."""
    membership = current_membership(request)
    if membership is None or not can_lead_unit(request.user, membership.unit_id):
        raise PermissionDenied
    return membership


def _query_without(request: HttpRequest, *names: str) -> str:
    query: QueryDict = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# --- page 1 ---------------------------------------------------------------------------------------------------


def my_cases(request: HttpRequest) -> HttpResponse:
    from lotsen.reminders.selectors import unread_count

    today = timezone.localdate()
    cases = selectors_work.my_open_cases(request.user)
    _log_list_access(request, cases, view="cases:my_cases", purpose="Mina ärenden")
    context = {
        "todo": selectors_work.todo_items(cases, today),
        "rows": selectors_work.case_rows(cases, today),
        "unread_reminders": unread_count(request.user),
        "today": today,
    }
    return render(request, "cases/work/my_cases.html", context)


# --- page 2 ---------------------------------------------------------------------------------------------------


def unit_board(request: HttpRequest) -> HttpResponse:
    membership = _lead_membership(request)
    user, unit_id = request.user, membership.unit_id
    today, now = timezone.localdate(), timezone.now()
    alerts = selectors_work.unit_protection_alerts(user, unit_id, now)
    matrix = selectors_work.deadline_matrix(user, unit_id, today)
    context = {
        "unit": membership.unit,
        "today": today,
        "now": now,
        "matrix": matrix,
        "buckets": selectors_work.BUCKETS,
        "alerts": alerts,
        "alert_hours": selectors_work.protection_alert_hours(),
        "unassigned": selectors_work.unassigned_count(user, unit_id),
        "workload": selectors_work.workload(user, unit_id, today),
        "extensions": selectors_work.extensions_this_month(user, unit_id, today),
        "over_four_months": [
            DeadlineView(d, today) for d in selectors_work.investigations_over_four_months(user, unit_id, today)
        ],
        # Reports without a pre-assessment decision (R-FORH-1) = the running pre-assessments of the matrix.
        "without_pre_assessment": sum(row.total for row in matrix if row.kind == "pre_assessment"),
        "incoming_transfers": selectors_work.incoming_transfers(user).filter(to_unit_id=unit_id).count(),
    }
    return render(request, "cases/work/unit_board.html", context)


def unit_deadlines(request: HttpRequest) -> HttpResponse:
    """The deadline matrix's cells as lists (filters in the URL are kinds and buckets, never personal data)."""
    membership = _lead_membership(request)
    today = timezone.localdate()
    kind = request.GET.get("kind") if request.GET.get("kind") in selectors_work.KINDS else None
    bucket = request.GET.get("bucket") if request.GET.get("bucket") in selectors_work.BUCKETS else None
    qs = selectors_work.unit_deadlines(request.user, membership.unit_id, today, kind=kind, bucket=bucket)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("sida"))
    deadlines = list(page.object_list)
    _log_list_access(request, [d.case for d in deadlines], view="cases:unit_deadlines", purpose="Enhetens frister")
    context = {
        "unit": membership.unit,
        "kind": kind,
        "bucket": bucket,
        "views": [DeadlineView(d, today) for d in deadlines],
        "page": page,
        "query": _query_without(request, "sida"),
        "kinds": selectors_work.KINDS,
        "buckets": selectors_work.BUCKETS,
    }
    return render(request, "cases/work/unit_deadlines.html", context)


# --- page 16 --------------------------------------------------------------------------------------------------


def assign_cases(*, actor: Any, unit_id: int, case_ids: list[int], assignee: Any) -> list[Case]:
    """Assign the chosen cases of the queue in one transaction (all or none): each through
    `services.case_assign`, which checks that the actor leads the unit and the assignee works in it."""
    with transaction.atomic():
        cases = list(
            selectors_work.unit_cases(actor, unit_id)
            .filter(pk__in=case_ids, assignee__isnull=True)
            .select_for_update(of=("self",))
            .order_by("pk")
        )
        if len(cases) != len(set(case_ids)):
            raise DomainError(
                _("One of the cases is already assigned or no longer in the queue. Select the cases again"),
                field="cases",
            )
        for case in cases:
            services.case_assign(actor=actor, case=case, assignee=assignee)
    return cases


def queue(request: HttpRequest) -> HttpResponse:
    membership = _lead_membership(request)
    user, unit_id, today = request.user, membership.unit_id, timezone.localdate()
    filter_form = QueueFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if filter_form.is_bound and filter_form.is_valid():
        filters = {k: v for k, v in filter_form.cleaned_data.items() if v}
    caseload = selectors_work.caseload(user, unit_id, today)
    if request.method == "POST":
        form = AssignForm(request.POST, case_ids=selectors_work.queue_ids(user, unit_id), caseload=caseload)
        if form.is_valid():
            assignee = form.assignee_user
            try:
                assigned = assign_cases(
                    actor=user, unit_id=unit_id, case_ids=form.cleaned_data["cases"], assignee=assignee
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                count = len(assigned)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s case was assigned to %(name)s",
                        "%(count)s cases were assigned to %(name)s",
                        count,
                    )
                    % {"count": count, "name": assignee.display_name},
                )
                return redirect(request.get_full_path())
    else:
        form = AssignForm(case_ids=set(), caseload=caseload)
    qs = selectors_work.queue(user, unit_id, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("sida"))
    cases = list(page.object_list)
    prefetch_related_objects(cases, selectors_work.pending_deadlines_prefetch())
    _log_list_access(request, cases, view="cases:queue", purpose="Ej fördelade ärenden")
    selected = set(request.POST.getlist("cases")) if form.is_bound else set()
    rows = [
        {
            "case": case,
            "next_deadline": DeadlineView(case.pending_deadlines[0], today) if case.pending_deadlines else None,  # type: ignore[attr-defined]
            "checked": str(case.pk) in selected,
            "kind_label": IntakeKind(case.intake_kind).label if case.intake_kind else "",  # type: ignore[attr-defined]
        }
        for case in cases
    ]
    errors = bool(form.errors or filter_form.errors)
    context = {
        "unit": membership.unit,
        "filter_form": filter_form,
        "filters": filters,
        "form": form,
        "rows": rows,
        "page": page,
        "query": _query_without(request, "sida"),
        "has_errors": errors,
        "today": today,
        "incoming_transfers": selectors_work.incoming_transfers(user).filter(to_unit_id=unit_id).count(),
    }
    return render(request, "cases/work/queue.html", context, status=422 if errors else 200)


# --- page 17 --------------------------------------------------------------------------------------------------


def transfer(request: HttpRequest, case_id: int) -> HttpResponse:
    """Flytta ärende: form → confirm page → `services.transfer_request`. Locked until the protection assessment
    is signed (R-SKYDD-1); the service's refusal is shown in the error summary."""
    case = selectors.load_case(request, case_id, purpose="Flytta ärende", view="cases:transfer")
    today = timezone.localdate()
    waiting = selectors_work.pending_transfer(case)
    locked = any(d.kind == "protection_assessment" and d.status == "pending" for d in case.deadlines.all())
    units = selectors_work.transfer_target_units(case)
    form = TransferForm(request.POST or None, units=units)
    step = "form"
    if request.method == "POST" and waiting is None and form.is_valid():
        action = request.POST.get("action")
        if action == "confirm":
            try:
                services.transfer_request(
                    actor=cast(Any, request.user),
                    case=case,
                    to_unit=form.cleaned_data["to_unit"],
                    message=form.cleaned_data["message"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(
                    request,
                    _("The transfer to %(unit)s is requested. The case moves when the unit accepts it.")
                    % {"unit": form.cleaned_data["to_unit"].name},
                )
                return redirect("cases:detail", case_id=case.pk)
        elif action != "change":
            step = "confirm"
    pending = [v for v in selectors.deadline_views(case, today) if not v.done]
    context = case_context(case, "") | {
        "form": form,
        "waiting": waiting,
        "locked": locked,
        "pending_deadlines": pending,
    }
    template = "cases/work/transfer_confirm.html" if step == "confirm" else "cases/work/transfer.html"
    return render(request, template, context, status=422 if form.errors else 200)


def transfers_incoming(request: HttpRequest) -> HttpResponse:
    if not selectors_work.led_unit_ids(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    transfers = list(selectors_work.incoming_transfers(request.user))
    rows = [
        {
            "transfer": t,
            "deadlines": [DeadlineView(d, today) for d in t.case.pending_deadlines],  # type: ignore[attr-defined]
            "phase_label": selectors_work.phase_label(t.case),
        }
        for t in transfers
    ]
    return render(request, "cases/work/transfers_incoming.html", {"rows": rows, "today": today})


@require_POST
def transfer_accept(request: HttpRequest, transfer_id: int) -> HttpResponse:
    if not selectors_work.led_unit_ids(request.user):
        raise PermissionDenied
    transfer_row = selectors_work.incoming_transfer(request.user, transfer_id)
    if transfer_row is None:
        raise Http404
    try:
        case = services.transfer_accept(actor=cast(Any, request.user), transfer=transfer_row)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Case %(number)s is received in %(unit)s. It is listed under Unassigned until it is assigned.")
            % {"number": case.number, "unit": transfer_row.to_unit.name},
        )
    return redirect("cases:transfers_incoming")
