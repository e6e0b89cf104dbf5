from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from lotsen.accounts.models import Role
from tests.payments import helpers

TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def eb_unit(db):
    return helpers.eb_unit()


@pytest.fixture
def eb_caseworker(eb_unit):
    return helpers.member(eb_unit, Role.CASEWORKER)


@pytest.fixture
def officer(db):
    return helpers.finance_officer("Johan")


@pytest.fixture
def officer2(db):
    return helpers.finance_officer("Malin")


@pytest.fixture
def eb_case(eb_caseworker, eb_unit, delegation):
    return helpers.assistance_case(eb_caseworker, eb_unit, opened_on=dt.date(2026, 3, 2))


@pytest.fixture
def decision(eb_case, eb_caseworker):
    return helpers.signed_decision(eb_case, eb_caseworker)


@pytest.fixture
def account(eb_case, eb_caseworker):
    return helpers.register_account(eb_case, eb_caseworker, dt.date(2026, 3, 1))
