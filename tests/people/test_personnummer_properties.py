"""Property tests for personnummer and samordningsnummer (R-PNR-1…6)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotsen.people.personnummer import (
    PERSONNUMMER,
    SAMORDNINGSNUMMER,
    InvalidIdentityNumber,
    Sex,
    age_on,
    generate,
    parse,
)

birth_dates = st.dates(min_value=date(1800, 1, 1), max_value=date(2200, 12, 31))
sexes: st.SearchStrategy[Sex] = st.sampled_from(["M", "F"])
serials = st.integers(min_value=0, max_value=499)
# "today" is drawn as a number of years after the birth year and a day in that year, so that the 99/100-year
# boundary of the separator (R-PNR-1) and the first days of a year come up often.
years_after_birth = st.integers(min_value=0, max_value=199)
days_into_year = st.integers(min_value=0, max_value=365)


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, date, Sex, bool]:
    """A generated 12-digit number with the birth date, sex and kind it was made from."""
    birth_date = draw(birth_dates)
    sex = draw(sexes)
    coordination = draw(st.booleans())
    return (
        generate(birth_date, sex, draw(serials), coordination_number=coordination),
        birth_date,
        sex,
        coordination,
    )


def later_day(birth_date: date, years: int, day_of_year: int) -> date:
    """A day in the year `years` after the birth year, never before the birth date."""
    year = birth_date.year + years
    return max(birth_date, min(date(year, 1, 1) + timedelta(days=day_of_year), date(year, 12, 31)))


@given(numbers(), years_after_birth, days_into_year)
def test_generate_then_parse_round_trips(number: tuple[str, date, Sex, bool], years: int, day_of_year: int) -> None:
    value, birth_date, sex, coordination = number
    parsed = parse(value, today=later_day(birth_date, years, day_of_year))
    assert parsed.normalized == value
    assert parsed.birth_date == birth_date
    assert parsed.sex == sex
    assert parsed.is_coordination_number is coordination
    assert parsed.kind == (SAMORDNINGSNUMMER if coordination else PERSONNUMMER)


@given(numbers(), years_after_birth, days_into_year)
def test_twelve_and_ten_digit_forms_round_trip(
    number: tuple[str, date, Sex, bool], years: int, day_of_year: int
) -> None:
    value, birth_date, _, _ = number
    today = later_day(birth_date, years, day_of_year)
    parsed = parse(value, today=today)
    short = parsed.ten_digit_form(today)
    assert short[6] == ("+" if today.year - birth_date.year >= 100 else "-")
    assert short.replace("-", "").replace("+", "") == value[2:]
    assert parse(short, today=today) == parsed
    # Without a separator the 10 digits read like "-".
    if short[6] == "-":
        assert parse(value[2:], today=today) == parsed


def written_forms(value: str, separator: str) -> list[str]:
    """The ways a user may type the number `value` (12 digits)."""
    return [
        value,
        f"{value[:8]}-{value[8:]}",
        f"{value[:8]}+{value[8:]}",
        f" {value}\n",
        f"{value[2:8]}{separator}{value[8:]}",
    ]


@given(numbers(), years_after_birth, days_into_year, st.integers(min_value=0, max_value=4))
def test_normalization_is_idempotent(
    number: tuple[str, date, Sex, bool], years: int, day_of_year: int, form: int
) -> None:
    value, birth_date, _, _ = number
    today = later_day(birth_date, years, day_of_year)
    separator = "+" if today.year - birth_date.year >= 100 else "-"
    first = parse(written_forms(value, separator)[form], today=today)
    assert first.normalized == value
    assert parse(first.normalized, today=today) == first
    assert parse(first.display(), today=today) == first


def change_digit(value: str, position: int, shift: int) -> str:
    return value[:position] + str((int(value[position]) + shift) % 10) + value[position + 1 :]


@given(
    numbers(),
    years_after_birth,
    days_into_year,
    st.integers(min_value=-4, max_value=-1),
    st.integers(min_value=1, max_value=9),
)
def test_a_changed_digit_in_the_last_four_is_detected(
    number: tuple[str, date, Sex, bool], years: int, day_of_year: int, position: int, shift: int
) -> None:
    value, birth_date, _, _ = number
    today = later_day(birth_date, years, day_of_year)
    short = parse(value, today=today).ten_digit_form(today)
    for changed in (
        change_digit(value, len(value) + position, shift),
        change_digit(short, len(short) + position, shift),
    ):
        with pytest.raises(InvalidIdentityNumber) as info:
            parse(changed, today=today)
        assert info.value.code == "check_digit"


@given(
    numbers(),
    years_after_birth,
    days_into_year,
    st.integers(min_value=2, max_value=11),
    st.integers(min_value=1, max_value=9),
)
def test_a_changed_digit_anywhere_in_the_ten_is_never_accepted(
    number: tuple[str, date, Sex, bool], years: int, day_of_year: int, position: int, shift: int
) -> None:
    """Luhn catches every single-digit change; one in the date may be reported as a date error instead."""
    value, birth_date, _, _ = number
    today = later_day(birth_date, years, day_of_year)
    with pytest.raises(InvalidIdentityNumber):
        parse(change_digit(value, position, shift), today=today)


def birthday(birth_date: date, year: int) -> date:
    """The birthday in `year`; 29 February falls on 1 March in other years."""
    if (birth_date.month, birth_date.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 3, 1)
    return birth_date.replace(year=year)


@given(birth_dates, years_after_birth, days_into_year)
def test_age_is_completed_years(birth_date: date, years: int, day_of_year: int) -> None:
    day = later_day(birth_date, years, day_of_year)
    age = age_on(birth_date, day)
    assert 0 <= age <= 199
    assert birthday(birth_date, birth_date.year + age) <= day < birthday(birth_date, birth_date.year + age + 1)
