from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from lotsen.cases import services as case_services
from tests.factories import PersonFactory

TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded documents go to a temporary directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def frozen():
    """Friday 2026-03-20 10:00 in Stockholm (09:00 UTC), ticking so that timestamps differ."""
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC), tick=True) as traveller:
        yield traveller


@pytest.fixture
def case(caseworker, unit):
    child = PersonFactory(birth_date=dt.date(2014, 5, 1), first_name="Tindra", last_name="Testsson")
    return case_services.case_open(
        actor=caseworker, subject=child, process_code="child", unit=unit, opened_on=dt.date(2026, 1, 10)
    )
