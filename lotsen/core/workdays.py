"""Calendar arithmetic for legal deadlines (legal-rules.md section 0). Pure: no Django, no database.

- R-TID-2: periods in days are calendar days (`add_days`).
- R-TID-3 (lag (1930:173) om beräkning av lagstadgad tid, 1 §): periods in weeks, months and years end on the
  same weekday / the same number in the month as day 0, clamped to the last day of a shorter month
  (`add_weeks`, `add_months`, `add_years`).
- R-TID-5: the Swedish working-day calendar, computed by rule: Saturdays, Sundays, the allmänna helgdagar of
  lag (1989:253) and midsommarafton, julafton and nyårsafton are non-working (`is_working_day`).
- R-TID-4 (söndagsregeln, 1930:173 2 §): an act whose last day is a non-working day may be done on the next
  working day (`next_working_day`, `sunday_rule`); the nämnd plans its own deadlines for the last working day
  on or before the due date (`last_working_day_on_or_before`, shown as `plan_by`).

The holiday rules are those of lag (1989:253) as amended by SFS 2004:1322: annandag pingst was a holiday up to
and including 2004, nationaldagen (6 June) from 2005. Calendars before the 1953 reform (fixed midsommar and
alla helgons dag) are not modelled.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

__all__ = [
    "add_days",
    "add_months",
    "add_weeks",
    "add_years",
    "is_working_day",
    "last_working_day_on_or_before",
    "next_working_day",
    "non_working_days",
    "sunday_rule",
]

# The year from which 6 June replaced annandag pingst as an allmän helgdag (SFS 2004:1322).
NATIONAL_DAY_FROM_YEAR = 2005


# --- R-TID-2 / R-TID-3: periods ---------------------------------------------------------------------------


def add_days(d: date, n: int) -> date:
    """R-TID-2: "within N days after X" is X + N calendar days; weekends and holidays count."""
    return d + timedelta(days=n)


def add_weeks(d: date, n: int) -> date:
    """R-TID-3: a period of n weeks ends on the same weekday as day 0, i.e. d + 7n days."""
    return d + timedelta(weeks=n)


def add_months(d: date, n: int) -> date:
    """R-TID-3: the same day of the month n months later, clamped to that month's last day.

    2026-03-10 + 4 = 2026-07-10; 2025-10-31 + 4 = 2026-02-28; 2027-10-31 + 4 = 2028-02-29.
    """
    result: date = d + relativedelta(months=n)
    return result


def add_years(d: date, n: int) -> date:
    """R-TID-3: add_months(d, 12n); 2012-02-29 + 30 years = 2042-02-28."""
    return add_months(d, 12 * n)


# --- R-TID-5: the working-day calendar --------------------------------------------------------------------


def _weekday_in_range(first: date, weekday: int) -> date:
    """The first day on or after `first` that falls on `weekday` (Monday = 0)."""
    return first + timedelta(days=(weekday - first.weekday()) % 7)


@lru_cache(maxsize=512)
def non_working_days(year: int) -> dict[date, str]:
    """The named non-working days of `year` (R-TID-5), weekends aside, with their Swedish names.

    The allmänna helgdagar of lag (1989:253) 1 § plus midsommarafton, julafton and nyårsafton, which
    1930:173 2 § and R-TID-5 treat like holidays. Some of them always fall on a Saturday or Sunday
    (påskdagen, pingstdagen, midsommardagen, alla helgons dag); they are listed for their names.
    """
    easter_day = easter(year)
    midsummer_day = _weekday_in_range(date(year, 6, 20), 5)  # the Saturday in 20–26 June
    days = {
        date(year, 1, 1): "nyårsdagen",
        date(year, 1, 6): "trettondedag jul",
        easter_day - timedelta(days=2): "långfredagen",
        easter_day - timedelta(days=1): "påskafton",
        easter_day: "påskdagen",
        easter_day + timedelta(days=1): "annandag påsk",
        date(year, 5, 1): "första maj",
        easter_day + timedelta(days=39): "Kristi himmelsfärdsdag",
        easter_day + timedelta(days=49): "pingstdagen",
        midsummer_day - timedelta(days=1): "midsommarafton",
        midsummer_day: "midsommardagen",
        _weekday_in_range(date(year, 10, 31), 5): "alla helgons dag",  # the Saturday in 31 Oct – 6 Nov
        date(year, 12, 24): "julafton",
        date(year, 12, 25): "juldagen",
        date(year, 12, 26): "annandag jul",
        date(year, 12, 31): "nyårsafton",
    }
    if year >= NATIONAL_DAY_FROM_YEAR:
        days[date(year, 6, 6)] = "Sveriges nationaldag"
    else:
        days[easter_day + timedelta(days=50)] = "annandag pingst"
    return dict(sorted(days.items()))


def is_working_day(d: date) -> bool:
    """R-TID-5: False on Saturdays, Sundays, allmänna helgdagar, midsommarafton, julafton and nyårsafton."""
    return d.weekday() < 5 and d not in non_working_days(d.year)


def next_working_day(d: date) -> date:
    """The first working day strictly after `d` (R-TID-4: "nästa vardag")."""
    candidate = d + timedelta(days=1)
    while not is_working_day(candidate):
        candidate += timedelta(days=1)
    return candidate


def last_working_day_on_or_before(d: date) -> date:
    """`plan_by` (R-TID-4): the last working day on or before `d`, so a delegate is on duty."""
    candidate = d
    while not is_working_day(candidate):
        candidate -= timedelta(days=1)
    return candidate


def sunday_rule(d: date) -> date:
    """R-TID-4 (1930:173 2 §): a last day that is not a working day moves to the next working day."""
    return d if is_working_day(d) else next_working_day(d)
