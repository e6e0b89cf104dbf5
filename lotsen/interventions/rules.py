"""Rules for interventions and placements as pure functions (legal-rules.md section 6 and 7). No database.

- R-VERK-1: a favourable decision not carried out within three months is reportable from
  `add_months(decided_on, 3) + 1 day` (or from the interruption date) while nothing has been carried out.
- R-VARD-1: `care_start` = the earlier of the care decision's date and the day the placement began.
- R-VARD-2: a child's care plan is revised at the latest two years after the placement began.
- R-VARD-3: custody transfer is considered two years after the placement in a foster home began, then yearly.
- R-VARD-4: at most two months in a jourhem after the child investigation was closed.
- R-VARD-5: visits at a set interval (a setting).
"""

from __future__ import annotations

from datetime import date

from lotsen.core.workdays import add_days, add_months, add_years

# Decision types that grant an intervention (11:1 SoL) and the intervention kinds each may be carried out as.
INTERVENTION_KINDS_BY_DECISION_TYPE: dict[str, tuple[str, ...]] = {
    "non_residential": ("non_residential",),
    "contact_person": ("contact_person", "contact_family"),
    "placement_hvb": ("placement",),
    "placement_foster_home": ("placement",),
    "adult_intervention": ("non_residential", "contact_person", "placement"),
}
# Placement forms (glossary codes) each placement decision type covers.
PLACEMENT_FORMS_BY_DECISION_TYPE: dict[str, tuple[str, ...]] = {
    "placement_hvb": ("hvb", "stodboende", "skyddat_boende", "sis"),
    "placement_foster_home": ("familjehem", "natverkshem", "jourhem"),
    "adult_intervention": ("hvb", "stodboende", "skyddat_boende"),
}
INTERVENTION_DECISION_TYPES = tuple(INTERVENTION_KINDS_BY_DECISION_TYPE)
# R-VERK-1 concerns favourable decisions ("gynnande beslut").
FAVOURABLE_OUTCOMES = ("granted", "partly_granted")

EXECUTION_MONTHS = 3  # R-VERK-1: "inom tre månader"
JOURHEM_MONTHS = 2  # R-VARD-4
CARE_PLAN_REVISION_YEARS = 2  # R-VARD-2
CUSTODY_TRANSFER_YEARS = 2  # R-VARD-3


def reportable_from(day0: date) -> date:
    """R-VERK-1: the first day a decision (or an interruption) dated `day0` is reportable when nothing has
    been carried out: add_months(day0, 3) + 1 day (E16: 2026-01-15 → 2026-04-16)."""
    return add_days(add_months(day0, EXECUTION_MONTHS), 1)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a calendar quarter; the last day is the report's reference date (R-VERK-1)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1–4, not {quarter}")
    first = date(year, 3 * quarter - 2, 1)
    return first, add_days(add_months(first, 3), -1)


def care_start(decided_on: date | None, start_on: date) -> date:
    """R-VARD-1: the earlier of the care decision's date and the day the placement began."""
    return min(decided_on, start_on) if decided_on else start_on


def jourhem_limit(investigation_closed_on: date) -> date:
    """R-VARD-4: at most two months in a jourhem after the investigation was closed (E14: 2026-04-30 →
    2026-06-30)."""
    return add_months(investigation_closed_on, JOURHEM_MONTHS)


def care_plan_revision_by(placement_start: date) -> date:
    """R-VARD-2: a child's care plan is revised at the latest when placed for two years."""
    return add_years(placement_start, CARE_PLAN_REVISION_YEARS)


def next_custody_transfer_review(placement_start: date, today: date) -> date:
    """R-VARD-3: add_years(placement_start, 2 + k), the first of these on or after `today`."""
    k = 0
    due = add_years(placement_start, CUSTODY_TRANSFER_YEARS)
    while due < today:
        k += 1
        due = add_years(placement_start, CUSTODY_TRANSFER_YEARS + k)
    return due


def next_visit_due(start_on: date, last_visit_on: date | None, interval_months: int) -> date:
    """R-VARD-5: the next visit is due one interval after the last visit, or after the placement began."""
    return add_months(last_visit_on or start_on, interval_months)
