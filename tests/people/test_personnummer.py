"""Personnummer and samordningsnummer: legal-rules.md section 12 (R-PNR-1…6) and the worked examples in 13."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from lotsen.people.personnummer import (
    MESSAGE_CHECK_DIGIT,
    MESSAGE_DATE,
    MESSAGE_FORMAT,
    MESSAGE_FUTURE,
    PERSONNUMMER,
    SAMORDNINGSNUMMER,
    IdentityNumber,
    InvalidIdentityNumber,
    age_on,
    check,
    generate,
    parse,
)

TODAY = date(2026, 11, 23)


def code_of(value: str, today: date = TODAY) -> str:
    with pytest.raises(InvalidIdentityNumber) as info:
        parse(value, today=today)
    return info.value.code


def with_check_digit(nine_digits: str) -> str:
    """Complete `YYMMDDNNN` with the digit that makes the Luhn sum right (computed here by hand, R-PNR-2)."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return nine_digits + str((10 - total % 10) % 10)


# --- R-PNR-2 check digit and the worked examples (section 13) ---------------------------------------------


def test_worked_example_check_digit_of_811218_987_is_6() -> None:
    assert with_check_digit("811218987") == "8112189876"
    assert generate(date(1981, 12, 18), "M", 493) == "198112189876"


def test_worked_example_811218_9876() -> None:
    number = parse("811218-9876", today=TODAY)
    assert number == IdentityNumber(
        normalized="198112189876", kind=PERSONNUMMER, birth_date=date(1981, 12, 18), sex="M"
    )
    assert not number.is_coordination_number


def test_worked_example_woman() -> None:
    assert parse("850709-9805", today=TODAY).sex == "F"


def test_worked_example_wrong_check_digit() -> None:
    with pytest.raises(InvalidIdentityNumber) as info:
        parse("811218-9877", today=TODAY)
    assert info.value.code == "check_digit"
    assert info.value.message_sv == MESSAGE_CHECK_DIGIT
    assert str(info.value) == "Personnumret stämmer inte. Kontrollera de fyra sista siffrorna"


@pytest.mark.parametrize(
    ("value", "birth_date"),
    [("121212-1212", date(2012, 12, 12)), ("121212+1212", date(1912, 12, 12))],
)
def test_worked_example_separator_decides_century(value: str, birth_date: date) -> None:
    assert parse(value, today=TODAY).birth_date == birth_date


def test_worked_example_samordningsnummer() -> None:
    number = parse("900563-1230", today=TODAY)
    assert number.kind == SAMORDNINGSNUMMER
    assert number.is_coordination_number
    assert number.birth_date == date(1990, 5, 3)
    assert number.sex == "M"
    assert number.normalized == "199005631230"


def test_the_century_is_not_part_of_the_check_digit() -> None:
    assert parse("19121212-1212", today=TODAY).normalized == "191212121212"
    assert parse("20121212-1212", today=TODAY).normalized == "201212121212"


# --- R-PNR-6 sex ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("digit", range(10))
def test_sex_is_the_parity_of_the_third_of_the_last_four_digits(digit: int) -> None:
    value = with_check_digit(f"81121898{digit}")
    assert parse(value, today=TODAY).sex == ("M" if digit % 2 else "F")


# --- R-PNR-3 century of a 10-digit number ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("yymmdd", "separator", "today", "birth_date"),
    [
        # With "-": the birth year is one of the 100 years up to today's year.
        ("260101", "-", TODAY, date(2026, 1, 1)),
        ("261123", "-", TODAY, date(2026, 11, 23)),
        ("270101", "-", TODAY, date(1927, 1, 1)),
        ("000101", "-", TODAY, date(2000, 1, 1)),
        ("991231", "-", TODAY, date(1999, 12, 31)),
        # With "+": one of the 100 years before those.
        ("261123", "+", TODAY, date(1926, 11, 23)),
        ("270101", "+", TODAY, date(1827, 1, 1)),
        ("121212", "+", TODAY, date(1912, 12, 12)),
        # The rule moves with --today, not with the machine clock.
        ("261231", "-", date(2025, 12, 31), date(1926, 12, 31)),
        ("261231", "+", date(2025, 12, 31), date(1826, 12, 31)),
        ("121212", "-", date(2011, 6, 1), date(1912, 12, 12)),
        ("121212", "-", date(2112, 12, 12), date(2112, 12, 12)),
        ("121212", "+", date(2112, 12, 12), date(2012, 12, 12)),
    ],
)
def test_century_of_ten_digits(yymmdd: str, separator: str, today: date, birth_date: date) -> None:
    value = with_check_digit(yymmdd + "123")
    assert parse(f"{value[:6]}{separator}{value[6:]}", today=today).birth_date == birth_date


def test_no_separator_reads_like_a_hyphen() -> None:
    assert parse("1212121212", today=TODAY).birth_date == date(2012, 12, 12)
    value = with_check_digit("270101123")
    assert parse(value, today=TODAY) == parse(f"{value[:6]}-{value[6:]}", today=TODAY)


def test_plus_from_the_year_of_the_100th_birthday_not_the_birthday() -> None:
    """Born 31 December 1926: on 1 January 2026 the person is 99 but the number is written with "+"."""
    value = with_check_digit("261231123")
    number = parse(f"19{value[:6]}-{value[6:]}", today=date(2026, 1, 1))
    assert age_on(number.birth_date, date(2026, 1, 1)) == 99
    assert number.ten_digit_form(date(2025, 12, 31)) == f"{value[:6]}-{value[6:]}"
    assert number.ten_digit_form(date(2026, 1, 1)) == f"{value[:6]}+{value[6:]}"
    assert parse(f"{value[:6]}+{value[6:]}", today=date(2026, 1, 1)) == number
    # The hyphen form in 2026 means 2026-12-31, which has not come yet.
    assert code_of(f"{value[:6]}-{value[6:]}", date(2026, 1, 1)) == "future"
    # On the last day of 2025 the hyphen form is still this person.
    assert parse(f"{value[:6]}-{value[6:]}", today=date(2025, 12, 31)) == number


def test_ten_digit_form_of_a_newborn_and_a_200_year_limit() -> None:
    number = parse(generate(date(2026, 11, 23), "F", 0), today=TODAY)
    assert number.ten_digit_form(TODAY) == number.normalized[2:8] + "-" + number.normalized[8:]
    with pytest.raises(ValueError):
        number.ten_digit_form(date(2025, 1, 1))
    with pytest.raises(ValueError):
        number.ten_digit_form(date(2226, 1, 1))
    assert number.ten_digit_form(date(2225, 12, 31))[6] == "+"


# --- R-PNR-1 12-digit input and display ------------------------------------------------------------------


@pytest.mark.parametrize("value", ["198112189876", "19811218-9876", "19811218+9876", " 811218-9876 \n"])
def test_twelve_digits_and_whitespace(value: str) -> None:
    assert parse(value, today=TODAY).normalized == "198112189876"


def test_twelve_digits_decide_their_century() -> None:
    assert parse("19121212-1212", today=TODAY).birth_date == date(1912, 12, 12)
    assert parse("20121212-1212", today=TODAY).birth_date == date(2012, 12, 12)
    assert parse("18121212-1212", today=TODAY).birth_date == date(1812, 12, 12)


def test_display() -> None:
    assert parse("811218-9876", today=TODAY).display() == "19811218-9876"
    assert parse("900563-1230", today=TODAY).display() == "19900563-1230"


# --- R-PNR-4 samordningsnummer ---------------------------------------------------------------------------


@pytest.mark.parametrize(("day_field", "birth_day"), [("61", 1), ("63", 3), ("91", 31)])
def test_samordningsnummer_day_minus_60(day_field: str, birth_day: int) -> None:
    number = parse(with_check_digit(f"9001{day_field}123"), today=TODAY)
    assert number.kind == SAMORDNINGSNUMMER
    assert number.birth_date == date(1990, 1, birth_day)


@pytest.mark.parametrize("day_field", ["60", "92", "99", "89"])
def test_samordningsnummer_day_must_exist(day_field: str) -> None:
    # 89 is 29 February in 1990, not a leap year; 60 is day 0.
    assert code_of(with_check_digit(f"9002{day_field}123")) == "date"


def test_samordningsnummer_on_29_february_of_a_leap_year() -> None:
    number = parse(with_check_digit("000289123"), today=TODAY)
    assert number.birth_date == date(2000, 2, 29)
    assert number.is_coordination_number


@pytest.mark.parametrize("day_field", ["32", "45", "59"])
def test_days_between_the_two_ranges_are_impossible(day_field: str) -> None:
    assert code_of(with_check_digit(f"9001{day_field}123")) == "date"


# --- impossible and future dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nine_digits",
    ["811318123", "810018123", "811200123", "811232123", "810230123", "810431123", "010229123"],
)
def test_impossible_dates(nine_digits: str) -> None:
    with pytest.raises(InvalidIdentityNumber) as info:
        parse(with_check_digit(nine_digits), today=TODAY)
    assert info.value.code == "date"
    assert info.value.message_sv == MESSAGE_DATE


def test_29_february_depends_on_the_century() -> None:
    value = with_check_digit("000229123")
    assert parse(value, today=TODAY).birth_date == date(2000, 2, 29)
    # With "+" the same digits mean 1900, which was not a leap year.
    assert code_of(f"{value[:6]}+{value[6:]}") == "date"
    assert code_of(f"19{value}") == "date"
    assert parse(f"20{value}", today=TODAY).birth_date == date(2000, 2, 29)


def test_year_zero_is_impossible() -> None:
    assert code_of("00000101-" + with_check_digit("000101123")[6:]) == "date"


def test_future_dates() -> None:
    tomorrow = with_check_digit("261124123")
    assert code_of(f"20{tomorrow}") == "future"
    # With "-" the 10-digit form means 2026-11-24 (not 1926), which is after today.
    assert code_of(tomorrow) == "future"
    with pytest.raises(InvalidIdentityNumber) as info:
        parse(f"20{tomorrow}", today=TODAY)
    assert info.value.message_sv == MESSAGE_FUTURE
    # Born today is fine.
    assert parse(with_check_digit("261123123"), today=TODAY).birth_date == TODAY
    assert code_of(generate(date(2030, 1, 1), "F", 7)) == "future"
    assert code_of(generate(date(2026, 11, 24), "M", 7, coordination_number=True)) == "future"


def test_date_is_checked_before_the_check_digit() -> None:
    assert code_of("811318-1230") == "date"


# --- format ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "",
        " ",
        "12345",
        "811218987",  # 9 digits
        "81121898761",  # 11 digits
        "1981121898761",  # 13 digits
        "811218-98765",
        "81121-89876",
        "8112-189876",
        "811218--9876",
        "811218 9876",
        "811218/9876",
        "811218–9876",  # en dash
        "811218-987x",
        "abcdef-ghij",
        "+8112189876",
        "8112189876-",
        "١٩٨١١٢١٨٩٨٧٦",  # Arabic-Indic digits
        "８１１２１８９８７６",  # full-width digits
    ],
)
def test_bad_lengths_and_characters(value: str) -> None:
    with pytest.raises(InvalidIdentityNumber) as info:
        parse(value, today=TODAY)
    assert info.value.code == "format"
    assert info.value.message_sv == MESSAGE_FORMAT
    assert str(info.value) == "Personnumret ska ha 10 eller 12 siffror, till exempel 19121212-1212"


# --- age -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "day", "age"),
    [
        (date(1981, 12, 18), date(2026, 12, 17), 44),
        (date(1981, 12, 18), date(2026, 12, 18), 45),
        (date(2026, 11, 23), date(2026, 11, 23), 0),
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
    ],
)
def test_age_on(birth_date: date, day: date, age: int) -> None:
    assert age_on(birth_date, day) == age


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError):
        age_on(date(2026, 11, 24), TODAY)


# --- check() ---------------------------------------------------------------------------------------------


def test_check_valid() -> None:
    assert check("900563-1230", TODAY) == {
        "input": "900563-1230",
        "valid": True,
        "kind": "samordningsnummer",
        "normalized": "199005631230",
        "birth_date": "1990-05-03",
        "sex": "M",
        "age": 36,
        "error": None,
    }


def test_check_invalid_keeps_every_key() -> None:
    assert check(" 811218-9877", TODAY) == {
        "input": " 811218-9877",
        "valid": False,
        "kind": None,
        "normalized": None,
        "birth_date": None,
        "sex": None,
        "age": None,
        "error": MESSAGE_CHECK_DIGIT,
    }


# --- generate() ------------------------------------------------------------------------------------------


def test_generate() -> None:
    assert generate(date(1990, 5, 3), "M", 61, coordination_number=True) == "199005631230"
    assert generate(date(1985, 7, 9), "F", 490) == "198507099805"
    assert generate(date(2012, 12, 12), "F", 0)[8:11] == "000"
    assert generate(date(2012, 12, 12), "M", 499)[8:11] == "999"


@pytest.mark.parametrize(("sex", "serial"), [("M", -1), ("F", 500), ("X", 1)])
def test_generate_rejects_bad_arguments(sex: Any, serial: int) -> None:
    with pytest.raises(ValueError):
        generate(date(2000, 1, 1), sex, serial)
