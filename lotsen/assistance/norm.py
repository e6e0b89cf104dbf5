"""The riksnorm engine: försörjningsstöd for one household and one biståndsmånad (riksnorm.md).

``calculate(input)`` takes a ``lotsen.norm.input/1`` document (section 7.2) and returns the
``lotsen.norm.result/1`` object (section 7.3): norm lines, reasonable costs, other needs, incomes with the
parts not counted, entitlement or surplus, and an explanation (labels, arithmetic, law references) for every
line. Invalid input, and a period without a usable table, raise :class:`NormError`.

Pure module: no Django, no database, no clock, no network, no per-call file I/O (tables are loaded and
validated once, see ``tables.py``). All money is whole kronor held as ``int`` (RN-C1); the only three
fractions are rounded half up where the line is produced (RN-C2). Rule ids ``RN-…`` point into riksnorm.md.
"""

from __future__ import annotations

import calendar
import datetime
import importlib.metadata
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from lotsen.assistance.tables import (
    MAX_CHILD_AGE,
    MAX_TABLE_SIZE,
    RateTable,
    TableError,
    TableSet,
    load_tables,
)
from lotsen.core.errors import DomainError

INPUT_SCHEMA = "lotsen.norm.input/1"
RESULT_SCHEMA = "lotsen.norm.result/1"
ERROR_SCHEMA = "lotsen.norm.error/1"

AGE_RULES = ("first_day_of_month", "month_after_birthday_month")
DEFAULT_SETTINGS: Mapping[str, Any] = {
    "age_rule": "first_day_of_month",
    "count_child_earnings_above_pbb": True,
}

TABLE_ERROR_CODES = frozenset({"TABLE_NOT_FOUND", "TABLE_INVALID", "TABLE_VALUE_MISSING"})
JOBBSTIMULANS_PERCENT = 25  # SoL 12 kap. 8 §: 25 % of income from employment is not counted
JOBBSTIMULANS_MONTHS_REQUIRED = 6
JOBBSTIMULANS_WINDOW_MONTHS = 24
SCHOOL_AGE_FROM = 18  # RN-E3: a child of 18-20 is a member only while in school

REASONABLE_COST_LABELS = {
    "housing": "Boende",
    "household_electricity": "Hushållsel",
    "work_travel": "Arbetsresor",
    "home_insurance": "Hemförsäkring",
    "union_fee": "Fackföreningsavgift",
    "unemployment_fund_fee": "Avgift till arbetslöshetskassa",
}
OTHER_NEED_LABELS = {
    "health_care": "Läkarvård",
    "medicine": "Läkemedel",
    "dental_care": "Tandvård",
    "glasses": "Glasögon",
    "childcare_fee": "Barnomsorgsavgift",
    "home_equipment": "Hemutrustning",
    "other": "Övrigt",
}
INCOME_LABELS = {
    "salary": "Lön (inkomst av anställning)",
    "self_employment": "Inkomst av näringsverksamhet",
    "unemployment_benefit": "Arbetslöshetsersättning",
    "activity_support": "Aktivitetsstöd/utvecklingsersättning",
    "establishment_benefit": "Etableringsersättning",
    "sickness_benefit": "Sjukpenning",
    "sickness_compensation": "Sjukersättning/aktivitetsersättning",
    "parental_benefit": "Föräldrapenning",
    "child_allowance": "Barnbidrag/studiebidrag",
    "maintenance_support": "Underhållsstöd",
    "maintenance_payment": "Underhållsbidrag",
    "housing_allowance": "Bostadsbidrag",
    "pension": "Pension",
    "student_aid": "Studiemedel",
    "other": "Övrig inkomst",
}

# RN-C5: the law reference of each kind of line, (period before 2025-07, period from 2025-07).
NEW_LAW_FROM = (2025, 7)
_LAW_REFS = {
    "table": ("SoF (2001:937) 2 kap. 1 §", "SoF (2025:468) 12 kap. 2 §"),
    "above_seven": ("SoF (2001:937) 2 kap. 1 §", "SoF (2025:468) 12 kap. 2 § och 3 § första stycket"),
    "share": ("SoF (2001:937) 2 kap. 1 §", "SoF (2025:468) 12 kap. 3 § andra stycket"),
    "reasonable_cost": (
        "SoL (2001:453) 4 kap. 3 § första stycket 2",
        "SoL (2025:400) 12 kap. 7 § första stycket 2",
    ),
    "adjustment": ("SoL (2001:453) 4 kap. 3 §", "SoL (2025:400) 12 kap. 7 § tredje stycket"),
    "need_or_income": ("SoL (2001:453) 4 kap. 1 §", "SoL (2025:400) 12 kap. 1 §"),
    "jobbstimulans": ("SoL (2001:453) 4 kap. 1 b §", "SoL (2025:400) 12 kap. 8 §"),
    "child_earnings": ("SoL (2001:453) 4 kap. 1 a §", "SoL (2025:400) 12 kap. 9 §"),
}
_LAW_BY_ERA = tuple({kind: refs[era] for kind, refs in _LAW_REFS.items()} for era in (0, 1))

_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MEMBER_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
_TEXT_MAX = 500

_TOP_KEYS = (
    "schema",
    "period",
    "members",
    "shared_household",
    "reasonable_costs",
    "other_needs",
    "norm_adjustments",
    "incomes",
    "settings",
)
_MEMBER_KEYS = (
    "id",
    "role",
    "birth_date",
    "age",
    "in_school",
    "lunch_away_weekdays",
    "days_in_household",
    "jobbstimulans",
)
_CHILD_ONLY_FIELDS = ("days_in_household", "lunch_away_weekdays", "in_school")
_INCOME_KEYS = ("member_id", "type", "amount", "earned_before_in_year", "exempt_reason", "note")


def _package_version() -> str:
    try:
        return importlib.metadata.version("lotsen")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


ENGINE_VERSION = _package_version()


class NormError(DomainError):
    """Invalid input (exit 2) or no usable table value for the period (exit 3), section 7.2."""

    def __init__(
        self, code: str, message: str, *, path: str | None = None, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message, field=path, code=code)
        self.path = path
        self.details = dict(details or {})
        self.exit_code = 3 if code in TABLE_ERROR_CODES else 2
        self.status = 400 if self.exit_code == 2 else 422

    def to_dict(self) -> dict[str, Any]:
        """The CLI's error object (section 7.1)."""
        return {
            "schema": ERROR_SCHEMA,
            "error": {"code": self.code, "message": self.message, "path": self.path},
        }


def round_half_up(numerator: int, denominator: int) -> int:
    """RN-C2: ``numerator / denominator`` rounded to whole kronor, halves up (``decimal.ROUND_HALF_UP``).

    Exact integer arithmetic; every rounded quantity of the engine is non-negative.
    """
    if numerator < 0 or denominator <= 0:
        raise ValueError("round_half_up needs a non-negative numerator and a positive denominator")
    quotient, remainder = divmod(numerator, denominator)
    return quotient + (1 if 2 * remainder >= denominator else 0)


# --------------------------------------------------------------------------------------------------------
# Parsed input


@dataclass(slots=True)
class _Member:
    index: int
    id: str
    role: str
    birth: tuple[int, int, int] | None
    age: int | None
    in_school: bool
    lunch_away: bool
    days: int | None
    jobbstimulans: tuple[str, Any] | None  # ("window_start", month index) or ("months_in_a_row_before", n)
    present: frozenset[str]  # fields given with a non-null value (FIELD_NOT_FOR_ROLE)


@dataclass(slots=True)
class _CostLine:
    type: str
    amount: int
    note: str | None


@dataclass(slots=True)
class _Adjustment:
    member_id: str | None
    amount: int
    reason: str


@dataclass(slots=True)
class _Income:
    member_id: str
    type: str
    amount: int
    earned_before_in_year: int | None
    exempt_reason: str | None
    note: str | None


@dataclass(slots=True)
class _Input:
    year: int
    month: int
    members: list[_Member]
    total_persons: int | None
    reasonable_costs: list[_CostLine]
    other_needs: list[_CostLine]
    adjustments: list[_Adjustment]
    incomes: list[_Income]
    settings: dict[str, Any]

    @property
    def period(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def month_index(self) -> int:
        return self.year * 12 + self.month - 1


# --------------------------------------------------------------------------------------------------------
# RN-A1 (first half): the schema lotsen.norm.input/1


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _schema_error(path: str | None, what: str) -> NormError:
    return NormError("SCHEMA_INVALID", f"Indata följer inte schemat {INPUT_SCHEMA}: {what}", path=path)


def _object(value: Any, path: str, allowed: Sequence[str], required: Sequence[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _schema_error(path or None, "värdet måste vara ett objekt")
    for key in value:
        if key not in allowed:
            raise _schema_error(_join(path, key), "okänt fält")
    for key in required:
        if key not in value:
            raise _schema_error(_join(path, key), "obligatoriskt fält saknas")
    return value


def _array(value: Any, path: str, *, min_items: int = 0) -> list[Any]:
    if not isinstance(value, list):
        raise _schema_error(path, "värdet måste vara en lista")
    if len(value) < min_items:
        raise _schema_error(path, f"listan måste ha minst {min_items} element")
    return value


def _integer(value: Any, path: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A JSON integer. Amounts use :func:`_kronor`; a fraction there is ``AMOUNT_NOT_INTEGER`` (RN-C1)."""
    number = _whole_number(value, path, amount=False)
    if minimum is not None and number < minimum:
        raise _schema_error(path, f"värdet måste vara minst {minimum}")
    if maximum is not None and number > maximum:
        raise _schema_error(path, f"värdet får vara högst {maximum}")
    return number


def _kronor(value: Any, path: str, *, signed: bool = False) -> int:
    number = _whole_number(value, path, amount=True)
    if not signed and number < 0:
        raise _schema_error(path, "beloppet får inte vara negativt")
    return number


def _whole_number(value: Any, path: str, *, amount: bool) -> int:
    # JSON has one number type: a number without a fractional part is an integer (JSON Schema "integer").
    # Floats and Decimals are accepted only when integral and are converted to int at once (RN-C1).
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        integral = value.is_integer()
    elif isinstance(value, Decimal):
        integral = value.is_finite() and value == value.to_integral_value()
    else:
        raise _schema_error(path, "värdet måste vara ett heltal")
    if not integral:
        if amount:
            raise NormError("AMOUNT_NOT_INTEGER", "Beloppet måste vara ett heltal i hela kronor", path=path)
        raise _schema_error(path, "värdet måste vara ett heltal")
    return int(value)


def _boolean(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _schema_error(path, "värdet måste vara true eller false")
    return value


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= _TEXT_MAX:
        raise _schema_error(path, f"värdet måste vara en text med 1–{_TEXT_MAX} tecken")
    return value


def _enum(value: Any, path: str, allowed: Mapping[str, str] | Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise _schema_error(path, f"värdet måste vara ett av {', '.join(allowed)}")
    return value


def _month(value: Any) -> tuple[int, int] | None:
    match = _MONTH.fullmatch(value) if isinstance(value, str) else None
    if match is None or int(match.group(1)) < 1:
        return None
    return int(match.group(1)), int(match.group(2))


def _date(value: Any, path: str) -> tuple[int, int, int]:
    match = _DATE.fullmatch(value) if isinstance(value, str) else None
    if match is not None:
        year, month, day = (int(part) for part in match.groups())
        try:
            datetime.date(year, month, day)
        except ValueError:
            pass  # e.g. 2020-02-30: reported below like any other malformed date
        else:
            return year, month, day
    raise _schema_error(path, "värdet måste vara ett datum ÅÅÅÅ-MM-DD")


def _parse(data: Any) -> _Input:
    doc = _object(data, "", _TOP_KEYS, ("schema", "period", "members"))
    if doc["schema"] != INPUT_SCHEMA:
        raise _schema_error("schema", f"schema måste vara {INPUT_SCHEMA}")
    period = _month(doc["period"])
    if period is None:
        raise NormError("PERIOD_INVALID", "Biståndsmånaden måste anges som ÅÅÅÅ-MM", path="period")
    members = [
        _parse_member(raw, f"members[{i}]", i) for i, raw in enumerate(_array(doc["members"], "members", min_items=1))
    ]
    total_persons = None
    shared = doc.get("shared_household")
    if shared is not None:
        shared = _object(shared, "shared_household", ("total_persons",), ("total_persons",))
        total_persons = _integer(shared["total_persons"], "shared_household.total_persons", minimum=2)
    return _Input(
        year=period[0],
        month=period[1],
        members=members,
        total_persons=total_persons,
        reasonable_costs=_parse_costs(doc, "reasonable_costs", REASONABLE_COST_LABELS),
        other_needs=_parse_costs(doc, "other_needs", OTHER_NEED_LABELS),
        adjustments=[_parse_adjustment(raw, f"norm_adjustments[{i}]") for i, raw in _items(doc, "norm_adjustments")],
        incomes=[_parse_income(raw, f"incomes[{i}]") for i, raw in _items(doc, "incomes")],
        settings=_parse_settings(doc["settings"]) if "settings" in doc else {},
    )


def _items(doc: Mapping[str, Any], key: str) -> list[tuple[int, Any]]:
    return list(enumerate(_array(doc[key], key))) if key in doc else []


def _parse_member(value: Any, path: str, index: int) -> _Member:
    raw = _object(value, path, _MEMBER_KEYS, ("id", "role"))
    member_id = raw["id"]
    if not isinstance(member_id, str) or _MEMBER_ID.fullmatch(member_id) is None:
        raise _schema_error(_join(path, "id"), "id måste bestå av 1–40 tecken A–Z, a–z, 0–9, _ eller -")
    role = _enum(raw["role"], _join(path, "role"), ("applicant", "partner", "child"))
    birth = _date(raw["birth_date"], _join(path, "birth_date")) if "birth_date" in raw else None
    age = _integer(raw["age"], _join(path, "age"), minimum=0, maximum=130) if "age" in raw else None
    in_school = _boolean(raw["in_school"], _join(path, "in_school")) if "in_school" in raw else False
    lunch_away = (
        _boolean(raw["lunch_away_weekdays"], _join(path, "lunch_away_weekdays"))
        if "lunch_away_weekdays" in raw
        else False
    )
    days = raw.get("days_in_household")
    if days is not None:
        days = _integer(days, _join(path, "days_in_household"), minimum=1, maximum=31)
    jobbstimulans = _parse_jobbstimulans(raw.get("jobbstimulans"), _join(path, "jobbstimulans"))
    present = frozenset(key for key, item in raw.items() if item is not None)
    return _Member(index, member_id, role, birth, age, in_school, lunch_away, days, jobbstimulans, present)


def _parse_jobbstimulans(value: Any, path: str) -> tuple[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, Mapping) and set(value) == {"window_start"}:
        start = _month(value["window_start"])
        if start is None:
            raise _schema_error(_join(path, "window_start"), "window_start måste anges som ÅÅÅÅ-MM")
        return "window_start", start[0] * 12 + start[1] - 1
    if isinstance(value, Mapping) and set(value) == {"months_in_a_row_before"}:
        months = _integer(value["months_in_a_row_before"], _join(path, "months_in_a_row_before"), minimum=0)
        return "months_in_a_row_before", months
    raise _schema_error(path, "jobbstimulans måste vara null, {window_start} eller {months_in_a_row_before}")


def _parse_costs(doc: Mapping[str, Any], key: str, labels: Mapping[str, str]) -> list[_CostLine]:
    lines = []
    for i, value in _items(doc, key):
        path = f"{key}[{i}]"
        raw = _object(value, path, ("type", "amount", "note"), ("type", "amount"))
        lines.append(
            _CostLine(
                type=_enum(raw["type"], _join(path, "type"), labels),
                amount=_kronor(raw["amount"], _join(path, "amount")),
                note=_text(raw["note"], _join(path, "note")) if "note" in raw else None,
            )
        )
    return lines


def _parse_adjustment(value: Any, path: str) -> _Adjustment:
    raw = _object(value, path, ("member_id", "amount", "reason"), ("amount", "reason"))
    member_id = raw.get("member_id")
    if member_id is not None and not isinstance(member_id, str):
        raise _schema_error(_join(path, "member_id"), "member_id måste vara en text eller null")
    amount = _kronor(raw["amount"], _join(path, "amount"), signed=True)
    if amount == 0:
        raise _schema_error(_join(path, "amount"), "en justering får inte vara 0")
    return _Adjustment(member_id, amount, _text(raw["reason"], _join(path, "reason")))


def _parse_income(value: Any, path: str) -> _Income:
    raw = _object(value, path, _INCOME_KEYS, ("member_id", "type", "amount"))
    if not isinstance(raw["member_id"], str):
        raise _schema_error(_join(path, "member_id"), "member_id måste vara en text")
    ytd = raw.get("earned_before_in_year")
    return _Income(
        member_id=raw["member_id"],
        type=_enum(raw["type"], _join(path, "type"), INCOME_LABELS),
        amount=_kronor(raw["amount"], _join(path, "amount")),
        earned_before_in_year=_kronor(ytd, _join(path, "earned_before_in_year"))
        if "earned_before_in_year" in raw
        else None,
        exempt_reason=_text(raw["exempt_reason"], _join(path, "exempt_reason")) if "exempt_reason" in raw else None,
        note=_text(raw["note"], _join(path, "note")) if "note" in raw else None,
    )


def _parse_settings(value: Any) -> dict[str, Any]:
    raw = _object(value, "settings", tuple(DEFAULT_SETTINGS), ())
    parsed: dict[str, Any] = {}
    if "age_rule" in raw:
        parsed["age_rule"] = _enum(raw["age_rule"], "settings.age_rule", AGE_RULES)
    if "count_child_earnings_above_pbb" in raw:
        key = "count_child_earnings_above_pbb"
        parsed[key] = _boolean(raw[key], f"settings.{key}")
    return parsed


def _effective_settings(defaults: Mapping[str, Any] | None, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """3.8: the municipality's defaults, overridden per run by the input's `settings`."""
    settings = dict(DEFAULT_SETTINGS)
    for key, value in (defaults or {}).items():
        if key not in DEFAULT_SETTINGS:
            raise ValueError(f"unknown norm setting {key!r}")
        settings[key] = value
    if settings["age_rule"] not in AGE_RULES or not isinstance(settings["count_child_earnings_above_pbb"], bool):
        raise ValueError(f"invalid norm settings {settings!r}")
    settings.update(overrides)
    return settings


# --------------------------------------------------------------------------------------------------------
# RN-A1 (second half): the semantic rules of section 7.2, checked in the order of its table


def _child_age(child: _Member, year: int, month: int, age_rule: str) -> int:
    """RN-E1: the child's age for the biståndsmånad (a child born during the month is 0)."""
    if child.birth is None:
        assert child.age is not None  # guaranteed by CHILD_AGE_MISSING
        return child.age
    birth_year, birth_month, birth_day = child.birth
    if age_rule == "first_day_of_month":
        # Age in whole years on the first day of the month.
        birthday_still_ahead = (month, 1) < (birth_month, birth_day)
    else:
        # month_after_birthday_month: the new age applies from the month after the birthday month.
        birthday_still_ahead = month <= birth_month
    return max(0, year - birth_year - (1 if birthday_still_ahead else 0))


def _check_rules(inp: _Input, settings: Mapping[str, Any]) -> dict[int, int]:
    """The semantic rules; returns each child's age by member index."""
    members = inp.members
    seen: set[str] = set()
    for member in members:
        if member.id in seen:
            raise NormError(
                "MEMBER_ID_DUPLICATE",
                f"Två hushållsmedlemmar har samma id ({member.id})",
                path=f"members[{member.index}].id",
            )
        seen.add(member.id)
    applicants = [m for m in members if m.role == "applicant"]
    if len(applicants) != 1:
        raise NormError(
            "APPLICANT_COUNT",
            f"Hushållet måste ha exakt en sökande (role applicant), inte {len(applicants)}",
            path=f"members[{applicants[1].index}].role" if applicants else "members",
        )
    partners = [m for m in members if m.role == "partner"]
    if len(partners) > 1:
        raise NormError(
            "PARTNER_COUNT",
            "Hushållet får ha högst en make, maka, registrerad partner eller sambo (role partner)",
            path=f"members[{partners[1].index}].role",
        )
    children = [m for m in members if m.role == "child"]
    for child in children:
        if child.birth is None and child.age is None:
            raise NormError(
                "CHILD_AGE_MISSING",
                f"Barnet {child.id} saknar både födelsedatum och ålder",
                path=f"members[{child.index}]",
            )
        if child.birth is not None and child.age is not None:
            raise NormError(
                "CHILD_AGE_AMBIGUOUS",
                f"Ange antingen födelsedatum eller ålder för barnet {child.id}, inte båda",
                path=f"members[{child.index}].age",
            )
    for child in children:
        if child.birth is not None and child.birth[:2] > (inp.year, inp.month):
            raise NormError(
                "BIRTH_AFTER_PERIOD",
                f"Barnet {child.id} är fött efter biståndsmånaden {inp.period}",
                path=f"members[{child.index}].birth_date",
            )
    ages = {c.index: _child_age(c, inp.year, inp.month, settings["age_rule"]) for c in children}
    for child in children:
        if ages[child.index] > MAX_CHILD_AGE:
            raise NormError(
                "CHILD_TOO_OLD",
                f"Barnet {child.id} är {ages[child.index]} år; från 21 år ingår man inte i föräldrarnas hushåll",
                path=f"members[{child.index}].{'age' if child.birth is None else 'birth_date'}",
                details={"member_id": child.id, "age": ages[child.index]},
            )
    for child in children:
        # RN-E3: an 18-20-year-old is a member only while in school.
        if ages[child.index] >= SCHOOL_AGE_FROM and not child.in_school:
            raise NormError(
                "CHILD_18_20_NOT_IN_SCHOOL",
                f"Barnet {child.id} är {ages[child.index]} år och ingår i hushållet bara om hen går i skolan "
                "(in_school: true)",
                path=f"members[{child.index}].in_school",
                details={"member_id": child.id, "age": ages[child.index]},
            )
    for member in members:
        wrong = [f for f in _CHILD_ONLY_FIELDS if f in member.present] if member.role != "child" else []
        if member.role == "child" and "jobbstimulans" in member.present:
            wrong = ["jobbstimulans"]
        if wrong:
            raise NormError(
                "FIELD_NOT_FOR_ROLE",
                f"Fältet {wrong[0]} gäller inte rollen {member.role}",
                path=f"members[{member.index}].{wrong[0]}",
            )
    days_in_month = calendar.monthrange(inp.year, inp.month)[1]
    for child in children:
        if child.days is not None and child.days > days_in_month:
            raise NormError(
                "DAYS_OUT_OF_RANGE",
                f"days_in_household ({child.days}) är fler än dagarna i {inp.period} ({days_in_month})",
                path=f"members[{child.index}].days_in_household",
            )
    if inp.total_persons is not None and inp.total_persons <= len(members):
        raise NormError(
            "SHARED_HOUSEHOLD_TOO_SMALL",
            f"Hushållsgemenskapen ({inp.total_persons} personer) måste vara större än biståndshushållet "
            f"({len(members)} personer)",
            path="shared_household.total_persons",
        )
    references = [(a.member_id, f"norm_adjustments[{i}].member_id") for i, a in enumerate(inp.adjustments)]
    references += [(inc.member_id, f"incomes[{i}].member_id") for i, inc in enumerate(inp.incomes)]
    for member_id, path in references:
        if member_id is not None and member_id not in seen:
            raise NormError("UNKNOWN_MEMBER", f"Det finns ingen hushållsmedlem med id {member_id}", path=path)
    notes = [(n.type, n.note, f"other_needs[{i}].note") for i, n in enumerate(inp.other_needs)]
    notes += [(inc.type, inc.note, f"incomes[{i}].note") for i, inc in enumerate(inp.incomes)]
    for line_type, note, path in notes:
        if line_type == "other" and note is None:
            raise NormError("NOTE_REQUIRED", "Typen other (övrigt) kräver en anteckning (note)", path=path)
    roles = {m.id: m.role for m in members}
    for i, income in enumerate(inp.incomes):
        if roles[income.member_id] == "child" and income.type == "salary" and income.earned_before_in_year is None:
            raise NormError(
                "CHILD_EARNINGS_YTD_MISSING",
                "Ett barns lön kräver earned_before_in_year: barnets inkomst av eget arbete tidigare i år",
                path=f"incomes[{i}].earned_before_in_year",
            )
    return ages


# --------------------------------------------------------------------------------------------------------
# RN-A2 … RN-A12


def _table_for(tables: TableSet, year: int) -> RateTable:
    """RN-A2, RN-C4: the table of the period's calendar year."""
    try:
        return tables.get(year)
    except TableError as exc:
        raise NormError(exc.code, exc.message, path="period", details={"year": year, "detail": exc.detail}) from exc


def _ratio_text(numerator: int, denominator: int, rounded: int) -> str:
    """`= 507,5 → 508` for the basis texts (display only; the amount is computed by round_half_up)."""
    if numerator % denominator == 0:
        return f"= {rounded}"
    exact = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"= {exact:f}".rstrip("0").rstrip(".").replace(".", ",") + f" → {rounded}"


def _persons(n: int) -> str:
    return "1 person" if n == 1 else f"{n} personer"


class _NormLines:
    def __init__(self, table: RateTable) -> None:
        self.table = table
        self.lines: list[dict[str, Any]] = []

    def add(
        self,
        code: str,
        label: str,
        member_ids: list[str],
        amount: int,
        basis: str,
        law_ref: str,
        table_ref: str | None,
    ) -> None:
        self.lines.append(
            {
                "code": code,
                "label": label,
                "member_ids": member_ids,
                "amount": amount,
                "basis": basis,
                "law_ref": law_ref,
                "table_ref": table_ref,
                # RN-T1: a line is unverified when its table amount lacks a second source.
                "unverified": table_ref is not None and self.table.is_unverified(table_ref),
            }
        )


def calculate(
    data: Mapping[str, Any], *, settings: Mapping[str, Any] | None = None, tables: TableSet | None = None
) -> dict[str, Any]:
    """The norm calculation of riksnorm.md section 4 for one ``lotsen.norm.input/1`` document.

    ``settings`` are the municipality's defaults (3.8); the input's own ``settings`` override them for this
    run. ``tables`` defaults to the tables shipped with Lotsen. Raises :class:`NormError`.
    """
    inp = _parse(data)  # RN-A1, schema
    effective = _effective_settings(settings, inp.settings)
    ages = _check_rules(inp, effective)  # RN-A1, semantic rules
    table = _table_for(tables if tables is not None else load_tables(), inp.year)  # RN-A2
    law = _LAW_BY_ERA[1 if (inp.year, inp.month) >= NEW_LAW_FROM else 0]  # RN-C5
    members = inp.members
    all_ids = [m.id for m in members]
    norm = _NormLines(table)
    warnings: list[dict[str, str]] = []

    # RN-A3 Adults: one couple amount for both, or the single adult's amount.
    adults = [m for m in members if m.role != "child"]
    if len(adults) == 2:
        norm.add(
            "personal_couple",
            "Personliga kostnader, sambor/makar",
            [m.id for m in adults],
            table.couple,
            f"tabellbelopp sambor/makar {table.couple}",
            law["table"],
            "personal_costs.couple",
        )
    else:
        norm.add(
            "personal_single_adult",
            "Personliga kostnader, ensamstående",
            [adults[0].id],
            table.single_adult,
            f"tabellbelopp ensamstående {table.single_adult}",
            law["table"],
            "personal_costs.single_adult",
        )

    # RN-A4 Children, in input order.
    days_in_month = calendar.monthrange(inp.year, inp.month)[1]
    for child in (m for m in members if m.role == "child"):
        age = ages[child.index]
        group = table.group_by_age[age]
        label = f"Personliga kostnader, barn {group.label_sv}"
        if child.lunch_away and not group.lunch_away_applies:
            # RN-E2: the flag has no effect from 7 years, except this warning.
            warnings.append(
                {
                    "code": "LUNCH_VARIANT_NOT_APPLICABLE",
                    "message": f"Barnet {child.id} är {age} år; beloppet utan lunch gäller bara barn "
                    "upp till 6 år, så huvudbeloppet används",
                }
            )
        if child.lunch_away and group.lunch_away_applies:
            if group.amount_lunch_away is None:
                # RN-T2: a missing table value is never guessed.
                raise NormError(
                    "TABLE_VALUE_MISSING",
                    f"Riksnormstabellen för {table.year} saknar beloppet utan lunch för barn {group.label_sv}",
                    path=f"members[{child.index}].lunch_away_weekdays",
                    details={"year": table.year, "table_ref": group.lunch_away_ref},
                )
            full, table_ref = group.amount_lunch_away, group.lunch_away_ref
            label += " (utan lunch fem dagar per vecka)"
        else:
            full, table_ref = group.amount, group.amount_ref
        basis = f"ålder {age} → {group.label_sv}: {full}"
        amount = full
        if child.days is not None and child.days < days_in_month:
            # RN-E4: personal costs prorated by the days in this household.
            amount = round_half_up(full * child.days, days_in_month)
            ratio = _ratio_text(full * child.days, days_in_month, amount)
            basis += f"; {full} × {child.days} / {days_in_month} {ratio}"
        norm.add("personal_child", label, [child.id], amount, basis, law["table"], table_ref)

    # RN-A5 Sizes: k = members (a part-time child counts as one, RN-E4); N = the shared household or k.
    k = len(members)
    shared = inp.total_persons is not None
    n = inp.total_persons if inp.total_persons is not None else k
    # RN-A6 Common costs for N persons; above seven the statutory step (RN-E5).
    common = table.common_costs(n)
    if n <= MAX_TABLE_SIZE:
        common_ref, common_basis = f"household_common_costs.by_size.{n}", f"{_persons(n)}: {common}"
    else:
        common_ref = "household_common_costs.each_additional_person"
        common_basis = (
            f"{_persons(n)}: {table.by_size[MAX_TABLE_SIZE]} + {n - MAX_TABLE_SIZE} × "
            f"{table.each_additional_person} = {common}"
        )
    # RN-A7 The common line: the whole C(N), or the applicant household's share k/N of it (RN-E6).
    if shared:
        share = round_half_up(common * k, n)
        norm.add(
            "common_household_share",
            f"Andel av gemensamma hushållskostnader ({k} av {n} personer)",
            all_ids,
            share,
            f"{common_basis}; {common} × {k}/{n} {_ratio_text(common * k, n, share)}",
            law["share"],
            common_ref,
        )
    else:
        norm.add(
            "common_household",
            f"Gemensamma hushållskostnader, {_persons(n)}",
            all_ids,
            common,
            common_basis,
            law["above_seven"] if n > MAX_TABLE_SIZE else law["table"],
            common_ref,
        )

    # RN-A8 Adjustments for special reasons, in input order.
    for adjustment in inp.adjustments:
        direction = "höjning" if adjustment.amount > 0 else "sänkning"
        norm.add(
            "norm_adjustment",
            f"Justering av riksnormen: {adjustment.reason}",
            [adjustment.member_id] if adjustment.member_id is not None else [],
            adjustment.amount,
            f"{direction} av särskilda skäl: {adjustment.amount:+d}".replace("-", "−"),
            law["adjustment"],
            None,
        )

    # RN-A9 Norm total, never negative.
    norm_total = sum(line["amount"] for line in norm.lines)
    if norm_total < 0:
        raise NormError(
            "NORM_NEGATIVE",
            f"Riksnormen efter justeringar blir negativ ({norm_total} kr)",
            path="norm_adjustments",
            details={"norm_total": norm_total},
        )

    # RN-A10 Need.
    cost_lines = [_cost_line(c, REASONABLE_COST_LABELS, law["reasonable_cost"]) for c in inp.reasonable_costs]
    need_lines = [_cost_line(c, OTHER_NEED_LABELS, law["need_or_income"]) for c in inp.other_needs]
    reasonable_costs_total = sum(c.amount for c in inp.reasonable_costs)
    other_needs_total = sum(c.amount for c in inp.other_needs)
    need_total = norm_total + reasonable_costs_total + other_needs_total

    # RN-A11 Incomes.
    windows, window_report = _jobbstimulans_windows(inp)
    roles = {m.id: m.role for m in members}
    income_lines = [_income_line(i, roles[i.member_id], windows, table, effective, law) for i in inp.incomes]
    income_counted_total = sum(line["counted"] for line in income_lines)

    return {
        "schema": RESULT_SCHEMA,
        "period": inp.period,
        "table": {
            "year": table.year,
            "table_version": table.table_version,
            "legal_basis": table.legal_basis,
            "verified": table.verified,
            "unverified_values_used": sorted({line["table_ref"] for line in norm.lines if line["unverified"]}),
        },
        "household": {"applicant_household_size": k, "common_cost_household_size": n, "shared": shared},
        "norm_lines": norm.lines,
        "norm_total": norm_total,
        "reasonable_cost_lines": cost_lines,
        "reasonable_costs_total": reasonable_costs_total,
        "other_need_lines": need_lines,
        "other_needs_total": other_needs_total,
        "need_total": need_total,
        "income_lines": income_lines,
        "income_counted_total": income_counted_total,
        # RN-A12 Entitlement or surplus; at most one is non-zero (RN-E8: no carry-over).
        "entitlement": max(0, need_total - income_counted_total),
        "surplus": max(0, income_counted_total - need_total),
        "jobbstimulans": window_report,
        "settings": {
            "age_rule": effective["age_rule"],
            "count_child_earnings_above_pbb": effective["count_child_earnings_above_pbb"],
        },
        "warnings": warnings,
        "engine_version": ENGINE_VERSION,
    }


def _cost_line(line: _CostLine, labels: Mapping[str, str], law_ref: str) -> dict[str, Any]:
    return {
        "code": line.type,
        "label": labels[line.type],
        "amount": line.amount,
        "law_ref": law_ref,
        "note": line.note,
    }


def _month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _jobbstimulans_windows(inp: _Input) -> tuple[dict[str, bool], list[dict[str, Any]]]:
    """RN-A11.3, RN-E10: each adult's window (24 calendar months from window_start, inclusive)."""
    active: dict[str, bool] = {}
    report: list[dict[str, Any]] = []
    period = inp.month_index
    for member in inp.members:
        if member.role == "child" or member.jobbstimulans is None:
            continue
        kind, value = member.jobbstimulans
        start: int | None
        if kind == "window_start":
            start = value
        elif value >= JOBBSTIMULANS_MONTHS_REQUIRED:
            # Six months in a row before the period: a new window opens with the period as first month.
            start = period
        else:
            start = None
        entry: dict[str, Any] = {
            "member_id": member.id,
            "window_start": None,
            "window_end": None,
            "applies": False,
        }
        if start is not None:
            end = start + JOBBSTIMULANS_WINDOW_MONTHS - 1
            entry.update(window_start=_month_text(start), window_end=_month_text(end), applies=start <= period <= end)
        active[member.id] = entry["applies"]
        report.append(entry)
    return active, report


def _income_line(
    income: _Income,
    role: str,
    windows: Mapping[str, bool],
    table: RateTable,
    settings: Mapping[str, Any],
    law: Mapping[str, str],
) -> dict[str, Any]:
    """RN-A11: the part of one income that is not counted, in the order of precedence of the rule."""
    amount = income.amount
    exclusion: str | None
    if income.exempt_reason is not None:
        # 1. The caseworker decided that this income is not counted.
        excluded, exclusion, law_ref = amount, "exempt", law["need_or_income"]
        basis = f"räknas inte: {income.exempt_reason}"
    elif role == "child" and income.type == "salary":
        # 2. Children's own earnings (SoL 12 kap. 9 §): free up to one prisbasbelopp per calendar year;
        #    jobbstimulans never applies here.
        assert income.earned_before_in_year is not None  # guaranteed by CHILD_EARNINGS_YTD_MISSING
        remaining = max(0, table.prisbasbelopp - income.earned_before_in_year)
        exclusion, law_ref = "child_earnings", law["child_earnings"]
        if settings["count_child_earnings_above_pbb"]:
            excluded = min(amount, remaining)
            basis = (
                f"barns inkomst av eget arbete: kvar upp till prisbasbeloppet {table.prisbasbelopp} − "
                f"{income.earned_before_in_year} = {remaining}; {excluded} räknas inte, "
                f"{amount - excluded} räknas"
            )
        else:
            excluded = amount
            basis = "barns inkomst av eget arbete räknas inte (kommunens inställning)"
    elif income.type == "salary" and windows.get(income.member_id, False):
        # 3. Jobbstimulans: 25 % of income from employment is not counted (RN-C2 rounding).
        excluded = round_half_up(amount * JOBBSTIMULANS_PERCENT, 100)
        exclusion, law_ref = "jobbstimulans", law["jobbstimulans"]
        basis = f"jobbstimulans: {JOBBSTIMULANS_PERCENT} % av {amount} = {excluded}; {amount - excluded} räknas"
    else:
        # 4. Counted in full (SoL 12 kap. 1 §).
        excluded, exclusion, law_ref = 0, None, law["need_or_income"]
        basis = f"{amount} räknas"
    return {
        "member_id": income.member_id,
        "type": income.type,
        "label": INCOME_LABELS[income.type],
        "amount": amount,
        "excluded": excluded,
        "counted": amount - excluded,
        "exclusion": exclusion,
        "basis": basis,
        "law_ref": law_ref,
    }
