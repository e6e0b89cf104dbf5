"""Reminders about statutory deadlines (legal-rules.md R-SKYDD-1, R-FORH-1, R-UTR-2, R-VARD-1, R-TID-4),
created by the background task `send_deadline_reminders` and read on the user's "Påminnelser" page.

A reminder is a notification derived from the `Deadline` projection, not a record of the case: it holds no
personal data besides the case reference. The unique key (user, case, deadline kind, kind, stage, due date)
makes reruns of the task harmless: the same stage of the same deadline reminds each person once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    PROTECTION_MISSING = "protection_missing", _("Protection assessment missing")
    WARNING = "warning", _("Deadline approaching")
    LAST_DAY = "last_day", _("Last working day")
    OVERDUE = "overdue", _("Deadline passed")


class Reminder(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    deadline_kind = models.CharField(max_length=40, blank=True)
    # For warnings: the threshold reached, in days before the due date (R-UTR-2: 28 and 14); otherwise 0.
    stage_days = models.PositiveSmallIntegerField(default=0)
    message = models.TextField()
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "case", "deadline_kind", "kind", "stage_days", "due_on"], name="reminder_once"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"Reminder #{self.pk}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
