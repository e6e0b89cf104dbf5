"""Property-based tests of the norm engine: the invariants of riksnorm.md section 8."""

from __future__ import annotations

import calendar
import copy
import json
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lotsen.assistance.norm import (
    INCOME_LABELS,
    OTHER_NEED_LABELS,
    REASONABLE_COST_LABELS,
    calculate,
    round_half_up,
)
from lotsen.assistance.tables import DEFAULT_TABLE_DIR, MAX_TABLE_SIZE, RateTable, TableSet, load_tables

TABLES = load_tables()
YEARS = TABLES.years()
AGE_RULES = ("first_day_of_month", "month_after_birthday_month")
AMOUNT_PATH_KEYS = ("amount", "excluded", "counted")


@st.composite
def households(draw: st.DrawFn, *, year: int | None = None) -> dict[str, Any]:
    """Valid ``lotsen.norm.input/1`` documents for the years that have a table."""
    year = year if year is not None else draw(st.sampled_from(YEARS))
    month = draw(st.integers(1, 12))
    period_index = year * 12 + month - 1
    days_in_month = calendar.monthrange(year, month)[1]
    table = TABLES.get(year)
    lunch_amounts_known = not table.missing

    def jobbstimulans() -> Any:
        kind = draw(st.sampled_from(["none", "absent", "window", "months"]))
        if kind == "window":
            start = period_index + draw(st.integers(-30, 3))
            return {"window_start": f"{start // 12:04d}-{start % 12 + 1:02d}"}
        if kind == "months":
            return {"months_in_a_row_before": draw(st.integers(0, 12))}
        return None if kind == "none" else "absent"

    members: list[dict[str, Any]] = [{"id": "a1", "role": "applicant"}]
    if draw(st.booleans()):
        members.append({"id": "a2", "role": "partner"})
    for adult in members:
        window_data = jobbstimulans()
        if window_data != "absent":
            adult["jobbstimulans"] = window_data
    for index in range(draw(st.integers(0, 9))):
        member: dict[str, Any] = {"id": f"c{index}", "role": "child"}
        if draw(st.booleans()):
            age = draw(st.integers(0, 20))
            member["age"] = age
            if age >= 18 or draw(st.booleans()):
                member["in_school"] = age >= 18 or draw(st.booleans())
            if draw(st.booleans()) and (lunch_amounts_known or age > 6):
                member["lunch_away_weekdays"] = True
        else:
            birth_year = year - draw(st.integers(0, 17))
            birth_month = draw(st.integers(1, 12 if birth_year < year else month))
            member["birth_date"] = f"{birth_year:04d}-{birth_month:02d}-{draw(st.integers(1, 28)):02d}"
        if draw(st.booleans()):
            member["days_in_household"] = draw(st.none() | st.integers(1, days_in_month))
        members.append(member)

    data: dict[str, Any] = {
        "schema": "lotsen.norm.input/1",
        "period": f"{year:04d}-{month:02d}",
        "members": members,
    }
    if draw(st.booleans()):
        data["shared_household"] = {"total_persons": len(members) + draw(st.integers(1, 8))}
    amounts = st.integers(0, 30_000)
    data["reasonable_costs"] = [
        {"type": t, "amount": draw(amounts)}
        for t in draw(st.lists(st.sampled_from(sorted(REASONABLE_COST_LABELS)), max_size=6))
    ]
    data["other_needs"] = [
        {"type": t, "amount": draw(amounts), "note": "anteckning"}
        for t in draw(st.lists(st.sampled_from(sorted(OTHER_NEED_LABELS)), max_size=3))
    ]
    data["norm_adjustments"] = [
        {
            "member_id": draw(st.none() | st.sampled_from([m["id"] for m in members])),
            "amount": amount,
            "reason": "skäl",
        }
        for amount in draw(st.lists(st.integers(-500, 2000).filter(bool), max_size=2))
    ]
    incomes = []
    for _ in range(draw(st.integers(0, 6))):
        member = draw(st.sampled_from(members))
        income: dict[str, Any] = {
            "member_id": member["id"],
            "type": draw(st.sampled_from(["salary", "salary", *sorted(INCOME_LABELS)])),
            "amount": draw(amounts),
            "note": "anteckning",
        }
        if member["role"] == "child" and income["type"] == "salary":
            income["earned_before_in_year"] = draw(st.integers(0, 80_000))
        if draw(st.integers(0, 9)) == 0:
            income["exempt_reason"] = "beslut"
        incomes.append(income)
    data["incomes"] = incomes
    if draw(st.booleans()):
        data["settings"] = {
            "age_rule": draw(st.sampled_from(AGE_RULES)),
            "count_child_earnings_above_pbb": draw(st.booleans()),
        }
    return data


def amounts_in(result: dict[str, Any]) -> list[Any]:
    values = [result[key] for key in result if key.endswith("_total")]
    values += [result["entitlement"], result["surplus"]]
    for section in ("norm_lines", "reasonable_cost_lines", "other_need_lines", "income_lines"):
        values += [line[key] for line in result[section] for key in AMOUNT_PATH_KEYS if key in line]
    return values


@settings(max_examples=300, deadline=None)
@given(households())
def test_totals_entitlement_and_integers(data: dict[str, Any]) -> None:
    result = calculate(data)
    # 1. need = norm + reasonable costs + other needs
    assert result["need_total"] == result["norm_total"] + result["reasonable_costs_total"] + result["other_needs_total"]
    assert result["norm_total"] == sum(line["amount"] for line in result["norm_lines"])
    # 2. entitlement - surplus = need - income, and at most one of them is non-zero (never negative)
    assert result["entitlement"] - result["surplus"] == result["need_total"] - result["income_counted_total"]
    assert min(result["entitlement"], result["surplus"]) == 0
    assert result["entitlement"] >= 0 and result["surplus"] >= 0
    # 3. every amount is an integer (never float, never Decimal); counted + excluded = amount
    assert all(type(value) is int for value in amounts_in(result))
    for line in result["income_lines"]:
        assert line["counted"] + line["excluded"] == line["amount"]
        assert line["counted"] >= 0 and line["excluded"] >= 0


@settings(max_examples=200, deadline=None)
@given(households(), st.integers(0, 17))
def test_adding_a_full_month_child_strictly_increases_the_norm(data: dict[str, Any], age: int) -> None:
    before = calculate(data)
    grown = copy.deepcopy(data)
    grown["members"].append({"id": "new", "role": "child", "age": age})
    if "shared_household" in grown:
        grown["shared_household"]["total_persons"] += 1  # the child also lives in the shared household
    after = calculate(grown)
    assert after["norm_total"] > before["norm_total"]
    assert after["household"]["applicant_household_size"] == before["household"]["applicant_household_size"] + 1


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(YEARS), st.integers(1, 12), st.integers(2, 40))
def test_shared_household_share_rn_a7_invariant_5(year: int, k: int, extra: int) -> None:
    table = TABLES.get(year)
    members = [{"id": "a1", "role": "applicant"}] + [{"id": f"c{i}", "role": "child", "age": 10} for i in range(k - 1)]

    def share(total: int) -> int:
        data = {
            "schema": "lotsen.norm.input/1",
            "period": f"{year}-06",
            "members": members,
            "shared_household": {"total_persons": total},
        }
        line = calculate(data)["norm_lines"][-1]
        assert line["code"] == "common_household_share"
        amount: int = line["amount"]
        return amount

    smaller, larger = share(k + extra), share(k + extra + 1)
    assert larger <= smaller  # more persons sharing never raises the share
    assert smaller <= table.common_costs(k)  # never above what k persons living alone get


def _with(data: dict[str, Any], section: str, index: int, delta: int) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    changed[section][index]["amount"] += delta
    return changed


@settings(max_examples=200, deadline=None)
@given(households(), st.integers(1, 20_000), st.data())
def test_monotone_in_incomes_and_costs_invariant_6(data: dict[str, Any], delta: int, draw: st.DataObject) -> None:
    entitlement = calculate(data)["entitlement"]
    if data["incomes"]:
        index = draw.draw(st.integers(0, len(data["incomes"]) - 1))
        assert calculate(_with(data, "incomes", index, delta))["entitlement"] <= entitlement
    if data["reasonable_costs"]:
        index = draw.draw(st.integers(0, len(data["reasonable_costs"]) - 1))
        assert calculate(_with(data, "reasonable_costs", index, delta))["entitlement"] >= entitlement


@settings(max_examples=200, deadline=None)
@given(households())
def test_jobbstimulans_never_lowers_the_entitlement_invariant_7(data: dict[str, Any]) -> None:
    with_windows = calculate(data)
    without = copy.deepcopy(data)
    for member in without["members"]:
        member.pop("jobbstimulans", None)
    assert with_windows["entitlement"] >= calculate(without)["entitlement"]
    if any(entry["applies"] for entry in with_windows["jobbstimulans"]):
        assert with_windows["income_counted_total"] <= calculate(without)["income_counted_total"]


@settings(max_examples=200, deadline=None)
@given(households())
def test_prorated_child_lines_invariant_8(data: dict[str, Any]) -> None:
    result = calculate(data)
    year, month = (int(part) for part in data["period"].split("-"))
    days_in_month = calendar.monthrange(year, month)[1]
    table = TABLES.get(year)
    children = [m for m in data["members"] if m["role"] == "child"]
    child_lines = [line for line in result["norm_lines"] if line["code"] == "personal_child"]
    assert [line["member_ids"] for line in child_lines] == [[c["id"]] for c in children]
    for child, line in zip(children, child_lines, strict=True):
        full = table.value_at(line["table_ref"])
        assert line["amount"] <= full
        days = child.get("days_in_household")
        if days is None or days == days_in_month:
            assert line["amount"] == full
        else:
            assert line["amount"] == round_half_up(full * days, days_in_month)
        full_month = copy.deepcopy(data)
        for member in full_month["members"]:
            if member["id"] == child["id"]:
                member["days_in_household"] = days_in_month
        full_line = next(x for x in calculate(full_month)["norm_lines"] if x["member_ids"] == [child["id"]])
        assert full_line["amount"] == full


def _expected_line_amount(table: RateTable, line: dict[str, Any], result: dict[str, Any], data: dict[str, Any]) -> int:
    """What a norm line must be, computed from the referenced table amount alone."""
    referenced: int = table.value_at(line["table_ref"])
    size = result["household"]["common_cost_household_size"]
    k = result["household"]["applicant_household_size"]
    if line["code"] in ("personal_single_adult", "personal_couple"):
        return referenced
    if line["code"] == "personal_child":
        child = next(m for m in data["members"] if m["id"] == line["member_ids"][0])
        days = child.get("days_in_household")
        year, month = (int(part) for part in data["period"].split("-"))
        days_in_month = calendar.monthrange(year, month)[1]
        return referenced if days is None else round_half_up(referenced * days, days_in_month)
    if line["table_ref"] == "household_common_costs.each_additional_person":
        common = table.by_size[MAX_TABLE_SIZE] + (size - MAX_TABLE_SIZE) * referenced
    else:
        common = referenced
    return common if line["code"] == "common_household" else round_half_up(common * k, size)


@settings(max_examples=300, deadline=None)
@given(households())
def test_every_table_ref_resolves_invariant_9(data: dict[str, Any]) -> None:
    result = calculate(data)
    table = TABLES.get(result["table"]["year"])
    unverified = set()
    for line in result["norm_lines"]:
        if line["code"] == "norm_adjustment":
            assert line["table_ref"] is None and line["unverified"] is False
            continue
        assert line["amount"] == _expected_line_amount(table, line, result, data)
        assert line["unverified"] == (line["table_ref"] not in table.two_sources)
        if line["unverified"]:
            unverified.add(line["table_ref"])
    assert result["table"]["unverified_values_used"] == sorted(unverified)


@settings(max_examples=100, deadline=None)
@given(households())
def test_deterministic_output_invariant_10(data: dict[str, Any]) -> None:
    first = json.dumps(calculate(data), ensure_ascii=False, indent=2)
    second = json.dumps(calculate(copy.deepcopy(data)), ensure_ascii=False, indent=2)
    assert first == second


def _raised_table(year: int, step: int) -> dict[str, Any]:
    """The year's table with every amount raised by ``step`` (still a valid table) and a new version."""
    document = json.loads((DEFAULT_TABLE_DIR / f"riksnorm-{year}.json").read_text(encoding="utf-8"))
    personal = document["personal_costs"]
    for group in personal["children"].values():
        group["amount"] += step
        if group["amount_lunch_away"] is not None:
            group["amount_lunch_away"] += step
    personal["single_adult"] += step
    personal["couple"] += step
    by_size = document["household_common_costs"]["by_size"]
    for size in by_size:
        by_size[size] += step
    document["table_version"] = f"{year}.2"
    return document


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(YEARS), st.integers(1, 30).map(lambda n: n * 10), households())
def test_a_table_change_for_one_year_changes_only_that_year(changed_year: int, step: int, data: dict[str, Any]) -> None:
    documents = [
        _raised_table(year, step)
        if year == changed_year
        else json.loads((DEFAULT_TABLE_DIR / f"riksnorm-{year}.json").read_text(encoding="utf-8"))
        for year in YEARS
    ]
    changed_tables = TableSet.from_documents(documents)
    before, after = calculate(data), calculate(data, tables=changed_tables)
    if before["table"]["year"] == changed_year:
        assert after["table"]["table_version"] == f"{changed_year}.2"
        assert after["norm_total"] > before["norm_total"]
    else:
        assert after == before


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 10**15), st.integers(1, 10**4))
def test_round_half_up_is_decimal_round_half_up(numerator: int, denominator: int) -> None:
    with localcontext() as context:
        context.prec = 60
        exact = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert round_half_up(numerator, denominator) == int(exact)
