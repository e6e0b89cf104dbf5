"""From an application to the norm engine and back: the engine input (``lotsen.norm.input/1``) with the
caseworker's adjustments, the rate tables in force (shipped files, overridden per year by an activated
upload) and the municipality's norm settings; and the rows of the calculation table (page 19).

Pure apart from ``current_tables`` and ``norm_settings`` (one query each).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from lotsen.assistance.norm import INCOME_LABELS, OTHER_NEED_LABELS, REASONABLE_COST_LABELS, calculate
from lotsen.assistance.periods import month_text
from lotsen.assistance.tables import RateTable, TableSet, load_tables, validate_table
from lotsen.core.errors import DomainError

ADJUSTMENT_KINDS = ("cost", "other_need", "norm")
MAX_ADJUSTMENTS = 12
_NORM_INCOME_KEYS = ("member_id", "type", "amount", "earned_before_in_year", "exempt_reason", "note")
_NORM_MEMBER_KEYS = ("id", "role", "birth_date", "age", "in_school", "lunch_away_weekdays", "days_in_household")


# --- tables and settings ---------------------------------------------------------------------------------

_TABLE_CACHE: dict[tuple[int, ...], TableSet] = {}


def current_tables() -> TableSet:
    """The shipped tables, with each year that has an activated upload replaced by it (riksnorm.md 2.6)."""
    from lotsen.assistance.models import NormTableStatus, NormTableVersion

    active = list(
        NormTableVersion.objects.filter(status=NormTableStatus.ACTIVE).order_by("id").values_list("id", flat=True)
    )
    key = tuple(active)
    cached = _TABLE_CACHE.get(key)
    if cached is not None:
        return cached
    shipped = load_tables()
    if not active:
        tables = shipped
    else:
        uploads: dict[int, RateTable] = {}
        for version in NormTableVersion.objects.filter(pk__in=active):
            uploads[version.year] = validate_table(version.document, expected_year=version.year, source="upload")
        tables = combine(shipped, uploads)
    _TABLE_CACHE.clear()
    _TABLE_CACHE[key] = tables
    return tables


def combine(shipped: TableSet, uploads: dict[int, RateTable]) -> TableSet:
    base = [shipped.get(year) for year in shipped.years() if year not in uploads]
    return TableSet([*base, *uploads.values()])


def norm_settings() -> dict[str, Any]:
    """The municipality's norm settings (riksnorm.md 3.8): ``Municipality.settings["assistance"]["norm"]``."""
    from lotsen.core.models import Municipality

    municipality = Municipality.objects.order_by("id").first()
    configured = ((municipality.settings if municipality else {}) or {}).get("assistance", {}).get("norm", {})
    return {k: v for k, v in configured.items() if k in ("age_rule", "count_child_earnings_above_pbb")}


# --- adjustments -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Adjustment:
    """A caseworker's change of one line for special reasons: ``cost``/``other_need`` lines are raised or
    lowered (a line lowered by its whole amount is refused), ``norm`` adds a norm adjustment (RN-A8)."""

    kind: str
    amount: int
    reason: str
    index: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "index": self.index, "amount": self.amount, "reason": self.reason}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Adjustment:
        return cls(kind=data["kind"], amount=int(data["amount"]), reason=data["reason"], index=data.get("index"))


def validate_adjustments(costs: dict[str, Any], adjustments: list[Adjustment]) -> None:
    """Raises DomainError (Swedish) for an adjustment that does not fit the application."""
    if len(adjustments) > MAX_ADJUSTMENTS:
        raise DomainError(f"Du kan göra högst {MAX_ADJUSTMENTS} justeringar.", field="adjustments")
    lines = {"cost": costs.get("reasonable_costs", []), "other_need": costs.get("other_needs", [])}
    totals: dict[tuple[str, int], int] = {}
    for adj in adjustments:
        if adj.kind not in ADJUSTMENT_KINDS:
            raise DomainError("Välj vilken post justeringen gäller.", field="adjustments")
        if adj.amount == 0:
            raise DomainError("Ange ett belopp större än 0 för justeringen.", field="adjustments")
        if not adj.reason.strip():
            raise DomainError("Skriv motiveringen till justeringen.", field="adjustments")
        if adj.kind == "norm":
            continue
        rows = lines[adj.kind]
        if adj.index is None or not 0 <= adj.index < len(rows):
            raise DomainError("Välj vilken post justeringen gäller.", field="adjustments")
        key = (adj.kind, adj.index)
        totals[key] = totals.get(key, 0) + adj.amount
        if rows[adj.index]["amount"] + totals[key] < 0:
            raise DomainError(
                "En sänkning kan inte vara större än det belopp som posten har i ansökan.", field="adjustments"
            )


# --- the engine input ---------------------------------------------------------------------------------------


def norm_members(snapshot: dict[str, Any], jobbstimulans: dict[str, dict[str, Any]] | None = None) -> list[dict]:
    members = []
    for member in snapshot["members"]:
        item = {k: member[k] for k in _NORM_MEMBER_KEYS if k in member and member[k] is not None}
        if item["role"] != "child":
            for k in ("in_school", "lunch_away_weekdays", "days_in_household"):
                item.pop(k, None)
            if jobbstimulans and member["id"] in jobbstimulans:
                item["jobbstimulans"] = jobbstimulans[member["id"]]
        elif "birth_date" in item:
            item.pop("age", None)
        members.append(item)
    return members


def build_input(
    *,
    period_text: str,
    household_snapshot: dict[str, Any],
    costs: dict[str, Any],
    incomes: list[dict[str, Any]],
    jobbstimulans: dict[str, dict[str, Any]] | None = None,
    adjustments: list[Adjustment] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """The ``lotsen.norm.input/1`` document for an application with the caseworker's adjustments applied."""
    reasonable = copy.deepcopy(costs.get("reasonable_costs", []))
    other = copy.deepcopy(costs.get("other_needs", []))
    norm_adjustments: list[dict[str, Any]] = []
    for adj in adjustments:
        if adj.kind == "norm":
            norm_adjustments.append({"amount": adj.amount, "reason": adj.reason.strip()[:500]})
            continue
        target = reasonable if adj.kind == "cost" else other
        line = target[adj.index or 0]
        line["amount"] = line["amount"] + adj.amount
        line["note"] = adj.reason.strip()[:500]
    doc: dict[str, Any] = {
        "schema": "lotsen.norm.input/1",
        "period": period_text,
        "members": norm_members(household_snapshot, jobbstimulans),
    }
    shared = household_snapshot.get("shared_household")
    if shared:
        doc["shared_household"] = {"total_persons": shared["total_persons"]}
    doc["reasonable_costs"] = [
        {k: v for k, v in line.items() if k in ("type", "amount", "note") and v is not None} for line in reasonable
    ]
    doc["other_needs"] = [
        {k: v for k, v in line.items() if k in ("type", "amount", "note") and v is not None} for line in other
    ]
    doc["norm_adjustments"] = norm_adjustments
    doc["incomes"] = [
        {k: line[k] for k in _NORM_INCOME_KEYS if k in line and line[k] not in (None, "")} for line in incomes
    ]
    return doc


def run(
    document: dict[str, Any], *, tables: TableSet | None = None, settings: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One engine run with the tables and settings in force (NormError on invalid input or missing table)."""
    return calculate(
        document,
        settings=norm_settings() if settings is None else settings,
        tables=current_tables() if tables is None else tables,
    )


def application_input(
    application: Any, *, jobbstimulans: dict[str, dict[str, Any]] | None = None, adjustments: Sequence[Adjustment] = ()
) -> dict[str, Any]:
    return build_input(
        period_text=month_text(application.period),
        household_snapshot=application.household_snapshot,
        costs=application.costs,
        incomes=application.incomes,
        jobbstimulans=jobbstimulans,
        adjustments=list(adjustments),
    )


# --- the calculation table (page 19) -------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    basis: str = ""
    law_ref: str = ""
    amount: int | None = None
    unverified: bool = False
    kind: str = "line"  # line | total | result
    negative: bool = False


@dataclass
class Section:
    title: str
    rows: list[Row] = field(default_factory=list)


def _adjusted_basis(applied: int, decided: int, note: str | None) -> str:
    if decided == applied:
        return f"Ansökt {applied} kr"
    change = decided - applied
    word = "höjt" if change > 0 else "sänkt"
    text = f"Ansökt {applied} kr, {word} med {abs(change)} kr"
    return f"{text}: {note}" if note else text


def table_sections(
    result: dict[str, Any], costs: dict[str, Any] | None = None, member_names: dict[str, str] | None = None
) -> list[Section]:
    """The rows of "Post / Underlag / Lagrum / Kronor" in the engine's order (RN-A order)."""
    names = member_names or {}
    applied_costs = (costs or {}).get("reasonable_costs", [])
    applied_needs = (costs or {}).get("other_needs", [])
    norm = Section("Riksnorm")
    for line in result["norm_lines"]:
        norm.rows.append(Row(line["label"], line["basis"], line["law_ref"], line["amount"], line["unverified"]))
    norm.rows.append(Row("Summa riksnorm", amount=result["norm_total"], kind="total"))
    reasonable = Section("Skäliga kostnader")
    for i, line in enumerate(result["reasonable_cost_lines"]):
        applied = applied_costs[i]["amount"] if i < len(applied_costs) else line["amount"]
        reasonable.rows.append(
            Row(line["label"], _adjusted_basis(applied, line["amount"], line["note"]), line["law_ref"], line["amount"])
        )
    reasonable.rows.append(Row("Summa skäliga kostnader", amount=result["reasonable_costs_total"], kind="total"))
    sections = [norm, reasonable]
    if result["other_need_lines"]:
        other = Section("Levnadskostnader i övrigt")
        for i, line in enumerate(result["other_need_lines"]):
            applied = applied_needs[i]["amount"] if i < len(applied_needs) else line["amount"]
            other.rows.append(
                Row(
                    line["label"],
                    _adjusted_basis(applied, line["amount"], line["note"]),
                    line["law_ref"],
                    line["amount"],
                )
            )
        other.rows.append(Row("Summa levnadskostnader i övrigt", amount=result["other_needs_total"], kind="total"))
        sections.append(other)
    need = Section("Behov")
    need.rows.append(Row("Summa behov", amount=result["need_total"], kind="total"))
    sections.append(need)
    income = Section("Inkomster")
    for line in result["income_lines"]:
        who = names.get(line["member_id"], "")
        label = f"{line['label']}, {who}" if who else line["label"]
        basis = f"{line['amount']} kr"
        if line["excluded"]:
            reason = {
                "jobbstimulans": "jobbstimulans 25 %",
                "child_earnings": "barns inkomst av eget arbete",
                "exempt": "räknas inte",
            }.get(line["exclusion"] or "", "")
            basis += f", {line['excluded']} kr räknas inte ({reason})"
        income.rows.append(Row(label, basis, line["law_ref"], line["counted"], negative=True))
    income.rows.append(
        Row("Summa inkomster som räknas", amount=result["income_counted_total"], kind="total", negative=True)
    )
    sections.append(income)
    outcome = Section("Resultat")
    if result["entitlement"] > 0 or not result["surplus"]:
        outcome.rows.append(Row("Bistånd", amount=result["entitlement"], kind="result"))
    else:
        outcome.rows.append(Row("Överskott", amount=result["surplus"], kind="result"))
    sections.append(outcome)
    return sections


def label_for(kind: str, code: str) -> str:
    labels = {"cost": REASONABLE_COST_LABELS, "other_need": OTHER_NEED_LABELS, "income": INCOME_LABELS}[kind]
    return labels.get(code, code)
