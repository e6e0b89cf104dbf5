"""`lotsen assistance-batch [--period YYYY-MM]`: assess the month's received applications and make the
automated decisions in bulk (``services.automation_batch_run``). Applications from the e-service are
assessed at once; the batch takes imported ones and any left behind. Default: this month and next month."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lotsen.assistance import services
from lotsen.assistance.periods import add_months, month_start, parse_month


class Command(BaseCommand):
    help = "Assess received applications for ekonomiskt bistånd and make the automated decisions in bulk."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", help="The month of assistance, YYYY-MM (default: this and next month).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("period"):
            try:
                periods = [parse_month(options["period"])]
            except ValueError as exc:
                raise CommandError("--period ska vara en månad, till exempel 2026-03") from exc
        else:
            first = month_start(timezone.localdate())
            periods = [first, add_months(first, 1)]
        for period in periods:
            report = services.automation_batch_run(period=period)
            self.stdout.write(
                f"{period:%Y-%m}: {report.applications} ansökningar, {report.decided} automatiska beslut, "
                f"{report.queued} till handläggare ({report.seconds:.1f} s)"
            )
