"""Pages of UI.md page 20 (Utbetalningar): the case's payments (EB caseworker), the finance officer's batches,
återkrav, and the statutory statistics file. Every page showing a person's data writes access-log rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lotsen.accounts.units import staff_user as _user
from lotsen.audit import services as audit
from lotsen.audit.models import AccessLogEntry
from lotsen.cases.models import Case, Decision
from lotsen.cases.selectors import load_case
from lotsen.cases.views import case_context
from lotsen.core.errors import DomainError
from lotsen.core.templatetags.lotsen import iso_date, kronor
from lotsen.payments import access, forms, selectors, services
from lotsen.payments.models import (
    Payment,
    PaymentBatch,
    PaymentBatchStatus,
    PaymentStatus,
    Recovery,
    RecoveryStatus,
)
from lotsen.policies.access import memberships_of

PAGE_SIZE = 50


# --- helpers ----------------------------------------------------------------------------------------------


def _apply_error(form: Form, exc: DomainError) -> None:
    """The domain's message next to its field, or at the top of the error summary."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _render(request: HttpRequest, template: str, context: dict[str, Any], form: Form | None = None) -> HttpResponse:
    status = 422 if form is not None and form.errors else 200
    return render(request, template, context, status=status)


def _log_persons(request: HttpRequest, rows: list[tuple[Any, int | None]], *, view: str, purpose: str) -> None:
    """One access-log row per person shown on a list page (R-SEK-4), written in one insert."""
    from lotsen.accounts.units import current_membership

    membership = current_membership(request)
    seen: set[tuple[int, int | None]] = set()
    entries = []
    for person_id, case_id in rows:
        if (person_id, case_id) in seen:
            continue
        seen.add((person_id, case_id))
        entries.append(
            AccessLogEntry(
                user=_user(request),
                person_id=person_id,
                case_id=case_id,
                unit_id=membership.unit_id if membership else None,
                view=view,
                purpose=purpose,
                ip=audit.client_ip(request),
            )
        )
    AccessLogEntry.objects.bulk_create(entries)


def _mask(user: Any, payments: list[Payment]) -> list[Payment]:
    """Hide the payee's name and message for protected persons from users without the permission (a
    landlord's name can tell where the person lives, R-SEK-3)."""
    shows = access.shows_protected_details(user)
    for p in payments:
        p.masked = p.person.is_protected and not shows  # type: ignore[attr-defined]
    return payments


def _load_payment(request: HttpRequest, payment_id: int, *, purpose: str, view: str) -> Payment:
    payment = (
        access.visible_payments(request.user)
        .select_related("case", "case__unit", "person", "decision", "batch")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        raise Http404
    _log_persons(request, [(payment.person_id, payment.case_id)], view=view, purpose=purpose)
    _mask(request.user, [payment])
    return payment


def _decision_choices(case: Case) -> list[tuple[int, str]]:
    choices = []
    for d in selectors.case_decisions(case):
        amount = services.decision_amount(d)
        label = f"{d.number} · {iso_date(d.decided_on)}"
        if amount is not None:
            label += f" · {kronor(amount)}"
        choices.append((d.pk, label))
    return choices


def _case_decision(case: Case, decision_id: int) -> Decision:
    decision = case.decisions.filter(pk=decision_id).first()
    if decision is None:
        raise Http404
    return decision


def _is_case_worker(user: Any) -> bool:
    from lotsen.policies.access import CASE_ROLES

    return any(m.role in CASE_ROLES for m in memberships_of(user))


# --- overview ---------------------------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    """The "Utbetalningar" page: the finance officer's batches, or for caseworkers the coming and returned
    payments of the cases they see."""
    user = _user(request)
    if access.can_manage_batches(user):
        return redirect("payments:batches")
    if not _is_case_worker(user):
        raise PermissionDenied
    today = timezone.localdate()
    base = access.visible_payments(user).select_related("case", "person")
    upcoming = _mask(
        user, list(base.filter(status=PaymentStatus.PLANNED, pay_on__lte=today + timedelta(days=31))[:200])
    )
    returned = _mask(
        user,
        list(
            base.filter(status=PaymentStatus.RETURNED, returned_on__gte=today - timedelta(days=90)).order_by(
                "-returned_on"
            )[:100]
        ),
    )
    _log_persons(
        request,
        [(p.person_id, p.case_id) for p in [*upcoming, *returned]],
        view="payments:index",
        purpose="Visa kommande och returnerade utbetalningar",
    )
    context = {"upcoming": upcoming, "returned": returned, "today": today, "horizon": today + timedelta(days=31)}
    return render(request, "payments/index.html", context)


# --- the case's payments ----------------------------------------------------------------------------------


def case_payments(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Visa ärendets utbetalningar", view="payments:case")
    user = _user(request)
    groups = selectors.case_payments(case)
    context = case_context(case, "payments") | {
        "groups": groups,
        "account": selectors.current_payee_account(case),
        "recoveries": selectors.case_recoveries(case),
        "can_plan": access.can_plan_payments(user, case),
        "is_finance_officer": access.can_manage_batches(user),
        "totals": {
            "planned": sum((g.planned for g in groups), 0),
            "executed": sum((g.executed for g in groups), 0),
        },
    }
    return render(request, "payments/case.html", context)


def _case_form_page(
    request: HttpRequest, case: Case, *, form: Form, title: str, submit: str, intro: str = "", **extra: Any
) -> HttpResponse:
    context = case_context(case, "payments") | {
        "form": form,
        "title": title,
        "submit": submit,
        "intro": intro,
        "cancel_url": reverse("payments:case", kwargs={"case_id": case.pk}),
        **extra,
    }
    return _render(request, "payments/case_form.html", context, form)


def payee_account(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Registrera utbetalningskonto", view="payments:payee_account")
    if not access.can_plan_payments(request.user, case):
        raise PermissionDenied
    form = forms.PayeeAccountForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.payee_account_register(
                actor=_user(request),
                case=case,
                account_kind=form.cleaned_data["account_kind"],
                clearing=form.cleaned_data["clearing"],
                account_number=form.cleaned_data["account_number"],
                valid_from=form.cleaned_data["valid_from"],
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The payout account is registered."))
            return redirect("payments:case", case_id=case.pk)
    return _case_form_page(
        request,
        case,
        form=form,
        title=_("Register payout account"),
        submit=_("Register account"),
        intro=_("The account the person wants the aid paid to. Earlier accounts are kept as history."),
        history=selectors.payee_accounts(case),
    )


def plan(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Planera utbetalning", view="payments:plan")
    if not access.can_plan_payments(request.user, case):
        raise PermissionDenied
    choices = _decision_choices(case)
    if not choices:
        messages.info(request, _("There is no decision on financial assistance to pay out yet."))
        return redirect("payments:case", case_id=case.pk)
    initial: dict[str, Any] = {
        "payee_kind": "person",
        "account": "registered",
        "pay_on": timezone.localdate(),
        "decision": choices[0][0] if len(choices) == 1 else None,
    }
    chosen = request.GET.get("beslut", "")
    if chosen.isdigit() and any(pk == int(chosen) for pk, _label in choices):
        initial["decision"] = int(chosen)
    if initial["decision"]:
        initial["category"] = services.decision_category(_case_decision(case, initial["decision"]))
    form = forms.PaymentPlanForm(request.POST or None, initial=initial, decisions=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = data["account"]
        line = services.PaymentLine(
            amount=data["amount"],
            pay_on=data["pay_on"],
            payee_kind=data["payee_kind"],
            creditor_name=data["creditor_name"],
            account_kind="" if account == "registered" else account,
            clearing=data["clearing"],
            account_number=data["account_number"],
            category=data["category"],
            reference=data["reference"],
        )
        try:
            services.payment_plan(
                actor=_user(request),
                decision=_case_decision(case, data["decision"]),
                line=line,
                idempotency_token=data["idempotency_token"],
            )
        except DomainError as exc:
            if exc.field == "account_kind":
                exc.field = "account"
            _apply_error(form, exc)
        else:
            messages.success(request, _("The payment is planned."))
            return redirect("payments:case", case_id=case.pk)
    return _case_form_page(
        request,
        case,
        form=form,
        title=_("Plan a payment"),
        submit=_("Plan payment"),
        account=selectors.current_payee_account(case),
        prevent_double_click=True,
    )


@require_POST
def plan_from_decision(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Skapa utbetalningar enligt beslut", view="payments:plan_from_decision")
    decision = _case_decision(case, decision_id)
    try:
        created = services.payments_plan_from_decision(actor=_user(request), decision=decision)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        text = ngettext(
            "%(count)s payment is planned according to decision %(number)s.",
            "%(count)s payments are planned according to decision %(number)s.",
            len(created),
        )
        messages.success(request, text % {"count": len(created), "number": decision.number})
    return redirect("payments:case", case_id=case.pk)


def served(request: HttpRequest, case_id: int, decision_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Registrera delgivning av beslut", view="payments:served")
    if not access.can_plan_payments(request.user, case):
        raise PermissionDenied
    decision = _case_decision(case, decision_id)
    form = forms.ServedForm(request.POST or None, initial={"served_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_served_register(
                actor=_user(request),
                decision=decision,
                served_on=form.cleaned_data["served_on"],
                how=form.cleaned_data["how"],
            )
        except DomainError as exc:
            if exc.field == "occurred_on":
                exc.field = "served_on"
            _apply_error(form, exc)
        else:
            messages.success(
                request, _("The service of decision %(number)s is registered.") % {"number": decision.number}
            )
            return redirect("payments:case", case_id=case.pk)
    return _case_form_page(
        request,
        case,
        form=form,
        title=_("Register service of decision %(number)s") % {"number": decision.number},
        submit=_("Register service"),
        intro=_("When and how the decision was served on the person. It matters for repayment claims (33:2, 33:3)."),
    )


# --- one payment: cancel, correct, return -----------------------------------------------------------------


def _payment_page(request: HttpRequest, payment: Payment, *, form: Form, title: str, submit: str, **extra: Any) -> Any:
    back = (
        reverse("payments:batch", kwargs={"batch_id": payment.batch_id})
        if access.can_manage_batches(request.user) and payment.batch_id
        else reverse("payments:case", kwargs={"case_id": payment.case_id})
    )
    context = {"payment": payment, "form": form, "title": title, "submit": submit, "cancel_url": back, **extra}
    return _render(request, "payments/payment_form.html", context, form)


def cancel(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = _load_payment(request, payment_id, purpose="Stoppa utbetalning", view="payments:cancel")
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_cancel(actor=_user(request), payment=payment, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The payment is stopped."))
            return redirect("payments:case", case_id=payment.case_id)
    return _payment_page(request, payment, form=form, title=_("Stop a planned payment"), submit=_("Stop payment"))


def correct(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = _load_payment(request, payment_id, purpose="Rätta utbetalning", view="payments:correct")
    if not access.can_plan_payments(request.user, payment.case):
        raise PermissionDenied
    form = forms.CorrectionForm(request.POST or None, initial={"corrected_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.payment_correct(
                actor=_user(request),
                payment=payment,
                amount=data["amount"],
                reason=data["reason"],
                corrected_on=data["corrected_on"],
                idempotency_token=data["idempotency_token"],
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The correction is registered as a new row."))
            return redirect("payments:case", case_id=payment.case_id)
    return _payment_page(
        request,
        payment,
        form=form,
        title=_("Correct a payment"),
        submit=_("Register correction"),
        warning=_("The payment is not changed. The correction is a new row with a negative amount."),
    )


def payment_return(request: HttpRequest, payment_id: int) -> HttpResponse:
    if not access.can_manage_batches(request.user):
        raise PermissionDenied
    payment = _load_payment(request, payment_id, purpose="Registrera retur från banken", view="payments:return")
    form = forms.ReturnForm(request.POST or None, initial={"returned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_return(
                actor=_user(request),
                payment=payment,
                returned_on=form.cleaned_data["returned_on"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The return is registered. The caseworker sees it on the case."))
            return redirect("payments:batch", batch_id=payment.batch_id)
    return _payment_page(
        request, payment, form=form, title=_("Register a return from the bank"), submit=_("Register return")
    )


# --- batches (finance officer) ----------------------------------------------------------------------------


def _require_finance(request: HttpRequest) -> None:
    if not access.can_manage_batches(request.user):
        raise PermissionDenied


def batches(request: HttpRequest) -> HttpResponse:
    _require_finance(request)
    user = _user(request)
    today = timezone.localdate()
    form = forms.BatchCreateForm(request.POST or None, initial={"pay_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.batch_create(actor=user, pay_on=form.cleaned_data["pay_on"])
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            text = ngettext(
                "Batch %(reference)s is created with %(count)s payment. Two people must approve it.",
                "Batch %(reference)s is created with %(count)s payments. Two people must approve it.",
                batch.payment_count,
            )
            messages.success(request, text % {"reference": batch.reference, "count": batch.payment_count})
            return redirect("payments:batch", batch_id=batch.pk)
    page = Paginator(selectors.batches(user), PAGE_SIZE).get_page(request.GET.get("sida"))
    context = {
        "form": form,
        "page": page,
        "planned": selectors.planned_summary(user),
        "planned_today": selectors.planned_summary(user, today),
    }
    return _render(request, "payments/batches.html", context, form)


def _batch(request: HttpRequest, batch_id: int) -> PaymentBatch:
    _require_finance(request)
    batch = selectors.batch_for(request.user, batch_id)
    if batch is None:
        raise Http404
    return batch


def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    user = _user(request)
    page = Paginator(selectors.batch_payments(batch), PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = _mask(user, list(page.object_list))
    returns = list(selectors.batch_returns(batch))
    _log_persons(
        request,
        [(p.person_id, p.case_id) for p in rows],
        view="payments:batch",
        purpose="Visa utbetalningsomgång",
    )
    counts = dict.fromkeys(PaymentStatus.values, 0)
    for row in Payment.objects.filter(batch=batch).values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    context = {
        "batch": batch,
        "page": page,
        "rows": rows,
        "totals": selectors.batch_category_totals(batch),
        "returns": returns,
        "returned_total": sum((r.amount for r in returns), 0),
        "counts": counts,
        "can_approve": batch.status == PaymentBatchStatus.DRAFT and user.pk not in batch.approvers,
        "approved_by_me": user.pk in batch.approvers,
        "sha256_groups": " ".join(batch.sha256[i : i + 8] for i in range(0, len(batch.sha256), 8)),
    }
    return render(request, "payments/batch.html", context)


@require_POST
def batch_approve(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    try:
        batch = services.batch_approve(actor=_user(request), batch=batch)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if batch.status == PaymentBatchStatus.APPROVED:
            messages.success(request, _("The batch is approved by two people. You can now create the payment file."))
        else:
            messages.success(request, _("Your approval is registered. Another person must also approve the batch."))
    return redirect("payments:batch", batch_id=batch.pk)


@require_POST
def batch_export(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    try:
        batch = services.batch_export(actor=_user(request), batch=batch)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The payment file %(name)s is created and checked against the ISO 20022 schema.")
            % {"name": batch.file_name},
        )
    return redirect("payments:batch", batch_id=batch.pk)


def batch_file(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    if batch.status != PaymentBatchStatus.EXPORTED:
        raise Http404
    audit.record_export(
        actor=_user(request),
        what="payment_batch_file",
        filters={"batch": batch.reference, "sha256": batch.sha256},
        rows=batch.payment_count,
    )
    response = HttpResponse(batch.file_content.encode("utf-8"), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.file_name}"'
    return response


def batch_discard(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    form = forms.DiscardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_discard(actor=_user(request), batch=batch, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The batch is removed. Its payments are planned again."))
            return redirect("payments:batches")
    context = {
        "batch": batch,
        "form": form,
        "title": _("Remove batch %(reference)s") % {"reference": batch.reference},
        "submit": _("Remove batch"),
        "cancel_url": reverse("payments:batch", kwargs={"batch_id": batch.pk}),
        "warning": _("The payments go back to planned and can be included in a new batch."),
        "warning_button": True,
    }
    return _render(request, "payments/simple_form.html", context, form)


def batch_paid(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = _batch(request, batch_id)
    form = forms.ConfirmPaidForm(request.POST or None, initial={"paid_on": batch.pay_on})
    if request.method == "POST" and form.is_valid():
        try:
            count = services.batch_confirm_paid(actor=_user(request), batch=batch, paid_on=form.cleaned_data["paid_on"])
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            text = ngettext("%(count)s payment is marked as paid.", "%(count)s payments are marked as paid.", count)
            messages.success(request, text % {"count": count})
            return redirect("payments:batch", batch_id=batch.pk)
    context = {
        "batch": batch,
        "form": form,
        "title": _("Mark batch %(reference)s as paid") % {"reference": batch.reference},
        "submit": _("Mark as paid"),
        "cancel_url": reverse("payments:batch", kwargs={"batch_id": batch.pk}),
    }
    return _render(request, "payments/simple_form.html", context, form)


# --- recoveries -------------------------------------------------------------------------------------------


def recoveries(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.sees_recoveries(user):
        raise PermissionDenied
    status = request.GET.get("status", RecoveryStatus.OPEN)
    if status not in RecoveryStatus.values and status != "alla":
        status = RecoveryStatus.OPEN
    page = Paginator(selectors.recoveries(user, status="" if status == "alla" else status), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    rows = list(page.object_list)
    shows = access.shows_protected_details(user)
    today = timezone.localdate()
    for r in rows:
        r.masked = r.person.is_protected and not shows  # type: ignore[attr-defined]
        r.days_left = (r.court_action_due_on - today).days  # type: ignore[attr-defined]
    _log_persons(request, [(r.person_id, r.case_id) for r in rows], view="payments:recoveries", purpose="Visa återkrav")
    context = {
        "page": page,
        "rows": rows,
        "status": status,
        "statuses": [(s.value, s.label) for s in RecoveryStatus] + [("alla", _("all"))],
        "query": f"status={status}",
        "today": timezone.localdate(),
    }
    return render(request, "payments/recoveries.html", context)


def recovery_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = load_case(request, case_id, purpose="Registrera återkrav", view="payments:recovery_new")
    if not access.can_plan_payments(request.user, case):
        raise PermissionDenied
    choices = _decision_choices(case)
    if not choices:
        messages.info(request, _("There is no decision on financial assistance in the case."))
        return redirect("payments:case", case_id=case.pk)
    today = timezone.localdate()
    initial = {"decided_on": today, "decision": choices[0][0] if len(choices) == 1 else None}
    form = forms.RecoveryForm(request.POST or None, initial=initial, decisions=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recovery = services.recovery_register(
                actor=_user(request),
                decision=_case_decision(case, data["decision"]),
                legal_ground=data["legal_ground"],
                circumstance=data["circumstance"],
                amount=data["amount"],
                reason=data["reason"],
                cost_date=data["cost_date"],
                decided_on=data["decided_on"],
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The repayment claim is registered."))
            return redirect("payments:recovery", recovery_id=recovery.pk)
    return _case_form_page(
        request,
        case,
        form=form,
        title=_("Register a repayment claim"),
        submit=_("Register claim"),
        law_help=True,
    )


def _recovery(request: HttpRequest, recovery_id: int, *, purpose: str, view: str) -> Recovery:
    recovery = selectors.recovery_for(request.user, recovery_id)
    if recovery is None:
        raise Http404
    _log_persons(request, [(recovery.person_id, recovery.case_id)], view=view, purpose=purpose)
    recovery.masked = recovery.person.is_protected and not access.shows_protected_details(request.user)  # type: ignore[attr-defined]
    recovery.days_left = (recovery.court_action_due_on - timezone.localdate()).days  # type: ignore[attr-defined]
    return recovery


def recovery_detail(request: HttpRequest, recovery_id: int) -> HttpResponse:
    recovery = _recovery(request, recovery_id, purpose="Visa återkrav", view="payments:recovery")
    user = _user(request)
    repaid = services.repaid_total(recovery)
    context = {
        "recovery": recovery,
        "repaid": repaid,
        "remaining": recovery.amount - repaid,
        "today": timezone.localdate(),
        "can_register_repayment": access.can_register_repayment(user, recovery)
        and recovery.status == RecoveryStatus.OPEN,
        "can_decide": access.can_plan_payments(user, recovery.case) and recovery.status == RecoveryStatus.OPEN,
        "is_case_worker": access.can_plan_payments(user, recovery.case),
    }
    return render(request, "payments/recovery.html", context)


def _recovery_form(
    request: HttpRequest, recovery: Recovery, *, form: Form, title: str, submit: str, **extra: Any
) -> HttpResponse:
    context = {
        "recovery": recovery,
        "form": form,
        "title": title,
        "submit": submit,
        "cancel_url": reverse("payments:recovery", kwargs={"recovery_id": recovery.pk}),
        **extra,
    }
    return _render(request, "payments/simple_form.html", context, form)


def recovery_repayment(request: HttpRequest, recovery_id: int) -> HttpResponse:
    recovery = _recovery(request, recovery_id, purpose="Registrera inbetalning", view="payments:recovery_repayment")
    if not access.can_register_repayment(request.user, recovery):
        raise PermissionDenied
    form = forms.RepaymentForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seen_key = f"payments:repayment:{data['idempotency_token']}"
        if request.session.get(seen_key):
            return redirect("payments:recovery", recovery_id=recovery.pk)
        try:
            services.recovery_repayment_register(
                actor=_user(request),
                recovery=recovery,
                amount=data["amount"],
                received_on=data["received_on"],
                note=data["note"],
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            request.session[seen_key] = True
            messages.success(request, _("The repayment is registered."))
            return redirect("payments:recovery", recovery_id=recovery.pk)
    return _recovery_form(request, recovery, form=form, title=_("Register a repayment"), submit=_("Register repayment"))


def recovery_waive(request: HttpRequest, recovery_id: int) -> HttpResponse:
    recovery = _recovery(request, recovery_id, purpose="Efterge återkrav", view="payments:recovery_waive")
    if not access.can_plan_payments(request.user, recovery.case):
        raise PermissionDenied
    form = forms.WaiveForm(request.POST or None, initial={"waived_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.recovery_waive(
                actor=_user(request),
                recovery=recovery,
                waived_on=form.cleaned_data["waived_on"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The claim is waived."))
            return redirect("payments:recovery", recovery_id=recovery.pk)
    return _recovery_form(
        request,
        recovery,
        form=form,
        title=_("Waive the claim"),
        submit=_("Waive claim"),
        warning=_("The board may waive a claim wholly or partly (33 kap. 6 § SoL). What is left is waived."),
    )


def recovery_court(request: HttpRequest, recovery_id: int) -> HttpResponse:
    recovery = _recovery(request, recovery_id, purpose="Registrera talan om återkrav", view="payments:recovery_court")
    if not access.can_plan_payments(request.user, recovery.case):
        raise PermissionDenied
    form = forms.CourtActionForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.recovery_court_action(
                actor=_user(request),
                recovery=recovery,
                filed_on=form.cleaned_data["filed_on"],
                committee_decision=form.cleaned_data["committee_decision"],
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("The court action is registered."))
            return redirect("payments:recovery", recovery_id=recovery.pk)
    return _recovery_form(
        request,
        recovery,
        form=form,
        title=_("Register court action"),
        submit=_("Register court action"),
        warning=_("Court action must be brought by %(date)s (33 kap. 5 § SoL).")
        % {"date": iso_date(recovery.court_action_due_on)},
    )
