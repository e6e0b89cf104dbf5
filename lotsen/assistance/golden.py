"""The worked examples of riksnorm.md section 6 as an activation check for uploaded rate tables (2.6, UI.md
page 27): a candidate table is used in place of its year's table and every example must still give the
expected amounts. Verification metadata (``table_version``, ``unverified`` flags) may differ: a new version
of a year is expected to carry a new version string and may confirm more values. The examples are a copy of
``tests/assistance/golden`` (the same files, kept equal by the test suite)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lotsen.assistance.norm import NormError, calculate
from lotsen.assistance.tables import RateTable, TableError, load_tables

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
_VOLATILE = ("table_version", "unverified_values_used")


def examples() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    items = []
    for path in sorted(GOLDEN_DIR.glob("*.input.json")):
        example_id = path.name.removesuffix(".input.json")
        data = json.loads(path.read_text(encoding="utf-8"))
        golden = json.loads((GOLDEN_DIR / f"{example_id}.expected.json").read_text(encoding="utf-8"))
        items.append((example_id, data, golden["expected"]))
    return items


def projection(result: dict[str, Any]) -> dict[str, Any]:
    """The normative part of a result without the verification metadata."""
    return {
        "table_year": result["table"]["year"],
        "household": result["household"],
        "norm_lines": [
            {key: line[key] for key in ("code", "member_ids", "amount", "table_ref")} for line in result["norm_lines"]
        ],
        "norm_total": result["norm_total"],
        "reasonable_costs_total": result["reasonable_costs_total"],
        "other_needs_total": result["other_needs_total"],
        "need_total": result["need_total"],
        "income_lines": [
            {key: line[key] for key in ("member_id", "type", "amount", "excluded", "counted", "exclusion")}
            for line in result["income_lines"]
        ],
        "income_counted_total": result["income_counted_total"],
        "entitlement": result["entitlement"],
        "surplus": result["surplus"],
        "jobbstimulans": result["jobbstimulans"],
        "warning_codes": [w["code"] for w in result["warnings"]],
        "settings": result["settings"],
    }


def _expected(expected: dict[str, Any]) -> dict[str, Any]:
    data = {k: v for k, v in expected.items() if k not in _VOLATILE}
    data["norm_lines"] = [{k: v for k, v in line.items() if k != "unverified"} for line in expected["norm_lines"]]
    return {key: data[key] for key in projection_keys()}


def projection_keys() -> tuple[str, ...]:
    return (
        "table_year",
        "household",
        "norm_lines",
        "norm_total",
        "reasonable_costs_total",
        "other_needs_total",
        "need_total",
        "income_lines",
        "income_counted_total",
        "entitlement",
        "surplus",
        "jobbstimulans",
        "warning_codes",
        "settings",
    )


def check_with(table: RateTable) -> dict[str, Any]:
    """Run every example with ``table`` replacing its year. A year without examples gets a smoke test: a
    single adult without costs or income must be computable (the norm for one person)."""
    from lotsen.assistance.calc import combine

    tables = combine(load_tables(), {table.year: table})
    rows = []
    for example_id, data, expected in examples():
        year = int(data["period"][:4])
        try:
            actual = projection(calculate(data, tables=tables))
            ok = actual == _expected(expected)
            message = "" if ok else "Resultatet skiljer sig från det förväntade."
        except (NormError, TableError) as exc:
            ok, message = False, exc.message
        rows.append({"example": example_id, "year": year, "passed": ok, "message": message})
    own = [r for r in rows if r["year"] == table.year]
    smoke: dict[str, Any] | None = None
    if not own:
        probe = {
            "schema": "lotsen.norm.input/1",
            "period": f"{table.year}-01",
            "members": [{"id": "a1", "role": "applicant"}],
        }
        try:
            result = calculate(probe, tables=tables)
            smoke = {"passed": True, "norm_total": result["norm_total"]}
        except (NormError, TableError) as exc:
            smoke = {"passed": False, "message": exc.message}
    passed = all(r["passed"] for r in rows) and (smoke is None or smoke["passed"])
    return {"passed": passed, "examples": rows, "smoke": smoke, "year_examples": len(own)}
