"""Pure date rules of the decision's afterlife (no database)."""

from __future__ import annotations

from datetime import date, timedelta

from lotsen.core.workdays import add_months, add_weeks, sunday_rule

APPEAL_WEEKS = 3


def appeal_due_on(notified_on: date) -> date:
    """R-BESL-3 (FL 44 §): three weeks from the day the person learned of the decision; a last day that is not
    a working day moves to the next working day (R-TID-4: the individual's act). E11: 2026-03-02 → 2026-03-23;
    E12: 2026-12-03 → 2026-12-24 (julafton) → 2026-12-28."""
    return sunday_rule(add_weeks(notified_on, APPEAL_WEEKS))


def report_period(list_closes_on: date, previous_list_closes_on: date | None) -> tuple[date, date]:
    """R-DEL-3: the decisions on a meeting's list are those signed after the previous meeting's list closed,
    up to and including this meeting's closing day. The first meeting covers the month before it."""
    if previous_list_closes_on is None:
        start = add_months(list_closes_on, -1) + timedelta(days=1)
    else:
        start = previous_list_closes_on + timedelta(days=1)
    return start, list_closes_on
