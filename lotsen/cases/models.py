"""The case-process engine: cases, intakes, events (append-only), the deadline projection, extensions,
delegation and decisions. Children's and adults' processes are configuration (`process.py`), not copies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotsen.accounts.models import Role
from lotsen.core.models import Unit, UnitKind


class ProcessCode(models.TextChoices):
    CHILD = "child", _("Children and young people")
    ADULT = "adult", _("Adults")
    ASSISTANCE = "assistance", _("Financial assistance")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Case(models.Model):
    """Ärende: a matter concerning one person, from intake to closure."""

    number = models.CharField(_("case number"), max_length=20, unique=True)
    subject = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    process = models.CharField(max_length=20, choices=ProcessCode.choices)
    area = models.CharField(max_length=40, blank=True)  # adults: vuxen_missbruk, vinr, ovrigt
    phase = models.CharField(max_length=40)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_cases"
    )
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["subject", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True) | Q(status="closed", closed_on__isnull=False),
                name="case_closed_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.number


class PartyRole(models.TextChoices):
    GUARDIAN = "guardian", _("guardian")
    PARENT = "parent", _("parent")
    PARTNER = "partner", _("partner")
    OTHER = "other", _("other")


class CaseParty(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="case_parties")
    role = models.CharField(max_length=20, choices=PartyRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], name="case_party_unique")]

    def __str__(self) -> str:
        return f"CaseParty #{self.pk}"


class IntakeKind(models.TextChoices):
    REPORT = "orosanmalan", _("report of concern")
    APPLICATION = "ansokan", _("application")
    OTHER = "ovrig", _("other")


class Channel(models.TextChoices):
    PHONE = "phone", _("phone")
    LETTER = "letter", _("letter")
    E_SERVICE = "e_service", _("e-service")
    EMAIL = "email", _("secure e-mail")
    VISIT = "visit", _("visit")
    OUT_OF_HOURS = "out_of_hours", _("social emergency service")
    OTHER_UNIT = "other_unit", _("another unit")


class ReporterCategory(models.TextChoices):
    """R-ANM-1: who reported. `mandated` categories may ask for feedback (R-INFO-1)."""

    SCHOOL = "school", _("school")
    PRESCHOOL = "preschool", _("preschool")
    POLICE = "police", _("police")
    HEALTHCARE = "healthcare", _("health care")
    DENTAL = "dental", _("dental care")
    SOCIAL_SERVICES = "social_services", _("social services")
    OTHER_AUTHORITY = "other_authority", _("other authority")
    PRIVATE = "private", _("private person")
    RELATIVE = "relative", _("relative")
    ANONYMOUS = "anonymous", _("anonymous")
    SELF = "self", _("the person themselves")


MANDATED_CATEGORIES = {
    ReporterCategory.SCHOOL,
    ReporterCategory.PRESCHOOL,
    ReporterCategory.POLICE,
    ReporterCategory.HEALTHCARE,
    ReporterCategory.DENTAL,
    ReporterCategory.SOCIAL_SERVICES,
    ReporterCategory.OTHER_AUTHORITY,
}


class Intake(models.Model):
    """Aktualisering. Day 0 of the legal clock is `received_on` (R-ANM-2), never `registered_at`."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="intakes")
    kind = models.CharField(max_length=20, choices=IntakeKind.choices)
    received_at = models.DateTimeField()
    received_on = models.DateField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    reporter_category = models.CharField(max_length=30, choices=ReporterCategory.choices, blank=True)
    reporter_name = models.CharField(max_length=200, blank=True)
    reporter_organisation = models.CharField(max_length=200, blank=True)
    reporter_contact = models.CharField(max_length=200, blank=True)
    wants_feedback = models.BooleanField(default=False)
    content = models.TextField()
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    registered_late = models.BooleanField(default=False)  # R-ANM-2

    class Meta:
        indexes = [models.Index(fields=["received_on"])]

    def __str__(self) -> str:
        return f"Intake #{self.pk}"

    @property
    def is_mandated_reporter(self) -> bool:
        return self.reporter_category in MANDATED_CATEGORIES


class CaseEvent(models.Model):
    """Append-only (database trigger): the timeline and the input of the deadline engine."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    type = models.CharField(max_length=50)
    occurred_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        indexes = [models.Index(fields=["case", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.type} {self.occurred_on}"


class DeadlineStatus(models.TextChoices):
    """Stored status is date-independent; `open`/`overdue` are derived from `due_on` and today."""

    PENDING = "pending", _("pending")
    MET = "met", _("met")
    LATE = "late", _("late")
    LATE_WITHIN_SUNDAY_RULE = "late_within_sunday_rule", _("late within the Sunday rule")


class Deadline(models.Model):
    """Projection of a case's events, rewritten in the same transaction as each new event."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=40)
    rule_id = models.CharField(max_length=20)
    started_on = models.DateField()
    due_on = models.DateField()
    plan_by = models.DateField(null=True, blank=True)
    original_due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=30, choices=DeadlineStatus.choices)
    extended_after_expiry = models.BooleanField(default=False)
    steps = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["due_on", "kind"]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["case", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"


class ExtensionReason(models.TextChoices):
    """R-FORH-2: synnerliga skäl. Workload or staffing is deliberately not a code."""

    POLICE_INTERVIEW_PENDING = "police_interview_pending", _("police interview pending")
    FAMILY_UNREACHABLE = "family_unreachable_despite_efforts", _("family unreachable despite efforts")
    OTHER = "other", _("other reason")


class DeadlineExtension(models.Model):
    """R-TID-7: its own record; never overwrites."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="extensions")
    kind = models.CharField(max_length=40)
    rule_id = models.CharField(max_length=20)
    original_due_on = models.DateField()
    new_due_on = models.DateField()
    reason_code = models.CharField(max_length=50, choices=ExtensionReason.choices)
    reason_text = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    delegation_rule = models.ForeignKey(
        "cases.DelegationRule", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    extended_after_expiry = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Extension {self.kind} → {self.new_due_on}"


class DecisionType(models.TextChoices):
    PRE_ASSESSMENT = "pre_assessment", _("pre-assessment: open or not open an investigation")
    PRE_ASSESSMENT_EXTENSION = "pre_assessment_extension", _("extension of the pre-assessment")
    INVESTIGATION_EXTENSION = "investigation_extension", _("extension of the investigation")
    INVESTIGATION_CLOSED = "investigation_closed", _("investigation closed without intervention")
    NON_RESIDENTIAL = "non_residential", _("non-residential intervention")
    CONTACT_PERSON = "contact_person", _("contact person or contact family")
    PLACEMENT_HVB = "placement_hvb", _("placement in a residential care home (HVB)")
    PLACEMENT_FOSTER_HOME = "placement_foster_home", _("placement in a foster home")
    CARE_REVIEW = "care_review", _("six-monthly care review")
    ADULT_INTERVENTION = "adult_intervention", _("intervention for an adult")
    FINANCIAL_ASSISTANCE = "financial_assistance", _("financial assistance")


class AppealRoute(models.TextChoices):
    """R-BESL-2."""

    ADMINISTRATIVE_APPEAL = "administrative_appeal", _("administrative appeal (förvaltningsbesvär)")
    LEGALITY_REVIEW = "legality_review", _("legality review (laglighetsprövning)")
    NONE = "none", _("not appealable")


class DelegationScheme(models.Model):
    """Delegationsordning, versioned data (R-DEL-1)."""

    version = models.CharField(max_length=20, unique=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    adopted_by = models.CharField(max_length=200, help_text="Nämndens beslut, t.ex. 'SN 2026-01-20 § 12'")
    is_active = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_scheme")
        ]

    def __str__(self) -> str:
        return f"Delegationsordning {self.version}"


class DelegationRule(models.Model):
    scheme = models.ForeignKey(DelegationScheme, on_delete=models.CASCADE, related_name="rules")
    point = models.CharField(max_length=20)
    decision_type = models.CharField(max_length=40, choices=DecisionType.choices)
    delegate_role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    committee_only = models.BooleanField(default=False)  # R-DEL-2: utskott
    unit_kind = models.CharField(max_length=32, choices=UnitKind.choices, blank=True)
    law_reference = models.CharField(max_length=100)
    limits = models.CharField(max_length=200, blank=True)
    appeal_route = models.CharField(max_length=30, choices=AppealRoute.choices)

    class Meta:
        ordering = ["point"]
        constraints = [
            models.CheckConstraint(
                condition=Q(committee_only=True) | ~Q(delegate_role=""), name="rule_has_delegate_or_committee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.point} {self.decision_type}"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("waiting for decision")
    RETURNED = "returned", _("returned")
    SIGNED = "signed", _("decided")


class Decision(models.Model):
    """Beslut (R-BESL-1). Immutable once signed (database trigger); a change is a new decision."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(max_length=30, unique=True, null=True, blank=True)
    type = models.CharField(max_length=40, choices=DecisionType.choices)
    outcome = models.CharField(max_length=40)
    legal_basis = models.CharField(max_length=200)
    decision_text = models.TextField()
    reasons = models.TextField()
    person_view = models.TextField(blank=True)  # R-DOK-3: the person's/child's view, or why missing
    communicated = models.TextField(blank=True)  # FL 25 §: kommunicering
    status = models.CharField(max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions_made"
    )
    delegation_rule = models.ForeignKey(
        DelegationRule, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    return_comment = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    appeal_route = models.CharField(max_length=30, choices=AppealRoute.choices, default=AppealRoute.NONE)
    notified_on = models.DateField(null=True, blank=True)
    explanation = models.JSONField(default=dict, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["status", "signed_at"]), models.Index(fields=["case", "type"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="signed") | Q(signed_at__isnull=False, delegate__isnull=False),
                name="signed_decision_has_delegate",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"Decision draft #{self.pk}"


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    ACCEPTED = "accepted", _("accepted")


class Transfer(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transfers")
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    message = models.TextField()
    status = models.CharField(max_length=20, choices=TransferStatus.choices, default=TransferStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="requested"), name="one_open_transfer_per_case")
        ]

    def __str__(self) -> str:
        return f"Transfer #{self.pk}"
