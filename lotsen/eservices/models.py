"""The citizen e-service: drafts saved page by page, and the citizen's own access log.

A citizen is not a staff ``User``: the identity lives in the session (``identity.CitizenIdentity``), and
``audit.AccessLogEntry`` needs a staff user. Every display of a citizen's own data is therefore logged here,
append-only (database trigger), with the person, what was shown and how the citizen was identified.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy


class DraftKind(models.TextChoices):
    FIRST = "first", pgettext_lazy("eservices", "first application")
    REAPPLY = "reapply", pgettext_lazy("eservices", "re-application")


class ApplicationDraft(models.Model):
    """ "Citizen answers are saved per page" (UI.md 1.4): one open draft per person."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DraftKind.choices)
    previous_application = models.ForeignKey(
        "assistance.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(default=dict, blank=True)
    attachments = models.ManyToManyField("assistance.Attachment", blank=True, related_name="+")
    submitted_application = models.ForeignKey(
        "assistance.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(submitted_application__isnull=True), name="eservices_one_open_draft"
            )
        ]

    def __str__(self) -> str:
        return f"ApplicationDraft #{self.pk}"


class CitizenAccessLog(models.Model):
    """One row per e-service response that shows a citizen their own case data (R-SEK-4)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    view = models.CharField(max_length=100)
    purpose = models.CharField(max_length=200)
    case_id = models.BigIntegerField(null=True, blank=True)
    application_id = models.BigIntegerField(null=True, blank=True)
    decision_id = models.BigIntegerField(null=True, blank=True)
    identity_method = models.CharField(max_length=20)
    at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "-at"])]

    def __str__(self) -> str:
        return f"CitizenAccessLog #{self.pk}"
