"""Ekonomiskt bistånd: monthly applications, their norm calculations, automated-decision rules and the
decisions that decided them (DOMAIN-MODEL "Ekonomiskt bistånd").

For readers in other apps (payments, follow-up, statistics) — the fields to rely on:

- ``Application`` — one per case (= household, the applicant is ``case.subject``) and biståndsmånad.
  ``period`` is the first day of the month the aid is for (``period_month`` in followup.md). ``status``:
  received → (needs_completion →) ready → decided. ``decision`` is the *current* signed
  ``cases.Decision`` (type ``financial_assistance``); ``granted_amount`` its granted kronor for the month
  (0 for a rejection), ``automated`` whether the current decision was made by the automation.
  A changed decision is a new ``Decision`` whose ``replaces`` points at the old one; ``Application.decision``
  then moves to the new one (the old stays immutable).
- ``ApplicationMember`` — the household of one application month, one row per person:
  ``role`` applicant/partner/child (followup.md ``household_member_month``: sokande/medsokande/barn),
  ``barrier_to_self_support`` (försörjningshinder code, ``codes.BARRIERS``) and
  ``labour_market_intervention`` for adults.
- ``ApplicationDecision`` — which decision decided which application, with the ``NormCalculation`` used and,
  for automated decisions, the ``AutomationAssessment``. ``decision.assistance_link`` from a Decision.
- ``cases.Decision.payload`` of an EB decision (written by ``services``)::

      {"application_id": 1, "calculation_id": 2, "period": "2026-03", "granted_total": 6920,
       "category_totals": {"forsorjningsstod": 6920, "livsforing_ovrigt": 0},
       "lines": [{"code": "norm", "label": "Riksnorm", "amount": 8070, "category": "forsorjningsstod"},
                 {"code": "housing", "label": "Boende", "amount": 6900, "category": "forsorjningsstod"}, …,
                 {"code": "income", "label": "Inkomster som räknas", "amount": -9500, "category": "forsorjningsstod"}],
       "automated": false}

  ``granted_total`` = the sum of ``lines`` when positive, else 0; ``category_totals`` split it (other needs
  are ``livsforing_ovrigt``, the rest ``forsorjningsstod``).
- ``NormCalculation`` — immutable; ``result`` is exactly the norm engine's ``lotsen.norm.result/1`` output.
- ``AutomationRuleSet`` / ``AutomationAssessment`` — why a decision was or was not automated; ``results`` is
  ``[{rule, code, title_sv, passed, value, threshold, explanation_sv}]``.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy


class BulkJSONField(models.JSONField):
    """A JSONField that ``bulk_create`` inserts with a plain VALUES list. Django's PostgreSQL UNNEST path
    sends every value of a batch as one array literal, and quoting large JSON documents into that literal
    is slow (the monthly batch writes thousands of norm results); a placeholder per value avoids it."""

    def get_placeholder(self, value: object, compiler: object, connection: object) -> str:
        return "%s"


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("assistance", "Received")
    NEEDS_COMPLETION = "needs_completion", pgettext_lazy("assistance", "Completion needed")
    READY = "ready", pgettext_lazy("assistance", "Waiting for a caseworker")
    DECIDED = "decided", pgettext_lazy("assistance", "Decided")


class ApplicationChannel(models.TextChoices):
    E_SERVICE = "e_service", pgettext_lazy("assistance", "e-service")
    CASEWORKER = "caseworker", pgettext_lazy("assistance", "registered by a caseworker")


class Application(models.Model):
    """One month's application for ekonomiskt bistånd (biståndsmånad) in a household's case."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="assistance_applications")
    period = models.DateField(help_text="First day of the month the aid is for (biståndsmånad).")
    channel = models.CharField(max_length=20, choices=ApplicationChannel.choices)
    submitted_at = models.DateTimeField()
    received_on = models.DateField()  # local date of submitted_at (R-TID-1)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # {"members": [{"id", "role", "person_id", "birth_date", "lunch_away_weekdays"?, "in_school"?,
    #  "days_in_household"?}], "shared_household": null | {"total_persons": n}}
    household_snapshot = BulkJSONField()
    # {"reasonable_costs": [{"type", "amount", "note"?}], "other_needs": [{"type", "amount", "note"?}]}
    costs = BulkJSONField(default=dict)
    # [{"member_id", "type", "amount", "note"?, "earned_before_in_year"?, "verified": bool, "verified_by": str}]
    incomes = BulkJSONField(default=list)
    # Re-application: {"household": bool, "costs": bool, "incomes": bool, "other": bool}; {} for a first one.
    changed_circumstances = models.JSONField(default=dict, blank=True)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(blank=True)
    declaration_accepted_at = models.DateTimeField(null=True, blank=True)  # R-AKRAV-1
    flags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED)
    latest_assessment = models.ForeignKey(
        "assistance.AutomationAssessment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        "cases.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="assistance_applications"
    )
    granted_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    automated = models.BooleanField(default=False)
    # The caseworker wants the next month's application tried by a person (automation rule "no_flags").
    require_manual_next = models.BooleanField(default=False)
    require_manual_reason = models.CharField(max_length=500, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "period"], name="assistance_one_application_per_month"),
            models.CheckConstraint(condition=Q(period__day=1), name="assistance_period_first_of_month"),
        ]
        indexes = [
            models.Index(fields=["status", "period"]),
            models.Index(fields=["period", "status"]),
        ]
        ordering = ["-period", "-submitted_at"]

    def __str__(self) -> str:
        return f"Application #{self.pk} {self.period:%Y-%m}"

    @property
    def period_text(self) -> str:
        return f"{self.period:%Y-%m}"

    @property
    def is_reapplication(self) -> bool:
        return self.previous_id is not None


class MemberRole(models.TextChoices):
    APPLICANT = "applicant", pgettext_lazy("assistance", "applicant")
    PARTNER = "partner", pgettext_lazy("assistance", "partner")
    CHILD = "child", pgettext_lazy("assistance", "child")


class ApplicationMember(models.Model):
    """A person in the household of one application month (followup.md ``household_member_month``)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="assistance_memberships")
    member_id = models.CharField(max_length=40)  # the id in the norm input ("a1", "p1", "c1" …)
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    barrier_to_self_support = models.CharField(max_length=40, blank=True)  # försörjningshinder, adults
    labour_market_intervention = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "member_id"], name="assistance_member_id_unique"),
            models.UniqueConstraint(fields=["application", "person"], name="assistance_member_person_unique"),
        ]
        indexes = [models.Index(fields=["person", "application"])]

    def __str__(self) -> str:
        return f"ApplicationMember #{self.pk} ({self.role})"


class AttachmentKind(models.TextChoices):
    RENT = "rent", pgettext_lazy("assistance", "rent or housing cost")
    ELECTRICITY = "electricity", pgettext_lazy("assistance", "electricity bill")
    PAYSLIP = "payslip", pgettext_lazy("assistance", "payslip")
    BENEFIT = "benefit", pgettext_lazy("assistance", "decision on a benefit")
    BANK_STATEMENT = "bank_statement", pgettext_lazy("assistance", "bank statement")
    OTHER = "other", pgettext_lazy("assistance", "other")


class Attachment(models.Model):
    """An uploaded file (PDF, JPEG or PNG; type and size checked). Stored under a random name; never changed."""

    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    owner = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="assistance/%Y/%m/")
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"Attachment #{self.pk}"


class CalculationPurpose(models.TextChoices):
    ASSESSMENT = "assessment", pgettext_lazy("assistance", "calculation of the application")
    DECISION = "decision", pgettext_lazy("assistance", "calculation of a decision")


class NormCalculation(models.Model):
    """Immutable (database trigger). ``input`` is the ``lotsen.norm.input/1`` document after the caseworker's
    adjustments; ``result`` is exactly the engine's output (riksnorm.md section 7.3)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="calculations")
    purpose = models.CharField(max_length=20, choices=CalculationPurpose.choices)
    input = BulkJSONField()
    result = BulkJSONField()
    table_year = models.PositiveIntegerField()
    table_version = models.CharField(max_length=20)
    engine_version = models.CharField(max_length=40)
    # [{"target": "housing" | "norm" | "dental_care" …, "index": int | null, "amount": int, "reason": str}]
    adjustments = BulkJSONField(default=list, blank=True)
    entitlement = models.IntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"NormCalculation #{self.pk}"


class AutomationRuleSet(models.Model):
    """The municipality's rules for automated decisions, versioned. Changing them creates a new version;
    an assessment always names the version it used."""

    version = models.CharField(max_length=20, unique=True)
    rules = models.JSONField()  # [{"code": "reapplication", "enabled": true, …parameters}]
    valid_from = models.DateField()
    active = models.BooleanField(default=False)
    accountable_delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adopted_by = models.CharField(max_length=200, blank=True)  # the nämnd's decision, e.g. "SN 2026-01-20 § 12"
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=Q(active=True), name="assistance_one_active_ruleset")
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"AutomationRuleSet {self.version}"


class AutomationAssessment(models.Model):
    """Immutable: the result of trying an application against a rule set."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="assessments")
    rule_set = models.ForeignKey(AutomationRuleSet, on_delete=models.PROTECT, related_name="assessments")
    calculation = models.ForeignKey(
        NormCalculation, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    passed = models.BooleanField()
    results = BulkJSONField()
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_at", "id"]

    def __str__(self) -> str:
        return f"AutomationAssessment #{self.pk}"

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.results if not r["passed"]]


class ApplicationDecision(models.Model):
    """Append-only link: decision → application, the calculation it used and (automated) the assessment."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decision_links")
    decision = models.OneToOneField("cases.Decision", on_delete=models.PROTECT, related_name="assistance_link")
    calculation = models.ForeignKey(NormCalculation, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(
        AutomationAssessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    automated = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"ApplicationDecision #{self.pk}"


class CompletionRequest(models.Model):
    """ "Begär komplettering": what the applicant should send and by when."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="completion_requests")
    message = models.TextField()
    due_on = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"CompletionRequest #{self.pk}"


class NoticeChannel(models.TextChoices):
    E_SERVICE = "e_service", pgettext_lazy("assistance", "read in the e-service")
    LETTER = "letter", pgettext_lazy("assistance", "letter")
    IN_PERSON = "in_person", pgettext_lazy("assistance", "in person")


class DecisionNotice(models.Model):
    """When the applicant learned of a decision (R-BESL-3: the appeal period runs from that day)."""

    decision = models.OneToOneField("cases.Decision", on_delete=models.PROTECT, related_name="assistance_notice")
    notified_on = models.DateField()
    channel = models.CharField(max_length=20, choices=NoticeChannel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"DecisionNotice #{self.pk}"


class JobbstimulansWindow(models.Model):
    """R-EKB-3, RN-A11/RN-E10: a person's two-year jobbstimulans window (24 calendar months from start)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="jobbstimulans_windows")
    start_month = models.DateField()
    end_month = models.DateField()
    opened_by = models.ForeignKey(Application, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "start_month"], name="assistance_one_window_per_start"),
        ]
        ordering = ["person", "start_month"]

    def __str__(self) -> str:
        return f"JobbstimulansWindow #{self.pk}"

    def covers(self, month: date) -> bool:
        return self.start_month <= month <= self.end_month


class NormTableStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("assistance", "Draft")
    ACTIVE = "active", pgettext_lazy("assistance", "Active")
    RETIRED = "retired", pgettext_lazy("assistance", "Replaced")


class NormTableVersion(models.Model):
    """A rate table uploaded by the system administrator (riksnorm.md 2.6). While none is active for a year,
    the table shipped with Lotsen is used. Activation requires load validation and the golden examples."""

    year = models.PositiveIntegerField()
    table_version = models.CharField(max_length=20)
    # The uploaded JSON text as is: key order is part of the table format (riksnorm.md 2.2), jsonb would lose it.
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=NormTableStatus.choices, default=NormTableStatus.DRAFT)
    golden_report = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "table_version"], name="assistance_table_version_unique"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(status="active"), name="assistance_one_active_table_per_year"
            ),
        ]
        ordering = ["-year", "-uploaded_at"]

    def __str__(self) -> str:
        return f"NormTableVersion {self.year} {self.table_version}"

    @property
    def document(self) -> dict:
        import json

        loaded: dict = json.loads(self.content)
        return loaded
