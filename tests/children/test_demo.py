"""The demo seeder runs the real services in date order: every report has its deadlines from the engine, the
demo users have work today, and a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine

from lotsen.cases.models import Case, Deadline, Intake
from lotsen.children.demo import seed_children
from lotsen.children.models import Investigation, ProtectionAssessment
from lotsen.children.selectors import repeated_reports
from lotsen.demo.generator import seed_demo
from lotsen.people.models import Person

TODAY = dt.date(2026, 11, 23)


@pytest.mark.django_db
def test_seed_children_builds_a_consistent_history(delegation):
    with time_machine.travel(dt.datetime(2026, 11, 23, 13, 0, tzinfo=dt.UTC), tick=False):
        seed_demo(
            inhabitants=1500, years=1, seed=11, today=TODAY, municipality_name="Exempelby kommun", with_activity=False
        )
        report = seed_children(rng=random.Random(11), today=TODAY, years=1, per_year=25)
        assert report.reports >= 25
        intakes = Intake.objects.filter(kind="orosanmalan")
        assert intakes.count() == report.reports
        # Every report but today's newest has its protection assessment; today's wait for one.
        unassessed = intakes.filter(protection_assessment__isnull=True)
        assert unassessed.exists() and all(i.received_on == TODAY for i in unassessed)
        assert ProtectionAssessment.objects.count() == intakes.count() - unassessed.count()
        assert Case.objects.filter(process="child", status="closed", close_reason="inleds_ej").exists()
        assert Investigation.objects.filter(closed_on__isnull=True).exists()
        assert Deadline.objects.filter(kind="pre_assessment", status="pending").exists()
        assert any(repeated_reports(p, TODAY).flagged for p in Person.objects.filter(cases__process="child"))
        assert seed_children(rng=random.Random(11), today=TODAY, years=1).reports == 0
