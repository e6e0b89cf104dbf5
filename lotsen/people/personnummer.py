"""Personnummer and samordningsnummer (legal-rules.md section 12, R-PNR-1…6).

Pure code: no Django, no database and no clock. Every function that depends on the date takes it as an
argument, because the century of a 10-digit number (R-PNR-3) and the separator of the 10-digit form
(R-PNR-1) follow the calendar year of "today".

The check digit is computed with `stdnum.luhn` over the ten digits `YYMMDDNNNC` (R-PNR-2).
`stdnum.se.personnummer` is not used: it reads the machine clock for the century and does not know
samordningsnummer (day + 60, R-PNR-4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypedDict

from stdnum import luhn

Kind = Literal["personnummer", "samordningsnummer"]
Sex = Literal["M", "F"]
ErrorCode = Literal["format", "date", "future", "check_digit"]

PERSONNUMMER: Kind = "personnummer"
SAMORDNINGSNUMMER: Kind = "samordningsnummer"

# R-PNR-4: a samordningsnummer carries the birth day + 60.
COORDINATION_DAY_OFFSET = 60
# R-PNR-1: the 10-digit form uses "+" from the calendar year in which the person turns 100.
PLUS_SEPARATOR_AGE = 100
# Birth numbers NNN per birth date and sex: the last digit's parity gives the sex (R-PNR-6).
SERIALS_PER_DATE_AND_SEX = 500

# User-facing messages (design/UI.md 6.4).
MESSAGE_FORMAT = "Personnumret ska ha 10 eller 12 siffror, till exempel 19121212-1212"
MESSAGE_CHECK_DIGIT = "Personnumret stämmer inte. Kontrollera de fyra sista siffrorna"
MESSAGE_DATE = "Födelsedatumet i personnumret måste vara ett riktigt datum"
MESSAGE_FUTURE = "Födelsedatumet i personnumret kan inte vara senare än i dag"

# 6 (YYMMDD) or 8 (YYYYMMDD) date digits, an optional separator, four digits NNNC. ASCII digits only:
# `\d` would also accept other scripts' digits.
_PATTERN = re.compile(r"(?P<date>[0-9]{6}|[0-9]{8})(?P<separator>[-+]?)(?P<tail>[0-9]{4})")


class InvalidIdentityNumber(ValueError):
    """The value is not a valid personnummer or samordningsnummer.

    `message_sv` is the sentence to show the user; `code` says which rule failed.
    """

    def __init__(self, message_sv: str, code: ErrorCode) -> None:
        super().__init__(message_sv)
        self.message_sv = message_sv
        self.code: ErrorCode = code


@dataclass(frozen=True)
class IdentityNumber:
    """A valid personnummer or samordningsnummer. Build it with `parse()`.

    `normalized` is the storage form `YYYYMMDDNNNC` (R-PNR-1). `birth_date` is the real date (day − 60 for a
    samordningsnummer) and `sex` the sex at assignment (R-PNR-6).
    """

    normalized: str
    kind: Kind
    birth_date: date
    sex: Sex

    @property
    def is_coordination_number(self) -> bool:
        return self.kind == SAMORDNINGSNUMMER

    def display(self) -> str:
        """The on-screen form `YYYYMMDD-NNNN` (design/UI.md 6.1)."""
        return f"{self.normalized[:8]}-{self.normalized[8:]}"

    def ten_digit_form(self, on: date) -> str:
        """The 10-digit form `YYMMDD-NNNC`, with `+` from the year the person turns 100 (R-PNR-1).

        Raises ValueError when the 10-digit form cannot express the birth year on that date (born after
        `on`'s year, or 200 years or more before it).
        """
        years = on.year - self.birth_date.year
        if not 0 <= years < 2 * PLUS_SEPARATOR_AGE:
            raise ValueError(f"the 10-digit form cannot express birth year {self.birth_date.year} on {on}")
        separator = "+" if years >= PLUS_SEPARATOR_AGE else "-"
        return f"{self.normalized[2:8]}{separator}{self.normalized[8:]}"


class CheckResult(TypedDict):
    """The JSON object printed by `lotsen personnummer check`."""

    input: str
    valid: bool
    kind: Kind | None
    normalized: str | None
    birth_date: str | None
    sex: Sex | None
    age: int | None
    error: str | None


def _century_year(two_digits: int, *, plus: bool, today: date) -> int:
    """The full birth year of a 10-digit number (R-PNR-3).

    With `-` (or no separator) it is the year in [Y − 99, Y]; with `+` the year in [Y − 199, Y − 100].
    """
    latest = today.year - PLUS_SEPARATOR_AGE if plus else today.year
    return latest - (latest - two_digits) % 100


def parse(value: str, *, today: date) -> IdentityNumber:
    """Parse a personnummer or samordningsnummer of 10 or 12 digits, with or without `-`/`+`.

    Surrounding whitespace is ignored. A 12-digit value decides its century itself (its separator, if any,
    carries no meaning); a 10-digit value gets it from `today` (R-PNR-3). Raises `InvalidIdentityNumber` for
    a wrong format, an impossible date, a birth date after `today` or a wrong check digit, in that order.
    """
    match = _PATTERN.fullmatch(value.strip())
    if match is None:
        raise InvalidIdentityNumber(MESSAGE_FORMAT, "format")
    date_digits, separator, tail = match.group("date", "separator", "tail")

    if len(date_digits) == 8:
        year = int(date_digits[:4])
    else:
        year = _century_year(int(date_digits[:2]), plus=separator == "+", today=today)
    month, day_field = int(date_digits[-4:-2]), int(date_digits[-2:])
    is_coordination = day_field > COORDINATION_DAY_OFFSET
    day = day_field - COORDINATION_DAY_OFFSET if is_coordination else day_field
    try:
        birth_date = date(year, month, day)
    except ValueError:
        raise InvalidIdentityNumber(MESSAGE_DATE, "date") from None
    if birth_date > today:
        raise InvalidIdentityNumber(MESSAGE_FUTURE, "future")

    normalized = f"{year:04d}{date_digits[-4:]}{tail}"
    if not luhn.is_valid(normalized[2:]):
        raise InvalidIdentityNumber(MESSAGE_CHECK_DIGIT, "check_digit")
    return IdentityNumber(
        normalized=normalized,
        kind=SAMORDNINGSNUMMER if is_coordination else PERSONNUMMER,
        birth_date=birth_date,
        sex="M" if int(normalized[10]) % 2 else "F",
    )


def age_on(birth_date: date, day: date) -> int:
    """Completed years on `day`. Someone born on 29 February gets a year older on 1 March in other years."""
    if day < birth_date:
        raise ValueError(f"{day} is before the birth date {birth_date}")
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def check(value: str, today: date) -> CheckResult:
    """The result object of `lotsen personnummer check`; for an invalid value every derived key is None."""
    try:
        number = parse(value, today=today)
    except InvalidIdentityNumber as exc:
        return CheckResult(
            input=value,
            valid=False,
            kind=None,
            normalized=None,
            birth_date=None,
            sex=None,
            age=None,
            error=exc.message_sv,
        )
    return CheckResult(
        input=value,
        valid=True,
        kind=number.kind,
        normalized=number.normalized,
        birth_date=number.birth_date.isoformat(),
        sex=number.sex,
        age=age_on(number.birth_date, today),
        error=None,
    )


def generate(birth_date: date, sex: Sex, serial: int, *, coordination_number: bool = False) -> str:
    """A synthetic, valid 12-digit number `YYYYMMDDNNNC` for demo and test data.

    `serial` (0–499) picks the birth number NNN among those of the given sex: NNN = 2 × serial + 1 for men,
    2 × serial for women (R-PNR-6). With `coordination_number` the day is written + 60 (R-PNR-4).
    """
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    if not 0 <= serial < SERIALS_PER_DATE_AND_SEX:
        raise ValueError(f"serial must be 0–{SERIALS_PER_DATE_AND_SEX - 1}, not {serial}")
    birth_number = 2 * serial + (1 if sex == "M" else 0)
    day = birth_date.day + (COORDINATION_DAY_OFFSET if coordination_number else 0)
    body = f"{birth_date.year:04d}{birth_date.month:02d}{day:02d}{birth_number:03d}"
    return body + luhn.calc_check_digit(body[2:])
