"""The working-day calendar (R-TID-5), söndagsregeln helpers (R-TID-4) and period arithmetic (R-TID-2/3)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotsen.core.workdays import (
    add_days,
    add_months,
    add_weeks,
    add_years,
    is_working_day,
    last_working_day_on_or_before,
    next_working_day,
    non_working_days,
    sunday_rule,
)

D = date.fromisoformat

# R-TID-5: "2026: 1 Jan, 6 Jan, 3–6 Apr, 1 May, 14 May, 24 May, 6 Jun, 19–20 Jun, 31 Oct, 24–26 Dec, 31 Dec,
# plus weekends."
NON_WORKING_2026 = {
    D("2026-01-01"),
    D("2026-01-06"),
    D("2026-04-03"),
    D("2026-04-04"),
    D("2026-04-05"),
    D("2026-04-06"),
    D("2026-05-01"),
    D("2026-05-14"),
    D("2026-05-24"),
    D("2026-06-06"),
    D("2026-06-19"),
    D("2026-06-20"),
    D("2026-10-31"),
    D("2026-12-24"),
    D("2026-12-25"),
    D("2026-12-26"),
    D("2026-12-31"),
}

# Dates far enough from the ends of `date` for the helpers to step over long holiday runs.
dates = st.dates(min_value=date(1953, 1, 1), max_value=date(2200, 12, 31))


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


def test_2026_calendar_is_exactly_the_list_in_r_tid_5() -> None:
    for d in days_of(2026):
        expected = d.weekday() < 5 and d not in NON_WORKING_2026
        assert is_working_day(d) is expected, d


def test_2026_named_days() -> None:
    names = non_working_days(2026)
    assert set(names) == NON_WORKING_2026
    assert names[D("2026-04-03")] == "långfredagen"
    assert names[D("2026-05-14")] == "Kristi himmelsfärdsdag"
    assert names[D("2026-06-19")] == "midsommarafton"
    assert names[D("2026-10-31")] == "alla helgons dag"
    assert names[D("2026-12-24")] == "julafton"
    assert names[D("2026-12-31")] == "nyårsafton"


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D("2026-03-02"), True),  # Monday
        (D("2026-03-07"), False),  # Saturday
        (D("2026-03-08"), False),  # Sunday
        (D("2026-04-02"), True),  # skärtorsdagen is a working day
        (D("2026-04-03"), False),  # långfredagen
        (D("2026-04-06"), False),  # annandag påsk
        (D("2026-05-25"), True),  # annandag pingst is not a holiday since 2005
        (D("2026-06-19"), False),  # midsommarafton
        (D("2026-12-23"), True),
        (D("2026-12-24"), False),  # julafton
        (D("2026-12-28"), True),
        (D("2027-06-25"), False),  # midsommarafton 2027
        (D("2027-11-06"), False),  # alla helgons dag 2027 (a Saturday)
        (D("2025-06-06"), False),  # nationaldagen on a Friday
        (D("2003-06-06"), True),  # before 2005, 6 June was a working day …
        (D("2003-06-09"), False),  # … and annandag pingst a holiday
        (D("2004-05-31"), False),  # annandag pingst 2004
    ],
)
def test_single_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize("decade", range(1950, 2100, 10))
def test_agrees_with_the_holidays_package(decade: int) -> None:
    """An independent oracle: python-holidays' public holidays plus its de facto holidays, the three eves."""
    years = range(max(decade, 1953), decade + 10)
    calendar = holidays.Sweden(years=years, categories=("public", "de_facto"), include_sundays=False)
    for year in years:
        for d in days_of(year):
            assert is_working_day(d) is (d.weekday() < 5 and d not in calendar), d


@pytest.mark.parametrize(
    ("day", "plan_by", "next_day"),
    [
        # E2: due Sat 2026-03-21
        (D("2026-03-21"), D("2026-03-20"), D("2026-03-23")),
        # E3: due långfredagen 2026-04-03; söndagsregeln would give Tue 04-07
        (D("2026-04-03"), D("2026-04-02"), D("2026-04-07")),
        # E4: due julafton 2026-12-24; söndagsregeln would give Mon 12-28
        (D("2026-12-24"), D("2026-12-23"), D("2026-12-28")),
        # E6: due Sat 2026-02-28
        (D("2026-02-28"), D("2026-02-27"), D("2026-03-02")),
        # E13: next review due Sat 2027-02-20
        (D("2027-02-20"), D("2027-02-19"), D("2027-02-22")),
        # nyårsafton 2026 (Thu) and nyårsdagen 2027 (Fri)
        (D("2026-12-31"), D("2026-12-30"), D("2027-01-04")),
    ],
)
def test_plan_by_and_next_working_day(day: date, plan_by: date, next_day: date) -> None:
    assert last_working_day_on_or_before(day) == plan_by
    assert next_working_day(day) == next_day
    assert sunday_rule(day) == next_day


def test_working_day_is_its_own_plan_by_and_sunday_rule_date() -> None:
    assert last_working_day_on_or_before(D("2026-03-16")) == D("2026-03-16")
    assert sunday_rule(D("2026-03-16")) == D("2026-03-16")
    assert next_working_day(D("2026-03-16")) == D("2026-03-17")


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        # R-TID-3's tests
        (D("2026-03-10"), 4, D("2026-07-10")),
        (D("2025-10-31"), 4, D("2026-02-28")),
        (D("2027-10-31"), 4, D("2028-02-29")),
        # clamping to the month's last day
        (D("2026-01-31"), 1, D("2026-02-28")),
        (D("2026-08-31"), 6, D("2027-02-28")),
        (D("2026-03-31"), 1, D("2026-04-30")),
        (D("2026-05-31"), -3, D("2026-02-28")),
        (D("2026-03-10"), 0, D("2026-03-10")),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_add_years() -> None:
    assert add_years(D("2012-02-29"), 30) == D("2042-02-28")  # R-TID-3
    assert add_years(D("2012-02-29"), 4) == D("2016-02-29")
    assert add_years(D("2026-03-10"), 2) == D("2028-03-10")


def test_add_days_and_weeks() -> None:
    assert add_days(D("2026-03-02"), 14) == D("2026-03-16")  # E1
    assert add_days(D("2026-12-20"), 14) == D("2027-01-03")
    assert add_weeks(D("2026-03-12"), 1) == D("2026-03-19")  # E9
    assert add_weeks(D("2026-03-02"), 3) == D("2026-03-23")  # E11


@given(dates)
def test_next_working_day_skips_only_non_working_days(d: date) -> None:
    nxt = next_working_day(d)
    assert nxt > d
    assert is_working_day(nxt)
    assert not any(is_working_day(d + timedelta(days=i)) for i in range(1, (nxt - d).days))
    assert (nxt - d).days <= 6  # the longest run of non-working days is five


@given(dates)
def test_plan_by_is_the_last_working_day_on_or_before(d: date) -> None:
    plan_by = last_working_day_on_or_before(d)
    assert plan_by <= d
    assert is_working_day(plan_by)
    assert not any(is_working_day(plan_by + timedelta(days=i)) for i in range(1, (d - plan_by).days + 1))


@given(dates)
def test_sunday_rule_never_moves_earlier(d: date) -> None:
    moved = sunday_rule(d)
    assert moved >= d
    assert is_working_day(moved)
    assert (moved == d) is is_working_day(d)


@given(st.integers(min_value=1953, max_value=2200))
def test_every_year_has_the_fixed_days(year: int) -> None:
    names = set(non_working_days(year).values())
    assert {"nyårsdagen", "långfredagen", "annandag påsk", "julafton", "juldagen", "nyårsafton"} <= names
    assert {"midsommarafton", "midsommardagen", "alla helgons dag", "Kristi himmelsfärdsdag"} <= names
    assert ("Sveriges nationaldag" in names) is (year >= 2005)
    assert ("annandag pingst" in names) is (year < 2005)
    eve = next(d for d, name in non_working_days(year).items() if name == "midsommarafton")
    assert eve.weekday() == 4 and date(year, 6, 19) <= eve <= date(year, 6, 25)
