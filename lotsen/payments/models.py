"""Payments of ekonomiskt bistånd, payment batches (pain.001 files), återkrav and the statutory statistics
submissions.

Invariants kept by the database (migration 0002):
- a payment row is never edited: only its lifecycle (status, batch, paid/returned dates) moves forward along
  the allowed transitions; a correction or a bank return is a new negative row pointing at the original;
- `idempotency_key` is unique: planning the same decision line twice, or re-running a batch, pays nothing twice;
- a batch is approved by two distinct people before it is exported, and an exported batch (its file, sha256
  and totals) never changes;
- repayments of a recovery and statistics submissions are append-only.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class PayeeKind(models.TextChoices):
    PERSON = "person", _("the person")
    LANDLORD = "landlord", _("landlord")
    UTILITY = "utility", _("utility or other supplier")


class AccountKind(models.TextChoices):
    BANK_ACCOUNT = "bank_account", _("bank account")
    BANKGIRO = "bankgiro", _("bankgiro")


class Category(models.TextChoices):
    """followup.md 0.5 `payment.category` (Swedish codes kept as stored values)."""

    SUBSISTENCE = "forsorjningsstod", _("subsistence support")
    OTHER_NEEDS = "livsforing_ovrigt", _("other living costs")
    DISCRETIONARY = "4_2", _("aid beyond the right")


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("payment")
    CORRECTION = "correction", _("correction")
    RETURN = "return", _("bank return")


class PaymentStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_BATCH = "in_batch", _("in a payment batch")
    SENT = "sent", _("sent to the bank")
    PAID = "paid", _("paid")
    RETURNED = "returned", _("returned")
    CANCELLED = "cancelled", _("cancelled")


# Rows that count as money paid out (cash basis, followup.md FU-M4): sent, confirmed, or sent and later
# returned (the return is its own negative row).
EXECUTED_STATUSES = (PaymentStatus.SENT, PaymentStatus.PAID, PaymentStatus.RETURNED)


class PaymentBatchStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    EXPORTED = "exported", _("exported")
    DISCARDED = "discarded", _("discarded")


class PaymentBatch(models.Model):
    """A payment run for one execution date: draft → approved (two distinct approvers) → exported (file)."""

    reference = models.CharField(max_length=35, unique=True)  # pain.001 MsgId
    pay_on = models.DateField()
    status = models.CharField(max_length=20, choices=PaymentBatchStatus.choices, default=PaymentBatchStatus.DRAFT)
    payment_count = models.PositiveIntegerField()
    total_amount = models.DecimalField(max_digits=12, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at_1 = models.DateTimeField(null=True, blank=True)
    approved_by_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at_2 = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=100, blank=True)
    file_content = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(null=True, blank=True)
    discarded_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-pay_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by_1__isnull=True)
                | Q(approved_by_2__isnull=True)
                | ~Q(approved_by_1=F("approved_by_2")),
                name="batch_two_distinct_approvers",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "discarded"])
                | Q(approved_by_1__isnull=False, approved_by_2__isnull=False),
                name="batch_approved_needs_two_approvers",
            ),
            models.CheckConstraint(
                condition=~Q(status="exported") | (~Q(sha256="") & ~Q(file_content="") & Q(exported_at__isnull=False)),
                name="batch_exported_has_file",
            ),
            models.CheckConstraint(condition=Q(total_amount__gt=0), name="batch_total_positive"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def approvers(self) -> list[int]:
        return [pk for pk in (self.approved_by_1_id, self.approved_by_2_id) if pk]


class Payment(models.Model):
    """Utbetalning. Never edited (trigger); corrections and returns are new negative rows."""

    decision = models.ForeignKey("cases.Decision", on_delete=models.PROTECT, related_name="payments")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="payments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="payments")
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="payments")
    line = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=20, choices=PaymentKind.choices, default=PaymentKind.PAYMENT)
    payee_kind = models.CharField(max_length=20, choices=PayeeKind.choices)
    creditor_name = models.CharField(max_length=140)
    account_kind = models.CharField(max_length=20, choices=AccountKind.choices)
    clearing = models.CharField(max_length=4, blank=True)
    account_number = models.CharField(max_length=20)
    reference = models.CharField(max_length=140, blank=True)  # message to the payee
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    category = models.CharField(max_length=20, choices=Category.choices)
    purpose = models.CharField(max_length=40, blank=True)  # ändamål (statistics code list)
    period_month = models.DateField()  # biståndsmånad: first day of the month the aid is for
    pay_on = models.DateField()
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PLANNED)
    idempotency_key = models.CharField(max_length=100, unique=True)
    batch = models.ForeignKey(PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    reverses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    reason = models.TextField(blank=True)  # why a correction or return row exists
    status_reason = models.TextField(blank=True)  # why a payment was cancelled or returned
    paid_on = models.DateField(null=True, blank=True)  # execution date (cash basis)
    returned_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pay_on", "id"]
        indexes = [
            models.Index(fields=["status", "pay_on"]),
            models.Index(fields=["case", "pay_on"]),
            models.Index(fields=["paid_on"]),
            models.Index(fields=["period_month"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="payment", amount__gt=0, reverses__isnull=True))
                | (~Q(kind="payment") & Q(amount__lt=0, reverses__isnull=False)),
                name="payment_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="payment", status__in=["planned", "cancelled"], batch__isnull=True)
                | Q(kind="payment", status__in=["in_batch", "sent", "paid", "returned"], batch__isnull=False)
                | (~Q(kind="payment") & Q(status="paid", batch__isnull=True)),
                name="payment_batch_matches_status",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["sent", "paid", "returned"]) | Q(paid_on__isnull=False),
                name="payment_executed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(account_kind="bankgiro", clearing="")
                | Q(account_kind="bank_account", clearing__regex=r"^[0-9]{4}$"),
                name="payment_account_shape",
            ),
            models.CheckConstraint(condition=Q(period_month__day=1), name="payment_period_is_month"),
        ]

    def __str__(self) -> str:
        return f"Payment #{self.pk}"

    @property
    def is_negative(self) -> bool:
        return self.amount < 0

    @property
    def end_to_end_id(self) -> str:
        return f"LOTSEN-P{self.pk}"

    def account_display(self) -> str:
        if self.account_kind == AccountKind.BANKGIRO:
            return f"Bankgiro {self.account_number[:-4]}-{self.account_number[-4:]}"
        return f"{self.clearing}-{self.account_number}"


class PayeeAccount(models.Model):
    """The account a person has asked to be paid to (utbetalningskonto). A change is a new row: the newest
    row valid on a date is used, the old ones stay as history."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="payee_accounts")
    account_kind = models.CharField(max_length=20, choices=AccountKind.choices)
    clearing = models.CharField(max_length=4, blank=True)
    account_number = models.CharField(max_length=20)
    bank = models.CharField(max_length=100, blank=True)
    valid_from = models.DateField()
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return f"PayeeAccount #{self.pk}"

    def account_display(self) -> str:
        if self.account_kind == AccountKind.BANKGIRO:
            return f"Bankgiro {self.account_number[:-4]}-{self.account_number[-4:]}"
        return f"{self.clearing}-{self.account_number}"


class LegalGround(models.TextChoices):
    """R-AKRAV-1 (SoL 2025:400 33 kap.)."""

    WRONGFUL = "33_1", _("wrongly paid (33:1)")
    CONDITIONAL = "33_2", _("advance or conditional aid (33:2)")
    DISCRETIONARY = "33_3", _("aid beyond the right with a repayment condition (33:3)")


class Circumstance(models.TextChoices):
    """33:2: the situations in which aid under 12:1 may be reclaimed."""

    ADVANCE_ON_BENEFIT = "advance_on_benefit", _("advance on a benefit")
    LABOUR_CONFLICT = "labour_conflict", _("labour conflict")
    ASSETS_UNAVAILABLE = "assets_unavailable", _("own income or assets could not be used")


class RecoveryStatus(models.TextChoices):
    OPEN = "open", _("open")
    REPAID = "repaid", _("repaid")
    WAIVED = "waived", _("waived")
    COURT_ACTION = "court_action", _("court action brought")


class Recovery(models.Model):
    """Återkrav of aid under a signed decision (R-AKRAV-1)."""

    decision = models.ForeignKey("cases.Decision", on_delete=models.PROTECT, related_name="recoveries")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="recoveries")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="recoveries")
    legal_ground = models.CharField(max_length=10, choices=LegalGround.choices)
    circumstance = models.CharField(max_length=30, choices=Circumstance.choices, blank=True)
    law_reference = models.CharField(max_length=100)  # R-TID-8: the wording that applies
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.TextField()
    cost_date = models.DateField()  # when the costs arose (33:5)
    decided_on = models.DateField()
    court_action_due_on = models.DateField()  # add_years(cost_date, 3)
    status = models.CharField(max_length=20, choices=RecoveryStatus.choices, default=RecoveryStatus.OPEN)
    waived_on = models.DateField(null=True, blank=True)
    waived_reason = models.TextField(blank=True)
    court_action_on = models.DateField(null=True, blank=True)
    court_action_decision = models.CharField(max_length=200, blank=True)  # the utskott's decision (30:6)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["court_action_due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_amount_positive"),
            models.CheckConstraint(
                condition=~Q(legal_ground="33_2") | ~Q(circumstance=""), name="recovery_33_2_has_circumstance"
            ),
            models.CheckConstraint(
                condition=~Q(status="waived") | Q(waived_on__isnull=False), name="recovery_waived_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="court_action") | Q(court_action_on__isnull=False),
                name="recovery_court_action_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Recovery #{self.pk}"


class RecoveryRepayment(models.Model):
    """A repayment received on a recovery. Append-only (trigger): a mistake is corrected by a negative row."""

    recovery = models.ForeignKey(Recovery, on_delete=models.PROTECT, related_name="repayments")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    received_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=Decimal(0)), name="repayment_not_zero")]

    def __str__(self) -> str:
        return f"RecoveryRepayment #{self.pk}"


class SubmissionStatus(models.TextChoices):
    VALIDATED = "validated", _("validated")
    SUBMITTED = "submitted", _("submitted")


class StatisticsSubmission(models.Model):
    """followup.md FU-S5: one produced statutory file (register, period, layout version, counts, sha256).
    Append-only: a corrected file is a new submission that supersedes the earlier one."""

    register = models.CharField(max_length=40)
    period_month = models.DateField()
    layout_version = models.CharField(max_length=40)
    household_count = models.PositiveIntegerField()
    person_count = models.PositiveIntegerField()
    record_count = models.PositiveIntegerField()
    amount_total = models.DecimalField(max_digits=12, decimal_places=2)
    excluded_rows = models.JSONField(default=list, blank=True)  # overridden error rows (FU-S4)
    override_reason = models.TextField(blank=True)
    file_name = models.CharField(max_length=100)
    file_content = models.TextField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.VALIDATED)
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_month", "-id"]
        constraints = [models.CheckConstraint(condition=Q(period_month__day=1), name="submission_period_is_month")]

    def __str__(self) -> str:
        return f"{self.register} {self.period_month:%Y-%m}"
