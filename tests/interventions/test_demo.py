"""The demo case data (`seed_cases`) for a small municipality: realistic, consistent with the services and
the deadline engine, and with something on every dashboard around `today`."""

import datetime as dt
import random
from collections import Counter

import pytest
import time_machine

from lotsen.accounts.models import User
from lotsen.adults.selectors import elapsed_for
from lotsen.cases import services as cases
from lotsen.cases.models import Case, CaseEvent, Deadline, Decision, DelegationScheme
from lotsen.cases.selectors import DeadlineView
from lotsen.core.models import Unit
from lotsen.demo.generator import DEMO_USERS, seed_demo
from lotsen.interventions import selectors
from lotsen.interventions.demo import seed_cases
from lotsen.interventions.models import Intervention, Placement, PriceAgreement, Provider

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def seeded(db):
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=False):
        seed_demo(
            inhabitants=2500, years=2, seed=5, today=TODAY, municipality_name="Testby kommun", with_activity=False
        )
        units = {u.code: u for u in Unit.objects.all()}
        users = {u.username: u for u in User.objects.filter(username__in=[d.username for d in DEMO_USERS])}
        report = seed_cases(rng=random.Random(5), today=TODAY, years=2, units=units, users=users)
        yield report


def test_seed_cases_creates_a_consistent_history(seeded):
    report = seeded
    assert report.child_cases > 30 and report.adult_cases > 10
    assert Case.objects.count() == report.cases
    assert DelegationScheme.objects.filter(is_active=True).exists()
    assert Provider.objects.filter(name="HVB Solrosen", kind="own", unit__code="hvb-solrosen").exists()
    assert PriceAgreement.objects.count() >= 2 * Provider.objects.count()
    assert not CaseEvent.objects.filter(occurred_on__gt=TODAY).exists()
    assert not Decision.objects.exclude(status="signed").exists()
    assert not Decision.objects.filter(number__isnull=True).exists()
    # The projection is exactly what refresh_deadlines computes from the stored events.
    for case in Case.objects.all():
        stored = sorted(
            Deadline.objects.filter(case=case).values_list("kind", "rule_id", "due_on", "status", "done_on")
        )
        cases.refresh_deadlines(case)
        again = sorted(Deadline.objects.filter(case=case).values_list("kind", "rule_id", "due_on", "status", "done_on"))
        assert stored == again, case.number
    # Children's pre-assessments mostly in time; about 40 % open an investigation.
    outcomes = Counter(Decision.objects.filter(type="pre_assessment").values_list("outcome", flat=True))
    share = outcomes["utredning_inleds"] / sum(outcomes.values())
    assert 0.2 < share < 0.7, outcomes
    placements = Placement.objects.select_related("intervention")
    assert placements.exists()
    assert all(p.intervention.responsible_worker_id for p in placements)
    # Adults have no statutory deadlines besides the children's care review.
    assert not Deadline.objects.filter(case__process="adult").exists()
    # Every intervention carries out a signed, favourable decision of its own case.
    for intervention in Intervention.objects.select_related("decision"):
        assert intervention.decision.case_id == intervention.case_id
        assert intervention.decision.outcome in ("granted", "partly_granted")


def test_every_dashboard_has_something_around_today(seeded):
    open_cases = Case.objects.filter(status="open")
    assignees = set(open_cases.exclude(assignee=None).values_list("assignee__username", flat=True))
    assert {"anna", "erik", "omar"} <= assignees
    assert open_cases.filter(assignee=None).exists()
    states = Counter(
        (d.kind, DeadlineView(d, TODAY).state) for d in Deadline.objects.filter(case__status="open", status="pending")
    )
    for kind in ("pre_assessment", "investigation", "care_review"):
        assert states[(kind, "overdue")] >= 1, (kind, states)
    assert states[("pre_assessment", "soon")] + states[("pre_assessment", "open")] >= 1, states
    assert states[("protection_assessment", "today")] >= 1, states
    karin = User.objects.get(username="karin")
    assert selectors.unexecuted_decisions(karin, TODAY)
    adult_cases = Case.objects.filter(process="adult", status="open", phase="intake")
    assert any(elapsed_for(case, TODAY).warning for case in adult_cases)
