"""Demo data for payments: payout accounts, the payment history of the seeded decisions on ekonomiskt bistånd
(monthly batches with their pain.001 files, a few bank returns), the coming month's planned payments with a
draft batch waiting for its second approval, and some återkrav.

Called by the demo generator after the assistance seeding (it reads the signed `financial_assistance` decisions
that exist). Bulk-inserted like the rest of the generator: no audit rows for synthetic history. Deterministic for
a given `rng`.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from lotsen.accounts.models import User
from lotsen.cases.models import Decision, DecisionStatus, DecisionType
from lotsen.core.errors import DomainError
from lotsen.core.workdays import add_years, last_working_day_on_or_before
from lotsen.payments import pain001, services
from lotsen.payments.accounts import bankgiro_with_check_digit
from lotsen.payments.models import (
    AccountKind,
    Category,
    LegalGround,
    PayeeAccount,
    PayeeKind,
    Payment,
    PaymentBatch,
    PaymentBatchStatus,
    PaymentKind,
    PaymentStatus,
    Recovery,
    RecoveryRepayment,
)

LANDLORDS = ["Bostadsbolaget i Exempelby AB", "Hyresfastigheter Norra AB", "Stiftelsen Exempelbyhus"]
VALIDATED_RECENT_BATCHES = 3  # the newest batch files are also checked against the XSD while seeding


@dataclass
class PaymentsSeedReport:
    accounts: int = 0
    payments: int = 0
    batches: int = 0
    returns: int = 0
    recoveries: int = 0


def _pay_day(period: date) -> date:
    """Aid for a month is paid on the last working day on or before the 25th of the month before."""
    before = (period - timedelta(days=1)).replace(day=25)
    return last_working_day_on_or_before(before)


def _next_reference(pay_on: date) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('payments_batch_number_seq')")
        (value,) = cursor.fetchone()
    return f"LOTSEN-{pay_on:%Y%m%d}-{value:05d}"


@transaction.atomic
def seed_payments(
    *, rng: random.Random, today: date, years: int, officers: Sequence[User], return_share: float = 0.01
) -> PaymentsSeedReport:
    """`officers`: the demo's finance officers (two are needed for approved batches; with one, every batch
    stays a draft with one approval)."""
    report = PaymentsSeedReport()
    if not officers:
        return report
    first_officer = officers[0]
    second_officer = officers[1] if len(officers) > 1 else None
    earliest = add_years(today, -years)
    decisions = list(
        Decision.objects.filter(
            type=DecisionType.FINANCIAL_ASSISTANCE, status=DecisionStatus.SIGNED, decided_on__gte=earliest
        )
        .filter(payments__isnull=True)
        .select_related("case__subject", "case__unit", "delegate")
        .order_by("decided_on", "pk")
    )
    if not decisions:
        return report

    # Payout accounts: a Nordea personkonto (clearing 3300 + the personnummer) or a bankgiro number.
    accounts: dict[int, PayeeAccount] = {
        a.person_id: a for a in PayeeAccount.objects.filter(person__in={d.case.subject_id for d in decisions})
    }
    new_accounts = []
    for d in decisions:
        person = d.case.subject
        if person.pk in accounts:
            continue
        if person.pnr and not person.is_coordination_number and rng.random() < 0.8:
            account = PayeeAccount(person=person, account_kind=AccountKind.BANK_ACCOUNT, clearing="3300",
                                   account_number=person.pnr[2:], bank="Nordea (personkonto)")  # fmt: skip
        else:
            number = bankgiro_with_check_digit(str(rng.randint(1_000_000, 9_999_999)))
            account = PayeeAccount(person=person, account_kind=AccountKind.BANKGIRO, account_number=number,
                                   bank="Bankgiro")  # fmt: skip
        account.valid_from = d.case.opened_on
        account.registered_by = d.delegate or first_officer
        accounts[person.pk] = account
        new_accounts.append(account)
    PayeeAccount.objects.bulk_create(new_accounts, batch_size=5000)
    report.accounts = len(new_accounts)

    landlords = {name: bankgiro_with_check_digit(str(5_000_000 + i * 7919)) for i, name in enumerate(LANDLORDS)}
    rows: list[Payment] = []
    for d in decisions:
        case, person = d.case, d.case.subject
        period = services.decision_period(d)
        totals = services.category_totals(d)
        if not totals:
            amount = services.decision_amount(d)
            if not amount:
                continue
            totals = {services.decision_category(d): amount}
        pay_on = max(_pay_day(period), d.decided_on or period)
        account = accounts[person.pk]
        lines: list[tuple[str, str, str, str, str, Decimal, str]] = []
        subsistence = totals.get(Category.SUBSISTENCE, Decimal(0))
        if subsistence > 4000 and rng.random() < 0.15:  # rent straight to the landlord
            landlord = rng.choice(LANDLORDS)
            rent = min(subsistence - 1000, Decimal(rng.randrange(4500, 8000, 100)))
            lines.append((PayeeKind.LANDLORD, landlord, AccountKind.BANKGIRO, "", landlords[landlord], rent,
                          Category.SUBSISTENCE))  # fmt: skip
            totals = {**totals, Category.SUBSISTENCE: subsistence - rent}
        for category, amount in totals.items():
            if amount > 0:
                lines.append((PayeeKind.PERSON, person.full_name, account.account_kind, account.clearing,
                              account.account_number, amount, category))  # fmt: skip
        for i, (payee_kind, name, kind, clearing, number, amount, category) in enumerate(lines, start=1):
            rows.append(
                Payment(
                    decision=d, case=case, person=person, unit_id=case.unit_id, line=i, payee_kind=payee_kind,
                    creditor_name=name, account_kind=kind, clearing=clearing, account_number=number,
                    reference=f"Hyra {period:%Y-%m}" if payee_kind == PayeeKind.LANDLORD else "",
                    amount=amount, category=category, period_month=period, pay_on=pay_on,
                    idempotency_key=f"d{d.pk}:l{i}:p{period:%Y%m}", created_by=d.delegate or first_officer,
                )
            )  # fmt: skip

    # History: one batch per pay day before today, exported (two approvers) or left as a draft (one officer).
    by_day: dict[date, list[Payment]] = defaultdict(list)
    for p in rows:
        if p.pay_on < today:
            by_day[p.pay_on].append(p)
    debtor = services.debtor()
    batches: dict[date, PaymentBatch] = {}
    days = sorted(by_day)
    for index, day in enumerate(days):
        items = by_day[day]
        total = sum((p.amount for p in items), Decimal(0))
        created_at = timezone.make_aware(datetime.combine(day - timedelta(days=2), time(9, 0)))
        batch = PaymentBatch(reference=_next_reference(day), pay_on=day, payment_count=len(items),
                             total_amount=total, created_by=first_officer, approved_by_1=first_officer,
                             approved_at_1=created_at)  # fmt: skip
        if second_officer is not None:
            batch.approved_by_2 = second_officer
            batch.approved_at_2 = created_at + timedelta(hours=2)
            batch.status = PaymentBatchStatus.EXPORTED
            batch.exported_by = second_officer
            batch.exported_at = created_at + timedelta(hours=3)
        batches[day] = batch
        batch._seed_index = index  # type: ignore[attr-defined]
    PaymentBatch.objects.bulk_create([b for b in batches.values() if b.status == PaymentBatchStatus.DRAFT])
    for p in rows:
        if p.pay_on < today:
            batch = batches[p.pay_on]
            exported = batch.status == PaymentBatchStatus.EXPORTED
            p.status = PaymentStatus.PAID if exported else PaymentStatus.IN_BATCH
            p.paid_on = p.pay_on if exported else None
    # Exported batches need their file before insert (the row is frozen once exported).
    exported_batches = [b for b in batches.values() if b.status == PaymentBatchStatus.EXPORTED]
    PaymentBatch.objects.bulk_create(
        [_with_file(b, by_day[b.pay_on], debtor, validate=b._seed_index >= len(days) - VALIDATED_RECENT_BATCHES)  # type: ignore[attr-defined]
         for b in exported_batches]
    )  # fmt: skip
    for p in rows:
        if p.pay_on < today:
            p.batch = batches[p.pay_on]
    Payment.objects.bulk_create(rows, batch_size=5000)
    report.payments = len(rows)
    report.batches = len(batches)

    # A few bank returns: the original becomes returned, a negative row on the return day.
    paid = [p for p in rows if p.status == PaymentStatus.PAID and p.kind == PaymentKind.PAYMENT]
    returned = rng.sample(paid, k=min(len(paid), int(len(paid) * return_share)))
    negatives = []
    for p in returned:
        back = min(p.pay_on + timedelta(days=rng.randint(2, 6)), today)
        Payment.objects.filter(pk=p.pk).update(status=PaymentStatus.RETURNED, returned_on=back,
                                               status_reason="Kontot är avslutat")  # fmt: skip
        negatives.append(
            Payment(
                decision=p.decision, case=p.case, person=p.person, unit_id=p.unit_id, line=p.line,
                kind=PaymentKind.RETURN, payee_kind=p.payee_kind, creditor_name=p.creditor_name,
                account_kind=p.account_kind, clearing=p.clearing, account_number=p.account_number,
                amount=-p.amount, category=p.category, period_month=p.period_month, pay_on=back, paid_on=back,
                status=PaymentStatus.PAID, idempotency_key=f"r{p.pk}", reverses=p, reason="Kontot är avslutat",
                created_by=first_officer,
            )
        )  # fmt: skip
    Payment.objects.bulk_create(negatives, batch_size=5000)
    report.returns = len(negatives)

    # Återkrav (33:1) on a few paid decisions, some partly repaid.
    candidates = list({p.decision_id: p for p in paid if p not in returned}.values())
    for p in rng.sample(candidates, k=min(len(candidates), max(1, len(candidates) // 200))):
        amount = Decimal(rng.randrange(500, int(min(p.amount, Decimal(5000))) + 1, 50))
        decided_on = min(p.pay_on + timedelta(days=rng.randint(20, 90)), today)
        recovery = Recovery.objects.create(
            decision=p.decision, case=p.case, person=p.person, legal_ground=LegalGround.WRONGFUL,
            law_reference=services.law_reference(LegalGround.WRONGFUL, p.decision), amount=amount,
            reason="Inkomst av lön redovisades inte i ansökan.", cost_date=p.pay_on, decided_on=decided_on,
            court_action_due_on=add_years(p.pay_on, 3), created_by=p.created_by,
        )  # fmt: skip
        if rng.random() < 0.5:
            RecoveryRepayment.objects.create(recovery=recovery, amount=(amount / 2).quantize(Decimal("1")),
                                             received_on=min(decided_on + timedelta(days=30), today),
                                             registered_by=first_officer)  # fmt: skip
        report.recoveries += 1

    # The coming pay day: a draft batch with one approval, waiting for the second person (the batch page).
    upcoming = [p for p in rows if p.pay_on >= today]
    if upcoming:
        try:
            batch = services.batch_create(actor=first_officer, pay_on=min(p.pay_on for p in upcoming))
            services.batch_approve(actor=first_officer, batch=batch)
            report.batches += 1
        except DomainError:
            pass  # the demo's "today" is not the clock's today: leave the payments planned
    return report


def _with_file(batch: PaymentBatch, items: list[Payment], debtor: pain001.Debtor, *, validate: bool) -> PaymentBatch:
    # Ids are not known before insert: the demo's end-to-end ids use the idempotency key's decision and line.
    transfers = [
        pain001.CreditTransfer(
            f"LOTSEN-D{p.decision_id}L{p.line}",
            p.amount,
            p.creditor_name,
            "bankgiro" if p.account_kind == AccountKind.BANKGIRO else "bank_account",
            p.clearing,
            p.account_number,
            p.reference or f"Ekonomiskt bistånd {p.period_month:%Y-%m}",
        )
        for p in items
    ]
    xml = pain001.build_document(
        message_id=batch.reference,
        created_at=timezone.localtime(batch.exported_at),
        execution_date=batch.pay_on,
        debtor=debtor,
        transfers=transfers,
    )
    if validate:
        pain001.check(xml)
    batch.file_name = f"{batch.reference}.xml"
    batch.file_content = xml.decode("utf-8")
    batch.sha256 = hashlib.sha256(xml).hexdigest()
    return batch
