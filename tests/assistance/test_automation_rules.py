"""The automation rules (pure functions): each rule passes and fails on its values, the explanation names the
values and the threshold, the rule set is validated, and invariants hold for any input (hypothesis)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lotsen.assistance import automation
from lotsen.assistance.automation import Facts, RuleSetError, default_rules, evaluate, normalise, queue_reason

MARCH = dt.date(2026, 3, 1)
FEBRUARY = dt.date(2026, 2, 1)


def passing_facts(**changes) -> Facts:
    base = {
        "period": MARCH,
        "previous_period": FEBRUARY,
        "previous_granted": True,
        "members": ((1, "applicant"), (2, "child")),
        "previous_members": ((1, "applicant"), (2, "child")),
        "changed": {"household": False, "costs": False, "incomes": False, "other": False},
        "unverified_incomes": (),
        "incomes_count": 1,
        "costs": {"housing": 7000, "household_electricity": 300},
        "previous_costs": {"housing": 7000, "household_electricity": 300},
        "flags": (),
        "entitlement": 14120,
        "surplus": 0,
        "calculation_error": None,
        "warnings": (),
        "automated_in_a_row": 1,
        "delegate": "Sara Nyström (handläggare), delegationsordningen punkt 5.1",
        "delegate_problem": None,
    }
    base.update(changes)
    return Facts(**base)


def result_of(code: str, facts: Facts, **params) -> dict:
    rules = [{"code": code, "enabled": True, **params}]
    _passed, results = evaluate(rules, facts)
    return next(r for r in results if r["code"] == code)


def test_all_rules_pass_for_an_unchanged_reapplication():
    passed, results = evaluate(default_rules(), passing_facts())
    assert passed
    assert [r["rule"] for r in results] == [spec.id for spec in automation.RULES]
    assert all(r["explanation_sv"] and r["title_sv"] and r["law_ref"] for r in results)
    assert queue_reason(results) == ""


@pytest.mark.parametrize(
    ("facts", "passed", "text"),
    [
        (passing_facts(), True, "Det finns ett beslut om bistånd för februari 2026"),
        (passing_facts(previous_period=None, previous_members=None), False, "En första ansökan"),
        (passing_facts(previous_period=dt.date(2026, 1, 1)), False, "Det finns inget beviljat beslut för februari"),
        (passing_facts(previous_granted=False), False, "fick avslag"),
    ],
)
def test_reapplication(facts, passed, text):
    r = result_of("reapplication", facts)
    assert r["passed"] is passed and text in r["explanation_sv"]


def test_same_household():
    assert result_of("same_household", passing_facts())["passed"]
    r = result_of("same_household", passing_facts(members=((1, "applicant"), (2, "child"), (3, "child"))))
    assert not r["passed"] and (r["value"], r["threshold"]) == (3, 2)
    assert "1 tillkommen" in r["explanation_sv"]
    # A child who becomes a partner is a change of role.
    assert not result_of("same_household", passing_facts(members=((1, "applicant"), (2, "partner"))))["passed"]


@pytest.mark.parametrize("key", ["household", "other"])
def test_changed_circumstances_fail_the_rule(key):
    r = result_of("no_changed_circumstances", passing_facts(changed={key: True}))
    assert not r["passed"] and r["value"] == [key]
    # Changed amounts are judged by their own rules, not by this one.
    assert result_of("no_changed_circumstances", passing_facts(changed={"costs": True, "incomes": True}))["passed"]


def test_income_verified():
    assert "inga inkomster" in result_of("income_verified", passing_facts(incomes_count=0))["explanation_sv"]
    r = result_of("income_verified", passing_facts(unverified_incomes=(("Lön (inkomst av anställning)", 9000),)))
    assert not r["passed"] and r["value"] == 1
    assert "Lön (inkomst av anställning) 9\u202f000\u00a0kr" in r["explanation_sv"]


@pytest.mark.parametrize(
    ("costs", "passed"),
    [
        ({"housing": 7000, "household_electricity": 300}, True),
        ({"housing": 7000, "household_electricity": 665}, True),
        ({"housing": 7000, "household_electricity": 666}, False),
        ({"housing": 6935, "household_electricity": 300}, True),
        ({"housing": 6600, "household_electricity": 300}, False),
    ],
    ids=["same", "at-limit", "above", "cheaper-within", "cheaper-beyond"],
)
def test_costs_within_threshold(costs, passed):
    # Previous 7 300 kr; 5 % = 365 kr → allowed ± 365 kr.
    r = result_of("costs_within_threshold", passing_facts(costs=costs), threshold_percent=5, min_kronor=100)
    assert r["passed"] is passed, r
    assert r["value"] == sum(costs.values())
    assert r["threshold"] == "7\u202f300\u00a0kr ± 365\u00a0kr"


def test_costs_new_type_and_minimum():
    r = result_of(
        "costs_within_threshold",
        passing_facts(costs={"housing": 7000, "household_electricity": 300, "work_travel": 50}),
    )
    assert not r["passed"] and "Arbetsresor" in r["explanation_sv"]
    small = passing_facts(costs={"housing": 1090}, previous_costs={"housing": 1000})
    assert result_of("costs_within_threshold", small, threshold_percent=5, min_kronor=100)["passed"]
    assert not result_of("costs_within_threshold", small, threshold_percent=5, min_kronor=50)["passed"]


def test_flags_calculation_entitlement_amount_interval_and_delegate():
    r = result_of("no_flags", passing_facts(flags=("message", "manual_review")))
    assert not r["passed"] and "meddelande" in r["explanation_sv"] and "nästa ansökan" in r["explanation_sv"]
    assert not result_of(
        "calculation_ok", passing_facts(calculation_error="Lotsen har ingen riksnormstabell för 2027", entitlement=None)
    )["passed"]
    assert not result_of("calculation_ok", passing_facts(warnings=("Barnet c1 är 7 år",)))["passed"]
    r = result_of("entitlement_positive", passing_facts(entitlement=0, surplus=1620))
    assert not r["passed"] and "överskott 1\u202f620\u00a0kr" in r["explanation_sv"]
    assert not result_of("max_amount", passing_facts(entitlement=25001), max_kronor=25000)["passed"]
    assert result_of("max_amount", passing_facts(entitlement=25000), max_kronor=25000)["passed"]
    r = result_of("human_review_interval", passing_facts(automated_in_a_row=5), max_automated_in_a_row=5)
    assert not r["passed"] and (r["value"], r["threshold"]) == (5, 5)
    r = result_of("accountable_delegate", passing_facts(delegate=None))
    assert not r["passed"] and "Ingen ansvarig delegat" in r["explanation_sv"]


def test_disabled_rules_are_not_applied_but_mandatory_ones_are():
    rules = [{"code": "income_verified", "enabled": False}, {"code": "entitlement_positive", "enabled": False}]
    normalised = {r["code"]: r for r in normalise(rules)}
    assert normalised["income_verified"]["enabled"] is False
    assert normalised["entitlement_positive"]["enabled"] is True  # an automated decision only grants
    passed, results = evaluate(rules, passing_facts(unverified_incomes=(("Lön", 1),)))
    assert passed and "income_verified" not in {r["code"] for r in results}
    assert not evaluate(rules, passing_facts(entitlement=0))[0]


def test_rule_set_validation():
    with pytest.raises(RuleSetError, match="Okänd regel"):
        normalise([{"code": "always_yes"}])
    with pytest.raises(RuleSetError, match="heltal"):
        normalise([{"code": "max_amount", "max_kronor": -1}])
    with pytest.raises(RuleSetError, match="heltal"):
        normalise([{"code": "max_amount", "max_kronor": 1.5}])


def test_queue_reason_names_the_first_failed_rule_and_counts_the_rest():
    _p, results = evaluate(
        default_rules(), passing_facts(previous_period=None, previous_members=None, flags=("message",))
    )
    text = queue_reason(results)
    assert text.startswith("Det finns inget beviljat beslut") and text.endswith("(och 2 regler till)")


facts_strategy = st.builds(
    passing_facts,
    previous_granted=st.booleans(),
    unverified_incomes=st.lists(
        st.tuples(st.sampled_from(["Lön", "Sjukpenning"]), st.integers(1, 50000)), max_size=3
    ).map(tuple),
    costs=st.dictionaries(
        st.sampled_from(["housing", "household_electricity", "home_insurance"]), st.integers(0, 20000), max_size=3
    ),
    flags=st.lists(st.sampled_from(list(automation.FLAG_LABELS)), max_size=2, unique=True).map(tuple),
    entitlement=st.one_of(st.none(), st.integers(0, 60000)),
    automated_in_a_row=st.integers(0, 12),
)


@given(facts_strategy)
def test_passes_exactly_when_every_applied_rule_passes(facts):
    passed, results = evaluate(default_rules(), facts)
    assert passed == all(r["passed"] for r in results)
    assert bool(queue_reason(results)) == (not passed)
    # An automated decision is never a rejection: no pass without aid to grant.
    if passed:
        assert facts.entitlement and facts.entitlement > 0


@given(
    previous=st.integers(1, 30000),
    change=st.integers(-30000, 30000),
    percent=st.integers(0, 50),
    minimum=st.integers(0, 2000),
)
def test_cost_rule_is_symmetric_and_monotone_in_the_threshold(previous, change, percent, minimum):
    current = max(0, previous + change)
    facts = passing_facts(costs={"housing": current}, previous_costs={"housing": previous})
    tight = result_of("costs_within_threshold", facts, threshold_percent=percent, min_kronor=minimum)["passed"]
    loose = result_of("costs_within_threshold", facts, threshold_percent=percent + 5, min_kronor=minimum + 100)
    if tight:
        assert loose["passed"]  # a wider threshold never turns a pass into a fail
    allowed = max(previous * percent // 100, minimum)
    assert tight == (abs(current - previous) <= allowed)


def test_activation_examples_are_the_golden_examples():
    """lotsen/assistance/golden (used before a rate table is activated, page 27) equals tests/assistance/golden."""
    from pathlib import Path

    from lotsen.assistance.golden import GOLDEN_DIR

    tests_dir = Path(__file__).resolve().parent / "golden"
    copies = {p.name: p.read_bytes() for p in GOLDEN_DIR.glob("*.json")}
    originals = {p.name: p.read_bytes() for p in tests_dir.glob("*.json")}
    assert copies == originals


def test_activation_check_passes_for_the_shipped_tables():
    from lotsen.assistance.golden import check_with
    from lotsen.assistance.tables import load_tables

    report = check_with(load_tables().get(2026))
    assert report["passed"] and report["year_examples"] >= 5
