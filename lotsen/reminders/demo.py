"""Demo data for reminders: the reminders the daily task would have created on the demo's `today`."""

from __future__ import annotations

import random
from datetime import date

from lotsen.reminders.services import create_deadline_reminders


def seed_reminders(*, rng: random.Random, today: date, years: int) -> int:
    """Run the reminder task for `today` over the seeded cases (call after the cases are seeded). `rng` and
    `years` are accepted for the generator's uniform interface; reminders follow from the deadlines alone."""
    return create_deadline_reminders(today=today)
