"""Invariants of the deadline engine and the date arithmetic (hypothesis)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lotsen.cases.deadlines import (
    Deadline,
    DeadlineSettings,
    Event,
    Kind,
    Status,
    add_days,
    add_months,
    add_weeks,
    add_years,
    compute_deadlines,
)
from lotsen.core.workdays import is_working_day, next_working_day
from lotsen.core.workdays import sunday_rule as shift

SUNDAY_RULE = DeadlineSettings(sunday_rule_for_board_deadlines=True)
BOARD_KINDS = {Kind.PRE_ASSESSMENT, Kind.INVESTIGATION, Kind.CARE_REVIEW, Kind.REPORTER_FEEDBACK}
DONE = {Status.MET, Status.LATE, Status.LATE_WITHIN_SUNDAY_RULE}

day0s = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))
any_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 31))
offsets = st.integers(min_value=0, max_value=40)
SAME_DATE_ORDER = [
    "report_received",
    "protection_assessment_signed",
    "pre_assessment_extended",
    "pre_assessment_decided",
    "reporter_feedback_requested",
    "reporter_feedback_sent",
    "investigation_opened",
    "investigation_extended",
    "investigation_decided",
    "placement_started",
    "care_reviewed",
]


def ev(type_: str, on: date, **payload: object) -> Event:
    return Event(type_, on, payload)


@dataclass(frozen=True)
class Scenario:
    events: list[Event]
    today: date | None


@st.composite
def child_cases(draw: st.DrawFn) -> Scenario:
    """A consistent child case: a report, its assessments, maybe an extension, feedback, an investigation and
    a placement with reviews; same-date events are listed in a valid order."""
    events: list[Event] = []
    received = draw(day0s)
    events.append(ev("report_received", received))
    signed = add_days(received, draw(st.integers(min_value=0, max_value=5)))
    events.append(ev("protection_assessment_signed", signed))
    due = add_days(received, 14)
    decided_on = add_days(signed, draw(offsets)) if draw(st.booleans()) else None
    if draw(st.booleans()):
        last_day = decided_on or add_days(received, 40)
        extended_on = draw(st.dates(min_value=received, max_value=max(received, last_day)))
        # at least a week after the due date, so that it is also after it with the Sunday rule setting
        until = add_days(due, draw(st.integers(min_value=7, max_value=40)))
        events.append(ev("pre_assessment_extended", extended_on, until=until.isoformat()))
    if draw(st.booleans()):
        events.append(ev("reporter_feedback_requested", add_days(received, draw(offsets))))
        if decided_on is not None and draw(st.booleans()):
            requested_on = events[-1].occurred_on
            events.append(ev("reporter_feedback_sent", add_days(max(requested_on, decided_on), draw(offsets))))
    if decided_on is not None:
        outcome = draw(st.sampled_from(["open", "not_open"]))
        events.append(ev("pre_assessment_decided", decided_on, outcome=outcome))
        if outcome == "open" and draw(st.booleans()):
            opened = add_days(decided_on, draw(st.integers(min_value=0, max_value=10)))
            events.append(ev("investigation_opened", opened))
            if draw(st.booleans()):
                until = add_months(opened, draw(st.integers(min_value=4, max_value=8))) + timedelta(days=7)
                extended_on = add_days(opened, draw(st.integers(min_value=0, max_value=200)))
                events.append(ev("investigation_extended", extended_on, until=until.isoformat()))
            if draw(st.booleans()):
                last = max(e.occurred_on for e in events if e.type.startswith("investigation"))
                events.append(ev("investigation_decided", add_days(last, draw(st.integers(0, 150)))))
    if draw(st.booleans()):
        placed = add_days(received, draw(st.integers(min_value=0, max_value=300)))
        events.append(ev("placement_started", placed))
        reviewed = placed
        for step in draw(st.lists(st.integers(min_value=1, max_value=250), max_size=3)):
            reviewed = add_days(reviewed, step)
            events.append(ev("care_reviewed", reviewed))
    today = draw(st.none() | st.dates(min_value=received, max_value=add_days(received, 700)))
    # In date order; on the same date in an order in which each event makes sense.
    events.sort(key=lambda e: (e.occurred_on, SAME_DATE_ORDER.index(e.type)))
    return Scenario(events, today)


def compute(scenario: Scenario, settings: DeadlineSettings | None = None) -> list[Deadline]:
    return compute_deadlines("child", scenario.events, today=scenario.today, settings=settings or DeadlineSettings())


# --- date arithmetic (R-TID-3) ------------------------------------------------------------------------------


@given(any_dates, st.integers(min_value=-1200, max_value=1200))
def test_add_months_is_the_same_day_clamped_to_the_month_end(d: date, n: int) -> None:
    result = add_months(d, n)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    last_day = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(d.day, last_day)
    if n > 0:
        assert result > d
    elif n < 0:
        assert result < d
    else:
        assert result == d


@given(any_dates, st.integers(min_value=-100, max_value=100))
def test_add_months_round_trips_for_days_every_month_has(d: date, n: int) -> None:
    d = d.replace(day=min(d.day, 28))
    assert add_months(add_months(d, n), -n) == d


@given(any_dates, st.integers(min_value=-80, max_value=80))
def test_add_years_is_twelve_months(d: date, n: int) -> None:
    assert add_years(d, n) == add_months(d, 12 * n)
    if (d.month, d.day) != (2, 29):
        assert (add_years(d, n).month, add_years(d, n).day) == (d.month, d.day)


@given(any_dates, st.integers(min_value=-500, max_value=500))
def test_add_weeks_keeps_the_weekday(d: date, n: int) -> None:
    assert add_weeks(d, n).weekday() == d.weekday()
    assert add_weeks(d, n) == add_days(d, 7 * n)


# --- the engine ---------------------------------------------------------------------------------------------


@settings(max_examples=300)
@given(child_cases())
def test_due_is_never_before_day_0_and_plan_by_lies_between(scenario: Scenario) -> None:
    for deadline in compute(scenario):
        assert deadline.due >= deadline.started_on
        if deadline.plan_by is not None:
            assert deadline.started_on <= deadline.plan_by <= deadline.due
            assert is_working_day(deadline.plan_by) or deadline.plan_by == deadline.started_on
        if deadline.original_due is not None:
            assert deadline.original_due < deadline.due


@settings(max_examples=300)
@given(child_cases())
def test_status_follows_the_definitions(scenario: Scenario) -> None:
    for deadline in compute(scenario):
        if deadline.done_on is not None:
            assert deadline.status in DONE
            assert (deadline.status == Status.MET) is (deadline.done_on <= deadline.due)
            if deadline.status == Status.LATE_WITHIN_SUNDAY_RULE:
                assert deadline.kind in BOARD_KINDS
                assert not is_working_day(deadline.due)
                assert deadline.done_on <= next_working_day(deadline.due)
        elif scenario.today is None:
            assert deadline.status == Status.PENDING
        else:
            assert deadline.status == (Status.OPEN if scenario.today <= deadline.due else Status.OVERDUE)


@settings(max_examples=200)
@given(child_cases(), st.data())
def test_order_of_events_on_different_dates_does_not_matter(scenario: Scenario, data: st.DataObject) -> None:
    """Any order that keeps same-date events in their given order gives the same deadlines."""
    events = scenario.events
    permutation = data.draw(st.permutations(range(len(events))))
    same_date: dict[date, list[Event]] = {}
    for event in events:
        same_date.setdefault(event.occurred_on, []).append(event)
    taken: dict[date, int] = dict.fromkeys(same_date, 0)
    shuffled = []
    for index in permutation:
        day = events[index].occurred_on
        shuffled.append(same_date[day][taken[day]])
        taken[day] += 1
    assert compute(Scenario(shuffled, scenario.today)) == compute(scenario)


@settings(max_examples=200)
@given(child_cases())
def test_without_today_nothing_is_open_or_overdue(scenario: Scenario) -> None:
    statuses = {d.status for d in compute(Scenario(scenario.events, None))}
    assert not statuses & {Status.OPEN, Status.OVERDUE}


@settings(max_examples=200)
@given(child_cases())
def test_the_sunday_rule_setting_only_moves_board_deadlines_later(scenario: Scenario) -> None:
    calendar_based = compute(scenario)
    shifted = compute(scenario, SUNDAY_RULE)
    assert len(calendar_based) == len(shifted)
    for before, after in zip(
        sorted(calendar_based, key=lambda d: (d.kind, d.started_on)),
        sorted(shifted, key=lambda d: (d.kind, d.started_on)),
        strict=True,
    ):
        assert after.due >= before.due
        assert after.status != Status.LATE_WITHIN_SUNDAY_RULE
        if after.kind == Kind.PROTECTION_ASSESSMENT:
            assert after == before
        if after.kind in BOARD_KINDS and not (
            after.kind == Kind.REPORTER_FEEDBACK and before.plan_by is None  # "genast" never moves
        ):
            assert is_working_day(after.due)
        if after.due != before.due:
            assert after.kind in BOARD_KINDS
            # moved by the setting itself, or an extension that is in time only with the setting
            assert after.calendar_due is not None or (before.extended_after_expiry and after.original_due is not None)
        # a deadline met by the calendar is met with the setting too
        if before.status == Status.MET:
            assert after.status == Status.MET


@given(
    day0s,
    st.integers(min_value=15, max_value=60),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=60),
    st.booleans(),
)
def test_an_extension_after_expiry_never_turns_a_lapse_into_met(
    received: date, extended_after: int, until_after: int, decided_after: int, sunday_rule: bool
) -> None:
    options = SUNDAY_RULE if sunday_rule else DeadlineSettings()
    due = add_days(received, 14)
    due_in_force = shift(due) if sunday_rule else due
    extended_on = add_days(received, extended_after)
    until = add_days(max(due_in_force, extended_on), until_after)
    decided_on = add_days(extended_on, decided_after)
    base = [ev("report_received", received), ev("protection_assessment_signed", received)]
    extension = ev("pre_assessment_extended", extended_on, until=until.isoformat())
    for tail in ([], [ev("pre_assessment_decided", decided_on, outcome="open")]):
        with_extension = compute_deadlines("child", [*base, extension, *tail], today=decided_on, settings=options)
        without = compute_deadlines("child", [*base, *tail], today=decided_on, settings=options)
        pre, pre_without = with_extension[-1], without[-1]
        if extended_on > pre_without.due:  # the extension came after the due date in force
            assert pre.extended_after_expiry
            assert pre.status not in (Status.MET, Status.OPEN)
            assert replace(pre, extended_after_expiry=False, extensions=(), steps=()) == replace(pre_without, steps=())
        else:  # only possible with the setting: due on a non-working day, extended on the next working day
            assert sunday_rule and pre.due == shift(until) and not pre.extended_after_expiry


@given(day0s, st.integers(min_value=0, max_value=14), st.integers(min_value=1, max_value=60))
def test_an_extension_in_time_moves_the_due_date(received: date, extended_after: int, until_after: int) -> None:
    due = add_days(received, 14)
    until = add_days(due, until_after)
    events = [
        ev("report_received", received),
        ev("pre_assessment_extended", add_days(received, extended_after), until=until.isoformat()),
    ]
    pre = compute_deadlines("child", events)[-1]
    assert (pre.kind, pre.due, pre.original_due, pre.rule) == (Kind.PRE_ASSESSMENT, until, due, "R-FORH-2")
    assert not pre.extended_after_expiry


@given(day0s)
def test_the_computed_periods(day0: date) -> None:
    events = [ev("report_received", day0), ev("investigation_opened", add_days(day0, -1))]
    events.insert(0, ev("placement_started", day0))
    by_kind = {d.kind: d for d in compute_deadlines("child", sorted(events, key=lambda e: e.occurred_on))}
    assert by_kind[Kind.PROTECTION_ASSESSMENT].due == day0
    assert Kind.PRE_ASSESSMENT not in by_kind  # the investigation was ongoing (R-FORH-1)
    assert by_kind[Kind.INVESTIGATION].due == add_months(add_days(day0, -1), 4)
    assert 119 <= (by_kind[Kind.INVESTIGATION].due - add_days(day0, -1)).days <= 123
    assert by_kind[Kind.CARE_REVIEW].due == add_months(day0, 6)
    pre = compute_deadlines("child", [ev("report_received", day0)])[-1]
    assert (pre.kind, pre.due) == (Kind.PRE_ASSESSMENT, add_days(day0, 14))


@settings(max_examples=100)
@given(child_cases())
def test_adults_get_the_child_care_review_only(scenario: Scenario) -> None:
    adult = compute_deadlines("adult", scenario.events, today=scenario.today)
    child_reviews = [d for d in compute(scenario) if d.kind == Kind.CARE_REVIEW]
    assert adult == child_reviews


@given(day0s, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=60))
def test_status_moves_from_open_to_overdue_once(received: date, first: int, second: int) -> None:
    events = [ev("investigation_opened", received)]
    earlier, later = sorted((add_days(received, first * 3), add_days(received, second * 3)))
    order = [Status.OPEN, Status.OVERDUE]
    status_earlier = compute_deadlines("child", events, today=earlier)[0].status
    status_later = compute_deadlines("child", events, today=later)[0].status
    assert order.index(status_earlier) <= order.index(status_later)
