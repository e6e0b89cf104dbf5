"""Barn och unga: the children's part of a report of concern, the immediate protection assessment, the
investigation with its BBIC parts and the information to the reporter (R-ANM-1/2, R-SKYDD-1, R-UTR-2,
R-INFO-1). The case, the intake, the events, the deadlines and the decisions are the case engine's
(`lotsen.cases`); these models add what only the children's process needs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lotsen.cases.models import ReporterCategory


class ChildReport(models.Model):
    """One report of concern (orosanmälan) about one child: the case engine's `Intake` plus what the
    children's process adds. A report about several children gives one intake per child, registered together
    (`batch`)."""

    intake = models.OneToOneField("cases.Intake", on_delete=models.PROTECT, related_name="child_report")
    batch = models.UUIDField(default=uuid.uuid4, db_index=True)
    registering_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    # R-ANM-1: a private person may be anonymous; the intake then carries the category `anonymous` and this
    # field keeps what the reporter said they were (private person or relative).
    stated_category = models.CharField(max_length=30, choices=ReporterCategory.choices)
    reporter_anonymous = models.BooleanField(default=False)
    # R-FORH-1: received while an investigation about the child was ongoing: linked to it (pafors_pagaende).
    linked_to_ongoing = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"ChildReport #{self.pk}"


class ProtectionAssessment(models.Model):
    """Omedelbar skyddsbedömning (R-SKYDD-1): made genast, signed, and never changed afterwards (database
    trigger). A correction is a new journal entry, not an update."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="protection_assessments")
    intake = models.OneToOneField("cases.Intake", on_delete=models.PROTECT, related_name="protection_assessment")
    needs_immediate_protection = models.BooleanField()
    measures = models.TextField(blank=True)
    assessment = models.TextField()
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(needs_immediate_protection=False) | ~Q(measures=""),
                name="protection_measures_when_needed",
            )
        ]

    def __str__(self) -> str:
        return f"ProtectionAssessment #{self.pk}"


class InvestigationStructure(models.TextChoices):
    BBIC = "bbic", _("BBIC")
    FREE = "free", _("free structure")


class Investigation(models.Model):
    """Utredning (R-UTR-1, R-UTR-2). Created when the event `investigation_opened` is recorded and closed
    when `investigation_decided` or `case_closed` is (a projection of the case's events, `signals.py`);
    `opened_on` is the date of the decision to open it."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="investigations")
    structure = models.CharField(max_length=10, choices=InvestigationStructure.choices)
    opened_on = models.DateField()
    opened_event = models.OneToOneField("cases.CaseEvent", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    plan = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(closed_on__isnull=True), name="one_open_investigation_per_case"
            )
        ]
        indexes = [models.Index(fields=["opened_on"])]

    def __str__(self) -> str:
        return f"Investigation #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class PartStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Completed")


class NeedRating(models.TextChoices):
    """The local 4-step scale of followup.md 4.2."""

    NONE = "none", _("No needs")
    SOME = "some", _("Some needs")
    LARGE = "large", _("Large needs")
    VERY_LARGE = "very_large", _("Very large needs")


class InvestigationPart(models.Model):
    """One part of an investigation: a BBIC area, one of the closing parts, or a free part (adults)."""

    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="parts")
    key = models.CharField(max_length=60)
    group = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField()
    rated = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    rating = models.CharField(max_length=20, choices=NeedRating.choices, blank=True)
    sources = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=PartStatus.choices, default=PartStatus.NOT_STARTED)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["investigation", "key"], name="investigation_part_unique")]

    def __str__(self) -> str:
        return f"InvestigationPart #{self.pk} ({self.key})"

    @property
    def display_title(self) -> str:
        """BBIC parts in the current language (the stored title is a snapshot); free parts as written."""
        from lotsen.children.bbic import PART_TITLES

        return str(PART_TITLES.get(self.key, self.title))


class FeedbackFact(models.TextChoices):
    """R-INFO-1: the only thing the reporter is told (R-SEK-1)."""

    OPENED = "opened", _("an investigation has been opened")
    NOT_OPENED = "not_opened", _("no investigation has been opened")
    ONGOING = "ongoing", _("an investigation is already ongoing")


class ReporterFeedback(models.Model):
    """Information to a mandated reporter (R-INFO-1), recorded when sent. Append-only (database trigger)."""

    intake = models.OneToOneField("cases.Intake", on_delete=models.PROTECT, related_name="reporter_feedback")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    fact = models.CharField(max_length=20, choices=FeedbackFact.choices)
    letter_text = models.TextField()
    sent_on = models.DateField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"ReporterFeedback #{self.pk}"
