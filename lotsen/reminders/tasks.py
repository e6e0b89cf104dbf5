"""Background tasks (django-tasks, database backend; the worker is `lotsen db_worker`).

`send_deadline_reminders` is enqueued by `lotsen remind` (run it from cron, see that command) and can be called
synchronously with `send_deadline_reminders.call(...)`.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django_tasks import task

from lotsen.reminders import services


@task()
def send_deadline_reminders(today: str | None = None) -> int:
    """Create the day's deadline reminders; `today` is an ISO date (JSON-serialisable), default the local date.
    Returns the number of new reminders. Idempotent."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    return services.create_deadline_reminders(today=day)
