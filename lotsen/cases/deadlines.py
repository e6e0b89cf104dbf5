"""The legal deadline engine (legal-rules.md sections 0, 1, 2 and 6). Pure: no Django, no database.

One function, `compute_deadlines`, turns the dated events of a case into its statutory deadlines. It drives
the UI (the `Deadline` projection is rewritten from a case's `CaseEvent` rows, DOMAIN-MODEL.md) and the check
interface `lotsen deadlines compute` (R-TID-9), so both always give the same answer.

Events are `Event(type, occurred_on, payload)`, the shape of a stored `CaseEvent`; the payload carries `until`
(extensions) and `outcome` (pre-assessment decisions). Deadlines computed (R-TID-9):

- `protection_assessment` (R-SKYDD-1): `report_received` starts it, due "genast" = the same date (R-TID-6);
  `protection_assessment_signed` ends it.
- `pre_assessment` (R-FORH-1, R-FORH-2 when extended): `report_received` + 14 days; ended by
  `pre_assessment_decided`; `pre_assessment_extended` moves it. A report received while an investigation is
  ongoing needs no pre-assessment decision (outcome `pafors_pagaende`, R-FORH-1): no deadline is created.
- `reporter_feedback` (R-INFO-1): once both `reporter_feedback_requested` and the pre-assessment decision
  exist; ended by `reporter_feedback_sent`.
- `investigation` (R-UTR-2): `investigation_opened` + 4 months; ended by `investigation_decided`;
  `investigation_extended` moves it.
- `care_review` (R-VARD-1): `placement_started` + 6 months; each `care_reviewed` ends the current review and
  starts the next one from its own date. Only the latest review is returned.

For `process="adult"` only `care_review` is returned (R-UTR-1: adults have no 14-day or 4-month deadline);
the other events are still checked for consistency.

Date arithmetic is `lotsen.core.workdays` (R-TID-2, R-TID-3, R-TID-5); the helpers are re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from lotsen.core.workdays import (
    add_days,
    add_months,
    add_weeks,
    add_years,
    is_working_day,
    last_working_day_on_or_before,
    next_working_day,
    sunday_rule,
)

__all__ = [
    "EVENT_TYPES",
    "Deadline",
    "DeadlineInputError",
    "DeadlineRequest",
    "DeadlineSettings",
    "Event",
    "EventType",
    "Extension",
    "Kind",
    "Outcome",
    "Process",
    "Status",
    "add_days",
    "add_months",
    "add_weeks",
    "add_years",
    "compute_deadlines",
    "deadlines_to_json",
    "parse_date",
    "parse_request",
]


class Process(StrEnum):
    CHILD = "child"
    ADULT = "adult"


class EventType(StrEnum):
    REPORT_RECEIVED = "report_received"
    PROTECTION_ASSESSMENT_SIGNED = "protection_assessment_signed"
    PRE_ASSESSMENT_EXTENDED = "pre_assessment_extended"
    PRE_ASSESSMENT_DECIDED = "pre_assessment_decided"
    REPORTER_FEEDBACK_REQUESTED = "reporter_feedback_requested"
    REPORTER_FEEDBACK_SENT = "reporter_feedback_sent"
    INVESTIGATION_OPENED = "investigation_opened"
    INVESTIGATION_EXTENDED = "investigation_extended"
    INVESTIGATION_DECIDED = "investigation_decided"
    PLACEMENT_STARTED = "placement_started"
    CARE_REVIEWED = "care_reviewed"


EVENT_TYPES: frozenset[str] = frozenset(EventType)
# Events the application records that the check interface (R-TID-9) does not know: accepted only with
# `compute_deadlines(..., internal_events=True)`. `placement_ended` ends the care-review clock (R-VARD-1 applies
# while the child is cared for outside the home); a later placement starts a new cycle.
PLACEMENT_ENDED = "placement_ended"
INTERNAL_EVENT_TYPES: frozenset[str] = frozenset({PLACEMENT_ENDED})


class Kind(StrEnum):
    PROTECTION_ASSESSMENT = "protection_assessment"
    PRE_ASSESSMENT = "pre_assessment"
    REPORTER_FEEDBACK = "reporter_feedback"
    INVESTIGATION = "investigation"
    CARE_REVIEW = "care_review"


class Status(StrEnum):
    MET = "met"
    LATE = "late"
    LATE_WITHIN_SUNDAY_RULE = "late_within_sunday_rule"
    OPEN = "open"
    OVERDUE = "overdue"
    PENDING = "pending"


class Outcome(StrEnum):
    """Pre-assessment outcomes of the interface (R-FORH-3).

    `open` = utredning_inleds, `not_open` = inleds_ej; pafors_pagaende and overlamnad are not part of it.
    """

    OPEN = "open"
    NOT_OPEN = "not_open"


# Rule ids (legal-rules.md).
R_SKYDD_1 = "R-SKYDD-1"
R_FORH_1 = "R-FORH-1"
R_FORH_2 = "R-FORH-2"
R_INFO_1 = "R-INFO-1"
R_UTR_2 = "R-UTR-2"
R_VARD_1 = "R-VARD-1"

PRE_ASSESSMENT_DAYS = 14  # R-FORH-1: "inom fjorton dagar"
INVESTIGATION_MONTHS = 4  # R-UTR-2: "inom fyra månader"
CARE_REVIEW_MONTHS = 6  # R-VARD-1: "minst en gång var sjätte månad"
REPORTER_FEEDBACK_WEEKS = 1  # R-INFO-1: "senast en vecka efter beslutet"
# R-INFO-1: 19:6 in the wording of SFS 2025:1501 applies when the later of request and decision is on or after
# this date; before it there was no time limit, so no deadline is computed (unverified reading).
REPORTER_FEEDBACK_RULE_FROM = date(2026, 1, 15)

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_REQUEST_KEYS = ("process", "today", "events")


class DeadlineInputError(ValueError):
    """The events cannot be turned into deadlines (R-TID-9 "invalid input"); the message is one line."""


@dataclass(frozen=True)
class DeadlineSettings:
    """Municipality settings that change the computation.

    `sunday_rule_for_board_deadlines` (R-TID-4, default False): when true, the nämnd's own deadlines whose
    last day is a non-working day move to the next working day, as the acts of individuals do. "Genast"
    deadlines never move.
    """

    sunday_rule_for_board_deadlines: bool = False


DEFAULT_SETTINGS = DeadlineSettings()


@dataclass(frozen=True)
class Event:
    """One dated event of a case, as stored in `CaseEvent(type, occurred_on, payload)`."""

    type: str
    occurred_on: date
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Extension:
    """R-TID-7: an extension is its own record; it never overwrites the date it extends."""

    rule: str
    decided_on: date
    original_due: date  # the due date in force when the extension was decided
    new_due: date
    after_expiry: bool  # decided after the due date had passed: kept, but it moves nothing


@dataclass(frozen=True)
class Deadline:
    """One computed deadline: a row of the `Deadline` projection and an item of the CLI's output."""

    kind: Kind
    rule: str
    started_on: date
    due: date
    status: Status
    plan_by: date | None = None  # R-TID-4: last working day on or before `due` (none for "genast")
    original_due: date | None = None  # R-TID-7: set when an extension moved `due`
    done_on: date | None = None  # the date of the act that ended the deadline
    extended_after_expiry: bool = False  # R-TID-7: an extension was decided after the due date had passed
    calendar_due: date | None = None  # set when `sunday_rule_for_board_deadlines` moved `due`
    extensions: tuple[Extension, ...] = ()
    steps: tuple[str, ...] = ()  # how `due` was computed, with rule ids (stored as the explanation)

    def to_json(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "kind": str(self.kind),
            "due": self.due.isoformat(),
            "rule": self.rule,
            "status": str(self.status),
        }
        if self.plan_by is not None:
            item["plan_by"] = self.plan_by.isoformat()
        if self.original_due is not None:
            item["original_due"] = self.original_due.isoformat()
        if self.extended_after_expiry:
            item["extended_after_expiry"] = True
        if self.calendar_due is not None:
            item["calendar_due"] = self.calendar_due.isoformat()
        return item


@dataclass(frozen=True)
class DeadlineRequest:
    """The parsed input of `lotsen deadlines compute`."""

    process: Process
    events: tuple[Event, ...]
    today: date | None = None


# --- parsing the JSON-shaped input ------------------------------------------------------------------------


def parse_date(value: object, what: str) -> date:
    """A date written YYYY-MM-DD (a `date` is accepted as is); otherwise `DeadlineInputError`."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or _ISO_DATE.fullmatch(value) is None:
        raise DeadlineInputError(f"{what} must be a date written YYYY-MM-DD, not {_show(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DeadlineInputError(f"{what} {value} is not a date that exists") from None


def parse_process(value: object) -> Process:
    """`child` or `adult`; otherwise `DeadlineInputError`."""
    if isinstance(value, str) and value in {str(process) for process in Process}:
        return Process(value)
    raise DeadlineInputError(f"unknown process {_show(value)} (expected {_choices(Process)})")


def parse_request(data: object) -> DeadlineRequest:
    """Validate the JSON object read by `lotsen deadlines compute` (R-TID-9) and build a `DeadlineRequest`.

    Only the shape is checked here; `compute_deadlines` checks the events themselves.
    """
    if not isinstance(data, dict):
        raise DeadlineInputError("the input must be one JSON object with 'process' and 'events'")
    unknown = sorted(str(key) for key in data if key not in _REQUEST_KEYS)
    if unknown:
        raise DeadlineInputError(
            f"unknown field {_show(unknown[0])} in the input (expected 'process', 'today' and 'events')"
        )
    if "process" not in data:
        raise DeadlineInputError("'process' is missing (expected 'child' or 'adult')")
    process = parse_process(data["process"])
    today = None if data.get("today") is None else parse_date(data["today"], "'today'")
    if "events" not in data:
        raise DeadlineInputError("'events' is missing (expected a list of events)")
    raw_events = data["events"]
    if not isinstance(raw_events, list):
        raise DeadlineInputError("'events' must be a list of event objects")
    events = []
    for number, raw in enumerate(raw_events, start=1):
        if not isinstance(raw, dict):
            raise DeadlineInputError(f"event {number} must be an object with 'type' and 'date'")
        if "type" not in raw:
            raise DeadlineInputError(f"event {number}: 'type' is missing")
        if not isinstance(raw["type"], str):
            raise DeadlineInputError(f"event {number}: 'type' must be a string, not {_show(raw['type'])}")
        if "date" not in raw:
            raise DeadlineInputError(f"event {number} ({raw['type']}): 'date' is missing")
        occurred_on = parse_date(raw["date"], f"event {number} ({raw['type']}): 'date'")
        payload = {key: value for key, value in raw.items() if key not in ("type", "date")}
        events.append(Event(type=raw["type"], occurred_on=occurred_on, payload=payload))
    return DeadlineRequest(process=process, events=tuple(events), today=today)


def deadlines_to_json(deadlines: Iterable[Deadline]) -> dict[str, Any]:
    """The CLI's output object (R-TID-9): `{"deadlines": [...]}`."""
    return {"deadlines": [deadline.to_json() for deadline in deadlines]}


# --- the engine ---------------------------------------------------------------------------------------------


def compute_deadlines(
    process: Process | str,
    events: Iterable[Event],
    today: date | None = None,
    settings: DeadlineSettings = DEFAULT_SETTINGS,
    *,
    internal_events: bool = False,
) -> list[Deadline]:
    """Compute the deadlines of one case from its events (R-TID-9), ordered by due date, then kind.

    Events are applied in date order; events on the same date in the order given. With `today`, a deadline
    not yet ended is `open` or `overdue`; without it, `pending`. Raises `DeadlineInputError` on invalid input.
    """
    engine = _Engine(parse_process(process), settings, internal_events=internal_events)
    numbered = list(enumerate(events, start=1))
    for number, event in numbered:
        engine.check_event(number, event)
    try:
        # sorted() is stable: events on the same date keep the order given.
        for number, event in sorted(numbered, key=lambda item: item[1].occurred_on):
            engine.apply(number, event)
        return engine.result(today)
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, DeadlineInputError):
            raise
        raise DeadlineInputError(f"a deadline falls outside the supported range of dates ({exc})") from None


@dataclass
class _Clock:
    """A running deadline while the events are applied."""

    kind: Kind
    rule: str
    started_on: date
    due: date  # the calendar due date in force: the computed one, or the newest valid extension's date
    steps: list[str]
    # The nämnd's deadlines counted in days, weeks or months (R-TID-4 list): plan_by, late_within_sunday_rule
    # and the setting apply. False for "genast" (R-TID-6).
    board_period: bool = True
    shown: bool = True  # False: R-INFO-1 before 2026-01-15, an obligation without a time limit
    done_on: date | None = None
    original_due: date | None = None
    extensions: list[Extension] = field(default_factory=list)

    @property
    def ended(self) -> bool:
        return self.done_on is not None


@dataclass
class _Report:
    """One report of concern (orosanmälan) and the deadlines it gives (R-SKYDD-1, R-FORH-1, R-INFO-1)."""

    received_on: date
    protection: _Clock
    pre_assessment: _Clock | None  # None: received during an ongoing investigation (pafors_pagaende)
    decided_on: date | None = None
    outcome: Outcome | None = None
    feedback_requested_on: date | None = None
    feedback: _Clock | None = None

    def handled(self, process: Process) -> bool:
        """Both deadlines ended; for adults only the pre-assessment counts (R-SKYDD-1 is about children)."""
        protected = self.protection.ended or process == Process.ADULT
        return protected and (self.pre_assessment is None or self.pre_assessment.ended)


class _Engine:
    def __init__(self, process: Process, settings: DeadlineSettings, *, internal_events: bool = False) -> None:
        self.known_types = EVENT_TYPES | INTERNAL_EVENT_TYPES if internal_events else EVENT_TYPES
        self.process = process
        self.settings = settings
        self.reports: list[_Report] = []
        self.investigations: list[_Clock] = []
        self.care_review: _Clock | None = None
        self._handlers: dict[str, Callable[[date, Mapping[str, Any]], None]] = {
            EventType.REPORT_RECEIVED: self._report_received,
            EventType.PROTECTION_ASSESSMENT_SIGNED: self._protection_assessment_signed,
            EventType.PRE_ASSESSMENT_EXTENDED: self._pre_assessment_extended,
            EventType.PRE_ASSESSMENT_DECIDED: self._pre_assessment_decided,
            EventType.REPORTER_FEEDBACK_REQUESTED: self._reporter_feedback_requested,
            EventType.REPORTER_FEEDBACK_SENT: self._reporter_feedback_sent,
            EventType.INVESTIGATION_OPENED: self._investigation_opened,
            EventType.INVESTIGATION_EXTENDED: self._investigation_extended,
            EventType.INVESTIGATION_DECIDED: self._investigation_decided,
            EventType.PLACEMENT_STARTED: self._placement_started,
            EventType.CARE_REVIEWED: self._care_reviewed,
            PLACEMENT_ENDED: self._placement_ended,
        }

    # -- validation of single events (before anything is applied) --

    def check_event(self, number: int, event: Event) -> None:
        if not isinstance(event.type, str) or event.type not in self.known_types:
            raise DeadlineInputError(
                f"event {number}: unknown event type {_show(event.type)} (expected {_choices(EventType)})"
            )
        if not isinstance(event.occurred_on, date):
            raise DeadlineInputError(f"event {number} ({event.type}): 'date' must be a date")
        if not isinstance(event.payload, Mapping):
            raise DeadlineInputError(f"event {number} ({event.type}): the payload must be a mapping")
        context = _context(number, event)
        if event.type in (EventType.PRE_ASSESSMENT_EXTENDED, EventType.INVESTIGATION_EXTENDED):
            if event.payload.get("until") is None:
                raise DeadlineInputError(
                    f"{context}: 'until' is missing; an extension needs a definite new due date (R-TID-7)"
                )
            parse_date(event.payload["until"], f"{context}: 'until'")
        if event.type == EventType.PRE_ASSESSMENT_DECIDED:
            outcome = event.payload.get("outcome")
            if outcome is None:
                raise DeadlineInputError(f"{context}: 'outcome' is missing (expected {_choices(Outcome)})")
            if not isinstance(outcome, str) or outcome not in {str(value) for value in Outcome}:
                raise DeadlineInputError(
                    f"{context}: unknown outcome {_show(outcome)} (expected {_choices(Outcome)}; "
                    "pafors_pagaende and overlamnad are not part of this interface)"
                )

    # -- applying events in date order --

    def apply(self, number: int, event: Event) -> None:
        try:
            self._handlers[event.type](event.occurred_on, event.payload)
        except _Contradiction as exc:
            raise DeadlineInputError(f"{_context(number, event)}: {exc}") from None

    def _report_received(self, on: date, payload: Mapping[str, Any]) -> None:
        if self.reports and not self.reports[-1].handled(self.process):
            previous = self.reports[-1]
            child_unprotected = self.process == Process.CHILD and not previous.protection.ended
            missing = "protection assessment" if child_unprotected else "pre-assessment decision"
            raise _Contradiction(
                f"the report received on {previous.received_on} still has no {missing}; "
                "this interface handles one report at a time"
            )
        # R-SKYDD-1 with R-TID-6: "genast" = the same local date as day 0.
        protection = _Clock(
            Kind.PROTECTION_ASSESSMENT,
            R_SKYDD_1,
            on,
            on,
            [f"R-SKYDD-1: report received {on}; assess genast = the same date (R-TID-6)"],
            board_period=False,
        )
        ongoing = self._ongoing_investigation()
        pre_assessment = None
        if ongoing is None:
            due = add_days(on, PRE_ASSESSMENT_DAYS)  # R-FORH-1, R-TID-2
            pre_assessment = _Clock(
                Kind.PRE_ASSESSMENT,
                R_FORH_1,
                on,
                due,
                [f"R-FORH-1: report received {on} + {PRE_ASSESSMENT_DAYS} days = {due} (R-TID-2)"],
            )
        # Otherwise R-FORH-1: linked to the ongoing investigation (pafors_pagaende), no deadline.
        self.reports.append(_Report(on, protection, pre_assessment))

    def _protection_assessment_signed(self, on: date, payload: Mapping[str, Any]) -> None:
        report = self._latest_report("protection_assessment")
        if report.protection.done_on is not None:
            raise _Contradiction(
                f"the protection assessment of the report received on {report.received_on} "
                f"was already signed on {report.protection.done_on}"
            )
        report.protection.done_on = on

    def _pre_assessment_extended(self, on: date, payload: Mapping[str, Any]) -> None:
        clock = self._pending_pre_assessment()
        self._extend(clock, on, payload, R_FORH_2)
        if not clock.extensions[-1].after_expiry:
            clock.rule = R_FORH_2  # R-TID-9: pre_assessment prints R-FORH-2 when an extension applies

    def _pre_assessment_decided(self, on: date, payload: Mapping[str, Any]) -> None:
        clock = self._pending_pre_assessment()
        report = self.reports[-1]
        # R-SKYDD-1: no pre-assessment decision before a signed protection assessment (children only).
        if self.process == Process.CHILD and not report.protection.ended:
            raise _Contradiction(
                "pre_assessment_decided before protection_assessment_signed: the protection assessment of "
                f"the report received on {report.received_on} must be signed first (R-SKYDD-1)"
            )
        clock.done_on = on
        report.decided_on = on
        report.outcome = Outcome(payload["outcome"])
        self._start_reporter_feedback(report)

    def _reporter_feedback_requested(self, on: date, payload: Mapping[str, Any]) -> None:
        if not self.reports:
            raise _Contradiction("reporter feedback was requested but no report has been received")
        report = self.reports[-1]
        if report.feedback_requested_on is not None:
            raise _Contradiction(
                f"feedback on the report received on {report.received_on} was already requested "
                f"on {report.feedback_requested_on}"
            )
        report.feedback_requested_on = on
        self._start_reporter_feedback(report)

    def _reporter_feedback_sent(self, on: date, payload: Mapping[str, Any]) -> None:
        for report in self.reports:
            if report.feedback is not None and not report.feedback.ended:
                report.feedback.done_on = on
                return
        requested = [report for report in self.reports if report.feedback_requested_on is not None]
        if not requested:
            raise _Contradiction("reporter_feedback was never started: no reporter_feedback_requested before it")
        latest = requested[-1]
        if latest.feedback is None:
            raise _Contradiction(
                "reporter_feedback has not started: it starts when both the request and the pre-assessment "
                f"decision exist, and the report received on {latest.received_on} has no decision yet "
                "(R-INFO-1)"
            )
        raise _Contradiction(f"reporter_feedback already ended on {latest.feedback.done_on}")

    def _investigation_opened(self, on: date, payload: Mapping[str, Any]) -> None:
        ongoing = self._ongoing_investigation()
        if ongoing is not None:
            raise _Contradiction(f"the investigation opened on {ongoing.started_on} is still ongoing")
        due = add_months(on, INVESTIGATION_MONTHS)  # R-UTR-2, R-TID-3
        self.investigations.append(
            _Clock(
                Kind.INVESTIGATION,
                R_UTR_2,
                on,
                due,
                [f"R-UTR-2: investigation opened {on} + {INVESTIGATION_MONTHS} months = {due} (R-TID-3)"],
            )
        )

    def _investigation_extended(self, on: date, payload: Mapping[str, Any]) -> None:
        self._extend(self._investigation_to_end("extended"), on, payload, R_UTR_2)

    def _investigation_decided(self, on: date, payload: Mapping[str, Any]) -> None:
        self._investigation_to_end("decided").done_on = on

    def _placement_started(self, on: date, payload: Mapping[str, Any]) -> None:
        if self.care_review is not None and not self.care_review.ended:
            # Care is already going on (the interface has no placement end): a move to another home does not
            # restart the six-month review cycle, which runs from care_start or the last review (R-VARD-1).
            return
        self.care_review = self._care_review_clock(on, f"care started {on}")

    def _placement_ended(self, on: date, payload: Mapping[str, Any]) -> None:
        if self.care_review is None or self.care_review.ended:
            raise _Contradiction("placement_ended without a placement in progress")
        # The care ended: the review that was due is no longer owed; a lapse before the end stays a lapse.
        self.care_review.done_on = on
        self.care_review.steps.append(f"R-VARD-1: care ended {on}")

    def _care_reviewed(self, on: date, payload: Mapping[str, Any]) -> None:
        if self.care_review is None or self.care_review.ended:
            raise _Contradiction("care_review was never started: no placement_started before it")
        # R-VARD-1: the review ends the current period and the next one runs from the review's own date.
        self.care_review = self._care_review_clock(on, f"last review {on}")

    # -- helpers --

    def _care_review_clock(self, on: date, what: str) -> _Clock:
        due = add_months(on, CARE_REVIEW_MONTHS)  # R-VARD-1, R-TID-3
        return _Clock(Kind.CARE_REVIEW, R_VARD_1, on, due, [f"R-VARD-1: {what} + {CARE_REVIEW_MONTHS} months = {due}"])

    def _latest_report(self, kind: str) -> _Report:
        if not self.reports:
            raise _Contradiction(f"{kind} was never started: no report_received before it")
        return self.reports[-1]

    def _pending_pre_assessment(self) -> _Clock:
        report = self._latest_report("pre_assessment")
        if report.pre_assessment is None:
            raise _Contradiction(
                f"the report received on {report.received_on} came in during an ongoing investigation and "
                "needs no pre-assessment (R-FORH-1, pafors_pagaende), so there is no pre_assessment deadline"
            )
        if report.pre_assessment.done_on is not None:
            raise _Contradiction(
                f"the pre_assessment of the report received on {report.received_on} already ended "
                f"on {report.pre_assessment.done_on}"
            )
        return report.pre_assessment

    def _ongoing_investigation(self) -> _Clock | None:
        if self.investigations and not self.investigations[-1].ended:
            return self.investigations[-1]
        return None

    def _investigation_to_end(self, verb: str) -> _Clock:
        ongoing = self._ongoing_investigation()
        if ongoing is not None:
            return ongoing
        if not self.investigations:
            raise _Contradiction("investigation was never started: no investigation_opened before it")
        last = self.investigations[-1]
        raise _Contradiction(
            f"the investigation opened on {last.started_on} already ended on {last.done_on}; it cannot be {verb} again"
        )

    def _due_in_force(self, clock: _Clock) -> date:
        """The date the act must be done by; söndagsregeln moves it only with the setting (R-TID-4)."""
        return self._shift(clock, clock.due)

    def _shift(self, clock: _Clock, due: date) -> date:
        if self.settings.sunday_rule_for_board_deadlines and clock.board_period:
            return sunday_rule(due)
        return due

    def _extend(self, clock: _Clock, on: date, payload: Mapping[str, Any], rule: str) -> None:
        """R-TID-7: record an extension. In time, it moves the due date; after expiry it moves nothing."""
        until = parse_date(payload["until"], "'until'")
        in_force = self._due_in_force(clock)
        if until <= in_force:
            raise _Contradiction(f"'until' {until} is not after the due date in force {in_force}")
        after_expiry = on > in_force
        clock.extensions.append(Extension(rule, on, in_force, until, after_expiry))
        if after_expiry:
            clock.steps.append(
                f"R-TID-7: extension to {until} decided {on}, after the due date {in_force} had passed: "
                "kept, but it moves nothing"
            )
            return
        if clock.original_due is None:
            clock.original_due = clock.due
        clock.due = until
        clock.steps.append(f"{rule}, R-TID-7: extended on {on} to {until}")

    def _start_reporter_feedback(self, report: _Report) -> None:
        """R-INFO-1: on request, inform the reporter at the latest one week after the decision, or genast."""
        requested_on = report.feedback_requested_on
        if requested_on is None or report.feedback is not None:
            return
        if report.pre_assessment is None:
            # The report was linked to an ongoing investigation: no decision, information is due genast.
            start, due, board_period = requested_on, requested_on, False
            steps = [f"R-INFO-1: investigation already ongoing; request {requested_on} -> genast = {due}"]
        elif report.decided_on is not None:
            decided_on = report.decided_on
            one_week = add_weeks(decided_on, REPORTER_FEEDBACK_WEEKS)  # R-TID-3
            start = max(requested_on, decided_on)
            if requested_on <= one_week:
                due, board_period = one_week, True
                steps = [f"R-INFO-1: decision {decided_on} + {REPORTER_FEEDBACK_WEEKS} week = {due} (R-TID-3)"]
            else:
                due, board_period = requested_on, False
                steps = [f"R-INFO-1: request {requested_on} after {one_week} -> genast = {due}"]
        else:
            return  # R-TID-9: the deadline exists once both the request and the decision exist
        shown = start >= REPORTER_FEEDBACK_RULE_FROM
        if not shown:
            steps.append(f"R-INFO-1: before {REPORTER_FEEDBACK_RULE_FROM} feedback on request had no time limit")
        report.feedback = _Clock(
            Kind.REPORTER_FEEDBACK, R_INFO_1, start, due, steps, board_period=board_period, shown=shown
        )

    # -- the result --

    def result(self, today: date | None) -> list[Deadline]:
        clocks: list[_Clock] = []
        if self.process == Process.CHILD:
            for report in self.reports:
                clocks.append(report.protection)
                if report.pre_assessment is not None:
                    clocks.append(report.pre_assessment)
                if report.feedback is not None and report.feedback.shown:
                    clocks.append(report.feedback)
            clocks.extend(self.investigations)
        if self.care_review is not None:
            clocks.append(self.care_review)
        deadlines = [self._deadline(clock, today) for clock in clocks]
        return sorted(deadlines, key=lambda d: (d.due, str(d.kind), d.started_on))

    def _deadline(self, clock: _Clock, today: date | None) -> Deadline:
        due = self._due_in_force(clock)
        steps = list(clock.steps)
        calendar_due = None
        if due != clock.due:
            calendar_due = clock.due
            steps.append(f"R-TID-4 (setting sunday_rule_for_board_deadlines): {clock.due} -> {due}")
        original_due = None
        if clock.original_due is not None:
            original_due = self._shift(clock, clock.original_due)
        plan_by = None
        if clock.board_period:
            # R-TID-4: plan for the last working day on or before the due date; never before the start.
            plan_by = max(last_working_day_on_or_before(due), clock.started_on)
        return Deadline(
            kind=clock.kind,
            rule=clock.rule,
            started_on=clock.started_on,
            due=due,
            status=self._status(clock, due, today),
            plan_by=plan_by,
            original_due=original_due,
            done_on=clock.done_on,
            extended_after_expiry=any(extension.after_expiry for extension in clock.extensions),
            calendar_due=calendar_due,
            extensions=tuple(clock.extensions),
            steps=tuple(steps),
        )

    @staticmethod
    def _status(clock: _Clock, due: date, today: date | None) -> Status:
        """R-TID-9 status; R-TID-4 for `late_within_sunday_rule`."""
        if clock.done_on is not None:
            if clock.done_on <= due:
                return Status.MET
            if clock.board_period and not is_working_day(due) and clock.done_on <= next_working_day(due):
                return Status.LATE_WITHIN_SUNDAY_RULE
            return Status.LATE
        if today is None:
            return Status.PENDING
        return Status.OPEN if today <= due else Status.OVERDUE


class _Contradiction(Exception):
    """An event contradicts the events before it; `apply` adds which event it was."""


def _context(number: int, event: Event) -> str:
    return f"event {number} ({event.type} on {event.occurred_on})"


def _show(value: object) -> str:
    if isinstance(value, str):
        return repr(value)
    return f"{value!r} ({type(value).__name__})"


def _choices(values: Iterable[StrEnum]) -> str:
    names = [repr(str(value)) for value in values]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]
