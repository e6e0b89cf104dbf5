"""Rules for automated decisions on ekonomiskt bistånd: pure functions over plain facts (ARCHITECTURE.md
"Rules are pure functions over data"). Each rule returns whether it passed, the value it looked at, the
threshold it compared with and a Swedish sentence saying why; the list is stored with the assessment
(``AutomationAssessment.results``) and shown on "Så fattades beslutet" (UI.md page 21).

The municipality configures which rules apply and their parameters (``AutomationRuleSet.rules``, a list of
``{"code": ..., "enabled": bool, ...parameters}``). Two rules cannot be switched off: an automated decision
needs a complete calculation without warnings, and it only grants aid — a rejection or a partial grant is
always made by a caseworker. An application passes when every applied rule passes; the system then decides
on behalf of the accountable delegate (R-EKB-5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from lotsen.assistance.periods import month_label

NBSP = "\u00a0"
GUIDELINE = "Nämndens riktlinjer för automatiserade beslut"


def kr(amount: int) -> str:
    sign = "−" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", "\u202f") + f"{NBSP}kr"


@dataclass(frozen=True)
class RuleSpec:
    id: str
    code: str
    title_sv: str
    law_ref: str
    defaults: dict[str, Any] = field(default_factory=dict)
    mandatory: bool = False


RULES: list[RuleSpec] = [
    RuleSpec("EB-AUTO-1", "reapplication", "Återansökan efter ett beviljat beslut", GUIDELINE),
    RuleSpec("EB-AUTO-2", "same_household", "Samma hushåll som förra månaden", GUIDELINE),
    RuleSpec("EB-AUTO-3", "no_changed_circumstances", "Inga ändrade förhållanden", GUIDELINE),
    RuleSpec("EB-AUTO-4", "income_verified", "Inkomsterna är kontrollerade", "SoL (2025:400) 12 kap. 1 §"),
    RuleSpec(
        "EB-AUTO-5",
        "costs_within_threshold",
        "Kostnaderna ligger nära förra månadens",
        "SoL (2025:400) 12 kap. 7 § första stycket 2",
        {"threshold_percent": 5, "min_kronor": 100},
    ),
    RuleSpec("EB-AUTO-6", "no_flags", "Inga markeringar som kräver en handläggare", GUIDELINE),
    RuleSpec(
        "EB-AUTO-7",
        "calculation_ok",
        "Beräkningen är klar utan varningar",
        "SoL (2025:400) 12 kap. 7 §",
        mandatory=True,
    ),
    RuleSpec(
        "EB-AUTO-8",
        "entitlement_positive",
        "Beräkningen ger rätt till bistånd",
        "SoL (2025:400) 12 kap. 1 §",
        mandatory=True,
    ),
    RuleSpec("EB-AUTO-9", "max_amount", "Beloppet är inte för högt", GUIDELINE, {"max_kronor": 25000}),
    RuleSpec(
        "EB-AUTO-10",
        "human_review_interval",
        "En handläggare har prövat ärendet nyligen",
        GUIDELINE,
        {"max_automated_in_a_row": 5},
    ),
    RuleSpec(
        "EB-AUTO-11",
        "accountable_delegate",
        "En ansvarig delegat är utsedd",
        "Kommunallagen (2017:725) 6 kap. 37 §",
        mandatory=True,
    ),
]
RULES_BY_CODE = {spec.code: spec for spec in RULES}

FLAG_LABELS = {
    "other_needs": "Den sökande behöver hjälp med annat än försörjningsstöd",
    "message": "Den sökande har skrivit ett meddelande till handläggaren",
    "manual_review": "Handläggaren har bestämt att nästa ansökan ska prövas av en handläggare",
    "completion_answered": "Den sökande har kompletterat ansökan",
    "protected_identity": "Den sökande har skyddade personuppgifter",
}
CHANGE_LABELS = {
    "household": "hushållet",
    "costs": "kostnaderna",
    "incomes": "inkomsterna",
    "other": "annat",
}


def default_rules() -> list[dict[str, Any]]:
    """The rule set a municipality starts from: every rule on, with its default parameters."""
    return [{"code": spec.code, "enabled": True, **spec.defaults} for spec in RULES]


@dataclass(frozen=True)
class Facts:
    """What the rules look at, gathered by ``services`` from the application, the previous month and the
    calculation. Amounts are whole kronor."""

    period: date
    previous_period: date | None = None  # the month of the previous decided application, if any
    previous_granted: bool = False  # the previous month was decided with aid (granted or partly granted)
    members: tuple[tuple[int, str], ...] = ()  # (person id, role)
    previous_members: tuple[tuple[int, str], ...] | None = None
    changed: dict[str, bool] = field(default_factory=dict)
    unverified_incomes: tuple[tuple[str, int], ...] = ()  # (label, amount)
    incomes_count: int = 0
    costs: dict[str, int] = field(default_factory=dict)  # type → amount applied for this month
    previous_costs: dict[str, int] | None = None
    flags: tuple[str, ...] = ()
    entitlement: int | None = None  # None when the calculation failed
    surplus: int = 0
    calculation_error: str | None = None
    warnings: tuple[str, ...] = ()
    automated_in_a_row: int = 0
    delegate: str | None = None  # "Sara Nyström (handläggare), delegationsordningen punkt 5.1"
    delegate_problem: str | None = None


@dataclass(frozen=True)
class RuleResult:
    rule: str
    code: str
    title_sv: str
    passed: bool
    value: Any
    threshold: Any
    explanation_sv: str
    law_ref: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "code": self.code,
            "title_sv": self.title_sv,
            "passed": self.passed,
            "value": self.value,
            "threshold": self.threshold,
            "explanation_sv": self.explanation_sv,
            "law_ref": self.law_ref,
        }


Outcome = tuple[bool, Any, Any, str]


def _reapplication(f: Facts, p: dict[str, Any]) -> Outcome:
    from lotsen.assistance.periods import add_months

    expected = add_months(f.period, -1)
    if f.previous_period == expected and f.previous_granted:
        return (
            True,
            month_label(expected),
            "beviljat beslut förra månaden",
            (f"Det finns ett beslut om bistånd för {month_label(expected)} i samma ärende."),
        )
    if f.previous_period == expected:
        return (
            False,
            month_label(expected),
            "beviljat beslut förra månaden",
            (f"Ansökan för {month_label(expected)} fick avslag. Ansökan prövas därför av en handläggare."),
        )
    return (
        False,
        None,
        "beviljat beslut förra månaden",
        (
            f"Det finns inget beviljat beslut för {month_label(expected)}. En första ansökan, eller en ansökan "
            "efter ett uppehåll, prövas alltid av en handläggare."
        ),
    )


def _same_household(f: Facts, p: dict[str, Any]) -> Outcome:
    if f.previous_members is None:
        return False, len(f.members), None, "Det finns ingen tidigare ansökan att jämföra hushållet med."
    now, before = set(f.members), set(f.previous_members)
    if now == before:
        n = len(now)
        return True, n, n, f"Hushållet är detsamma som förra månaden ({n} {'person' if n == 1 else 'personer'})."
    added, removed = len(now - before), len(before - now)
    return (
        False,
        len(now),
        len(before),
        (f"Hushållet har ändrats sedan förra månaden: {added} tillkommen, {removed} borta eller med ny roll."),
    )


def _no_changed_circumstances(f: Facts, p: dict[str, Any]) -> Outcome:
    changed = [k for k in ("household", "other") if f.changed.get(k)]
    if not changed:
        return True, [], [], "Den sökande har svarat att inget har ändrats i hushållet eller i övrigt."
    words = ", ".join(CHANGE_LABELS[k] for k in changed)
    return False, changed, [], f"Den sökande har angett ändrade förhållanden: {words}."


def _income_verified(f: Facts, p: dict[str, Any]) -> Outcome:
    if not f.unverified_incomes:
        if f.incomes_count == 0:
            return True, 0, 0, "Hushållet har inga inkomster att kontrollera den här månaden."
        return (
            True,
            0,
            0,
            (f"Alla inkomster ({f.incomes_count}) är desamma som i förra månadens kontrollerade ansökan."),
        )
    listed = "; ".join(f"{label} {kr(amount)}" for label, amount in f.unverified_incomes)
    n = len(f.unverified_incomes)
    return (
        False,
        n,
        0,
        (f"{n} {'inkomst är' if n == 1 else 'inkomster är'} nya eller ändrade och inte kontrollerade: {listed}."),
    )


def _costs_within_threshold(f: Facts, p: dict[str, Any]) -> Outcome:
    if f.previous_costs is None:
        return False, sum(f.costs.values()), None, "Det finns inga kostnader från förra månaden att jämföra med."
    new_types = sorted(set(f.costs) - set(f.previous_costs))
    total, before = sum(f.costs.values()), sum(f.previous_costs.values())
    allowed = max(before * int(p.get("threshold_percent", 5)) // 100, int(p.get("min_kronor", 0)))
    threshold = f"{kr(before)} ± {kr(allowed)}"
    if new_types:
        from lotsen.assistance.norm import REASONABLE_COST_LABELS

        names = ", ".join(REASONABLE_COST_LABELS.get(t, t) for t in new_types)
        return False, total, threshold, f"Ansökan har nya kostnader som inte fanns förra månaden: {names}."
    diff = total - before
    if abs(diff) <= allowed:
        return (
            True,
            total,
            threshold,
            (f"Kostnaderna {kr(total)} ligger inom {kr(allowed)} från förra månadens {kr(before)}."),
        )
    return (
        False,
        total,
        threshold,
        (
            f"Kostnaderna {kr(total)} skiljer sig {kr(abs(diff))} från förra månadens {kr(before)}; "
            f"gränsen är {kr(allowed)}."
        ),
    )


def _no_flags(f: Facts, p: dict[str, Any]) -> Outcome:
    if not f.flags:
        return True, [], [], "Ansökan har inga markeringar som kräver en handläggare."
    text = "; ".join(FLAG_LABELS.get(flag, flag) for flag in f.flags)
    return False, list(f.flags), [], f"{text}."


def _calculation_ok(f: Facts, p: dict[str, Any]) -> Outcome:
    if f.calculation_error:
        return False, f.calculation_error, None, f"Beräkningen kunde inte göras: {f.calculation_error}."
    if f.warnings:
        return False, list(f.warnings), [], "Beräkningen gav en varning: " + "; ".join(f.warnings) + "."
    return True, [], [], "Beräkningen enligt riksnormen är klar och gav inga varningar."


def _entitlement_positive(f: Facts, p: dict[str, Any]) -> Outcome:
    if f.entitlement is None:
        return False, None, 1, "Det finns ingen beräkning att fatta beslut på."
    if f.entitlement > 0:
        return True, f.entitlement, 1, f"Beräkningen ger rätt till bistånd med {kr(f.entitlement)}."
    return (
        False,
        0,
        1,
        (
            f"Inkomsterna är lika höga som eller högre än behovet (överskott {kr(f.surplus)}). "
            "Ett avslag fattas alltid av en handläggare."
        ),
    )


def _max_amount(f: Facts, p: dict[str, Any]) -> Outcome:
    limit = int(p.get("max_kronor", 25000))
    value = f.entitlement or 0
    if value <= limit:
        return True, value, limit, f"Beloppet {kr(value)} är inte högre än {kr(limit)}."
    return False, value, limit, f"Beloppet {kr(value)} är högre än {kr(limit)} och prövas av en handläggare."


def _human_review_interval(f: Facts, p: dict[str, Any]) -> Outcome:
    limit = int(p.get("max_automated_in_a_row", 5))
    n = f.automated_in_a_row
    if n < limit:
        return (
            True,
            n,
            limit,
            (
                f"{n} beslut i följd före den här månaden har fattats automatiskt; "
                f"efter {limit} prövar en handläggare ansökan."
            ),
        )
    return (
        False,
        n,
        limit,
        (f"De senaste {n} besluten har fattats automatiskt. En handläggare prövar ansökan efter {limit} i följd."),
    )


def _accountable_delegate(f: Facts, p: dict[str, Any]) -> Outcome:
    if f.delegate and not f.delegate_problem:
        return True, f.delegate, None, f"Beslutet fattas på uppdrag av den ansvariga delegaten {f.delegate}."
    return False, f.delegate, None, f.delegate_problem or "Ingen ansvarig delegat är utsedd i automatiseringsreglerna."


CHECKS: dict[str, Callable[[Facts, dict[str, Any]], Outcome]] = {
    "reapplication": _reapplication,
    "same_household": _same_household,
    "no_changed_circumstances": _no_changed_circumstances,
    "income_verified": _income_verified,
    "costs_within_threshold": _costs_within_threshold,
    "no_flags": _no_flags,
    "calculation_ok": _calculation_ok,
    "entitlement_positive": _entitlement_positive,
    "max_amount": _max_amount,
    "human_review_interval": _human_review_interval,
    "accountable_delegate": _accountable_delegate,
}


class RuleSetError(ValueError):
    """A rule set that cannot be used (unknown rule, mandatory rule off, bad parameter)."""


def normalise(rules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validate a configured rule list and fill it up to the full catalogue in catalogue order."""
    by_code: dict[str, dict[str, Any]] = {}
    for item in rules:
        code = item.get("code")
        if code not in RULES_BY_CODE:
            raise RuleSetError(f"Okänd regel: {code}")
        by_code[code] = item
    result = []
    for spec in RULES:
        item = dict(by_code.get(spec.code, {"code": spec.code, "enabled": True}))
        item["enabled"] = bool(item.get("enabled", True)) or spec.mandatory
        for name, default in spec.defaults.items():
            value = item.get(name, default)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise RuleSetError(f"Parametern {name} i regel {spec.id} måste vara ett heltal från 0.")
            item[name] = value
        result.append(item)
    return result


def evaluate(rules: list[dict[str, Any]], facts: Facts) -> tuple[bool, list[dict[str, Any]]]:
    """Apply every enabled rule; returns (all passed, results as stored)."""
    results = []
    for item in normalise(rules):
        if not item["enabled"]:
            continue
        spec = RULES_BY_CODE[item["code"]]
        passed, value, threshold, text = CHECKS[spec.code](facts, item)
        results.append(RuleResult(spec.id, spec.code, spec.title_sv, passed, value, threshold, text, spec.law_ref))
    return all(r.passed for r in results), [r.as_dict() for r in results]


def queue_reason(results: list[dict[str, Any]]) -> str:
    """One line for the caseworker's queue: the first failed rule's explanation (+ "och N till")."""
    failed = [r for r in results if not r["passed"]]
    if not failed:
        return ""
    text = failed[0]["explanation_sv"]
    if len(failed) > 1:
        text += f" (och {len(failed) - 1} {'regel' if len(failed) == 2 else 'regler'} till)"
    return text
