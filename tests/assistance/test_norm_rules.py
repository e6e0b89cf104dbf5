"""Unit tests of the norm engine, rule by rule (riksnorm.md sections 0, 2.4-2.5, 4, 5 and 7.2)."""

from __future__ import annotations

import copy
import importlib.metadata
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from lotsen.assistance import norm
from lotsen.assistance.norm import NormError, calculate, round_half_up
from lotsen.assistance.tables import DEFAULT_TABLE_DIR, TableError, TableSet, load_tables, validate_table
from lotsen.core.errors import DomainError


def household(period: str = "2026-03", *members: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A valid input: an applicant (a1) plus the given members and top-level fields."""
    return {
        "schema": "lotsen.norm.input/1",
        "period": period,
        "members": [{"id": "a1", "role": "applicant"}, *members],
        **extra,
    }


def child(child_id: str = "c1", **fields: Any) -> dict[str, Any]:
    return {"id": child_id, "role": "child", **fields} if fields else {"id": child_id, "role": "child", "age": 8}


def table_document(year: int) -> dict[str, Any]:
    return json.loads((DEFAULT_TABLE_DIR / f"riksnorm-{year}.json").read_text(encoding="utf-8"))


def as_year(document: dict[str, Any], year: int) -> dict[str, Any]:
    """A test-only table: the same amounts under another year (never shipped)."""
    moved = copy.deepcopy(document)
    moved.update(year=year, valid_from=f"{year}-01-01", valid_to=f"{year}-12-31", table_version=f"{year}.1")
    return moved


def error_of(data: Any, **kwargs: Any) -> NormError:
    with pytest.raises(NormError) as info:
        calculate(data, **kwargs)
    return info.value


def lines(result: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [line for line in result["norm_lines"] if line["code"] == code]


# ---------------------------------------------------------------------------------------------------------
# RN-C1, RN-C2: money and rounding


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (2030, 4, 508),
        (31100, 30, 1037),
        (900100, 400, 2250),
        (1015, 2, 508),
        (0, 7, 0),
        (14, 7, 2),
        (13, 2, 7),
    ],
)
def test_round_half_up_rn_c2(numerator: int, denominator: int, expected: int) -> None:
    # 507.5 -> 508, 1036.67 -> 1037, 2250.25 -> 2250 (the spec's own examples)
    assert round_half_up(numerator, denominator) == expected


@pytest.mark.parametrize(("numerator", "denominator"), [(-1, 2), (1, 0), (1, -2)])
def test_round_half_up_rejects_what_the_engine_never_rounds(numerator: int, denominator: int) -> None:
    with pytest.raises(ValueError):
        round_half_up(numerator, denominator)


def test_integral_decimal_and_float_amounts_are_whole_kronor() -> None:
    data = household(
        reasonable_costs=[{"type": "housing", "amount": Decimal("6000.00")}],
        incomes=[{"member_id": "a1", "type": "pension", "amount": 1000.0}],
    )
    result = calculate(data)
    assert result["reasonable_costs_total"] == 6000
    assert type(result["reasonable_cost_lines"][0]["amount"]) is int
    assert type(result["income_lines"][0]["amount"]) is int
    assert result["income_counted_total"] == 1000


@pytest.mark.parametrize("amount", [Decimal("10.5"), 10.5, Decimal("NaN"), Decimal("Infinity"), float("inf")])
def test_fractional_amount_is_amount_not_integer_rn_c1(amount: Any) -> None:
    error = error_of(household(reasonable_costs=[{"type": "housing", "amount": amount}]))
    assert (error.code, error.path) == ("AMOUNT_NOT_INTEGER", "reasonable_costs[0].amount")


@pytest.mark.parametrize(
    ("field", "path"),
    [
        ({"other_needs": [{"type": "glasses", "amount": 1.5}]}, "other_needs[0].amount"),
        ({"norm_adjustments": [{"amount": Decimal("-0.5"), "reason": "x"}]}, "norm_adjustments[0].amount"),
        ({"incomes": [{"member_id": "a1", "type": "pension", "amount": 0.25}]}, "incomes[0].amount"),
        (
            {"incomes": [{"member_id": "a1", "type": "pension", "amount": 1, "earned_before_in_year": 2.5}]},
            "incomes[0].earned_before_in_year",
        ),
    ],
)
def test_every_amount_field_rejects_fractions(field: dict[str, Any], path: str) -> None:
    error = error_of(household(**field))
    assert (error.code, error.path) == ("AMOUNT_NOT_INTEGER", path)


# ---------------------------------------------------------------------------------------------------------
# RN-A3 adults, RN-A4 children, RN-E1 - RN-E4


def test_single_adult_and_couple_rn_a3() -> None:
    single = calculate(household())
    assert [(line["code"], line["member_ids"], line["amount"]) for line in single["norm_lines"]] == [
        ("personal_single_adult", ["a1"], 3940),
        ("common_household", ["a1"], 1280),
    ]
    couple = calculate(household("2026-03", {"id": "p1", "role": "partner"}))
    assert lines(couple, "personal_couple")[0]["member_ids"] == ["a1", "p1"]
    assert lines(couple, "personal_couple")[0]["amount"] == 7100
    assert couple["norm_total"] == 8510  # the government's published 2026 couple norm


@pytest.mark.parametrize(
    ("age", "table_ref", "amount"),
    [
        (0, "personal_costs.children.age_0.amount", 2740),
        (1, "personal_costs.children.age_1_2.amount", 3060),
        (2, "personal_costs.children.age_1_2.amount", 3060),
        (3, "personal_costs.children.age_3.amount", 2720),
        (4, "personal_costs.children.age_4_6.amount", 3060),
        (6, "personal_costs.children.age_4_6.amount", 3060),
        (7, "personal_costs.children.age_7_10.amount", 3820),
        (10, "personal_costs.children.age_7_10.amount", 3820),
        (11, "personal_costs.children.age_11_14.amount", 4390),
        (14, "personal_costs.children.age_11_14.amount", 4390),
        (15, "personal_costs.children.age_15_18.amount", 4960),
        (17, "personal_costs.children.age_15_18.amount", 4960),
    ],
)
def test_child_age_groups_rn_a4(age: int, table_ref: str, amount: int) -> None:
    line = lines(calculate(household("2026-03", child(age=age))), "personal_child")[0]
    assert (line["table_ref"], line["amount"], line["unverified"]) == (table_ref, amount, True)
    assert line["law_ref"] == "SoF (2025:468) 12 kap. 2 §"


def test_youth_in_school_rn_e3() -> None:
    result = calculate(
        household(
            "2026-03",
            child("c18", age=18, in_school=True),
            child("c19", age=19, in_school=True),
            child("c20", age=20, in_school=True),
        )
    )
    assert [line["table_ref"] for line in lines(result, "personal_child")] == [
        "personal_costs.children.age_15_18.amount",
        "personal_costs.children.age_19_20.amount",
        "personal_costs.children.age_19_20.amount",
    ]


def test_lunch_away_amount_rn_a4_and_label() -> None:
    result = calculate(household("2026-03", child(age=2, lunch_away_weekdays=True)))
    line = lines(result, "personal_child")[0]
    assert line["amount"] == 2800
    assert line["table_ref"] == "personal_costs.children.age_1_2.amount_lunch_away"
    assert line["label"] == "Personliga kostnader, barn 1–2 år (utan lunch fem dagar per vecka)"
    assert result["warnings"] == []


def test_lunch_flag_on_older_child_only_warns_rn_e2() -> None:
    result = calculate(household("2026-03", child(age=9, lunch_away_weekdays=True)))
    line = lines(result, "personal_child")[0]
    assert (line["amount"], line["table_ref"]) == (3820, "personal_costs.children.age_7_10.amount")
    assert line["label"] == "Personliga kostnader, barn 7–10 år"
    assert [w["code"] for w in result["warnings"]] == ["LUNCH_VARIANT_NOT_APPLICABLE"]
    assert "c1" in result["warnings"][0]["message"]


@pytest.mark.parametrize("year", [2022, 2023])
def test_missing_lunch_amount_is_never_guessed_rn_t2(year: int) -> None:
    data = household(f"{year}-05", {"id": "c1", "role": "child", "age": 4, "lunch_away_weekdays": True})
    error = error_of(data)
    assert (error.code, error.path, error.exit_code) == (
        "TABLE_VALUE_MISSING",
        "members[1].lunch_away_weekdays",
        3,
    )
    assert str(year) in error.message and "4–6 år" in error.message
    assert error.details["table_ref"] == "personal_costs.children.age_4_6.amount_lunch_away"
    # Without the flag, the main amount of the same year is used.
    assert lines(calculate(household(f"{year}-05", child(age=4))), "personal_child")[0]["unverified"] is True


def test_day_proration_rn_e4() -> None:
    # E9's arithmetic in 2026: 3820 x 10 / 31 = 1232.26 -> 1232
    result = calculate(household("2026-03", child(age=8, days_in_household=10)))
    line = lines(result, "personal_child")[0]
    assert line["amount"] == 1232
    assert line["basis"] == "ålder 8 → 7–10 år: 3820; 3820 × 10 / 31 = 1232,26 → 1232"
    # the part-time child still counts fully in the household size
    assert result["household"]["common_cost_household_size"] == 2


def test_day_proration_exact_and_half_up() -> None:
    # 2026-04 has 30 days: 3820 x 15 / 30 = 1910 exactly; 3060 x 5 / 30 = 510 exactly
    assert lines(calculate(household("2026-04", child(age=8, days_in_household=15))), "personal_child")[0][
        "basis"
    ].endswith("3820 × 15 / 30 = 1910")
    # 2026-02 has 28 days: 2740 x 1 / 28 = 97.857 -> 98; 2720 x 7 / 28 = 680
    assert (
        lines(calculate(household("2026-02", child(age=0, days_in_household=1))), "personal_child")[0]["amount"] == 98
    )


@pytest.mark.parametrize("days", [None, 31])
def test_full_month_is_not_prorated(days: int | None) -> None:
    line = lines(calculate(household("2026-03", child(age=8, days_in_household=days))), "personal_child")[0]
    assert (line["amount"], line["basis"]) == (3820, "ålder 8 → 7–10 år: 3820")


@pytest.mark.parametrize(
    ("birth_date", "period", "age_rule", "table_ref"),
    [
        # RN-E1: born 2019-03-15 is 6 in March 2026 and 7 from April, under both rules (E10)
        ("2019-03-15", "2026-03", "first_day_of_month", "age_4_6"),
        ("2019-03-15", "2026-04", "first_day_of_month", "age_7_10"),
        ("2019-03-15", "2026-03", "month_after_birthday_month", "age_4_6"),
        ("2019-03-15", "2026-04", "month_after_birthday_month", "age_7_10"),
        # born on the 1st: 7 in April under the default, 6 in April and 7 from May under the alternative
        ("2019-04-01", "2026-04", "first_day_of_month", "age_7_10"),
        ("2019-04-01", "2026-04", "month_after_birthday_month", "age_4_6"),
        ("2019-04-01", "2026-05", "month_after_birthday_month", "age_7_10"),
        # born during the period: age 0 for the whole month
        ("2026-03-31", "2026-03", "first_day_of_month", "age_0"),
        ("2026-03-01", "2026-03", "first_day_of_month", "age_0"),
        ("2026-03-20", "2026-03", "month_after_birthday_month", "age_0"),
        # a leap-day birthday
        ("2016-02-29", "2026-03", "first_day_of_month", "age_7_10"),
        ("2016-02-29", "2026-02", "first_day_of_month", "age_7_10"),
    ],
)
def test_age_rules_rn_e1(birth_date: str, period: str, age_rule: str, table_ref: str) -> None:
    data = household(period, child(birth_date=birth_date), settings={"age_rule": age_rule})
    result = calculate(data)
    assert lines(result, "personal_child")[0]["table_ref"] == f"personal_costs.children.{table_ref}.amount"
    assert result["settings"]["age_rule"] == age_rule


# ---------------------------------------------------------------------------------------------------------
# RN-A5 - RN-A7, RN-E5, RN-E6: sizes, common costs, shared households


def test_household_above_seven_rn_a6_rn_e5() -> None:
    children = [child(f"c{i}", age=8) for i in range(8)]  # k = 9
    result = calculate(household("2026-03", *children))
    line = lines(result, "common_household")[0]
    assert line["amount"] == 2830 + 2 * 190
    assert line["table_ref"] == "household_common_costs.each_additional_person"
    assert line["law_ref"] == "SoF (2025:468) 12 kap. 2 § och 3 § första stycket"
    assert line["label"] == "Gemensamma hushållskostnader, 9 personer"
    assert line["basis"] == "9 personer: 2830 + 2 × 190 = 3210"
    assert result["household"] == {
        "applicant_household_size": 9,
        "common_cost_household_size": 9,
        "shared": False,
    }


def test_shared_household_share_rn_a7() -> None:
    result = calculate(household("2026-05", child(age=4), shared_household={"total_persons": 5}))
    line = lines(result, "common_household_share")[0]
    # C(5) = 2330; 2330 x 2 / 5 = 932
    assert (line["amount"], line["member_ids"]) == (932, ["a1", "c1"])
    assert line["label"] == "Andel av gemensamma hushållskostnader (2 av 5 personer)"
    assert line["law_ref"] == "SoF (2025:468) 12 kap. 3 § andra stycket"
    assert line["basis"] == "5 personer: 2330; 2330 × 2/5 = 932"
    assert result["household"] == {
        "applicant_household_size": 2,
        "common_cost_household_size": 5,
        "shared": True,
    }


def test_shared_household_above_seven() -> None:
    result = calculate(household("2026-05", shared_household={"total_persons": 9}))
    line = lines(result, "common_household_share")[0]
    assert line["amount"] == round_half_up(3210, 9) == 357
    assert line["table_ref"] == "household_common_costs.each_additional_person"
    assert line["basis"] == "9 personer: 2830 + 2 × 190 = 3210; 3210 × 1/9 = 356,67 → 357"


def test_null_shared_household_is_no_shared_household() -> None:
    result = calculate(household(shared_household=None))
    assert result["household"]["shared"] is False


@pytest.mark.parametrize(
    ("year", "single", "five_persons", "expected"), [(2014, 2950, 1710, 3292), (2017, 2980, 1740, 3328)]
)
def test_socialstyrelsen_conformance_cases_rn_e6(year: int, single: int, five_persons: int, expected: int) -> None:
    """A single adult in a shared household of 5, Socialstyrelsen's published amounts (test-only tables)."""
    document = as_year(table_document(2019), year)
    document["personal_costs"]["single_adult"] = single
    document["household_common_costs"]["by_size"]["5"] = five_persons
    tables = TableSet.from_documents([document])
    result = calculate(household(f"{year}-06", shared_household={"total_persons": 5}), tables=tables)
    assert result["norm_total"] == expected


# ---------------------------------------------------------------------------------------------------------
# RN-A8, RN-A9 adjustments and norm total


def test_norm_adjustments_rn_a8() -> None:
    data = household(
        "2019-09",
        child(age=8),
        norm_adjustments=[
            {"member_id": "c1", "amount": 400, "reason": "fördyrad kost av medicinska skäl"},
            {"amount": -300, "reason": "kostnad ingår i avgift"},
            {"member_id": None, "amount": 50, "reason": "skolmåltider"},
        ],
    )
    result = calculate(data)
    adjustments = lines(result, "norm_adjustment")
    assert [(a["member_ids"], a["amount"], a["table_ref"], a["unverified"]) for a in adjustments] == [
        (["c1"], 400, None, False),
        ([], -300, None, False),
        ([], 50, None, False),
    ]
    assert adjustments[0]["label"] == "Justering av riksnormen: fördyrad kost av medicinska skäl"
    assert adjustments[0]["law_ref"] == "SoL (2001:453) 4 kap. 3 §"
    assert adjustments[1]["basis"] == "sänkning av särskilda skäl: −300"
    assert adjustments[0]["basis"] == "höjning av särskilda skäl: +400"
    assert result["norm_total"] == 3090 + 2990 + 1100 + 400 - 300 + 50
    assert [line["code"] for line in result["norm_lines"]][-3:] == ["norm_adjustment"] * 3


def test_norm_negative() -> None:
    error = error_of(household(norm_adjustments=[{"amount": -5221, "reason": "x"}]))
    assert (error.code, error.path, error.exit_code) == ("NORM_NEGATIVE", "norm_adjustments", 2)
    assert calculate(household(norm_adjustments=[{"amount": -5220, "reason": "x"}]))["norm_total"] == 0


# ---------------------------------------------------------------------------------------------------------
# RN-A10 need


def test_reasonable_costs_and_other_needs_rn_a10() -> None:
    data = household(
        reasonable_costs=[
            {"type": "housing", "amount": 5000, "note": "hyra"},
            {"type": "housing", "amount": 500},
            {"type": "unemployment_fund_fee", "amount": 150},
        ],
        other_needs=[
            {"type": "dental_care", "amount": 1200},
            {"type": "other", "amount": 300, "note": "flyttkostnad"},
        ],
    )
    result = calculate(data)
    assert result["reasonable_cost_lines"] == [
        {
            "code": "housing",
            "label": "Boende",
            "amount": 5000,
            "law_ref": "SoL (2025:400) 12 kap. 7 § första stycket 2",
            "note": "hyra",
        },
        {
            "code": "housing",
            "label": "Boende",
            "amount": 500,
            "law_ref": "SoL (2025:400) 12 kap. 7 § första stycket 2",
            "note": None,
        },
        {
            "code": "unemployment_fund_fee",
            "label": "Avgift till arbetslöshetskassa",
            "amount": 150,
            "law_ref": "SoL (2025:400) 12 kap. 7 § första stycket 2",
            "note": None,
        },
    ]
    assert [(n["code"], n["label"], n["law_ref"], n["note"]) for n in result["other_need_lines"]] == [
        ("dental_care", "Tandvård", "SoL (2025:400) 12 kap. 1 §", None),
        ("other", "Övrigt", "SoL (2025:400) 12 kap. 1 §", "flyttkostnad"),
    ]
    assert (result["reasonable_costs_total"], result["other_needs_total"]) == (5650, 1500)
    assert result["need_total"] == 5220 + 5650 + 1500
    assert result["entitlement"] == result["need_total"]  # RN-E9: no income, full need


# ---------------------------------------------------------------------------------------------------------
# RN-A11 incomes, RN-E10 jobbstimulans, RN-E11 children's earnings


def income_line(data: dict[str, Any], index: int = 0, **kwargs: Any) -> dict[str, Any]:
    line: dict[str, Any] = calculate(data, **kwargs)["income_lines"][index]
    return line


def test_income_counted_in_full() -> None:
    line = income_line(household(incomes=[{"member_id": "a1", "type": "sickness_benefit", "amount": 2500}]))
    assert line == {
        "member_id": "a1",
        "type": "sickness_benefit",
        "label": "Sjukpenning",
        "amount": 2500,
        "excluded": 0,
        "counted": 2500,
        "exclusion": None,
        "basis": "2500 räknas",
        "law_ref": "SoL (2025:400) 12 kap. 1 §",
    }


def test_exempt_income_takes_precedence() -> None:
    data = household(
        "2026-03",
        {"id": "a2", "role": "partner", "jobbstimulans": {"window_start": "2026-01"}},
        child(age=16),
        incomes=[
            {"member_id": "a2", "type": "salary", "amount": 8000, "exempt_reason": "engångsbelopp"},
            {
                "member_id": "c1",
                "type": "salary",
                "amount": 1000,
                "earned_before_in_year": 0,
                "exempt_reason": "feriepraktik",
            },
        ],
    )
    result = calculate(data)
    assert [(i["excluded"], i["counted"], i["exclusion"]) for i in result["income_lines"]] == [
        (8000, 0, "exempt"),
        (1000, 0, "exempt"),
    ]
    assert result["income_lines"][0]["basis"] == "räknas inte: engångsbelopp"


@pytest.mark.parametrize(
    ("earned_before", "amount", "count_above", "excluded"),
    [
        (57000, 4000, True, 2200),  # E11: 59 200 - 57 000 = 2 200 not counted
        (0, 4000, True, 4000),
        (59200, 4000, True, 0),
        (70000, 4000, True, 0),  # already above the prisbasbelopp: nothing is free
        (57000, 4000, False, 4000),  # the municipality counts nothing of children's earnings
    ],
)
def test_childrens_earnings_rn_a11_rn_e11(earned_before: int, amount: int, count_above: bool, excluded: int) -> None:
    data = household(
        "2026-07",
        {"id": "c1", "role": "child", "age": 17},
        incomes=[{"member_id": "c1", "type": "salary", "amount": amount, "earned_before_in_year": earned_before}],
        settings={"count_child_earnings_above_pbb": count_above},
    )
    line = income_line(data)
    assert (line["excluded"], line["counted"], line["exclusion"]) == (
        excluded,
        amount - excluded,
        "child_earnings",
    )
    assert line["law_ref"] == "SoL (2025:400) 12 kap. 9 §"


def test_jobbstimulans_never_applies_to_childrens_earnings() -> None:
    # a child's salary is never jobbstimulans, even in a household where an adult has a window
    data = household(
        "2026-03",
        child(age=17),
        incomes=[{"member_id": "c1", "type": "salary", "amount": 1000, "earned_before_in_year": 60000}],
    )
    data["members"][0]["jobbstimulans"] = {"window_start": "2026-01"}
    assert income_line(data)["exclusion"] == "child_earnings"


@pytest.mark.parametrize(
    ("jobbstimulans", "period", "applies", "window"),
    [
        ({"window_start": "2025-11"}, "2026-03", True, ("2025-11", "2027-10")),
        ({"window_start": "2026-01"}, "2026-01", True, ("2026-01", "2027-12")),  # first month
        ({"window_start": "2024-04"}, "2026-03", True, ("2024-04", "2026-03")),  # 24th month
        ({"window_start": "2024-03"}, "2026-03", False, ("2024-03", "2026-02")),  # ended
        ({"window_start": "2026-04"}, "2026-03", False, ("2026-04", "2028-03")),  # not yet open
        ({"months_in_a_row_before": 6}, "2026-03", True, ("2026-03", "2028-02")),  # opens now (RN-E10)
        ({"months_in_a_row_before": 30}, "2026-12", True, ("2026-12", "2028-11")),
        ({"months_in_a_row_before": 5}, "2026-03", False, (None, None)),
    ],
)
def test_jobbstimulans_window_rn_a11_rn_e10(
    jobbstimulans: dict[str, Any], period: str, applies: bool, window: tuple[str | None, str | None]
) -> None:
    data = household(period, incomes=[{"member_id": "a1", "type": "salary", "amount": 9001}])
    data["members"][0]["jobbstimulans"] = jobbstimulans
    result = calculate(data)
    assert result["jobbstimulans"] == [
        {"member_id": "a1", "window_start": window[0], "window_end": window[1], "applies": applies}
    ]
    line = result["income_lines"][0]
    if applies:
        # 25 % of 9001 = 2250.25 -> 2250 (RN-C2)
        assert (line["excluded"], line["counted"], line["exclusion"]) == (2250, 6751, "jobbstimulans")
        assert line["law_ref"] == "SoL (2025:400) 12 kap. 8 §"
        assert line["basis"] == "jobbstimulans: 25 % av 9001 = 2250; 6751 räknas"
    else:
        assert (line["excluded"], line["exclusion"]) == (0, None)


def test_jobbstimulans_is_personal_and_only_for_salary() -> None:
    data = household(
        "2026-03",
        {"id": "a2", "role": "partner", "jobbstimulans": {"window_start": "2026-01"}},
        incomes=[
            {"member_id": "a2", "type": "salary", "amount": 9002},
            {"member_id": "a2", "type": "self_employment", "amount": 4000},
            {"member_id": "a1", "type": "salary", "amount": 4000},
        ],
    )
    data["members"][0]["jobbstimulans"] = None  # null: no data, no report entry
    result = calculate(data)
    assert [(i["excluded"], i["exclusion"]) for i in result["income_lines"]] == [
        (2251, "jobbstimulans"),  # 2250.5 -> 2251
        (0, None),
        (0, None),
    ]
    assert [entry["member_id"] for entry in result["jobbstimulans"]] == ["a2"]


# ---------------------------------------------------------------------------------------------------------
# RN-A12, RN-E8


def test_surplus_rn_a12_rn_e8() -> None:
    result = calculate(household(incomes=[{"member_id": "a1", "type": "pension", "amount": 6000}]))
    assert (result["entitlement"], result["surplus"]) == (0, 780)
    result = calculate(household(incomes=[{"member_id": "a1", "type": "pension", "amount": 5220}]))
    assert (result["entitlement"], result["surplus"]) == (0, 0)


# ---------------------------------------------------------------------------------------------------------
# RN-C4, RN-C5, RN-E12: table and law by period


@pytest.mark.parametrize("period", ["2020-06", "2024-01", "2025-12", "2027-01", "2018-12"])
def test_table_not_found_rn_c4(period: str) -> None:
    error = error_of(household(period))
    assert (error.code, error.path, error.exit_code) == ("TABLE_NOT_FOUND", "period", 3)
    assert error.message == f"Lotsen har ingen riksnormstabell för {period[:4]}"
    assert error.to_dict() == {
        "schema": "lotsen.norm.error/1",
        "error": {"code": "TABLE_NOT_FOUND", "message": error.message, "path": "period"},
    }


def test_year_boundary_uses_each_years_table_rn_e12() -> None:
    december = calculate(household("2022-12"))
    january = calculate(household("2023-01"))
    assert (december["table"]["year"], december["norm_total"]) == (2022, 3210 + 1040)
    assert (january["table"]["year"], january["norm_total"]) == (2023, 3490 + 1130)


def test_law_references_change_on_2025_07_01_rn_c5() -> None:
    tables = TableSet.from_documents([as_year(table_document(2026), 2025)])
    data_kwargs: dict[str, Any] = {
        "reasonable_costs": [{"type": "housing", "amount": 1}],
        "other_needs": [{"type": "medicine", "amount": 1}],
        "norm_adjustments": [{"amount": 1, "reason": "x"}],
        "incomes": [
            {"member_id": "a1", "type": "salary", "amount": 100},
            {"member_id": "a1", "type": "pension", "amount": 100},
            {"member_id": "c1", "type": "salary", "amount": 100, "earned_before_in_year": 0},
        ],
        "shared_household": {"total_persons": 3},
    }

    def refs(period: str) -> list[str]:
        data = household(period, child(age=5), **data_kwargs)
        data["members"][0]["jobbstimulans"] = {"window_start": "2025-01"}
        result = calculate(data, tables=tables)
        return [
            *(line["law_ref"] for line in result["norm_lines"]),
            result["reasonable_cost_lines"][0]["law_ref"],
            result["other_need_lines"][0]["law_ref"],
            *(line["law_ref"] for line in result["income_lines"]),
        ]

    assert refs("2025-06") == [
        "SoF (2001:937) 2 kap. 1 §",
        "SoF (2001:937) 2 kap. 1 §",
        "SoF (2001:937) 2 kap. 1 §",
        "SoL (2001:453) 4 kap. 3 §",
        "SoL (2001:453) 4 kap. 3 § första stycket 2",
        "SoL (2001:453) 4 kap. 1 §",
        "SoL (2001:453) 4 kap. 1 b §",
        "SoL (2001:453) 4 kap. 1 §",
        "SoL (2001:453) 4 kap. 1 a §",
    ]
    assert refs("2025-07") == [
        "SoF (2025:468) 12 kap. 2 §",
        "SoF (2025:468) 12 kap. 2 §",
        "SoF (2025:468) 12 kap. 3 § andra stycket",
        "SoL (2025:400) 12 kap. 7 § tredje stycket",
        "SoL (2025:400) 12 kap. 7 § första stycket 2",
        "SoL (2025:400) 12 kap. 1 §",
        "SoL (2025:400) 12 kap. 8 §",
        "SoL (2025:400) 12 kap. 1 §",
        "SoL (2025:400) 12 kap. 9 §",
    ]


def test_above_seven_law_reference_before_2025_07() -> None:
    result = calculate(household("2019-09", *(child(f"c{i}", age=3) for i in range(7))))
    assert lines(result, "common_household")[0]["law_ref"] == "SoF (2001:937) 2 kap. 1 §"


# ---------------------------------------------------------------------------------------------------------
# RN-T1: verification status of every line


def test_unverified_values_are_flagged_and_listed_rn_t1() -> None:
    result = calculate(household("2026-03", child(age=9), child("c2", age=1)))
    assert [line["unverified"] for line in result["norm_lines"]] == [False, True, True, True]
    assert result["table"]["unverified_values_used"] == [
        "household_common_costs.by_size.3",
        "personal_costs.children.age_1_2.amount",
        "personal_costs.children.age_7_10.amount",
    ]
    assert result["table"]["verified"] is False
    assert result["table"]["legal_basis"].endswith("i lydelse enligt SFS 2025:1046")
    assert calculate(household("2019-03"))["table"]["legal_basis"] == "Socialtjänstförordningen (2001:937) 2 kap. 1 §"


def test_two_unverified_lines_with_the_same_ref_are_listed_once() -> None:
    result = calculate(household("2026-03", child(age=9), child("c2", age=8)))
    assert result["table"]["unverified_values_used"].count("personal_costs.children.age_7_10.amount") == 1


# ---------------------------------------------------------------------------------------------------------
# Settings (3.8)


def test_settings_defaults_municipal_and_input_override() -> None:
    salary = {"member_id": "c1", "type": "salary", "amount": 1000, "earned_before_in_year": 59000}
    data = household("2026-07", child(age=17), incomes=[salary])
    assert calculate(data)["settings"] == {
        "age_rule": "first_day_of_month",
        "count_child_earnings_above_pbb": True,
    }
    municipal = {"count_child_earnings_above_pbb": False, "age_rule": "month_after_birthday_month"}
    result = calculate(data, settings=municipal)
    assert result["settings"] == municipal
    assert result["income_lines"][0]["counted"] == 0
    data["settings"] = {"count_child_earnings_above_pbb": True}
    result = calculate(data, settings=municipal)
    assert result["settings"] == {
        "age_rule": "month_after_birthday_month",
        "count_child_earnings_above_pbb": True,
    }
    assert result["income_lines"][0]["counted"] == 800
    data["settings"] = {}
    assert calculate(data)["settings"]["age_rule"] == "first_day_of_month"


@pytest.mark.parametrize(
    "municipal",
    [{"age_rule": "birthday"}, {"count_child_earnings_above_pbb": "yes"}, {"rounding": "down"}],
)
def test_invalid_municipal_settings_are_a_configuration_error(municipal: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        calculate(household(), settings=municipal)


# ---------------------------------------------------------------------------------------------------------
# Section 7.2: every error code


def with_member(member: dict[str, Any], period: str = "2026-03") -> dict[str, Any]:
    return household(period, member)


SCHEMA_CASES: list[tuple[Any, str | None]] = [
    ([], None),
    ("{}", None),
    ({"schema": "lotsen.norm.input/1", "period": "2026-03"}, "members"),
    ({**household(), "extra": 1}, "extra"),
    ({**household(), "schema": "lotsen.norm.input/2"}, "schema"),
    ({**household(), "members": []}, "members"),
    ({**household(), "members": {"id": "a1"}}, "members"),
    ({**household(), "members": ["a1"]}, "members[0]"),
    ({**household(), "members": [{"id": "a1"}]}, "members[0].role"),
    ({**household(), "members": [{"id": "a 1", "role": "applicant"}]}, "members[0].id"),
    ({**household(), "members": [{"id": "a" * 41, "role": "applicant"}]}, "members[0].id"),
    ({**household(), "members": [{"id": 1, "role": "applicant"}]}, "members[0].id"),
    ({**household(), "members": [{"id": "a1", "role": "lodger"}]}, "members[0].role"),
    ({**household(), "members": [{"id": "a1", "role": "applicant", "color": "x"}]}, "members[0].color"),
    (with_member(child(birth_date="2020-02-30")), "members[1].birth_date"),
    (with_member(child(birth_date="2020-2-3")), "members[1].birth_date"),
    (with_member(child(birth_date=20200203)), "members[1].birth_date"),
    (with_member(child(age=131)), "members[1].age"),
    (with_member(child(age=-1)), "members[1].age"),
    (with_member(child(age=3.5)), "members[1].age"),
    (with_member(child(age="3")), "members[1].age"),
    (with_member(child(age=True)), "members[1].age"),
    (with_member(child(age=3, in_school="yes")), "members[1].in_school"),
    (with_member(child(age=3, lunch_away_weekdays=1)), "members[1].lunch_away_weekdays"),
    (with_member(child(age=3, days_in_household=0)), "members[1].days_in_household"),
    (with_member(child(age=3, days_in_household=32)), "members[1].days_in_household"),
    (with_member({"id": "p", "role": "partner", "jobbstimulans": {}}), "members[1].jobbstimulans"),
    (with_member({"id": "p", "role": "partner", "jobbstimulans": "2026-01"}), "members[1].jobbstimulans"),
    (
        with_member(
            {
                "id": "p",
                "role": "partner",
                "jobbstimulans": {"window_start": "2026-01", "months_in_a_row_before": 6},
            }
        ),
        "members[1].jobbstimulans",
    ),
    (
        with_member({"id": "p", "role": "partner", "jobbstimulans": {"window_start": "2026-13"}}),
        "members[1].jobbstimulans.window_start",
    ),
    (
        with_member({"id": "p", "role": "partner", "jobbstimulans": {"months_in_a_row_before": -1}}),
        "members[1].jobbstimulans.months_in_a_row_before",
    ),
    (household(shared_household=4), "shared_household"),
    (household(shared_household={}), "shared_household.total_persons"),
    (household(shared_household={"total_persons": 1}), "shared_household.total_persons"),
    (household(shared_household={"total_persons": 3, "k": 1}), "shared_household.k"),
    (household(reasonable_costs={"type": "housing"}), "reasonable_costs"),
    (household(reasonable_costs=[{"type": "food", "amount": 1}]), "reasonable_costs[0].type"),
    (household(reasonable_costs=[{"type": "housing"}]), "reasonable_costs[0].amount"),
    (household(reasonable_costs=[{"type": "housing", "amount": -1}]), "reasonable_costs[0].amount"),
    (household(reasonable_costs=[{"type": "housing", "amount": "100"}]), "reasonable_costs[0].amount"),
    (household(reasonable_costs=[{"type": "housing", "amount": 1, "note": ""}]), "reasonable_costs[0].note"),
    (
        household(reasonable_costs=[{"type": "housing", "amount": 1, "note": "x" * 501}]),
        "reasonable_costs[0].note",
    ),
    (household(other_needs=[{"type": "housing", "amount": 1}]), "other_needs[0].type"),
    (household(norm_adjustments=[{"amount": 0, "reason": "x"}]), "norm_adjustments[0].amount"),
    (household(norm_adjustments=[{"amount": 10}]), "norm_adjustments[0].reason"),
    (
        household(norm_adjustments=[{"member_id": 1, "amount": 10, "reason": "x"}]),
        "norm_adjustments[0].member_id",
    ),
    (household(incomes=[{"member_id": None, "type": "salary", "amount": 1}]), "incomes[0].member_id"),
    (household(incomes=[{"member_id": "a1", "type": "gift", "amount": 1}]), "incomes[0].type"),
    (household(incomes=[{"member_id": "a1", "type": "salary", "amount": 1, "tax": 1}]), "incomes[0].tax"),
    (
        household(incomes=[{"member_id": "a1", "type": "salary", "amount": 1, "earned_before_in_year": -5}]),
        "incomes[0].earned_before_in_year",
    ),
    (
        household(incomes=[{"member_id": "a1", "type": "salary", "amount": 1, "exempt_reason": ""}]),
        "incomes[0].exempt_reason",
    ),
    (household(settings=[]), "settings"),
    (household(settings=None), "settings"),
    (household(norm_adjustments=None), "norm_adjustments"),
    (household(settings={"age_rule": "birthday"}), "settings.age_rule"),
    (
        household(settings={"count_child_earnings_above_pbb": "false"}),
        "settings.count_child_earnings_above_pbb",
    ),
    (household(settings={"rounding": "down"}), "settings.rounding"),
]


@pytest.mark.parametrize(("data", "path"), SCHEMA_CASES)
def test_schema_invalid(data: Any, path: str | None) -> None:
    error = error_of(data)
    assert (error.code, error.path, error.exit_code) == ("SCHEMA_INVALID", path, 2)
    assert error.message.startswith("Indata följer inte schemat lotsen.norm.input/1")


@pytest.mark.parametrize("period", ["2026-13", "2026-00", "2026-3", "202603", "0000-01", "2026-03\n", 202603, None])
def test_period_invalid(period: Any) -> None:
    error = error_of(household(period))
    assert (error.code, error.path, error.exit_code) == ("PERIOD_INVALID", "period", 2)


SEMANTIC_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("MEMBER_ID_DUPLICATE", household("2026-03", child("c1"), child("c1")), "members[2].id"),
    ("APPLICANT_COUNT", {**household(), "members": [{"id": "c1", "role": "child", "age": 3}]}, "members"),
    ("APPLICANT_COUNT", household("2026-03", {"id": "a2", "role": "applicant"}), "members[1].role"),
    (
        "PARTNER_COUNT",
        household("2026-03", {"id": "p1", "role": "partner"}, {"id": "p2", "role": "partner"}),
        "members[2].role",
    ),
    ("CHILD_AGE_MISSING", with_member({"id": "c1", "role": "child"}), "members[1]"),
    ("CHILD_AGE_AMBIGUOUS", with_member(child(age=3, birth_date="2023-01-01")), "members[1].age"),
    ("BIRTH_AFTER_PERIOD", with_member(child(birth_date="2026-04-01")), "members[1].birth_date"),
    ("BIRTH_AFTER_PERIOD", with_member(child(birth_date="2027-01-01")), "members[1].birth_date"),
    ("CHILD_TOO_OLD", with_member(child(age=21, in_school=True)), "members[1].age"),
    ("CHILD_TOO_OLD", with_member(child(birth_date="2005-03-01", in_school=True)), "members[1].birth_date"),
    ("CHILD_18_20_NOT_IN_SCHOOL", with_member(child(age=18)), "members[1].in_school"),
    ("CHILD_18_20_NOT_IN_SCHOOL", with_member(child(age=20, in_school=False)), "members[1].in_school"),
    (
        "FIELD_NOT_FOR_ROLE",
        household("2026-03", {"id": "p", "role": "partner", "in_school": True}),
        "members[1].in_school",
    ),
    (
        "FIELD_NOT_FOR_ROLE",
        household("2026-03", {"id": "p", "role": "partner", "lunch_away_weekdays": False}),
        "members[1].lunch_away_weekdays",
    ),
    (
        "FIELD_NOT_FOR_ROLE",
        {**household(), "members": [{"id": "a1", "role": "applicant", "days_in_household": 3}]},
        "members[0].days_in_household",
    ),
    (
        "FIELD_NOT_FOR_ROLE",
        with_member(child(age=17, jobbstimulans={"window_start": "2026-01"})),
        "members[1].jobbstimulans",
    ),
    (
        "DAYS_OUT_OF_RANGE",
        with_member(child(age=3, days_in_household=29), "2026-02"),
        "members[1].days_in_household",
    ),
    (
        "DAYS_OUT_OF_RANGE",
        with_member(child(age=3, days_in_household=31), "2026-04"),
        "members[1].days_in_household",
    ),
    (
        "SHARED_HOUSEHOLD_TOO_SMALL",
        household("2026-03", child(age=3), shared_household={"total_persons": 2}),
        "shared_household.total_persons",
    ),
    (
        "UNKNOWN_MEMBER",
        household(norm_adjustments=[{"member_id": "x", "amount": 1, "reason": "x"}]),
        "norm_adjustments[0].member_id",
    ),
    (
        "UNKNOWN_MEMBER",
        household(incomes=[{"member_id": "x", "type": "salary", "amount": 1}]),
        "incomes[0].member_id",
    ),
    ("NOTE_REQUIRED", household(other_needs=[{"type": "other", "amount": 1}]), "other_needs[0].note"),
    (
        "NOTE_REQUIRED",
        household(incomes=[{"member_id": "a1", "type": "other", "amount": 1}]),
        "incomes[0].note",
    ),
    (
        "CHILD_EARNINGS_YTD_MISSING",
        household("2026-03", child(age=16), incomes=[{"member_id": "c1", "type": "salary", "amount": 1}]),
        "incomes[0].earned_before_in_year",
    ),
]


@pytest.mark.parametrize(("code", "data", "path"), SEMANTIC_CASES)
def test_semantic_rules(code: str, data: dict[str, Any], path: str) -> None:
    error = error_of(data)
    assert (error.code, error.path, error.exit_code, error.status) == (code, path, 2, 400)
    assert error.message  # Swedish, shown to the user
    assert error.field == path  # DomainError's name for the path


def test_nulls_are_not_fields_for_the_role() -> None:
    data = household(
        "2026-03",
        {"id": "p", "role": "partner", "days_in_household": None},
        child(age=3, jobbstimulans=None, days_in_household=None),
    )
    assert calculate(data)["household"]["applicant_household_size"] == 3


def test_child_earnings_ytd_is_not_needed_for_other_incomes() -> None:
    data = household("2026-03", child(age=16), incomes=[{"member_id": "c1", "type": "child_allowance", "amount": 1}])
    assert calculate(data)["income_counted_total"] == 1


def test_input_errors_come_before_table_errors() -> None:
    # RN-A1 stops at the first error before the table is looked up (RN-A2).
    error = error_of(household("2024-03", child(age=30, in_school=True)))
    assert error.code == "CHILD_TOO_OLD"


def test_schema_errors_come_before_semantic_errors() -> None:
    data = household("2026-03", child("a1"), reasonable_costs=[{"type": "housing", "amount": 1.5}])
    assert error_of(data).code == "AMOUNT_NOT_INTEGER"


def test_norm_error_is_a_domain_error() -> None:
    error = NormError("TABLE_INVALID", "fel", path="period", details={"year": 2026})
    assert isinstance(error, DomainError)
    assert (error.exit_code, error.status, error.details) == (3, 422, {"year": 2026})
    assert NormError("SCHEMA_INVALID", "fel").to_dict()["error"] == {
        "code": "SCHEMA_INVALID",
        "message": "fel",
        "path": None,
    }


def test_table_invalid_is_reported_for_its_year(tmp_path: Path) -> None:
    broken = table_document(2026)
    broken["household_common_costs"]["each_additional_person"] = 200
    (tmp_path / "riksnorm-2026.json").write_text(json.dumps(broken), encoding="utf-8")
    (tmp_path / "riksnorm-2021.json").write_bytes((DEFAULT_TABLE_DIR / "riksnorm-2021.json").read_bytes())
    tables = load_tables(tmp_path)
    error = error_of(household("2026-03"), tables=tables)
    assert (error.code, error.path, error.exit_code) == ("TABLE_INVALID", "period", 3)
    assert error.message.startswith("Riksnormstabellen för 2026 är ogiltig")
    assert error.details["year"] == 2026
    assert calculate(household("2021-03"), tables=tables)["table"]["year"] == 2021


def test_engine_version_is_the_package_version(monkeypatch: pytest.MonkeyPatch) -> None:
    assert calculate(household())["engine_version"] == importlib.metadata.version("lotsen")

    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert norm._package_version() == "0+unknown"


def test_result_has_the_schema_key_order() -> None:
    assert list(calculate(household())) == [
        "schema",
        "period",
        "table",
        "household",
        "norm_lines",
        "norm_total",
        "reasonable_cost_lines",
        "reasonable_costs_total",
        "other_need_lines",
        "other_needs_total",
        "need_total",
        "income_lines",
        "income_counted_total",
        "entitlement",
        "surplus",
        "jobbstimulans",
        "settings",
        "warnings",
        "engine_version",
    ]


def test_input_is_not_modified() -> None:
    data = household("2026-03", child(age=5), incomes=[{"member_id": "a1", "type": "salary", "amount": 100}])
    snapshot = copy.deepcopy(data)
    calculate(data)
    assert data == snapshot


# ---------------------------------------------------------------------------------------------------------
# Section 2.5: load-time validation of the tables


def test_shipped_tables_load_without_errors_or_warnings() -> None:
    tables = load_tables()
    assert tables.years() == (2019, 2021, 2022, 2023, 2026)
    assert tables.errors() == {}
    for year in tables.years():
        table = tables.get(year)
        assert table.load_warnings == ()
        assert table.each_additional_person == table.by_size[7] - table.by_size[6]
        assert [g.key for g in table.group_by_age] == [
            "age_0",
            *["age_1_2"] * 2,
            "age_3",
            *["age_4_6"] * 3,
            *["age_7_10"] * 4,
            *["age_11_14"] * 4,
            *["age_15_18"] * 4,
            *["age_19_20"] * 2,
        ]
    assert load_tables() is load_tables(DEFAULT_TABLE_DIR)  # loaded once, cached


def invalid(mutate: Any, year: int = 2026) -> TableError:
    document = table_document(year)
    mutate(document)
    with pytest.raises(TableError) as info:
        validate_table(document, expected_year=year, source="test")
    assert info.value.code == "TABLE_INVALID"
    return info.value


def _set(path: str, value: Any) -> Any:
    def mutate(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = document
        for part in parents:
            node = node[part]
        node[last] = value

    return mutate


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        # 2.5.1 schema, model, year, validity
        (_set("schema", "lotsen.riksnorm.table/2"), "schema"),
        (_set("calculation_model", "riksnorm-reform-2027"), "beräkningsmodell"),
        (_set("year", 2025), "filnamnets år"),
        (_set("year", "2026"), "årtal"),
        (_set("valid_to", "2026-12-30"), "valid_from/valid_to"),
        (_set("table_version", "2026"), "table_version"),
        (_set("table_version", "2025.1"), "table_version"),
        (_set("currency", "EUR"), "currency"),
        (_set("legal_basis.amending_sfs", ""), "amending_sfs"),
        (_set("legal_basis.law", None), "legal_basis.law"),
        (lambda d: d.pop("notes"), "exakt fälten"),
        (_set("notes", 5), "notes"),
        # 2.5.2 age groups 0-20, once, in order
        (_set("personal_costs.children.age_3.min_age", 2), "luckor"),
        (_set("personal_costs.children.age_19_20.max_age", 21), "nyckeln"),
        (_set("personal_costs.children.age_0.max_age", -1), "luckor"),
        (lambda d: d["personal_costs"]["children"].pop("age_3"), "grupperna"),
        (_set("personal_costs.children.age_7_10", 3000), "objekt"),
        (_set("personal_costs.children.age_3.label_sv", ""), "label_sv"),
        # 2.5.3 positive integer amounts, null only where allowed
        (_set("personal_costs.single_adult", 0), "positivt heltal"),
        (_set("personal_costs.couple", 7100.0), "positivt heltal"),
        (_set("household_common_costs.by_size.3", None), "positivt heltal"),
        (_set("prisbasbelopp.amount", True), "positivt heltal"),
        (_set("personal_costs.children.age_7_10.amount_lunch_away", 3000), "null när"),
        # 2.5.4 by_size non-decreasing, per person non-increasing
        (_set("household_common_costs.by_size.4", 1780), "lägre än"),
        (_set("household_common_costs.by_size.2", 2600), "per person"),
        # 2.5.5 each_additional_person = by_size.7 - by_size.6
        (_set("household_common_costs.each_additional_person", 200), "by_size.7 − by_size.6"),
        # 2.5.6 lunch_away_applies exactly up to 6 years; the lunch amount is the lower one
        (_set("personal_costs.children.age_7_10.lunch_away_applies", True), "lunch_away_applies"),
        (_set("personal_costs.children.age_3.lunch_away_applies", False), "lunch_away_applies"),
        (_set("personal_costs.children.age_3.amount_lunch_away", 2720), "lägre än amount"),
        # 2.5.7 verification lists partition the amount paths; verified follows from them
        (_set("verified", True), "verified stämmer inte"),
        (_set("verified", "no"), "sant eller falskt"),
        (lambda d: d["verification"]["one_source"].remove("household_common_costs.by_size.3"), "saknas"),
        (lambda d: d["verification"]["derived"].append("personal_costs.single_adult"), "mer än en"),
        (lambda d: d["verification"]["derived"].append("personal_costs.teenager"), "okända"),
        (_set("verification.missing", "none"), "verification.missing"),
        (_set("personal_costs.children.age_3.amount_lunch_away", None), "verification.missing"),
        # sources
        (_set("sources", []), "sources"),
        (lambda d: d["sources"][0].update(kind="blog"), "kind"),
        (lambda d: d["sources"][1].update(id="S1"), "två gånger"),
        (_set("prisbasbelopp.source_ids", ["S9"]), "source_ids"),
    ],
)
def test_table_load_validation_section_2_5(mutate: Any, fragment: str) -> None:
    error = invalid(mutate)
    assert fragment in error.message
    assert error.year == 2026


def test_table_with_missing_value_listed_and_null_is_valid() -> None:
    def drop_lunch_amount(document: dict[str, Any]) -> None:
        path = "personal_costs.children.age_3.amount_lunch_away"
        document["personal_costs"]["children"]["age_3"]["amount_lunch_away"] = None
        document["verification"]["one_source"].remove(path)
        document["verification"]["missing"].append(path)

    document = table_document(2026)
    drop_lunch_amount(document)
    table = validate_table(document, expected_year=2026, source="test")
    assert table.missing == {"personal_costs.children.age_3.amount_lunch_away"}
    assert table.group_by_age[3].amount_lunch_away is None


def test_non_multiple_of_ten_only_warns() -> None:
    document = table_document(2026)
    document["personal_costs"]["single_adult"] = 3945
    table = validate_table(document, expected_year=2026, source="test")
    assert table.load_warnings == ("personal_costs.single_adult = 3945 är inte jämnt tiotal",)


def test_verified_table_is_accepted_when_every_amount_has_two_sources() -> None:
    document = table_document(2026)
    verification = document["verification"]
    verification["two_sources"] += verification["one_source"] + verification["derived"]
    verification["one_source"], verification["derived"] = [], []
    document["verified"] = True
    table = validate_table(document, expected_year=2026, source="test")
    assert table.verified is True
    result = calculate(household("2026-03", child(age=4)), tables=TableSet([table]))
    assert result["table"]["unverified_values_used"] == []
    assert result["table"]["verified"] is True


def test_unreadable_and_misnamed_table_files(tmp_path: Path) -> None:
    (tmp_path / "riksnorm-2026.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "riksnorm-2021.json").write_bytes((DEFAULT_TABLE_DIR / "riksnorm-2019.json").read_bytes())
    (tmp_path / "riksnorm-2019.json.bak").write_text("ignored", encoding="utf-8")
    (tmp_path / "README.md").write_text("ignored", encoding="utf-8")
    tables = load_tables(tmp_path)
    assert tables.years() == ()
    errors = tables.errors()
    assert sorted(errors) == [2021, 2026]
    assert "JSON" in errors[2026].message
    assert "filnamnets år 2021" in errors[2021].message
    assert error_of(household("2019-03"), tables=tables).code == "TABLE_NOT_FOUND"


def test_table_directory_that_does_not_exist(tmp_path: Path) -> None:
    tables = load_tables(tmp_path / "nowhere")
    assert tables.years() == ()
    assert error_of(household(), tables=tables).code == "TABLE_NOT_FOUND"


def test_in_memory_table_without_a_year_is_invalid() -> None:
    document = table_document(2026)
    document["year"] = None
    with pytest.raises(TableError) as info:
        TableSet.from_documents([document])
    assert info.value.message.startswith("Riksnormstabellen för okänt år är ogiltig")
    with pytest.raises(TableError):
        validate_table([], expected_year=None, source="test")


def test_table_value_lookup() -> None:
    table = load_tables().get(2026)
    assert table.value_at("household_common_costs.by_size.3") == 1790
    assert table.value_at("personal_costs.children.age_4_6.amount_lunch_away") == 2720
    with pytest.raises(KeyError):
        table.value_at("personal_costs.children.age_4_6.amount.extra")
    with pytest.raises(KeyError):
        table.value_at("personal_costs.teenager")
    assert table.common_costs(7) == 2830
    assert table.common_costs(10) == 2830 + 3 * 190
