"""The monthly batch (bulk automated decisions, the same records as one by one) and the demo seed of
ekonomiskt bistånd on a small synthetic municipality."""

import datetime as dt
import random

import pytest
import time_machine

from lotsen.accounts.models import Role
from lotsen.assistance import selectors, services
from lotsen.assistance.demo import seed_assistance
from lotsen.assistance.models import (
    Application,
    ApplicationDecision,
    ApplicationMember,
    ApplicationStatus,
    AutomationAssessment,
    NormCalculation,
)
from lotsen.audit.models import AuditEvent
from lotsen.cases.models import CaseEvent, Decision
from lotsen.demo.generator import Generator, SeedReport, seed_organisation, seed_population, seed_users
from tests.factories import AssistanceUnitFactory, AutomationRuleSetFactory, MembershipFactory, adult

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.mark.django_db
def test_batch_decides_in_bulk_with_the_same_records_as_one_by_one(delegation):
    unit = AssistanceUnitFactory()
    delegate = MembershipFactory(unit=unit, role=Role.CASEWORKER).user
    AutomationRuleSetFactory(accountable_delegate=delegate)
    applicants = [adult(1960 + i) for i in range(6)]
    october = dt.date(2026, 10, 1)
    for person in applicants:
        app = services.application_submit(
            applicant=person,
            period=october,
            channel="e_service",
            household=services.HouseholdInput(),
            reasonable_costs=[services.CostInput("housing", 5000)],
            declaration=True,
        )
        services.assess(app)
        services.decide(actor=delegate, application=app, outcome="granted", reasons="Behov.", barriers={"a1": "none"})
    november = dt.date(2026, 11, 1)
    for i, person in enumerate(applicants):
        rent = 5000 if i < 4 else 9000  # two with a large change in costs → the queue
        services.application_submit(
            applicant=person,
            period=november,
            channel="e_service",
            household=services.HouseholdInput(),
            reasonable_costs=[services.CostInput("housing", rent)],
            declaration=True,
        )
    report = services.automation_batch_run(period=november, chunk=4)
    assert (report.applications, report.decided, report.queued) == (6, 4, 2)
    assert report.reasons == {"costs_within_threshold": 2}
    decided = Application.objects.filter(period=november, status=ApplicationStatus.DECIDED)
    assert decided.count() == 4 and all(a.automated for a in decided)
    # One calculation and one assessment per application; every decision signed by the delegate and linked.
    assert NormCalculation.objects.filter(application__period=november).count() == 6
    assert AutomationAssessment.objects.filter(application__period=november).count() == 6
    for app in decided:
        d = app.decision
        assert d.status == "signed" and d.delegate == delegate and d.number.startswith("B-2026-")
        assert d.explanation["automated"] and d.explanation["norm_result"]["entitlement"] == int(app.granted_amount)
        assert ApplicationDecision.objects.get(decision=d).automated
        assert CaseEvent.objects.filter(case=app.case, type="decision_signed", payload__decision_id=d.pk).exists()
        assert AuditEvent.objects.filter(action="decision.signed", object_id=str(d.pk)).exists()
    numbers = list(Decision.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    queued = Application.objects.filter(period=november, status=ApplicationStatus.READY)
    assert {a.case.subject_id for a in queued} == {applicants[4].pk, applicants[5].pk}
    # Running again does nothing: only received applications are assessed.
    assert services.automation_batch_run(period=november).applications == 0


@pytest.mark.django_db
def test_demo_seed_gives_a_realistic_month_by_month_history():
    # The population only (the generator's own steps), then this module's seed on its own.
    _municipality, units = seed_organisation("Testby kommun")
    seed_users(units, rng=random.Random(5), extra_per_unit=2, valid_from=dt.date(2024, 1, 1))
    seed_population(Generator(seed=5, today=TODAY), 2500, SeedReport())
    report = seed_assistance(rng=random.Random(5), today=TODAY, years=2, units=units)
    assert report.months[0] == "2026-01" and report.months[-1] == "2026-11"  # only years with a rate table
    assert 20 <= report.households <= 60  # about 4 % of the households
    assert report.applications > report.households * 3
    assert report.automated > report.manual > 0
    assert report.queued > 0
    kinds = {
        (a.household_snapshot["members"][-1]["role"], len(a.household_snapshot["members"]))
        for a in Application.objects.all()
    }
    assert any(role == "child" for role, _n in kinds) and any(n == 1 for _r, n in kinds)
    assert ApplicationMember.objects.exclude(role="child").filter(barrier_to_self_support="").count() == 0
    # Long-term recipients exist for planning, and the share page has numbers.
    from lotsen.accounts.models import User

    sara = User.objects.get(username="sara")
    rows, _first, _last = selectors.long_term_recipients(sara, today=TODAY)
    assert rows
    share = selectors.automation_share(today=TODAY)
    assert sum(r.automated for r in share) == report.automated
    # Idempotent.
    assert seed_assistance(rng=random.Random(5), today=TODAY, years=2, units=units).applications == 0
