from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lotsen.demo.generator import DEMO_PASSWORD, DEMO_USERS, is_seeded, seed_demo


class Command(BaseCommand):
    help = "Create the synthetic demo municipality (deterministic for a seed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--inhabitants", type=int, default=30_000)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when demo data exists.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.LOTSEN_ENV == "production":
            raise CommandError("seed-demo refuses to run in production.")
        if options["inhabitants"] < 100 or options["years"] < 1:
            raise CommandError("--inhabitants must be at least 100 and --years at least 1.")
        if options["if_empty"] and is_seeded():
            self.stdout.write("Demo data already present; keeping it (make demo-reset starts over).")
        else:
            if is_seeded():
                raise CommandError("Demo data already present. Use make demo-reset to start over.")
            report = seed_demo(
                inhabitants=options["inhabitants"],
                years=options["years"],
                seed=options["seed"],
                today=timezone.localdate(),
                municipality_name=settings.LOTSEN_MUNICIPALITY_NAME,
            )
            for line in report.details:
                self.stdout.write(f"  {line}")
            self.stdout.write(
                f"Seeded {report.persons} persons, {report.households} households, {report.relations} relations, "
                f"{report.users} staff users in {report.seconds:.1f} s "
                f"(population {report.rows_per_second:,.0f} rows/s)."
            )
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for user in DEMO_USERS:
            roles = ", ".join(f"{role} @ {unit}" for unit, role, _p in user.memberships)
            self.stdout.write(f"  {user.username:<8} {user.first_name} {user.last_name:<12} {roles}")
