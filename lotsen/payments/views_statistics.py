"""The statistics page (followup.md 3.1 and 3.4): choose a month → validation → rows that fail and why →
create and download the file for Socialstyrelsen. Served from the payments app (/utbetalningar/statistik/)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotsen.accounts.models import User
from lotsen.assistance import statistics as eb
from lotsen.audit import services as audit
from lotsen.core.templatetags.lotsen import MONTHS_SV
from lotsen.core.workdays import add_months
from lotsen.payments import access, forms
from lotsen.payments.models import StatisticsSubmission
from lotsen.payments.views import _log_persons

MONTHS_BACK = 24


def _require(request: HttpRequest) -> User:
    if not access.can_view_statistics(request.user):
        raise PermissionDenied
    return cast(User, request.user)


def month_label(d: date) -> str:
    return f"{MONTHS_SV[d.month - 1]} {d.year}"


def _month_choices(today: date) -> list[tuple[str, str]]:
    first = today.replace(day=1)
    return [(f"{m:%Y-%m}", month_label(m)) for m in (add_months(first, -i) for i in range(MONTHS_BACK))]


def _chosen_month(value: str, today: date) -> date:
    try:
        chosen = date.fromisoformat(f"{value}-01")
    except ValueError:
        chosen = add_months(today.replace(day=1), -1)
    return chosen


@transaction.atomic
def _create_submission(*, actor: User, report: eb.Report, code: str, override_reason: str) -> StatisticsSubmission:
    excluded = sorted(report.error_case_ids)
    households = [hh for hh in report.households if hh.case_id not in report.error_case_ids]
    lay = eb.layout()
    content = eb.build_file(households, period=report.period, municipality_code=code, layout_=lay)
    previous = (
        StatisticsSubmission.objects.filter(register=eb.REGISTER, period_month=report.period).order_by("-id").first()
    )
    submission = StatisticsSubmission.objects.create(
        register=eb.REGISTER,
        period_month=report.period,
        layout_version=lay.version,
        household_count=len(households),
        person_count=sum(len(hh.members) for hh in households),
        record_count=sum(len(hh.members) for hh in households),
        amount_total=sum((hh.total for hh in households), 0),
        excluded_rows=[{"case_id": pk} for pk in excluded],
        override_reason=override_reason,
        file_name=eb.file_name(report.period, code),
        file_content=content,
        sha256=eb.sha256(content),
        supersedes=previous,
        created_by=actor,
    )
    after = audit.snapshot(submission) or {}
    after.pop("file_content", None)
    audit.record(actor=actor, action="statistics_submission.created", obj=submission, after=after)
    return submission


def statistics_page(request: HttpRequest) -> HttpResponse:
    user = _require(request)
    today = timezone.localdate()
    period = _chosen_month(request.GET.get("manad", ""), today)
    code = eb.configured_municipality_code()
    report = eb.run(period, today=today, municipality_code=code)
    form = forms.StatisticsExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["override_reason"].strip()
        if not report.households:
            form.add_error(None, _("There is nothing to report for the month."))
        elif report.errors and not reason:
            form.add_error(
                "override_reason",
                _("Correct the rows with errors, or write why the file is sent without them"),
            )
        else:
            submission = _create_submission(actor=user, report=report, code=code, override_reason=reason)
            messages.success(request, _("The file %(name)s is created.") % {"name": submission.file_name})
            return redirect(f"{reverse('payments:statistics')}?manad={period:%Y-%m}")
    findings = sorted(report.findings, key=lambda f: (f.unit, f.caseworker, f.case_number, f.rule))
    _log_persons(
        request,
        [(f.person_id, f.case_id) for f in findings if f.person_id],
        view="payments:statistics",
        purpose="Kontrollera statistik till Socialstyrelsen",
    )
    due = eb.due_on(period)
    context: dict[str, Any] = {
        "report": report,
        "findings": findings,
        "months": _month_choices(today),
        "chosen": f"{period:%Y-%m}",
        "period_label": month_label(period),
        "due_on": due,
        "days_left": (due - today).days,
        "form": form,
        "submissions": StatisticsSubmission.objects.filter(register=eb.REGISTER, period_month=period).select_related(
            "created_by"
        ),
        "households_ok": len(report.households) - len(report.error_case_ids),
        "layout_version": eb.LAYOUT_VERSION,
        "municipality_code": code,
    }
    return render(request, "payments/statistics.html", context, status=422 if form.errors else 200)


def submission_file(request: HttpRequest, submission_id: int) -> HttpResponse:
    user = _require(request)
    submission = StatisticsSubmission.objects.filter(pk=submission_id).first()
    if submission is None:
        raise Http404
    audit.record_export(
        actor=user,
        what="statistics_submission_file",
        filters={
            "register": submission.register,
            "period": f"{submission.period_month:%Y-%m}",
            "sha256": submission.sha256,
        },
        rows=submission.record_count,
    )
    response = HttpResponse(submission.file_content.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{submission.file_name}"'
    return response
