"""Reads of reminders: only the user's own."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet

from lotsen.reminders.models import Reminder


def reminders_for(user: Any) -> QuerySet[Reminder]:
    """Unread first, newest first."""
    return (
        Reminder.objects.filter(user=user)
        .select_related("case")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-pk")
    )


def unread_count(user: Any) -> int:
    return Reminder.objects.filter(user=user, read_at__isnull=True).count()


def reminder_for(user: Any, reminder_id: int) -> Reminder | None:
    return Reminder.objects.filter(user=user, pk=reminder_id).first()
