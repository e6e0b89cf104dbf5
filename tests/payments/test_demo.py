"""The demo seeding of payments: history in exported batches with valid files, returns as negative rows,
återkrav, and the coming pay day's draft batch with one approval."""

import datetime as dt
import random

from django.utils import timezone

from lotsen.cases.models import Decision
from lotsen.payments import pain001
from lotsen.payments.demo import seed_payments
from lotsen.payments.models import Payment, PaymentBatch, PaymentStatus
from tests.payments import helpers
from tests.payments.conftest import TODAY


def _decision(case, worker, period: dt.date, decided_on: dt.date, total: int):
    return Decision.objects.create(
        case=case, type="financial_assistance", outcome="granted", legal_basis="12 kap. 1 § SoL", decision_text="x",
        reasons="x", prepared_by=worker, status="signed", delegate=worker, signed_at=timezone.now(),
        decided_on=decided_on, number=f"B-T-{case.pk}-{period:%m}",
        payload={"granted_total": total, "period": f"{period:%Y-%m}",
                 "category_totals": {"forsorjningsstod": total - 500, "livsforing_ovrigt": 500}},
    )  # fmt: skip


def test_seed_payments(eb_unit, eb_caseworker, delegation, officer, officer2):
    cases = [helpers.assistance_case(eb_caseworker, eb_unit, opened_on=dt.date(2025, 12, 1)) for _ in range(6)]
    for case in cases:
        for month in (1, 2, 3, 4):
            period = dt.date(2026, month, 1)
            _decision(case, eb_caseworker, period, min(period - dt.timedelta(days=10), TODAY), 9000 + month)
    report = seed_payments(rng=random.Random(1), today=TODAY, years=1, officers=[officer, officer2],
                           return_share=0.1)  # fmt: skip
    assert report.accounts == 6
    # Two categories per decision, plus a landlord line where the rent is paid directly.
    assert report.payments == Payment.objects.filter(kind="payment").count() >= 6 * 4 * 2
    exported = PaymentBatch.objects.filter(status="exported")
    assert exported.count() == 3  # January, February and March aid, paid before 2026-03-20
    for batch in exported:
        assert pain001.validation_errors(batch.file_content.encode()) == []
        assert batch.approvers == [officer.pk, officer2.pk]
    assert report.returns == len(Payment.objects.filter(kind="return"))
    assert Payment.objects.filter(status=PaymentStatus.RETURNED).count() == report.returns
    april = Payment.objects.filter(period_month=dt.date(2026, 4, 1), kind="payment")
    assert set(april.values_list("status", flat=True)) == {PaymentStatus.IN_BATCH}
    draft = PaymentBatch.objects.get(status="draft")
    assert draft.approvers == [officer.pk] and draft.pay_on == dt.date(2026, 3, 25)
    assert report.recoveries >= 1
    # Decisions that already have payments are left alone.
    again = seed_payments(rng=random.Random(1), today=TODAY, years=1, officers=[officer, officer2])
    assert again.payments == 0
