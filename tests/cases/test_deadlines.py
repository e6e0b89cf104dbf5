"""The deadline engine (lotsen/cases/deadlines.py): every rule it computes, the worked examples of
legal-rules.md section 13 and every invalid input of R-TID-9."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from lotsen.cases.deadlines import (
    EVENT_TYPES,
    Deadline,
    DeadlineInputError,
    DeadlineSettings,
    Event,
    Extension,
    Kind,
    Process,
    Status,
    add_days,
    add_months,
    add_weeks,
    compute_deadlines,
    deadlines_to_json,
    parse_request,
)
from lotsen.core.workdays import is_working_day, sunday_rule

D = date.fromisoformat
SUNDAY_RULE = DeadlineSettings(sunday_rule_for_board_deadlines=True)


def ev(type_: str, on: str, **payload: Any) -> Event:
    return Event(type_, D(on), payload)


def compute(
    *events: Event,
    process: str = "child",
    today: str | None = None,
    settings: DeadlineSettings | None = None,
) -> list[dict[str, Any]]:
    result = compute_deadlines(
        process, events, today=None if today is None else D(today), settings=settings or DeadlineSettings()
    )
    return deadlines_to_json(result)["deadlines"]


def by_kind(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    kinds = [item["kind"] for item in items]
    assert len(kinds) == len(set(kinds)), kinds
    return {item["kind"]: item for item in items}


def report(on: str, signed: str | None = None) -> list[Event]:
    """A report and its protection assessment, signed on `signed` (default: the same day)."""
    return [ev("report_received", on), ev("protection_assessment_signed", signed or on)]


def decided(on: str, outcome: str = "not_open") -> Event:
    return ev("pre_assessment_decided", on, outcome=outcome)


# --- R-SKYDD-1: immediate protection assessment -------------------------------------------------------------


def test_protection_assessment_is_due_the_day_the_report_came_in() -> None:
    items = by_kind(compute(ev("report_received", "2026-03-07"), today="2026-03-07"))
    assert items["protection_assessment"] == {
        "kind": "protection_assessment",
        "due": "2026-03-07",
        "rule": "R-SKYDD-1",
        "status": "open",
    }


@pytest.mark.parametrize(
    ("signed", "today", "status"),
    [
        (None, "2026-03-07", "open"),
        (None, "2026-03-08", "overdue"),
        (None, None, "pending"),
        ("2026-03-07", "2026-03-30", "met"),
        ("2026-03-08", "2026-03-30", "late"),
        # "genast" is not the nämnd's period deadline: signing on Monday is late, not late_within_sunday_rule
        ("2026-03-09", "2026-03-30", "late"),
    ],
)
def test_protection_assessment_status(signed: str | None, today: str | None, status: str) -> None:
    events = [ev("report_received", "2026-03-07")]  # a Saturday
    if signed:
        events.append(ev("protection_assessment_signed", signed))
    assert by_kind(compute(*events, today=today))["protection_assessment"]["status"] == status


def test_protection_assessment_never_moves_with_the_sunday_rule_setting() -> None:
    items = by_kind(compute(*report("2026-03-07", "2026-03-09"), settings=SUNDAY_RULE))
    assert items["protection_assessment"]["due"] == "2026-03-07"
    assert items["protection_assessment"]["status"] == "late"


# --- R-FORH-1: pre-assessment within 14 days ----------------------------------------------------------------


def test_e1_pre_assessment_due_after_fourteen_days() -> None:
    items = by_kind(compute(*report("2026-03-02"), today="2026-03-10"))
    assert items["pre_assessment"] == {
        "kind": "pre_assessment",
        "due": "2026-03-16",
        "rule": "R-FORH-1",
        "status": "open",
        "plan_by": "2026-03-16",
    }


@pytest.mark.parametrize(
    ("decided_on", "status"),
    [
        ("2026-03-20", "met"),  # plan_by
        ("2026-03-21", "met"),  # the due date itself (R-TID-2)
        ("2026-03-22", "late_within_sunday_rule"),
        ("2026-03-23", "late_within_sunday_rule"),  # E2: Monday, the next working day
        ("2026-03-24", "late"),
    ],
)
def test_e2_report_on_a_saturday(decided_on: str, status: str) -> None:
    items = by_kind(compute(*report("2026-03-07"), decided(decided_on)))
    pre = items["pre_assessment"]
    assert (pre["due"], pre["plan_by"], pre["status"], pre["rule"]) == (
        "2026-03-21",
        "2026-03-20",
        status,
        "R-FORH-1",
    )


@pytest.mark.parametrize(
    ("decided_on", "status"),
    [("2026-04-03", "met"), ("2026-04-07", "late_within_sunday_rule"), ("2026-04-08", "late")],
)
def test_e3_due_on_langfredagen(decided_on: str, status: str) -> None:
    pre = by_kind(compute(*report("2026-03-20"), decided(decided_on)))["pre_assessment"]
    assert (pre["due"], pre["plan_by"], pre["status"]) == ("2026-04-03", "2026-04-02", status)


def test_e3_with_the_sunday_rule_setting() -> None:
    pre = by_kind(compute(*report("2026-03-20"), decided("2026-04-07"), settings=SUNDAY_RULE))["pre_assessment"]
    assert pre == {
        "kind": "pre_assessment",
        "due": "2026-04-07",
        "rule": "R-FORH-1",
        "status": "met",
        "plan_by": "2026-04-07",
        "calendar_due": "2026-04-03",
    }


def test_e4_due_on_julafton() -> None:
    pre = by_kind(compute(*report("2026-12-10"), today="2026-12-24"))["pre_assessment"]
    assert (pre["due"], pre["plan_by"], pre["status"]) == ("2026-12-24", "2026-12-23", "open")
    assert by_kind(compute(*report("2026-12-10"), today="2026-12-28"))["pre_assessment"]["status"] == "overdue"
    shifted = by_kind(compute(*report("2026-12-10"), today="2026-12-28", settings=SUNDAY_RULE))["pre_assessment"]
    assert (shifted["due"], shifted["calendar_due"], shifted["status"]) == (
        "2026-12-28",
        "2026-12-24",
        "open",
    )


@pytest.mark.parametrize(
    ("today", "status"), [("2026-03-02", "open"), ("2026-03-16", "open"), ("2026-03-17", "overdue")]
)
def test_pre_assessment_open_then_overdue(today: str, status: str) -> None:
    assert by_kind(compute(*report("2026-03-02"), today=today))["pre_assessment"]["status"] == status


@pytest.mark.parametrize("outcome", ["open", "not_open"])
def test_both_outcomes_end_the_pre_assessment(outcome: str) -> None:
    items = by_kind(compute(*report("2026-03-02"), decided("2026-03-10", outcome), today="2026-04-01"))
    assert items["pre_assessment"]["status"] == "met"
    assert "investigation" not in items  # an outcome "open" does not start the investigation by itself


def test_report_during_an_ongoing_investigation_needs_no_pre_assessment() -> None:
    """R-FORH-1: linked to the investigation (pafors_pagaende), no 14-day deadline; R-SKYDD-1 applies."""
    items = compute(ev("investigation_opened", "2026-03-10"), ev("report_received", "2026-04-01"), today="2026-04-02")
    assert [item["kind"] for item in items] == ["protection_assessment", "investigation"]
    assert items[0]["status"] == "overdue"


def test_report_after_the_investigation_ended_starts_a_pre_assessment() -> None:
    items = by_kind(
        compute(
            ev("investigation_opened", "2026-03-10"),
            ev("investigation_decided", "2026-05-10"),
            *report("2026-06-01"),
            today="2026-06-02",
        )
    )
    assert items["pre_assessment"]["due"] == "2026-06-15"


def test_a_later_report_starts_a_new_cycle_and_both_are_listed() -> None:
    items = compute(
        *report("2026-03-02"),
        decided("2026-03-10"),
        *report("2026-05-04"),
        today="2026-05-20",
    )
    assert [(item["kind"], item["due"], item["status"]) for item in items] == [
        ("protection_assessment", "2026-03-02", "met"),
        ("pre_assessment", "2026-03-16", "met"),
        ("protection_assessment", "2026-05-04", "met"),
        ("pre_assessment", "2026-05-18", "overdue"),
    ]


# --- R-FORH-2: extension of the pre-assessment --------------------------------------------------------------


def test_pre_assessment_extension_in_time() -> None:
    pre = by_kind(
        compute(
            *report("2026-03-02"),
            ev(
                "pre_assessment_extended",
                "2026-03-13",
                until="2026-03-28",
                reason_code="police_interview_pending",
            ),
            today="2026-03-20",
        )
    )["pre_assessment"]
    assert pre == {
        "kind": "pre_assessment",
        "due": "2026-03-28",
        "rule": "R-FORH-2",
        "status": "open",
        "plan_by": "2026-03-27",
        "original_due": "2026-03-16",
    }


def test_pre_assessment_extension_on_the_due_date_is_in_time() -> None:
    pre = by_kind(
        compute(
            *report("2026-03-02"),
            ev("pre_assessment_extended", "2026-03-16", until="2026-03-30"),
            decided("2026-03-30"),
        )
    )["pre_assessment"]
    assert (pre["due"], pre["rule"], pre["status"], pre["original_due"]) == (
        "2026-03-30",
        "R-FORH-2",
        "met",
        "2026-03-16",
    )


def test_pre_assessment_extension_after_expiry_moves_nothing() -> None:
    """R-TID-7: kept and flagged, but a lapse stays a lapse."""
    events = [*report("2026-03-02"), ev("pre_assessment_extended", "2026-03-17", until="2026-03-31")]
    pre = by_kind(compute(*events, today="2026-03-20"))["pre_assessment"]
    assert pre == {
        "kind": "pre_assessment",
        "due": "2026-03-16",
        "rule": "R-FORH-1",
        "status": "overdue",
        "plan_by": "2026-03-16",
        "extended_after_expiry": True,
    }
    pre = by_kind(compute(*events, decided("2026-03-25")))["pre_assessment"]
    assert (pre["status"], pre["extended_after_expiry"]) == ("late", True)


def test_several_pre_assessment_extensions_keep_the_first_date_as_original() -> None:
    pre = by_kind(
        compute(
            *report("2026-03-02"),
            ev("pre_assessment_extended", "2026-03-10", until="2026-03-23"),
            ev("pre_assessment_extended", "2026-03-20", until="2026-04-10"),
            decided("2026-04-09"),
        )
    )["pre_assessment"]
    assert (pre["due"], pre["original_due"], pre["status"], pre["rule"]) == (
        "2026-04-10",
        "2026-03-16",
        "met",
        "R-FORH-2",
    )


def test_a_late_second_extension_is_flagged_but_the_first_stays() -> None:
    pre = by_kind(
        compute(
            *report("2026-03-02"),
            ev("pre_assessment_extended", "2026-03-10", until="2026-03-23"),
            ev("pre_assessment_extended", "2026-03-24", until="2026-04-10"),
            decided("2026-04-09"),
        )
    )["pre_assessment"]
    assert pre["due"] == "2026-03-23"
    assert pre["original_due"] == "2026-03-16"
    assert pre["extended_after_expiry"] is True
    assert pre["status"] == "late"


def test_extension_records_are_kept_for_the_projection() -> None:
    [_, pre] = compute_deadlines(
        "child",
        [
            *report("2026-03-02"),
            ev("pre_assessment_extended", "2026-03-10", until="2026-03-23"),
            ev("pre_assessment_extended", "2026-03-24", until="2026-04-10"),
        ],
    )
    assert pre.extensions == (
        Extension("R-FORH-2", D("2026-03-10"), D("2026-03-16"), D("2026-03-23"), after_expiry=False),
        Extension("R-FORH-2", D("2026-03-24"), D("2026-03-23"), D("2026-04-10"), after_expiry=True),
    )


# --- R-UTR-2: children's investigations, four months --------------------------------------------------------


@pytest.mark.parametrize(("today", "status"), [("2026-07-10", "open"), ("2026-07-11", "overdue")])
def test_e5_investigation_four_months(today: str, status: str) -> None:
    items = compute(ev("investigation_opened", "2026-03-10"), today=today)
    assert items == [
        {
            "kind": "investigation",
            "due": "2026-07-10",
            "rule": "R-UTR-2",
            "status": status,
            "plan_by": "2026-07-10",
        }
    ]


def test_e6_four_months_clamped_to_february() -> None:
    [item] = compute(ev("investigation_opened", "2025-10-31"))
    assert (item["due"], item["plan_by"], item["status"]) == ("2026-02-28", "2026-02-27", "pending")


@pytest.mark.parametrize(
    ("decided_on", "status"),
    [("2026-02-27", "met"), ("2026-03-02", "late_within_sunday_rule"), ("2026-03-03", "late")],
)
def test_e6_decided_around_a_saturday_due_date(decided_on: str, status: str) -> None:
    [item] = compute(ev("investigation_opened", "2025-10-31"), ev("investigation_decided", decided_on))
    assert item["status"] == status


def test_e7_leap_year() -> None:
    [item] = compute(ev("investigation_opened", "2027-10-31"))
    assert (item["due"], item["plan_by"]) == ("2028-02-29", "2028-02-29")


def test_e8_extension_keeps_the_original_date_visible() -> None:
    [item] = compute(
        ev("investigation_opened", "2026-03-10"),
        ev("investigation_extended", "2026-07-01", until="2026-08-31"),
        today="2026-07-11",
    )
    assert item == {
        "kind": "investigation",
        "due": "2026-08-31",
        "rule": "R-UTR-2",
        "status": "open",
        "plan_by": "2026-08-31",
        "original_due": "2026-07-10",
    }


def test_several_investigation_extensions() -> None:
    [item] = compute(
        ev("investigation_opened", "2026-03-10"),
        ev("investigation_extended", "2026-07-01", until="2026-08-31"),
        ev("investigation_extended", "2026-08-20", until="2026-09-30"),
        ev("investigation_decided", "2026-10-01"),
    )
    assert (item["due"], item["original_due"], item["status"]) == ("2026-09-30", "2026-07-10", "late")


def test_investigation_extended_after_expiry() -> None:
    [item] = compute(
        ev("investigation_opened", "2026-03-10"),
        ev("investigation_extended", "2026-07-13", until="2026-08-31"),
        ev("investigation_decided", "2026-08-01"),
    )
    assert item == {
        "kind": "investigation",
        "due": "2026-07-10",
        "rule": "R-UTR-2",
        "status": "late",
        "plan_by": "2026-07-10",
        "extended_after_expiry": True,
    }


def test_investigation_needs_no_earlier_report() -> None:
    assert [item["kind"] for item in compute(ev("investigation_opened", "2026-03-10"))] == ["investigation"]


def test_full_child_case() -> None:
    items = compute(
        *report("2026-03-02", "2026-03-02"),
        ev("reporter_feedback_requested", "2026-03-02"),
        decided("2026-03-12", "open"),
        ev("reporter_feedback_sent", "2026-03-18"),
        ev("investigation_opened", "2026-03-12"),
        ev("investigation_decided", "2026-07-01"),
        ev("placement_started", "2026-07-01"),
        today="2026-07-02",
    )
    assert [(item["kind"], item["due"], item["status"]) for item in items] == [
        ("protection_assessment", "2026-03-02", "met"),
        ("pre_assessment", "2026-03-16", "met"),
        ("reporter_feedback", "2026-03-19", "met"),
        ("investigation", "2026-07-12", "met"),
        ("care_review", "2027-01-01", "open"),
    ]


def test_sequential_investigations_are_both_listed() -> None:
    items = compute(
        ev("investigation_opened", "2026-01-10"),
        ev("investigation_decided", "2026-03-01"),
        ev("investigation_opened", "2026-09-01"),
        today="2026-09-02",
    )
    assert [(item["due"], item["status"]) for item in items] == [
        ("2026-05-10", "met"),
        ("2027-01-01", "open"),
    ]


# --- R-INFO-1: information to the reporter ------------------------------------------------------------------


def test_e9_request_before_the_decision() -> None:
    items = by_kind(
        compute(
            *report("2026-03-02"),
            ev("reporter_feedback_requested", "2026-03-05"),
            decided("2026-03-12", "not_open"),
            today="2026-03-13",
        )
    )
    assert items["reporter_feedback"] == {
        "kind": "reporter_feedback",
        "due": "2026-03-19",
        "rule": "R-INFO-1",
        "status": "open",
        "plan_by": "2026-03-19",
    }


def test_e10_request_later_than_a_week_is_genast() -> None:
    items = by_kind(
        compute(
            *report("2026-03-02"),
            decided("2026-03-12", "not_open"),
            ev("reporter_feedback_requested", "2026-03-25"),
            today="2026-03-25",
        )
    )
    assert items["reporter_feedback"] == {
        "kind": "reporter_feedback",
        "due": "2026-03-25",
        "rule": "R-INFO-1",
        "status": "open",
    }


def test_request_within_the_week_after_the_decision() -> None:
    for requested in ("2026-03-12", "2026-03-19"):
        items = by_kind(
            compute(*report("2026-03-02"), decided("2026-03-12"), ev("reporter_feedback_requested", requested))
        )
        assert items["reporter_feedback"]["due"] == "2026-03-19"
    items = by_kind(
        compute(*report("2026-03-02"), decided("2026-03-12"), ev("reporter_feedback_requested", "2026-03-20"))
    )
    assert items["reporter_feedback"]["due"] == "2026-03-20"


def test_no_reporter_feedback_without_a_decision_or_without_a_request() -> None:
    pending = compute(*report("2026-03-02"), ev("reporter_feedback_requested", "2026-03-05"))
    assert "reporter_feedback" not in by_kind(pending)
    not_requested = compute(*report("2026-03-02"), decided("2026-03-12"))
    assert "reporter_feedback" not in by_kind(not_requested)


@pytest.mark.parametrize(
    ("sent", "status"),
    [("2026-03-19", "met"), ("2026-03-20", "late")],
)
def test_reporter_feedback_sent(sent: str, status: str) -> None:
    items = by_kind(
        compute(
            *report("2026-03-02"),
            ev("reporter_feedback_requested", "2026-03-05"),
            decided("2026-03-12"),
            ev("reporter_feedback_sent", sent),
        )
    )
    assert items["reporter_feedback"]["status"] == status


def test_reporter_feedback_due_on_julafton_sent_on_the_next_working_day() -> None:
    items = by_kind(
        compute(
            *report("2026-12-07"),
            ev("reporter_feedback_requested", "2026-12-07"),
            decided("2026-12-17"),
            ev("reporter_feedback_sent", "2026-12-28"),
        )
    )
    feedback = items["reporter_feedback"]
    assert (feedback["due"], feedback["plan_by"], feedback["status"]) == (
        "2026-12-24",
        "2026-12-23",
        "late_within_sunday_rule",
    )


def test_genast_feedback_is_not_covered_by_the_sunday_rule() -> None:
    items = by_kind(
        compute(
            *report("2026-03-02"),
            decided("2026-03-12"),
            ev("reporter_feedback_requested", "2026-03-28"),  # a Saturday, after the week
            ev("reporter_feedback_sent", "2026-03-30"),
            settings=SUNDAY_RULE,
        )
    )
    assert (items["reporter_feedback"]["due"], items["reporter_feedback"]["status"]) == ("2026-03-28", "late")


def test_reporter_feedback_when_an_investigation_is_already_ongoing_is_genast() -> None:
    items = by_kind(
        compute(
            ev("investigation_opened", "2026-03-02"),
            *report("2026-03-20"),
            ev("reporter_feedback_requested", "2026-03-23"),
            today="2026-03-23",
        )
    )
    assert items["reporter_feedback"] == {
        "kind": "reporter_feedback",
        "due": "2026-03-23",
        "rule": "R-INFO-1",
        "status": "open",
    }


def test_reporter_feedback_before_the_new_wording_has_no_deadline() -> None:
    """R-INFO-1: the new rule applies when the later of request and decision is 2026-01-15 or later."""
    old = compute(
        *report("2025-12-01"),
        ev("reporter_feedback_requested", "2025-12-02"),
        decided("2025-12-10"),
        ev("reporter_feedback_sent", "2026-02-01"),
    )
    assert "reporter_feedback" not in by_kind(old)
    new = compute(*report("2026-01-02"), decided("2026-01-10"), ev("reporter_feedback_requested", "2026-01-15"))
    assert by_kind(new)["reporter_feedback"]["due"] == "2026-01-17"


# --- R-VARD-1: review of care every six months --------------------------------------------------------------


def test_e13_care_review() -> None:
    first = compute(ev("placement_started", "2026-03-10"), today="2026-08-01")
    assert first == [
        {
            "kind": "care_review",
            "due": "2026-09-10",
            "rule": "R-VARD-1",
            "status": "open",
            "plan_by": "2026-09-10",
        }
    ]
    after_review = compute(ev("placement_started", "2026-03-10"), ev("care_reviewed", "2026-08-20"), today="2026-09-11")
    assert after_review == [
        {
            "kind": "care_review",
            "due": "2027-02-20",
            "rule": "R-VARD-1",
            "status": "open",
            "plan_by": "2027-02-19",
        }
    ]


def test_only_the_latest_care_review_is_listed() -> None:
    items = compute(
        ev("placement_started", "2026-01-31"),
        ev("care_reviewed", "2026-07-31"),
        ev("care_reviewed", "2026-08-31"),
        today="2027-03-01",
    )
    assert items == [
        {
            "kind": "care_review",
            "due": "2027-02-28",
            "rule": "R-VARD-1",
            "status": "overdue",
            "plan_by": "2027-02-26",
        }
    ]


def test_a_second_placement_does_not_restart_the_review_cycle() -> None:
    items = compute(ev("placement_started", "2026-03-10"), ev("placement_started", "2026-05-01"))
    assert [item["due"] for item in items] == ["2026-09-10"]


def test_adults_get_only_care_reviews() -> None:
    events = [
        *report("2026-03-02"),
        ev("reporter_feedback_requested", "2026-03-02"),
        decided("2026-03-20"),
        ev("investigation_opened", "2026-03-20"),
        ev("placement_started", "2026-04-01"),
    ]
    assert compute(*events, process="adult", today="2026-05-01") == [
        {
            "kind": "care_review",
            "due": "2026-10-01",
            "rule": "R-VARD-1",
            "status": "open",
            "plan_by": "2026-10-01",
        }
    ]
    assert {item["kind"] for item in compute(*events, process="child")} == set(Kind)


def test_adult_pre_assessment_needs_no_protection_assessment() -> None:
    """R-SKYDD-1 is about children: an adult report may be decided without a protection assessment."""
    assert compute(ev("report_received", "2026-03-02"), decided("2026-03-03"), process="adult") == []


def test_adult_reports_follow_each_other_without_protection_assessments() -> None:
    events = [ev("report_received", "2026-03-02"), decided("2026-03-03"), ev("report_received", "2026-04-02")]
    assert compute(*events, process="adult") == []
    fails(ev("report_received", "2026-03-02"), ev("report_received", "2026-03-03"), match="no protection assessment")
    fails(
        ev("report_received", "2026-03-02"),
        ev("report_received", "2026-03-03"),
        process="adult",
        match="still has no pre-assessment decision",
    )


# --- status, ordering and the event order -------------------------------------------------------------------


def test_without_today_unfinished_deadlines_are_pending() -> None:
    items = compute(*report("2026-03-02"), ev("investigation_opened", "2026-03-10"))
    assert [item["status"] for item in items] == ["met", "pending", "pending"]


def test_ordered_by_due_date_then_kind() -> None:
    items = compute(
        ev("placement_started", "2025-09-02"),
        ev("investigation_opened", "2025-11-02"),
        ev("investigation_decided", "2026-03-02"),
        ev("report_received", "2026-03-02"),
    )
    assert [(item["due"], item["kind"]) for item in items] == [
        ("2026-03-02", "care_review"),
        ("2026-03-02", "investigation"),
        ("2026-03-02", "protection_assessment"),
        ("2026-03-16", "pre_assessment"),
    ]


def test_events_are_applied_in_date_order() -> None:
    events = [
        *report("2026-03-02", "2026-03-03"),
        decided("2026-03-10"),
        ev("investigation_opened", "2026-03-11"),
    ]
    assert compute(*events) == compute(*reversed(events))


def test_same_date_events_keep_the_order_given() -> None:
    ok = [
        ev("report_received", "2026-03-02"),
        ev("protection_assessment_signed", "2026-03-02"),
        decided("2026-03-02"),
    ]
    assert by_kind(compute(*ok))["pre_assessment"]["status"] == "met"
    wrong = [
        ev("report_received", "2026-03-02"),
        decided("2026-03-02"),
        ev("protection_assessment_signed", "2026-03-02"),
    ]
    with pytest.raises(DeadlineInputError, match="before protection_assessment_signed"):
        compute(*wrong)


def test_ended_deadlines_ignore_today() -> None:
    assert (
        by_kind(compute(*report("2026-03-02"), decided("2026-03-20"), today="2026-03-05"))["pre_assessment"]["status"]
        == "late"
    )


def test_the_engine_result_for_the_projection() -> None:
    [protection, pre] = compute_deadlines(
        Process.CHILD, [*report("2026-03-07"), decided("2026-03-23")], today=D("2026-04-01")
    )
    assert pre == Deadline(
        kind=Kind.PRE_ASSESSMENT,
        rule="R-FORH-1",
        started_on=D("2026-03-07"),
        due=D("2026-03-21"),
        status=Status.LATE_WITHIN_SUNDAY_RULE,
        plan_by=D("2026-03-20"),
        done_on=D("2026-03-23"),
        steps=("R-FORH-1: report received 2026-03-07 + 14 days = 2026-03-21 (R-TID-2)",),
    )
    assert protection.done_on == D("2026-03-07")
    assert protection.plan_by is None


def test_stored_case_events_with_string_payloads() -> None:
    """The Django app passes CaseEvent rows: `occurred_on` a date, the payload as stored JSON."""
    events = [
        Event("investigation_opened", D("2026-03-10"), {}),
        Event("investigation_extended", D("2026-07-01"), {"until": "2026-08-31", "reason_text": "…"}),
    ]
    [deadline] = compute_deadlines("child", events)
    assert (deadline.due, deadline.original_due) == (D("2026-08-31"), D("2026-07-10"))


def test_with_the_setting_an_extension_on_the_next_working_day_is_in_time() -> None:
    """Due Sat 2026-03-21 moves to Mon 03-23 with the setting, so an extension decided that Monday applies."""
    events = [*report("2026-03-07"), ev("pre_assessment_extended", "2026-03-23", until="2026-04-10")]
    [_, shifted] = compute_deadlines("child", events, settings=SUNDAY_RULE)
    assert (shifted.due, shifted.original_due, shifted.rule) == (D("2026-04-10"), D("2026-03-23"), "R-FORH-2")
    assert shifted.extensions == (
        Extension("R-FORH-2", D("2026-03-23"), D("2026-03-23"), D("2026-04-10"), after_expiry=False),
    )
    [_, calendar_based] = compute_deadlines("child", events)
    assert (calendar_based.due, calendar_based.extended_after_expiry) == (D("2026-03-21"), True)


def test_parse_request() -> None:
    request = parse_request(
        {
            "process": "child",
            "today": "2026-03-20",
            "events": [{"type": "investigation_extended", "date": "2026-07-01", "until": "2026-08-31", "x": 1}],
        }
    )
    assert request.process is Process.CHILD
    assert request.today == D("2026-03-20")
    assert request.events == (Event("investigation_extended", D("2026-07-01"), {"until": "2026-08-31", "x": 1}),)
    assert parse_request({"process": "adult", "events": [], "today": None}).today is None


# --- worked examples outside the engine's kinds (section 13): the same date arithmetic ----------------------


def test_e11_appeal_three_weeks() -> None:
    assert sunday_rule(add_weeks(D("2026-03-02"), 3)) == D("2026-03-23")


def test_e12_appeal_ending_on_julafton_moves_to_the_next_weekday() -> None:
    last_day = add_weeks(D("2026-12-03"), 3)
    assert last_day == D("2026-12-24") and not is_working_day(last_day)
    assert sunday_rule(last_day) == D("2026-12-28")


def test_e14_jourhem_two_months() -> None:
    assert add_months(D("2026-04-30"), 2) == D("2026-06-30")


def test_e15_follow_up_six_months_clamped() -> None:
    end_by = add_months(D("2026-08-31"), 6)
    assert end_by == D("2027-02-28") and end_by.weekday() == 6


def test_e16_not_carried_out_within_three_months() -> None:
    last_day = add_months(D("2026-01-15"), 3)
    assert add_days(last_day, 1) == D("2026-04-16")
    assert (add_days(last_day, 1).month - 1) // 3 + 1 == 2  # the Q2 report


def test_e17_delay_request_and_four_weeks() -> None:
    assert add_months(D("2026-02-02"), 6) == D("2026-08-02")
    assert add_weeks(D("2026-08-10"), 4) == D("2026-09-07")


def test_e18_lex_sarah_practice_fourteen_days() -> None:
    assert add_days(D("2026-03-02"), 14) == D("2026-03-16")


# --- R-TID-9: invalid input ---------------------------------------------------------------------------------


def fails(*events: Event, process: str = "child", match: str) -> None:
    with pytest.raises(DeadlineInputError, match=match) as info:
        compute_deadlines(process, events)
    assert "\n" not in str(info.value)


def test_unknown_event_type() -> None:
    fails(
        *report("2026-03-02"),
        ev("report_closed", "2026-03-05"),
        match=r"event 3: unknown event type 'report_closed'",
    )


def test_unknown_process() -> None:
    fails(ev("report_received", "2026-03-02"), process="elderly", match="unknown process 'elderly'")
    with pytest.raises(DeadlineInputError, match="unknown process"):
        parse_request({"process": 1, "events": []})


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "2025-02-29", "0000-01-01"])
def test_a_date_that_does_not_exist(value: str) -> None:
    with pytest.raises(DeadlineInputError, match=f"event 1 \\(report_received\\): 'date' {value} is not a date"):
        parse_request({"process": "child", "events": [{"type": "report_received", "date": value}]})
    with pytest.raises(DeadlineInputError, match=f"'today' {value} is not a date that exists"):
        parse_request({"process": "child", "today": value, "events": []})
    fails(
        ev("investigation_opened", "2026-03-10"),
        ev("investigation_extended", "2026-07-01", until=value),
        match="'until'",
    )


@pytest.mark.parametrize("value", ["2026-3-1", "20260301", "2026-W10-1", "2026-03-01T00:00", "", 20260301, None, True])
def test_a_date_in_another_form(value: object) -> None:
    with pytest.raises(DeadlineInputError, match="must be a date written YYYY-MM-DD"):
        parse_request({"process": "child", "events": [{"type": "report_received", "date": value}]})


@pytest.mark.parametrize("kind", ["pre_assessment", "investigation"])
def test_extension_without_until(kind: str) -> None:
    start = (
        ev("report_received", "2026-03-02") if kind == "pre_assessment" else ev("investigation_opened", "2026-03-02")
    )
    fails(
        start,
        ev(f"{kind}_extended", "2026-03-05"),
        match=f"event 2 \\({kind}_extended on 2026-03-05\\): 'until' is missing",
    )
    fails(start, ev(f"{kind}_extended", "2026-03-05", until=None), match="'until' is missing")


@pytest.mark.parametrize("until", ["2026-03-16", "2026-03-15", "2026-03-01"])
def test_until_not_after_the_due_date_in_force(until: str) -> None:
    fails(
        *report("2026-03-02"),
        ev("pre_assessment_extended", "2026-03-10", until=until),
        match=f"'until' {until} is not after the due date in force 2026-03-16",
    )


def test_until_not_after_an_earlier_extension() -> None:
    fails(
        ev("investigation_opened", "2026-03-10"),
        ev("investigation_extended", "2026-07-01", until="2026-08-31"),
        ev("investigation_extended", "2026-08-01", until="2026-08-20"),
        match="'until' 2026-08-20 is not after the due date in force 2026-08-31",
    )


def test_until_after_expiry_must_still_be_after_the_due_date_in_force() -> None:
    fails(
        ev("investigation_opened", "2026-03-10"),
        ev("investigation_extended", "2026-07-20", until="2026-07-05"),
        match="not after the due date in force 2026-07-10",
    )


@pytest.mark.parametrize(
    ("event", "match"),
    [
        (ev("protection_assessment_signed", "2026-03-02"), "protection_assessment was never started"),
        (decided("2026-03-02"), "pre_assessment was never started"),
        (ev("reporter_feedback_sent", "2026-03-02"), "reporter_feedback was never started"),
        (ev("investigation_decided", "2026-03-02"), "investigation was never started"),
        (ev("care_reviewed", "2026-03-02"), "care_review was never started"),
    ],
)
def test_ending_a_deadline_that_was_never_started(event: Event, match: str) -> None:
    fails(event, match=match)


@pytest.mark.parametrize(
    ("event", "match"),
    [
        (ev("pre_assessment_extended", "2026-03-02", until="2026-04-01"), "pre_assessment was never started"),
        (ev("investigation_extended", "2026-03-02", until="2026-09-01"), "investigation was never started"),
    ],
)
def test_extending_a_deadline_that_was_never_started(event: Event, match: str) -> None:
    fails(event, match=match)


def test_starting_events_after_the_end_event_do_not_count() -> None:
    """Date order decides: an end event dated before the start finds nothing started."""
    fails(
        ev("investigation_decided", "2026-03-01"),
        ev("investigation_opened", "2026-03-02"),
        match="never started",
    )
    fails(ev("care_reviewed", "2026-03-01"), ev("placement_started", "2026-03-02"), match="never started")


def test_extending_a_deadline_that_already_ended() -> None:
    fails(
        *report("2026-03-02"),
        decided("2026-03-10"),
        ev("pre_assessment_extended", "2026-03-12", until="2026-04-01"),
        match="already ended on 2026-03-10",
    )
    fails(
        ev("investigation_opened", "2026-03-10"),
        ev("investigation_decided", "2026-05-10"),
        ev("investigation_extended", "2026-05-11", until="2026-08-31"),
        match="already ended on 2026-05-10; it cannot be extended again",
    )


@pytest.mark.parametrize(
    ("events", "match"),
    [
        (
            [*report("2026-03-02"), ev("protection_assessment_signed", "2026-03-03")],
            "event 3 .*was already signed on 2026-03-02",
        ),
        (
            [*report("2026-03-02"), decided("2026-03-05"), decided("2026-03-06", "open")],
            "already ended on 2026-03-05",
        ),
        (
            [ev("investigation_opened", "2026-03-02"), ev("investigation_decided", "2026-04-01")] * 1
            + [ev("investigation_decided", "2026-04-02")],
            "already ended on 2026-04-01; it cannot be decided again",
        ),
        (
            [
                *report("2026-03-02"),
                ev("reporter_feedback_requested", "2026-03-02"),
                decided("2026-03-05"),
                ev("reporter_feedback_sent", "2026-03-06"),
                ev("reporter_feedback_sent", "2026-03-07"),
            ],
            "reporter_feedback already ended on 2026-03-06",
        ),
    ],
)
def test_two_events_ending_the_same_deadline(events: list[Event], match: str) -> None:
    fails(*events, match=match)


def test_pre_assessment_decided_before_protection_assessment_signed() -> None:
    fails(
        ev("report_received", "2026-03-02"),
        decided("2026-03-05"),
        ev("protection_assessment_signed", "2026-03-06"),
        match=r"event 2 \(pre_assessment_decided on 2026-03-05\): pre_assessment_decided before "
        r"protection_assessment_signed.*\(R-SKYDD-1\)",
    )
    fails(ev("report_received", "2026-03-02"), decided("2026-03-05"), match="R-SKYDD-1")


@pytest.mark.parametrize("outcome", [None, "pafors_pagaende", "overlamnad", "OPEN", 1])
def test_pre_assessment_outcome_must_be_open_or_not_open(outcome: object) -> None:
    payload = {} if outcome is None else {"outcome": outcome}
    fails(*report("2026-03-02"), Event("pre_assessment_decided", D("2026-03-05"), payload), match="outcome")


def test_a_report_during_an_ongoing_investigation_cannot_be_pre_assessed() -> None:
    fails(
        ev("investigation_opened", "2026-03-01"),
        *report("2026-03-02"),
        decided("2026-03-05"),
        match="needs no pre-assessment",
    )


def test_other_contradictions() -> None:
    fails(*report("2026-03-02"), ev("report_received", "2026-03-04"), match="one report at a time")
    fails(
        ev("investigation_opened", "2026-03-02"),
        ev("investigation_opened", "2026-03-04"),
        match="the investigation opened on 2026-03-02 is still ongoing",
    )
    fails(ev("reporter_feedback_requested", "2026-03-02"), match="no report has been received")
    fails(
        *report("2026-03-02"),
        ev("reporter_feedback_requested", "2026-03-02"),
        ev("reporter_feedback_requested", "2026-03-03"),
        match="already requested on 2026-03-02",
    )
    fails(
        *report("2026-03-02"),
        ev("reporter_feedback_requested", "2026-03-02"),
        ev("reporter_feedback_sent", "2026-03-03"),
        match="has no decision yet",
    )


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ([], "one JSON object"),
        ("child", "one JSON object"),
        ({"events": []}, "'process' is missing"),
        ({"process": "child"}, "'events' is missing"),
        ({"process": "child", "events": {}}, "'events' must be a list"),
        ({"process": "child", "events": ["report_received"]}, "event 1 must be an object"),
        ({"process": "child", "events": [{"date": "2026-03-02"}]}, "event 1: 'type' is missing"),
        ({"process": "child", "events": [{"type": 3, "date": "2026-03-02"}]}, "'type' must be a string"),
        ({"process": "child", "events": [{"type": "report_received"}]}, "'date' is missing"),
        ({"process": "child", "events": [], "todya": "2026-03-02"}, "unknown field 'todya'"),
        ({"process": "child", "events": [], "today": 5}, "'today' must be a date"),
    ],
)
def test_malformed_input(data: object, match: str) -> None:
    with pytest.raises(DeadlineInputError, match=match):
        parse_request(data)


def test_a_payload_that_is_not_a_mapping() -> None:
    fails(Event("investigation_opened", D("2026-03-10"), None), match="the payload must be a mapping")  # type: ignore[arg-type]


def test_dates_beyond_the_calendar() -> None:
    fails(ev("investigation_opened", "9999-10-01"), match="outside the supported range")


def test_event_types_are_the_cli_contract() -> None:
    assert sorted(EVENT_TYPES) == sorted(
        [
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
    )


def test_placement_ended_is_internal_and_ends_the_care_review_clock():
    from lotsen.cases.deadlines import DeadlineInputError, Event, compute_deadlines

    events = [Event("placement_started", date(2026, 1, 10)), Event("placement_ended", date(2026, 4, 1))]
    with pytest.raises(DeadlineInputError, match="unknown event type"):
        compute_deadlines("child", events)
    (review,) = compute_deadlines("child", events, internal_events=True)
    assert review.status == "met" and review.done_on == date(2026, 4, 1)
    late = [Event("placement_started", date(2026, 1, 10)), Event("placement_ended", date(2026, 8, 1))]
    assert compute_deadlines("child", late, internal_events=True)[0].status == "late"
    again = [*events, Event("placement_started", date(2026, 5, 5))]
    (new,) = compute_deadlines("child", again, internal_events=True)
    assert new.due == date(2026, 11, 5) and new.status == "pending"
