"""Reads of the payments app. Every query starts from `access.visible_payments` / `visible_recoveries`
(themselves built on `policies.visible_cases`) or from a case loaded through `cases.selectors.load_case`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone

from lotsen.cases.models import Case, Decision, DecisionStatus, DecisionType
from lotsen.payments import access, services
from lotsen.payments.models import (
    EXECUTED_STATUSES,
    Category,
    PayeeAccount,
    Payment,
    PaymentBatch,
    PaymentBatchStatus,
    PaymentStatus,
    Recovery,
    RecoveryRepayment,
    RecoveryStatus,
)


@dataclass
class DecisionPayments:
    """One signed decision of the case with its payment rows (corrections and returns beside the original)."""

    decision: Decision
    granted: Decimal | None
    planned: Decimal
    executed: Decimal
    served_on: date | None
    repayment_terms: str
    rows: list[Payment] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal | None:
        return None if self.granted is None else self.granted - self.planned

    @property
    def describes_payments(self) -> bool:
        payload = self.decision.payload or {}
        return bool(payload.get("payments") or services.decision_amount(self.decision))


def case_decisions(case: Case) -> list[Decision]:
    return list(
        case.decisions.filter(type=DecisionType.FINANCIAL_ASSISTANCE, status=DecisionStatus.SIGNED)
        .select_related("delegate")
        .order_by("-decided_on", "-id")
    )


def case_payments(case: Case) -> list[DecisionPayments]:
    """All payment rows of a case grouped by decision, newest decision first; within a decision by date, each
    correction or return right after the row it reverses."""
    decisions = case_decisions(case)
    rows = list(Payment.objects.filter(case=case).select_related("batch").order_by("pay_on", "id"))
    by_decision: dict[int, list[Payment]] = {}
    originals = [p for p in rows if p.reverses_id is None]
    negatives: dict[int, list[Payment]] = {}
    for p in rows:
        if p.reverses_id is not None:
            negatives.setdefault(p.reverses_id, []).append(p)
    for p in originals:
        by_decision.setdefault(p.decision_id, []).extend([p, *negatives.get(p.pk, [])])
    served = served_dates(case, decisions)
    result = []
    for d in decisions:
        items = by_decision.get(d.pk, [])
        planned = sum((p.amount for p in items if p.status != PaymentStatus.CANCELLED), Decimal(0))
        executed = sum((p.amount for p in items if p.status in EXECUTED_STATUSES), Decimal(0))
        result.append(
            DecisionPayments(
                decision=d,
                granted=services.decision_amount(d),
                planned=planned,
                executed=executed,
                served_on=served.get(d.pk),
                repayment_terms=services.repayment_terms(d),
                rows=items,
            )
        )
    return result


def served_dates(case: Case, decisions: list[Decision]) -> dict[int, date]:
    dates = {}
    for d in decisions:
        served = services.decision_served_on(d)
        if served is not None:
            dates[d.pk] = served
    return dates


def payee_accounts(case: Case) -> list[PayeeAccount]:
    return list(PayeeAccount.objects.filter(person_id=case.subject_id).select_related("registered_by"))


def current_payee_account(case: Case) -> PayeeAccount | None:
    return services.payee_account_for(case.subject, timezone.localdate())


# --- batches ----------------------------------------------------------------------------------------------


def batches(user: Any) -> QuerySet[PaymentBatch]:
    if not access.can_manage_batches(user):
        return PaymentBatch.objects.none()
    return PaymentBatch.objects.select_related("created_by", "approved_by_1", "approved_by_2", "exported_by")


def batch_for(user: Any, batch_id: int) -> PaymentBatch | None:
    return batches(user).filter(pk=batch_id).first()


def planned_summary(user: Any, until: date | None = None) -> dict[str, Any]:
    """What a new batch for `until` would take: count and total of planned payments due by then."""
    qs = access.visible_payments(user).filter(status=PaymentStatus.PLANNED, kind="payment")
    if until is not None:
        qs = qs.filter(pay_on__lte=until)
    agg = qs.aggregate(count=Count("id"), total=Sum("amount"))
    return {"count": agg["count"], "total": agg["total"] or Decimal(0)}


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    label: str
    count: int
    total: Decimal


def batch_category_totals(batch: PaymentBatch) -> list[CategoryTotal]:
    """Totals per category (followup.md FU-M4: the batch's cash-basis contribution per category)."""
    rows = {
        r["category"]: r
        for r in Payment.objects.filter(batch=batch).values("category").annotate(count=Count("id"), total=Sum("amount"))
    }
    return [
        CategoryTotal(c.value, str(c.label), rows[c.value]["count"], rows[c.value]["total"])
        for c in Category
        if c.value in rows
    ]


def batch_payments(batch: PaymentBatch) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(batch=batch)
        .select_related("case", "person")
        .prefetch_related(Prefetch("corrections", queryset=Payment.objects.order_by("id")))
        .order_by("id")
    )


def batch_returns(batch: PaymentBatch) -> QuerySet[Payment]:
    return Payment.objects.filter(reverses__batch=batch, kind="return").select_related("reverses").order_by("id")


def open_batches_count(user: Any) -> int:
    return batches(user).filter(status__in=[PaymentBatchStatus.DRAFT, PaymentBatchStatus.APPROVED]).count()


# --- recoveries -------------------------------------------------------------------------------------------


def recoveries(user: Any, *, status: str = "") -> QuerySet[Recovery]:
    qs = access.visible_recoveries(user).select_related("case", "person", "decision")
    qs = qs.annotate(repaid=Sum("repayments__amount"))
    if status in RecoveryStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "court_action_due_on", "id")


def recovery_for(user: Any, recovery_id: int) -> Recovery | None:
    return (
        access.visible_recoveries(user)
        .select_related("case", "case__unit", "person", "decision", "created_by")
        .prefetch_related(
            Prefetch("repayments", queryset=RecoveryRepayment.objects.select_related("registered_by").order_by("id"))
        )
        .filter(pk=recovery_id)
        .first()
    )


def case_recoveries(case: Case) -> list[Recovery]:
    return list(case.recoveries.annotate(repaid=Sum("repayments__amount")).order_by("-decided_on", "-id"))
