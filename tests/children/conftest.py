"""Fixtures and helpers for the children's process: a frozen clock, children with guardians in the register,
and the services called the way the pages call them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lotsen.children import services
from lotsen.people.models import RelationKind
from tests.factories import PersonFactory, RelationFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Monday 16 March 2026, 14:00 in Stockholm (R-INFO-1 in its 2026-01-15 wording applies).
NOW = dt.datetime(2026, 3, 16, 14, 0, tzinfo=STOCKHOLM)
TODAY = NOW.date()


def at(day: dt.date, hour: int = 10, minute: int = 14) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=STOCKHOLM)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def make_child(*, born: dt.date = dt.date(2014, 5, 1), guardians: int = 2, **kwargs):
    child = PersonFactory(birth_date=born, **kwargs)
    for _ in range(guardians):
        RelationFactory(
            from_person=PersonFactory(birth_date=dt.date(1985, 1, 1)), to_person=child, kind=RelationKind.GUARDIAN_OF
        )
    return child


def register(actor, unit, *children, received_at=None, **kwargs):
    params = {
        "channel": "phone",
        "reporter_category": "school",
        "reporter_name": "Rektor Eva Ek",
        "reporter_organisation": "Centrumskolan",
        "reporter_contact": "010-123 45 67",
        "content": "Barnet har berättat för mentorn om slag hemma.",
    }
    params.update(kwargs)
    return services.report_register(
        actor=actor, unit=unit, received_at=received_at or at(TODAY), children=list(children), **params
    )


def sign_protection(actor, intake, *, needs=False):
    return services.protection_assessment_sign(
        actor=actor,
        intake=intake,
        needs_immediate_protection=needs,
        measures="Barnet bor hos mormor i natt." if needs else "",
        assessment="Inga uppgifter om akut fara. Barnet är i skolan och har en trygg vuxen.",
    )


def decide(actor, case, outcome="utredning_inleds", **kwargs):
    params = {
        "reasons": "Uppgifterna om våld i hemmet behöver utredas.",
        "child_heard": True,
        "child_view": "Barnet vill att någon pratar med föräldrarna.",
        "handed_over_to": "Grannby kommun, socialnämnden" if outcome == "overlamnad" else "",
    }
    params.update(kwargs)
    return services.pre_assessment_decide(actor=actor, case=case, outcome=outcome, **params)


@pytest.fixture
def child(db):
    return make_child()


@pytest.fixture(autouse=True)
def _delegation_scheme(delegation):
    """The default delegationsordning: a caseworker decides pre-assessments (point 2.1), a team lead
    extensions (2.2, 2.3)."""
    return delegation
