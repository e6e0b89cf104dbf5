"""Writes of the payments app: planning payments from signed decisions, cancellations, corrections and bank
returns as new rows, payment batches with two-person approval and the pain.001 export, återkrav.

Every service is keyword-only and `@transaction.atomic`, checks the policy, writes the audit row (and, for
case matters, a case event) in the same transaction, and raises `DomainError` with a Swedish message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from lotsen.audit import services as audit
from lotsen.audit.models import AuditEvent
from lotsen.cases import services as case_services
from lotsen.cases.models import CaseEvent, Decision, DecisionStatus, DecisionType
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.core.middleware import current_request_id
from lotsen.core.templatetags.lotsen import kronor
from lotsen.core.workdays import add_years
from lotsen.payments import access, pain001
from lotsen.payments.accounts import InvalidAccount, parse_bank_account, parse_bankgiro
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
    RecoveryStatus,
)

if TYPE_CHECKING:
    from lotsen.accounts.models import User
    from lotsen.cases.models import Case
    from lotsen.people.models import Person

CENT = Decimal("0.01")
# R-TID-8: decisions before this day follow SoL (2001:453), later ones SoL (2025:400).
NEW_SOL_FROM = date(2025, 7, 1)
LAW_REFERENCES = {
    "new": {
        LegalGround.WRONGFUL: "33 kap. 1 § SoL (2025:400)",
        LegalGround.CONDITIONAL: "33 kap. 2 § SoL (2025:400)",
        LegalGround.DISCRETIONARY: "33 kap. 3 § SoL (2025:400)",
    },
    # The old act's återkrav rules: 9 kap. 1 § (wrongly paid) and 9 kap. 2 § first and second paragraphs.
    "old": {
        LegalGround.WRONGFUL: "9 kap. 1 § SoL (2001:453)",
        LegalGround.CONDITIONAL: "9 kap. 2 § första stycket SoL (2001:453)",
        LegalGround.DISCRETIONARY: "9 kap. 2 § andra stycket SoL (2001:453)",
    },
}
DECISION_SERVED_EVENT = "decision_served"


# --- helpers ----------------------------------------------------------------------------------------------


def debtor() -> pain001.Debtor:
    """The municipality as payer. Settings (demo values in config/settings.py), read with defaults."""
    return pain001.Debtor(
        name=getattr(settings, "LOTSEN_PAYMENTS_DEBTOR_NAME", "")
        or getattr(settings, "LOTSEN_MUNICIPALITY_NAME", "Exempelby kommun"),
        org_number=getattr(settings, "LOTSEN_PAYMENTS_DEBTOR_ORG_NUMBER", "2120009994"),
        bankgiro=getattr(settings, "LOTSEN_PAYMENTS_DEBTOR_BANKGIRO", "99123457"),
        bic=getattr(settings, "LOTSEN_PAYMENTS_DEBTOR_BIC", "NDEASESS"),
    )


def to_amount(value: Any, *, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError("Beloppet ska vara ett tal i kronor, till exempel 1250", field=field) from exc
    if not amount.is_finite():
        raise DomainError("Beloppet ska vara ett tal i kronor, till exempel 1250", field=field)
    if amount != amount.quantize(CENT):
        raise DomainError("Beloppet får ha högst två decimaler", field=field)
    return amount.quantize(CENT)


def month_start(d: date) -> date:
    return d.replace(day=1)


PAYMENT_AUDIT_FIELDS = (
    "decision_id", "case_id", "person_id", "line", "kind", "payee_kind", "account_kind", "amount", "category",
    "period_month", "pay_on", "status", "idempotency_key",
)  # fmt: skip


def _payment_snapshot(p: Payment) -> dict[str, Any]:
    data: dict[str, Any] = {"id": p.pk}
    for name in PAYMENT_AUDIT_FIELDS:
        value = getattr(p, name)
        data[name] = value if isinstance(value, str | int | type(None)) else str(value)
    return data


def _bulk_audit(*, actor: User | None, action: str, payments: Sequence[Payment]) -> None:
    """One audit row per payment, inserted in bulk (the monthly run plans thousands of payments)."""
    request_id = current_request_id()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor,
                action=action,
                object_type=Payment._meta.label_lower,
                object_id=str(p.pk),
                before=None,
                after=_payment_snapshot(p),
                request_id=request_id,
            )
            for p in payments
        ],
        batch_size=2000,
    )


def _require_assistance_decision(decision: Decision) -> None:
    if decision.type != DecisionType.FINANCIAL_ASSISTANCE:
        raise DomainError("Utbetalningar och återkrav gäller bara beslut om ekonomiskt bistånd.", field="decision")
    if decision.status != DecisionStatus.SIGNED:
        raise DomainError(
            "Beslutet är inte fattat än. Utbetalningar kan planeras när beslutet är fattat.", field="decision"
        )


def decision_amount(decision: Decision) -> Decimal | None:
    """The granted amount in the decision's payload (whole kronor from the norm engine), if any:
    `granted_total` as the assistance app writes it, or `amount`."""
    payload = decision.payload or {}
    value = payload.get("granted_total", payload.get("amount"))
    if value is None:
        return None
    try:
        return Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        return None


def category_totals(decision: Decision) -> dict[str, Decimal]:
    """The granted amount per category (`category_totals` of the assistance app), only positive parts."""
    totals = (decision.payload or {}).get("category_totals") or {}
    result = {}
    for category, value in totals.items():
        try:
            amount = Decimal(str(value)).quantize(CENT)
        except (InvalidOperation, ValueError):
            continue
        if category in Category.values and amount > 0:
            result[category] = amount
    return result


def decision_category(decision: Decision) -> str:
    """The decision's main category: the largest of its category totals, or payload `category`."""
    totals = category_totals(decision)
    if totals:
        return max(totals.items(), key=lambda item: item[1])[0]
    category = (decision.payload or {}).get("category") or Category.SUBSISTENCE
    return category if category in Category.values else Category.SUBSISTENCE


def decision_period(decision: Decision) -> date:
    """The biståndsmånad: payload `period` or `period_month` ("2026-03" or "2026-03-01"), else the month of the
    decision."""
    payload = decision.payload or {}
    value = str(payload.get("period") or payload.get("period_month") or "")
    try:
        return date.fromisoformat(value[:7] + "-01")
    except ValueError:
        return month_start(decision.decided_on or timezone.localdate())


def net_planned(decision: Decision) -> Decimal:
    """What the decision's payment rows add up to: payments not cancelled, minus corrections and returns."""
    total = (
        Payment.objects.filter(decision=decision)
        .exclude(status=PaymentStatus.CANCELLED)
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or Decimal(0)


def net_executed(decision: Decision) -> Decimal:
    """Money actually paid out under the decision (sent, paid or returned, with their negative rows)."""
    total = Payment.objects.filter(
        decision=decision, status__in=[PaymentStatus.SENT, PaymentStatus.PAID, PaymentStatus.RETURNED]
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


# --- payee accounts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    kind: str
    clearing: str
    number: str
    bank: str


def validate_account(kind: str, clearing: str, number: str) -> Account:
    """Raise DomainError (field `clearing` or `account_number`) with the Swedish reason."""
    try:
        if kind == AccountKind.BANKGIRO:
            bg = parse_bankgiro(number)
            return Account(AccountKind.BANKGIRO, "", bg.number, "Bankgiro")
        if kind == AccountKind.BANK_ACCOUNT:
            acc = parse_bank_account(clearing, number)
            return Account(AccountKind.BANK_ACCOUNT, acc.clearing, acc.number, acc.bank)
    except InvalidAccount as exc:
        raise DomainError(exc.message_sv, field=exc.field) from exc
    raise DomainError("Välj om pengarna ska till ett bankkonto eller ett bankgironummer", field="account_kind")


@transaction.atomic
def payee_account_register(
    *, actor: User, case: Case, account_kind: str, clearing: str, account_number: str, valid_from: date
) -> PayeeAccount:
    """The account the case's person wants the aid paid to. A change is a new row (history kept)."""
    if not access.can_plan_payments(actor, case):
        raise PermissionDeniedError("Du har inte behörighet att ändra utbetalningar i det här ärendet.")
    account = validate_account(account_kind, clearing, account_number)
    row = PayeeAccount.objects.create(
        person=case.subject,
        account_kind=account.kind,
        clearing=account.clearing,
        account_number=account.number,
        bank=account.bank,
        valid_from=valid_from,
        registered_by=actor,
    )
    audit.record(actor=actor, action="payee_account.registered", obj=row)
    return row


def payee_account_for(person: Person, on: date) -> PayeeAccount | None:
    return PayeeAccount.objects.filter(person=person, valid_from__lte=on).order_by("-valid_from", "-id").first()


# --- planning payments ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentLine:
    """One payment to plan. `account_kind`/`clearing`/`account_number` empty for the person means: use the
    person's registered account."""

    amount: Decimal
    pay_on: date
    payee_kind: str = PayeeKind.PERSON
    creditor_name: str = ""
    account_kind: str = ""
    clearing: str = ""
    account_number: str = ""
    category: str = ""
    purpose: str = ""
    reference: str = ""
    period_month: date | None = None


def _lines_from_payload(decision: Decision) -> list[PaymentLine]:
    """Payment lines described by the decision itself: `payload["payments"]` (a list of lines with payee and
    account) or, failing that, one payment to the person per category of `category_totals` (or the whole
    granted amount), paid on the decision day or today, whichever is later."""
    payload = decision.payload or {}
    day = max(decision.decided_on or timezone.localdate(), timezone.localdate())
    raw = payload.get("payments")
    if not raw:
        payee = payload.get("payee") or {}
        split = category_totals(decision)
        amount = decision_amount(decision)
        if not split and amount:
            split = {decision_category(decision): amount}
        raw = [
            {"amount": str(value), "category": category, "payee_kind": payee.get("kind", PayeeKind.PERSON), **payee}
            for category, value in split.items()
        ]
    lines = []
    for item in raw:
        lines.append(
            PaymentLine(
                amount=to_amount(item.get("amount")),
                pay_on=date.fromisoformat(item["pay_on"]) if item.get("pay_on") else day,
                payee_kind=item.get("payee_kind") or item.get("kind") or PayeeKind.PERSON,
                creditor_name=item.get("creditor_name") or item.get("name") or "",
                account_kind=item.get("account_kind") or "",
                clearing=item.get("clearing") or "",
                account_number=item.get("account_number") or item.get("account") or "",
                category=item.get("category") or "",
                purpose=item.get("purpose") or "",
                reference=item.get("reference") or "",
            )
        )
    return lines


def _build_payment(
    *, actor: User, decision: Decision, line: PaymentLine, number: int, key: str, today: date, allow_past: bool = False
) -> Payment:
    case = decision.case
    if line.payee_kind not in PayeeKind.values:
        raise DomainError("Välj vem pengarna ska betalas till", field="payee_kind")
    if line.amount <= 0:
        raise DomainError("Beloppet måste vara större än 0 kr", field="amount")
    if line.pay_on < today and not allow_past:
        raise DomainError("Utbetalningsdagen kan inte vara tidigare än i dag", field="pay_on")
    if line.payee_kind == PayeeKind.PERSON and not line.account_kind:
        registered = payee_account_for(case.subject, line.pay_on)
        if registered is None:
            raise DomainError(
                "Personen har inget utbetalningskonto. Registrera kontot först eller ange ett konto.",
                field="account_kind",
            )
        account = Account(registered.account_kind, registered.clearing, registered.account_number, registered.bank)
    else:
        account = validate_account(line.account_kind, line.clearing, line.account_number)
    name = line.creditor_name.strip()
    if line.payee_kind == PayeeKind.PERSON:
        name = name or case.subject.full_name
    elif not name:
        raise DomainError("Ange mottagarens namn", field="creditor_name")
    category = line.category or decision_category(decision)
    if category not in Category.values:
        raise DomainError("Välj vilken sorts bistånd utbetalningen gäller", field="category")
    return Payment(
        decision=decision,
        case=case,
        person=case.subject,
        unit_id=case.unit_id,
        line=number,
        kind=PaymentKind.PAYMENT,
        payee_kind=line.payee_kind,
        creditor_name=name[:140],
        account_kind=account.kind,
        clearing=account.clearing,
        account_number=account.number,
        reference=line.reference.strip()[:140],
        amount=line.amount,
        category=category,
        purpose=line.purpose[:40],
        period_month=line.period_month or decision_period(decision),
        pay_on=line.pay_on,
        idempotency_key=key,
        created_by=actor,
    )


def _plan(*, actor: User, decision: Decision, lines: Sequence[PaymentLine], keys: Sequence[str]) -> list[Payment]:
    _require_assistance_decision(decision)
    case = decision.case
    if not access.can_plan_payments(actor, case):
        raise PermissionDeniedError("Du har inte behörighet att planera utbetalningar i det här ärendet.")
    # Serialise planning per decision so that two requests cannot both pass the total check.
    Decision.objects.select_for_update().filter(pk=decision.pk).values_list("pk", flat=True).get()
    existing = {p.idempotency_key: p for p in Payment.objects.filter(idempotency_key__in=keys)}
    if len(existing) == len(keys):
        return [existing[k] for k in keys]  # the same request again: nothing new (idempotent)
    if existing:
        raise DomainError("En del av utbetalningarna är redan registrerade. Ladda om sidan och försök igen.")
    today = timezone.localdate()
    first_line = (
        Payment.objects.filter(decision=decision).order_by("-line").values_list("line", flat=True).first() or 0
    ) + 1
    payments = [
        _build_payment(actor=actor, decision=decision, line=line, number=first_line + i, key=key, today=today)
        for i, (line, key) in enumerate(zip(lines, keys, strict=True))
    ]
    granted = decision_amount(decision)
    if granted is not None:
        new_total = net_planned(decision) + sum((p.amount for p in payments), Decimal(0))
        if new_total > granted:
            raise DomainError(
                f"Utbetalningarna blir {kronor(new_total)} men beslutet gäller {kronor(granted)}. "
                "Minska beloppet eller fatta ett nytt beslut.",
                field="amount",
            )
    created = Payment.objects.bulk_create(payments)
    _bulk_audit(actor=actor, action="payment.planned", payments=created)
    case_services.event_record(
        actor=actor,
        case=case,
        type="payments_planned",
        occurred_on=today,
        payload={
            "decision_id": decision.pk,
            "count": len(created),
            "total": str(sum((p.amount for p in created), Decimal(0))),
        },
    )
    return created


@transaction.atomic
def payment_plan(*, actor: User, decision: Decision, line: PaymentLine, idempotency_token: str) -> Payment:
    """Plan one payment under a signed decision (from the case payments page). `idempotency_token` comes from
    the form: the same submission twice plans one payment."""
    token = "".join(ch for ch in idempotency_token if ch.isalnum())[:40]
    if not token:
        raise DomainError("Formuläret saknar sin engångskod. Ladda om sidan och försök igen.")
    (payment,) = _plan(actor=actor, decision=decision, lines=[line], keys=[f"d{decision.pk}:m{token}"])
    return payment


@transaction.atomic
def payments_plan_from_decision(*, actor: User, decision: Decision) -> list[Payment]:
    """Plan the payments the decision describes. Deterministic keys (decision, line, period): running it
    again plans nothing new."""
    lines = _lines_from_payload(decision)
    if not lines:
        raise DomainError("Beslutet anger inget belopp att betala ut.", field="decision")
    period = decision_period(decision)
    keys = [f"d{decision.pk}:l{i}:p{period:%Y%m}" for i in range(1, len(lines) + 1)]
    return _plan(actor=actor, decision=decision, lines=lines, keys=keys)


@dataclass(frozen=True)
class BulkPlanResult:
    created: int
    skipped: int
    errors: list[tuple[int, str]]  # (decision id, reason)


@transaction.atomic
def payments_plan_bulk(*, actor: User, decisions: QuerySet[Decision] | Iterable[Decision]) -> BulkPlanResult:
    """The monthly run: plan every decision's payments in one transaction, in bulk. Lines already planned
    (same idempotency key) are skipped, so the run can be repeated safely. A decision whose lines cannot be
    planned (no account, …) is reported, the others go through. Only for the finance officer and the
    scheduled task (actor = the finance officer who scheduled it). Pass a QuerySet for large runs: the
    related rows are then selected with subqueries instead of long id lists."""
    if not access.can_manage_batches(actor):
        raise PermissionDeniedError("Bara ekonomer kan planera månadens utbetalningar.")
    today = timezone.localdate()
    candidates: list[Payment] = []
    errors: list[tuple[int, str]] = []
    if isinstance(decisions, QuerySet):
        selected = decisions.order_by()
    else:
        selected = Decision.objects.filter(pk__in=[d.pk for d in decisions])
    rows = list(selected.select_related("case__subject").order_by("pk"))
    accounts: dict[int, PayeeAccount] = {}
    person_ids = selected.values_list("case__subject_id", flat=True)
    for acc in PayeeAccount.objects.filter(person__in=person_ids, valid_from__lte=today).order_by(
        "person_id", "valid_from", "id"
    ):
        accounts[acc.person_id] = acc  # the newest wins
    # Keys already planned for these decisions (a key names its decision, so this finds every duplicate).
    existing = set(
        Payment.objects.filter(decision__in=selected.values_list("pk", flat=True)).values_list(
            "idempotency_key", flat=True
        )
    )
    skipped = 0
    for decision in rows:
        try:
            _require_assistance_decision(decision)
            period = decision_period(decision)
            for i, line in enumerate(_lines_from_payload(decision), start=1):
                key = f"d{decision.pk}:l{i}:p{period:%Y%m}"
                if key in existing:
                    skipped += 1
                    continue
                if line.payee_kind == PayeeKind.PERSON and not line.account_kind:
                    found = accounts.get(decision.case.subject_id)
                    if found is None:
                        raise DomainError("Personen har inget utbetalningskonto.")
                    line = replace(
                        line,
                        account_kind=found.account_kind,
                        clearing=found.clearing,
                        account_number=found.account_number,
                    )
                candidates.append(
                    _build_payment(
                        actor=actor, decision=decision, line=line, number=i, key=key, today=today, allow_past=True
                    )
                )
        except DomainError as exc:
            errors.append((decision.pk, exc.message))
    # A parallel run inserting the same key fails on the unique constraint and rolls back: never paid twice.
    created = Payment.objects.bulk_create(candidates, batch_size=2000)
    _bulk_audit(actor=actor, action="payment.planned", payments=created)
    return BulkPlanResult(created=len(created), skipped=skipped, errors=errors)


# --- cancellations, corrections, returns -------------------------------------------------------------------


def _lock(payment: Payment) -> Payment:
    return Payment.objects.select_for_update().select_related("case", "decision").get(pk=payment.pk)


@transaction.atomic
def payment_cancel(*, actor: User, payment: Payment, reason: str) -> Payment:
    """Stop a planned payment before it is put in a batch. It then counts nowhere (followup.md 0.5)."""
    payment = _lock(payment)
    if not (access.can_plan_payments(actor, payment.case) or access.can_manage_batches(actor)):
        raise PermissionDeniedError("Du har inte behörighet att stoppa den här utbetalningen.")
    if payment.status != PaymentStatus.PLANNED:
        raise DomainError("Bara planerade utbetalningar kan stoppas. Registrera en rättelse i stället.")
    if not reason.strip():
        raise DomainError("Skriv varför utbetalningen stoppas", field="reason")
    before = audit.snapshot(payment)
    payment.status = PaymentStatus.CANCELLED
    payment.status_reason = reason.strip()
    payment.save(update_fields=["status", "status_reason"])
    audit.record(actor=actor, action="payment.cancelled", obj=payment, before=before)
    return payment


@transaction.atomic
def payment_correct(
    *, actor: User, payment: Payment, amount: Decimal, reason: str, corrected_on: date, idempotency_token: str
) -> Payment:
    """A paid amount was too high: a new negative row (never an edit) that reduces what the payment counts
    for. The money itself is recovered through återkrav or a deduction decided elsewhere."""
    payment = _lock(payment)
    if not access.can_plan_payments(actor, payment.case):
        raise PermissionDeniedError("Du har inte behörighet att rätta utbetalningar i det här ärendet.")
    if payment.kind != PaymentKind.PAYMENT or payment.status not in (PaymentStatus.SENT, PaymentStatus.PAID):
        raise DomainError("Bara utbetalningar som har skickats till banken kan rättas.")
    if amount <= 0:
        raise DomainError("Beloppet måste vara större än 0 kr", field="amount")
    if not reason.strip():
        raise DomainError("Skriv varför utbetalningen rättas", field="reason")
    if corrected_on > timezone.localdate():
        raise DomainError("Datumet kan inte vara senare än i dag", field="corrected_on")
    already = -(payment.corrections.aggregate(total=Sum("amount"))["total"] or Decimal(0))
    if already + amount > payment.amount:
        rest = payment.amount - already
        raise DomainError(f"Rättelsen kan vara högst {kronor(rest)}", field="amount")
    token = "".join(ch for ch in idempotency_token if ch.isalnum())[:40]
    key = f"c{payment.pk}:{token}"
    existing = Payment.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    row = _negative_row(
        actor=actor,
        original=payment,
        kind=PaymentKind.CORRECTION,
        amount=amount,
        on=corrected_on,
        reason=reason.strip(),
        key=key,
    )
    audit.record(actor=actor, action="payment.corrected", obj=row)
    return row


def _negative_row(
    *, actor: User, original: Payment, kind: str, amount: Decimal, on: date, reason: str, key: str
) -> Payment:
    return Payment.objects.create(
        decision=original.decision,
        case=original.case,
        person=original.person,
        unit=original.unit,
        line=original.line,
        kind=kind,
        payee_kind=original.payee_kind,
        creditor_name=original.creditor_name,
        account_kind=original.account_kind,
        clearing=original.clearing,
        account_number=original.account_number,
        reference=original.reference,
        amount=-amount,
        category=original.category,
        purpose=original.purpose,
        period_month=original.period_month,
        pay_on=on,
        paid_on=on,
        status=PaymentStatus.PAID,
        idempotency_key=key,
        reverses=original,
        reason=reason,
        created_by=actor,
    )


@transaction.atomic
def payment_return(*, actor: User, payment: Payment, returned_on: date, reason: str) -> Payment:
    """The bank sent the money back (closed account, wrong number): the original becomes `returned` and a
    negative row of the full amount is booked on the return day (followup.md 0.5). Returns the new row."""
    if not access.can_manage_batches(actor):
        raise PermissionDeniedError("Bara ekonomer kan registrera returer från banken.")
    payment = _lock(payment)
    if payment.kind != PaymentKind.PAYMENT or payment.status not in (PaymentStatus.SENT, PaymentStatus.PAID):
        raise DomainError("Bara utbetalningar som har skickats till banken kan komma i retur.")
    if not reason.strip():
        raise DomainError("Skriv varför banken skickade tillbaka pengarna", field="reason")
    if returned_on > timezone.localdate():
        raise DomainError("Returdatumet kan inte vara senare än i dag", field="returned_on")
    if payment.paid_on and returned_on < payment.paid_on:
        raise DomainError("Returdatumet kan inte vara före utbetalningsdagen", field="returned_on")
    corrected = -(payment.corrections.aggregate(total=Sum("amount"))["total"] or Decimal(0))
    before = audit.snapshot(payment)
    payment.status = PaymentStatus.RETURNED
    payment.returned_on = returned_on
    payment.status_reason = reason.strip()
    payment.save(update_fields=["status", "returned_on", "status_reason"])
    audit.record(actor=actor, action="payment.returned", obj=payment, before=before)
    row = _negative_row(
        actor=actor,
        original=payment,
        kind=PaymentKind.RETURN,
        amount=payment.amount - corrected,
        on=returned_on,
        reason=reason.strip(),
        key=f"r{payment.pk}",
    )
    audit.record(actor=actor, action="payment.return_booked", obj=row)
    return row


# --- batches ----------------------------------------------------------------------------------------------


def _require_batch_role(actor: User) -> None:
    if not access.can_manage_batches(actor):
        raise PermissionDeniedError("Bara ekonomer kan hantera utbetalningsomgångar.")


def _next_batch_reference(pay_on: date) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('payments_batch_number_seq')")
        (value,) = cursor.fetchone()
    return f"LOTSEN-{pay_on:%Y%m%d}-{value:05d}"


@transaction.atomic
def batch_create(*, actor: User, pay_on: date) -> PaymentBatch:
    """Collect every planned payment due on or before `pay_on` into a new draft batch. Payments already in a
    batch are never selected again (rows locked with SKIP LOCKED against a parallel run): re-running for the
    same day pays nothing twice; with nothing new to pay it refuses to create an empty batch."""
    _require_batch_role(actor)
    if pay_on < timezone.localdate():
        raise DomainError("Utbetalningsdagen kan inte vara tidigare än i dag", field="pay_on")
    rows = list(
        Payment.objects.select_for_update(skip_locked=True)
        .filter(kind=PaymentKind.PAYMENT, status=PaymentStatus.PLANNED, batch__isnull=True, pay_on__lte=pay_on)
        .order_by("id")
        .values_list("id", "amount")
    )
    if not rows:
        raise DomainError(f"Det finns inga planerade utbetalningar till och med {pay_on.isoformat()}.", field="pay_on")
    ids = [pk for pk, _amount in rows]
    batch = PaymentBatch.objects.create(
        reference=_next_batch_reference(pay_on),
        pay_on=pay_on,
        payment_count=len(rows),
        total_amount=sum((amount for _pk, amount in rows), Decimal(0)),
        created_by=actor,
    )
    updated = Payment.objects.filter(pk__in=ids, status=PaymentStatus.PLANNED).update(
        status=PaymentStatus.IN_BATCH, batch=batch
    )
    if updated != len(ids):  # pragma: no cover - guarded by the row locks above
        raise DomainError("Utbetalningarna ändrades medan omgången skapades. Försök igen.")
    after = {**(audit.snapshot(batch) or {}), "payments": ids}
    audit.record(actor=actor, action="payment_batch.created", obj=batch, after=after)
    return batch


def _lock_batch(batch: PaymentBatch) -> PaymentBatch:
    return PaymentBatch.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def batch_approve(*, actor: User, batch: PaymentBatch) -> PaymentBatch:
    """Two-person approval: two different finance officers approve before the file can be made."""
    _require_batch_role(actor)
    batch = _lock_batch(batch)
    if batch.status != PaymentBatchStatus.DRAFT:
        raise DomainError("Omgången är redan godkänd eller avslutad.")
    if actor.pk in batch.approvers:
        raise DomainError("Du har redan godkänt omgången. En annan person måste godkänna den.")
    before = audit.snapshot(batch)
    now = timezone.now()
    if batch.approved_by_1_id is None:
        batch.approved_by_1 = actor
        batch.approved_at_1 = now
    else:
        batch.approved_by_2 = actor
        batch.approved_at_2 = now
        batch.status = PaymentBatchStatus.APPROVED
    batch.save(update_fields=["approved_by_1", "approved_at_1", "approved_by_2", "approved_at_2", "status"])
    audit.record(actor=actor, action="payment_batch.approved", obj=batch, before=before)
    return batch


def batch_transfers(batch: PaymentBatch) -> list[pain001.CreditTransfer]:
    rows = (
        Payment.objects.filter(batch=batch, kind=PaymentKind.PAYMENT)
        .order_by("id")
        .values_list(
            "id", "amount", "creditor_name", "account_kind", "clearing", "account_number", "reference", "period_month"
        )
    )
    transfers = []
    for pk, amount, name, kind, clearing, number, reference, period in rows:
        text = reference or f"Ekonomiskt bistånd {period:%Y-%m}"
        account_kind: pain001.AccountKind = "bankgiro" if kind == AccountKind.BANKGIRO else "bank_account"
        transfers.append(pain001.CreditTransfer(f"LOTSEN-P{pk}", amount, name, account_kind, clearing, number, text))
    return transfers


@transaction.atomic
def batch_export(*, actor: User, batch: PaymentBatch) -> PaymentBatch:
    """pain.001 generation → XSD validation → the file stored (immutable, with sha256) → payments marked
    sent, in one transaction. A file that fails the XSD check is never stored and nothing changes."""
    _require_batch_role(actor)
    batch = _lock_batch(batch)
    if batch.status != PaymentBatchStatus.APPROVED:
        if batch.status == PaymentBatchStatus.EXPORTED:
            raise DomainError("Betalfilen för omgången är redan skapad.")
        raise DomainError("Omgången måste godkännas av två personer innan betalfilen kan skapas.")
    transfers = batch_transfers(batch)
    total = sum((t.amount for t in transfers), Decimal(0))
    if len(transfers) != batch.payment_count or total != batch.total_amount:
        raise DomainError("Omgångens utbetalningar stämmer inte med det som godkändes. Ta bort omgången.")
    now = timezone.now()
    try:
        xml = pain001.build_document(
            message_id=batch.reference,
            created_at=timezone.localtime(now),
            execution_date=batch.pay_on,
            debtor=debtor(),
            transfers=transfers,
        )
        pain001.check(xml)
    except pain001.Pain001Error as exc:
        raise DomainError(
            "Betalfilen klarar inte kontrollen mot ISO 20022-schemat (pain.001.001.09) och har inte skapats. "
            f"Fel: {'; '.join(exc.errors[:3])}"
        ) from exc
    before = audit.snapshot(batch)
    batch.status = PaymentBatchStatus.EXPORTED
    batch.file_name = f"{batch.reference}.xml"
    batch.file_content = xml.decode("utf-8")
    batch.sha256 = hashlib.sha256(xml).hexdigest()
    batch.exported_by = actor
    batch.exported_at = now
    batch.save(update_fields=["status", "file_name", "file_content", "sha256", "exported_by", "exported_at"])
    Payment.objects.filter(batch=batch, status=PaymentStatus.IN_BATCH).update(
        status=PaymentStatus.SENT, paid_on=batch.pay_on
    )
    after = audit.snapshot(batch) or {}
    after.pop("file_content", None)
    audit.record(actor=actor, action="payment_batch.exported", obj=batch, before=before, after=after)
    return batch


@transaction.atomic
def batch_discard(*, actor: User, batch: PaymentBatch, reason: str) -> PaymentBatch:
    """A batch that will not be sent: its payments go back to planned, the batch row stays as history."""
    _require_batch_role(actor)
    batch = _lock_batch(batch)
    if batch.status not in (PaymentBatchStatus.DRAFT, PaymentBatchStatus.APPROVED):
        raise DomainError("En omgång vars betalfil är skapad kan inte tas bort.")
    if not reason.strip():
        raise DomainError("Skriv varför omgången tas bort", field="reason")
    before = audit.snapshot(batch)
    Payment.objects.filter(batch=batch, status=PaymentStatus.IN_BATCH).update(status=PaymentStatus.PLANNED, batch=None)
    batch.status = PaymentBatchStatus.DISCARDED
    batch.discarded_reason = reason.strip()
    batch.save(update_fields=["status", "discarded_reason"])
    audit.record(actor=actor, action="payment_batch.discarded", obj=batch, before=before)
    return batch


@transaction.atomic
def batch_confirm_paid(*, actor: User, batch: PaymentBatch, paid_on: date) -> int:
    """The bank has executed the file: its sent payments become paid on `paid_on`."""
    _require_batch_role(actor)
    if batch.status != PaymentBatchStatus.EXPORTED:
        raise DomainError("Betalfilen är inte skapad än.")
    if paid_on > timezone.localdate():
        raise DomainError("Datumet kan inte vara senare än i dag", field="paid_on")
    if paid_on < batch.pay_on:
        raise DomainError("Datumet kan inte vara före omgångens utbetalningsdag", field="paid_on")
    count = Payment.objects.filter(batch=batch, status=PaymentStatus.SENT).update(
        status=PaymentStatus.PAID, paid_on=paid_on
    )
    audit.record(
        actor=actor, action="payment_batch.paid", obj=batch, after={"paid_on": paid_on.isoformat(), "payments": count}
    )
    return count


# --- återkrav (R-AKRAV-1) ---------------------------------------------------------------------------------


def decision_served_on(decision: Decision) -> date | None:
    """When the decision was served on the person: `notified_on` on the decision, the assistance app's
    `DecisionNotice` (the day the applicant learned of it), or a `decision_served` case event (a signed decision
    cannot change, so service after signing is recorded as an event)."""
    if decision.notified_on:
        return decision.notified_on
    try:
        notice = decision.assistance_notice
    except (AttributeError, ObjectDoesNotExist):
        notice = None
    if notice is not None:
        return cast(date, notice.notified_on)
    event = (
        CaseEvent.objects.filter(case_id=decision.case_id, type=DECISION_SERVED_EVENT, payload__decision_id=decision.pk)
        .order_by("occurred_on")
        .first()
    )
    return event.occurred_on if event else None


def repayment_terms(decision: Decision) -> str:
    return str((decision.payload or {}).get("repayment_terms") or "").strip()


@transaction.atomic
def decision_served_register(*, actor: User, decision: Decision, served_on: date, how: str) -> CaseEvent:
    """Record that a signed decision was served (delgivet) on the person (R-AKRAV-1, R-BESL-1)."""
    _require_assistance_decision(decision)
    if decision_served_on(decision) is not None:
        raise DomainError("Delgivningen av beslutet är redan registrerad.")
    if not how.strip():
        raise DomainError("Skriv hur beslutet delgavs", field="how")
    if decision.decided_on and served_on < decision.decided_on:
        raise DomainError("Delgivningen kan inte vara före beslutsdagen", field="served_on")
    return case_services.event_record(
        actor=actor,
        case=decision.case,
        type=DECISION_SERVED_EVENT,
        occurred_on=served_on,
        payload={"decision_id": decision.pk, "number": decision.number, "how": how.strip()},
    )


def law_reference(ground: str, decision: Decision) -> str:
    """R-TID-8: återkrav of aid granted before 2025-07-01 follows the old act."""
    granted_on = decision.decided_on or timezone.localdate()
    return LAW_REFERENCES["new" if granted_on >= NEW_SOL_FROM else "old"][LegalGround(ground)]


def check_recovery_rules(*, decision: Decision, legal_ground: str, circumstance: str) -> None:
    """R-AKRAV-1: a 33:2 or 33:3 reclaim needs a decision with repayment terms that was served; 33:2 only in
    its three situations and for aid under 12:1; 33:3 only for aid beyond the right (12:2)."""
    if legal_ground not in LegalGround.values:
        raise DomainError("Välj grund för återkravet", field="legal_ground")
    if legal_ground == LegalGround.WRONGFUL:
        return
    category = decision_category(decision)
    if legal_ground == LegalGround.CONDITIONAL:
        if not circumstance:
            raise DomainError("Välj i vilken situation biståndet gavs", field="circumstance")
        if category == Category.DISCRETIONARY:
            raise DomainError(
                "Bistånd utöver rätten kan bara återkrävas enligt 33 kap. 3 §. Välj den grunden.",
                field="legal_ground",
            )
    if legal_ground == LegalGround.DISCRETIONARY and category != Category.DISCRETIONARY:
        raise DomainError(
            "Återkrav enligt 33 kap. 3 § gäller bara bistånd utöver rätten (12 kap. 2 §). Välj en annan grund.",
            field="legal_ground",
        )
    if not repayment_terms(decision) or decision_served_on(decision) is None:
        raise DomainError(
            "Biståndet kan inte återkrävas på den här grunden. Beslutet måste ha villkor om återbetalning och "
            "vara delgivet personen. Registrera delgivningen, eller välj 33 kap. 1 § om biståndet betalades ut "
            "felaktigt.",
            field="legal_ground",
        )


@transaction.atomic
def recovery_register(
    *,
    actor: User,
    decision: Decision,
    legal_ground: str,
    amount: Decimal,
    reason: str,
    cost_date: date,
    decided_on: date,
    circumstance: str = "",
) -> Recovery:
    _require_assistance_decision(decision)
    case = decision.case
    if not access.can_plan_payments(actor, case):
        raise PermissionDeniedError("Du har inte behörighet att registrera återkrav i det här ärendet.")
    check_recovery_rules(decision=decision, legal_ground=legal_ground, circumstance=circumstance)
    if legal_ground != LegalGround.CONDITIONAL:
        circumstance = ""
    if amount <= 0:
        raise DomainError("Beloppet måste vara större än 0 kr", field="amount")
    paid = net_executed(decision)
    ceiling = paid if Payment.objects.filter(decision=decision).exists() else (decision_amount(decision) or paid)
    already = Recovery.objects.filter(decision=decision).exclude(status=RecoveryStatus.WAIVED).aggregate(
        total=Sum("amount")
    )["total"] or Decimal(0)
    if already + amount > ceiling:
        raise DomainError(
            f"Återkraven kan vara högst {kronor(ceiling - already)}, det som har betalats ut enligt beslutet och "
            "inte redan återkrävts.",
            field="amount",
        )
    if not reason.strip():
        raise DomainError("Skriv varför biståndet återkrävs", field="reason")
    today = timezone.localdate()
    if cost_date > today:
        raise DomainError("Datumet då kostnaden uppkom kan inte vara senare än i dag", field="cost_date")
    if decided_on > today:
        raise DomainError("Beslutsdatumet kan inte vara senare än i dag", field="decided_on")
    recovery = Recovery.objects.create(
        decision=decision,
        case=case,
        person=case.subject,
        legal_ground=legal_ground,
        circumstance=circumstance,
        law_reference=law_reference(legal_ground, decision),
        amount=amount,
        reason=reason.strip(),
        cost_date=cost_date,
        decided_on=decided_on,
        court_action_due_on=add_years(cost_date, 3),  # 33:5
        created_by=actor,
    )
    audit.record(actor=actor, action="recovery.registered", obj=recovery)
    case_services.event_record(
        actor=actor,
        case=case,
        type="recovery_registered",
        occurred_on=decided_on,
        payload={"recovery_id": recovery.pk, "amount": str(amount), "law": recovery.law_reference},
    )
    return recovery


def repaid_total(recovery: Recovery) -> Decimal:
    return recovery.repayments.aggregate(total=Sum("amount"))["total"] or Decimal(0)


@transaction.atomic
def recovery_repayment_register(
    *, actor: User, recovery: Recovery, amount: Decimal, received_on: date, note: str = ""
) -> RecoveryRepayment:
    recovery = Recovery.objects.select_for_update().select_related("case").get(pk=recovery.pk)
    if not access.can_register_repayment(actor, recovery):
        raise PermissionDeniedError("Du har inte behörighet att registrera inbetalningar på återkravet.")
    if recovery.status in (RecoveryStatus.WAIVED, RecoveryStatus.REPAID):
        raise DomainError("Återkravet är avslutat.")
    if amount == 0:
        raise DomainError("Beloppet kan inte vara 0 kr", field="amount")
    repaid = repaid_total(recovery)
    if repaid + amount > recovery.amount:
        raise DomainError(f"Det återstår {kronor(recovery.amount - repaid)} av återkravet", field="amount")
    if repaid + amount < 0:
        raise DomainError("En rättelse kan inte göra de inbetalda beloppen negativa", field="amount")
    if received_on > timezone.localdate():
        raise DomainError("Datumet kan inte vara senare än i dag", field="received_on")
    row = RecoveryRepayment.objects.create(
        recovery=recovery, amount=amount, received_on=received_on, note=note.strip()[:200], registered_by=actor
    )
    audit.record(actor=actor, action="recovery.repayment_registered", obj=row)
    if repaid + amount == recovery.amount and recovery.status != RecoveryStatus.REPAID:
        before = audit.snapshot(recovery)
        recovery.status = RecoveryStatus.REPAID
        recovery.save(update_fields=["status"])
        audit.record(actor=actor, action="recovery.repaid", obj=recovery, before=before)
    return row


@transaction.atomic
def recovery_waive(*, actor: User, recovery: Recovery, waived_on: date, reason: str) -> Recovery:
    """33:6: the nämnd may waive the claim (eftergift) wholly or partly; here: the rest of it."""
    recovery = Recovery.objects.select_for_update().select_related("case").get(pk=recovery.pk)
    if not access.can_plan_payments(actor, recovery.case):
        raise PermissionDeniedError("Du har inte behörighet att besluta om eftergift.")
    if recovery.status != RecoveryStatus.OPEN:
        raise DomainError("Bara pågående återkrav kan efterges.")
    if not reason.strip():
        raise DomainError("Skriv skälet till eftergiften", field="reason")
    if waived_on > timezone.localdate():
        raise DomainError("Datumet kan inte vara senare än i dag", field="waived_on")
    before = audit.snapshot(recovery)
    recovery.status = RecoveryStatus.WAIVED
    recovery.waived_on = waived_on
    recovery.waived_reason = reason.strip()
    recovery.save(update_fields=["status", "waived_on", "waived_reason"])
    audit.record(actor=actor, action="recovery.waived", obj=recovery, before=before)
    return recovery


@transaction.atomic
def recovery_court_action(*, actor: User, recovery: Recovery, filed_on: date, committee_decision: str) -> Recovery:
    """33:5: court action within three years from when the costs arose; decided by the utskott (30:6)."""
    recovery = Recovery.objects.select_for_update().select_related("case").get(pk=recovery.pk)
    if not access.can_plan_payments(actor, recovery.case):
        raise PermissionDeniedError("Du har inte behörighet att registrera talan om återkrav.")
    if recovery.status != RecoveryStatus.OPEN:
        raise DomainError("Bara pågående återkrav kan drivas vidare till förvaltningsrätten.")
    if not committee_decision.strip():
        raise DomainError(
            "Ange utskottets beslut om talan, till exempel SU 2026-04-14 § 45", field="committee_decision"
        )
    if filed_on > timezone.localdate():
        raise DomainError("Datumet kan inte vara senare än i dag", field="filed_on")
    if filed_on > recovery.court_action_due_on:
        raise DomainError(
            f"Talan måste väckas senast {recovery.court_action_due_on.isoformat()}, tre år efter att kostnaden "
            "uppkom (33 kap. 5 § SoL).",
            field="filed_on",
        )
    before = audit.snapshot(recovery)
    recovery.status = RecoveryStatus.COURT_ACTION
    recovery.court_action_on = filed_on
    recovery.court_action_decision = committee_decision.strip()[:200]
    recovery.save(update_fields=["status", "court_action_on", "court_action_decision"])
    audit.record(actor=actor, action="recovery.court_action", obj=recovery, before=before)
    return recovery
