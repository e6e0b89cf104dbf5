"""Builders shared by the work-list tests (tests/cases/test_work_*.py, tests/reminders, tests/e2e/test_work.py).
No tests here: cases are opened and driven through `lotsen.cases.services`, as the UI does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lotsen.cases import services
from lotsen.cases.models import Case
from tests.factories import IntakeFactory, PersonFactory


def child_case(
    actor: Any,
    unit: Any,
    *,
    events: list[tuple[str, dt.date] | tuple[str, dt.date, dict]] = (),  # type: ignore[assignment]
    assignee: Any = None,
    lead: Any = None,
    opened_on: dt.date | None = None,
    received_at: dt.datetime | None = None,
    intake_kind: str = "orosanmalan",
    person: Any = None,
) -> Case:
    """A child case opened by `actor`, with an intake when `received_at` is given, the events recorded in
    order, and (when `assignee` and `lead` are given) assigned by the lead."""
    subject = person or PersonFactory(birth_date=dt.date(2014, 5, 1))
    first = events[0][1] if events else timezone.localdate()
    case = services.case_open(
        actor=actor, subject=subject, process_code="child", unit=unit, opened_on=opened_on or first
    )
    if received_at is not None:
        IntakeFactory(
            case=case,
            kind=intake_kind,
            received_at=received_at,
            received_on=timezone.localtime(received_at).date(),
            registered_by=actor,
        )
    for item in events:
        type_, on = item[0], item[1]
        payload = item[2] if len(item) > 2 else None  # type: ignore[misc]
        services.event_record(actor=actor, case=case, type=type_, occurred_on=on, payload=payload)
    if assignee is not None:
        services.case_assign(actor=lead, case=case, assignee=assignee)
    case.refresh_from_db()
    return case


def report(on: dt.date, *, signed: bool = True) -> list[tuple[str, dt.date]]:
    """A report received on `on`, with the protection assessment signed the same day unless `signed=False`."""
    items = [("report_received", on)]
    if signed:
        items.append(("protection_assessment_signed", on))
    return items
