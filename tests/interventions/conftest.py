"""Cases with signed decisions, ready to be carried out (through the real case services)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from lotsen.accounts.models import Role
from lotsen.cases import services as cases
from tests.factories import MembershipFactory, PersonFactory, PriceAgreementFactory, ProviderFactory


@pytest.fixture
def travel():
    """Move "today" (timezone.localdate()) to a date: `travel(date)`; returns to real time afterwards."""
    travellers = []

    def _travel(day: dt.date):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=dt.UTC), tick=False)
        traveller.start()
        travellers.append(traveller)

    yield _travel
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def board_secretary(db):
    from tests.factories import UnitFactory

    return MembershipFactory(unit=UnitFactory(name="Nämndadministration"), role=Role.BOARD_SECRETARY).user


@pytest.fixture
def provider(db):
    agreement = PriceAgreementFactory(provider=ProviderFactory(name="HVB Björken AB"), service="hvb")
    return agreement.provider


def open_child_case(actor, unit, opened_on: dt.date, birth_date: dt.date = dt.date(2012, 3, 12)):
    child = PersonFactory(birth_date=birth_date)
    return cases.case_open(actor=actor, subject=child, process_code="child", unit=unit, opened_on=opened_on)


def signed_decision(case, *, preparer, signer, type="placement_hvb", outcome="granted", decided_on=None):
    decision = cases.decision_prepare(
        actor=preparer,
        case=case,
        type=type,
        outcome=outcome,
        decision_text="Insatsen beviljas.",
        reasons="Barnet behöver stöd.",
        person_view="Barnet och vårdnadshavarna samtycker.",
    )
    return cases.decision_sign(actor=signer, decision=decision, decided_on=decided_on)
