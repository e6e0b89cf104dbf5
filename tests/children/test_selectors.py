"""Repeated reports (FU-M2, the caseworker warning): three or more reports within six months and no open
investigation flag the child. Dates move with time-machine; six months is `add_months(today, -6)`."""

from __future__ import annotations

import datetime as dt

import pytest

from lotsen.children import selectors
from tests.children.conftest import at, decide, make_child, register, sign_protection

pytestmark = pytest.mark.django_db


def _report_on(frozen, caseworker, unit, child, day, *, decide_outcome="inleds_ej"):
    frozen.move_to(at(day, 15, 0))
    [result] = register(caseworker, unit, child, received_at=at(day))
    sign_protection(caseworker, result.intake)
    if decide_outcome:
        decide(caseworker, result.case, outcome=decide_outcome)
    return result


def test_three_reports_in_six_months_without_investigation_are_flagged(frozen, caseworker, unit):
    child = make_child()
    for day in (dt.date(2025, 10, 1), dt.date(2026, 1, 12), dt.date(2026, 3, 2)):
        _report_on(frozen, caseworker, unit, child, day)
    history = selectors.repeated_reports(child, dt.date(2026, 3, 16))
    assert (history.count, history.flagged, history.since) == (3, True, dt.date(2025, 9, 16))
    # 2026-04-02: the report of 2025-10-01 is more than six months old (window starts 2025-10-02).
    later = selectors.repeated_reports(child, dt.date(2026, 4, 2))
    assert (later.count, later.flagged) == (2, False)
    # The first day of the window still counts (2026-04-01 − 6 months = 2025-10-01).
    assert selectors.repeated_reports(child, dt.date(2026, 4, 1)).count == 3


def test_two_reports_are_not_flagged(frozen, caseworker, unit):
    child = make_child()
    for day in (dt.date(2026, 2, 2), dt.date(2026, 3, 2)):
        _report_on(frozen, caseworker, unit, child, day)
    history = selectors.repeated_reports(child, dt.date(2026, 3, 16))
    assert history.count == 2 and not history.flagged


def test_an_open_investigation_removes_the_flag(frozen, caseworker, unit):
    child = make_child()
    _report_on(frozen, caseworker, unit, child, dt.date(2026, 1, 5))
    _report_on(frozen, caseworker, unit, child, dt.date(2026, 2, 2))
    _report_on(frozen, caseworker, unit, child, dt.date(2026, 3, 2), decide_outcome="utredning_inleds")
    history = selectors.repeated_reports(child, dt.date(2026, 3, 16))
    assert history.count == 3 and history.open_investigation and not history.flagged


def test_reports_about_other_children_and_the_future_do_not_count(frozen, caseworker, unit):
    child, sibling = make_child(), make_child()
    for day in (dt.date(2026, 1, 5), dt.date(2026, 2, 2)):
        _report_on(frozen, caseworker, unit, child, day)
    _report_on(frozen, caseworker, unit, sibling, dt.date(2026, 3, 2))
    assert selectors.repeated_reports(child, dt.date(2026, 3, 16)).count == 2
    # Asked about an earlier day, a later report is not counted.
    assert selectors.repeated_reports(child, dt.date(2026, 1, 31)).count == 1


def test_the_count_includes_reports_in_units_the_user_cannot_see(frozen, caseworker, unit, other_unit):
    from lotsen.accounts.models import Role
    from tests.factories import MembershipFactory

    child = make_child()
    elsewhere = MembershipFactory(unit=other_unit, role=Role.CASEWORKER).user
    for day in (dt.date(2026, 1, 5), dt.date(2026, 2, 2)):
        _report_on(frozen, elsewhere, other_unit, child, day)
    _report_on(frozen, caseworker, unit, child, dt.date(2026, 3, 2))
    history = selectors.repeated_reports(child, dt.date(2026, 3, 16))
    assert history.count == 3 and history.flagged
    # The details are only those the user may see.
    assert len(selectors.earlier_reports(caseworker, child)) == 1
