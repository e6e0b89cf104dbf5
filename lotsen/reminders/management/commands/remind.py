"""`lotsen remind`: enqueue the day's deadline reminders (the worker `lotsen db_worker` runs them).

Run it from cron. The task is idempotent, so running it often is safe; hourly runs also give the team lead the
R-SKYDD-1 alert soon after a report has waited N hours (LOTSEN_PROTECTION_ALERT_HOURS) without a signed
protection assessment:

    # m h dom mon dow   command
    5 * * * *   cd /srv/lotsen && .venv/bin/lotsen remind
    55 23 * * * cd /srv/lotsen && .venv/bin/lotsen remind          # "and at the end of the day"

and keep a worker running (systemd unit or similar): `.venv/bin/lotsen db_worker`.
`--sync` runs the task in this process instead of enqueueing it (no worker needed); `--today` sets the day.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotsen.reminders.tasks import send_deadline_reminders


class Command(BaseCommand):
    help = "Enqueue (or with --sync run) the day's deadline reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the day to remind for, YYYY-MM-DD (default: today)")
        parser.add_argument("--sync", action="store_true", help="run now in this process instead of enqueueing")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options.get("today")
        if today:
            try:
                date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today must be a date written YYYY-MM-DD, not {today!r}") from None
        if options["sync"]:
            created = send_deadline_reminders.call(today=today)
            self.stdout.write(f"{created} new reminders")
            return
        result = send_deadline_reminders.enqueue(today=today)
        self.stdout.write(f"reminders enqueued (task {result.id})")
