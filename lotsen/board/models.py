"""The nämnd side of decisions: meetings, the report of delegated decisions to a meeting (R-DEL-3), the
utskott's decisions recorded by the board secretary (R-DEL-2) and the notification of a decision to the
party (R-BESL-1, R-BESL-3).

A signed `cases.Decision` is immutable (database trigger), so what happens to it afterwards is stored here,
in rows of their own that are themselves append-only (migration 0002)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class MeetingBody(models.TextChoices):
    BOARD = "board", _("Social services board")
    COMMITTEE = "committee", _("Individual committee")


class Meeting(models.Model):
    """Sammanträde. `list_closes_on` is the last decision date that goes onto this meeting's list of
    delegated decisions (R-DEL-3: a decision is reported at the first meeting whose list closes after it)."""

    body = models.CharField(max_length=20, choices=MeetingBody.choices)
    held_on = models.DateField()
    list_closes_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "body"]
        constraints = [
            models.UniqueConstraint(fields=["body", "held_on"], name="meeting_one_per_body_and_day"),
            models.CheckConstraint(condition=Q(list_closes_on__lte=F("held_on")), name="meeting_list_closes_first"),
        ]
        indexes = [models.Index(fields=["body", "list_closes_on"])]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.held_on.isoformat()}"


class DelegationReport(models.Model):
    """Anmälan av delegationsbeslut: the list of a period's delegated decisions reported at a meeting.
    Append-only; one per meeting."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="delegation_report")
    period_from = models.DateField()
    period_to = models.DateField()
    decision_count = models.PositiveIntegerField()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(period_from__lte=F("period_to")), name="report_period_valid"),
        ]

    def __str__(self) -> str:
        return f"DelegationReport #{self.pk}"


class CommitteeDecision(models.Model):
    """An utskott's decision on a committee-only decision type (R-DEL-2), recorded by the board secretary:
    the meeting and the paragraph (§) of its minutes. Append-only."""

    decision = models.OneToOneField("cases.Decision", on_delete=models.PROTECT, related_name="committee_record")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="committee_decisions")
    section_number = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "section_number"], name="committee_section_unique"),
        ]

    def __str__(self) -> str:
        return f"CommitteeDecision #{self.pk}"


class NotificationMethod(models.TextChoices):
    LETTER = "letter", _("by letter")
    HANDED_OVER = "handed_over", _("handed over in person")
    E_SERVICE = "e_service", _("through the e-service")
    SERVICE_OF_DOCUMENTS = "service", _("by formal service (delgivning)")
    MEETING = "meeting", _("orally at a meeting")


class DecisionNotification(models.Model):
    """Underrättelse (R-BESL-1): who was told of a signed decision, when and how. The appeal period runs from
    `notified_on` (R-BESL-3). Append-only: a correction is a new row."""

    decision = models.ForeignKey("cases.Decision", on_delete=models.PROTECT, related_name="notifications")
    recipient = models.CharField(max_length=200)
    notified_on = models.DateField()
    how = models.CharField(max_length=20, choices=NotificationMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["notified_on", "id"]

    def __str__(self) -> str:
        return f"DecisionNotification #{self.pk}"
