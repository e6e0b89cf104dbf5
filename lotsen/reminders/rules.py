"""Which reminder a running deadline calls for on a given day. Pure: no Django, no database.

Stages, latest first: `overdue` (today > due_on), `last_day` (from `plan_by`, the last working day on or before
the due date, R-TID-4), `warning` (the nearest threshold reached, in days before the due date: R-FORH-1 day 10
of 14 = 4 days, R-UTR-2 four and two weeks, R-VARD-1 six weeks). Only the latest stage reached is returned, so
a deadline first seen late does not produce a burst of stale warnings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

OVERDUE = "overdue"
LAST_DAY = "last_day"
WARNING = "warning"


@dataclass(frozen=True)
class Stage:
    kind: str
    days: int = 0  # for warnings: the threshold reached (days before the due date)


def stage_for(*, due_on: date, plan_by: date | None, today: date, warning_days: Sequence[int]) -> Stage | None:
    if today > due_on:
        return Stage(OVERDUE)
    if today >= (plan_by or due_on):
        return Stage(LAST_DAY)
    days_left = (due_on - today).days
    reached = [days for days in warning_days if days_left <= days]
    return Stage(WARNING, min(reached)) if reached else None
