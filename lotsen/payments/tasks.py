"""Background tasks (django-tasks, database backend; the worker is `lotsen db_worker`).

- `plan_month_payments` — the monthly run: plans the payments of every signed decision on ekonomiskt bistånd
  for a biståndsmånad that has none yet (idempotent: lines already planned are skipped).
- `create_payment_batch` — the daily or monthly batch: collects the planned payments due by a date into a
  draft batch (idempotent: nothing is batched twice; no empty batch). Two finance officers then approve it
  on the batch page before the pain.001 file is made.

Both run as the finance officer who scheduled them (`actor_id`), so the audit trail names a person.
Arguments are JSON-serialisable; each can be called synchronously with `.call(...)`.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django_tasks import task

from lotsen.accounts.models import User
from lotsen.cases.models import Decision, DecisionStatus, DecisionType
from lotsen.core.errors import DomainError
from lotsen.payments import services


def decisions_for_period(period: str) -> QuerySet[Decision]:
    """Signed EB decisions for the month `period` ("2026-04") without payment rows."""
    month = date.fromisoformat(f"{period[:7]}-01")
    text = f"{month:%Y-%m}"
    return (
        Decision.objects.filter(type=DecisionType.FINANCIAL_ASSISTANCE, status=DecisionStatus.SIGNED)
        .filter(Q(payload__period=text) | Q(payload__period_month=text) | Q(payload__period_month=month.isoformat()))
        .filter(payments__isnull=True)
        .order_by("pk")
    )


@task()
def plan_month_payments(period: str, actor_id: int) -> dict[str, object]:
    actor = User.objects.get(pk=actor_id)
    result = services.payments_plan_bulk(actor=actor, decisions=decisions_for_period(period))
    return {"created": result.created, "skipped": result.skipped, "errors": result.errors}


@task()
def create_payment_batch(pay_on: str, actor_id: int) -> int | None:
    """The id of the new draft batch, or None when nothing is due."""
    actor = User.objects.get(pk=actor_id)
    try:
        batch = services.batch_create(actor=actor, pay_on=date.fromisoformat(pay_on))
    except DomainError:
        return None
    return batch.pk
