"""Households per second for the riksnorm engine on one core.

    python bench/bench_norm.py [--households N] [--seed S]

Builds N random but deterministic households (seeded), runs ``lotsen.assistance.norm.calculate`` on each in
this single process and prints the throughput. The goal is at least 5 000 households per second.
"""

from __future__ import annotations

import argparse
import calendar
import random
import time
from typing import Any

from lotsen.assistance.norm import INCOME_LABELS, REASONABLE_COST_LABELS, calculate
from lotsen.assistance.tables import load_tables

GOAL_PER_SECOND = 5_000


def make_household(rng: random.Random, years: tuple[int, ...]) -> dict[str, Any]:
    year, month = rng.choice(years), rng.randint(1, 12)
    full_lunch_table = not load_tables().get(year).missing
    members: list[dict[str, Any]] = [{"id": "a1", "role": "applicant"}]
    if rng.random() < 0.4:
        members.append({"id": "a2", "role": "partner"})
    if rng.random() < 0.3:
        members[0]["jobbstimulans"] = {"window_start": f"{year - 1}-{rng.randint(1, 12):02d}"}
    for index in range(rng.choice([0, 0, 1, 1, 2, 2, 3, 4, 6])):
        age = rng.randint(0, 17)
        child: dict[str, Any] = {"id": f"c{index}", "role": "child"}
        if rng.random() < 0.5:
            child["age"] = age
            child["lunch_away_weekdays"] = age <= 6 and full_lunch_table and rng.random() < 0.5
        else:
            birth_year = year - rng.randint(1, 17)  # aged 0-17 whatever the month
            child["birth_date"] = f"{birth_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if rng.random() < 0.15:
            child["days_in_household"] = rng.randint(1, calendar.monthrange(year, month)[1])
        members.append(child)
    data: dict[str, Any] = {
        "schema": "lotsen.norm.input/1",
        "period": f"{year}-{month:02d}",
        "members": members,
        "reasonable_costs": [
            {"type": cost_type, "amount": rng.randint(100, 9000)}
            for cost_type in rng.sample(sorted(REASONABLE_COST_LABELS), rng.randint(1, 4))
        ],
        "incomes": [
            {"member_id": "a1", "type": income_type, "amount": rng.randint(0, 15000)}
            for income_type in rng.sample(sorted(INCOME_LABELS.keys() - {"other"}), rng.randint(0, 3))
        ],
    }
    if len(members) == 1 and rng.random() < 0.3:
        data["shared_household"] = {"total_persons": rng.randint(2, 6)}
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=20260301)
    args = parser.parse_args()

    years = load_tables().years()  # load and validate the tables before timing
    rng = random.Random(args.seed)
    households = [make_household(rng, years) for _ in range(args.households)]
    calculate(households[0])  # warm-up

    started = time.perf_counter()
    entitlement = 0
    for household in households:
        entitlement += calculate(household)["entitlement"]
    elapsed = time.perf_counter() - started

    per_second = len(households) / elapsed
    verdict = "ok" if per_second >= GOAL_PER_SECOND else f"BELOW the goal of {GOAL_PER_SECOND}"
    print(
        f"norm engine: {len(households)} households in {elapsed:.2f} s = {per_second:,.0f} households/second "
        f"on one core ({verdict}); total entitlement {entitlement} kr"
    )


if __name__ == "__main__":
    main()
