"""Ekonomiskt bistånd services end to end: first application → caseworker decision → re-application →
automated decision with its stored explanation and accountable delegate (R-EKB-5) → caseworker override."""

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, transaction

from lotsen.accounts.models import Role
from lotsen.assistance import services
from lotsen.assistance.calc import Adjustment
from lotsen.assistance.models import (
    Application,
    ApplicationDecision,
    ApplicationStatus,
    AutomationAssessment,
    JobbstimulansWindow,
    NormCalculation,
)
from lotsen.audit.models import AuditEvent
from lotsen.cases.models import CaseEvent, Decision
from lotsen.core.errors import DomainError, PermissionDeniedError
from tests.factories import (
    AssistanceUnitFactory,
    AutomationRuleSetFactory,
    MembershipFactory,
    adult,
    child,
)

MARCH = dt.date(2026, 3, 1)
FEBRUARY = dt.date(2026, 2, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def eb_unit(db):
    return AssistanceUnitFactory(name="Ekonomiskt bistånd")


@pytest.fixture
def eb_caseworker(eb_unit):
    return MembershipFactory(unit=eb_unit, role=Role.CASEWORKER).user


@pytest.fixture
def delegate(eb_unit):
    return MembershipFactory(
        unit=eb_unit, role=Role.CASEWORKER, user__first_name="Sara", user__last_name="Nyström"
    ).user


@pytest.fixture
def rule_set(delegation, delegate):
    return AutomationRuleSetFactory(accountable_delegate=delegate)


@pytest.fixture
def family(db):
    applicant = adult(1988)
    kid = child(dt.date(2017, 6, 10))
    return applicant, kid


def submit(applicant, kid, period, *, rent=7000, salary=0, changed=None, message="", **kwargs):
    incomes = [services.IncomeInput("applicant", "child_allowance", 1250)]
    if salary:
        incomes.append(services.IncomeInput("applicant", "salary", salary))
    return services.application_submit(
        applicant=applicant,
        period=period,
        channel="e_service",
        household=services.HouseholdInput(children=[services.ChildInput(kid)]),
        reasonable_costs=[services.CostInput("housing", rent), services.CostInput("household_electricity", 300)],
        incomes=incomes,
        changed=changed,
        message=message,
        declaration=True,
        **kwargs,
    )


def decide_february(app, caseworker):
    return services.decide(
        actor=caseworker,
        application=app,
        outcome="granted",
        reasons="Behovet enligt riksnormen och skäliga kostnader är större än inkomsterna.",
        barriers={"a1": "unemployed_no_benefit"},
    )


@pytest.mark.django_db
def test_first_application_goes_to_the_queue_with_the_reason(family, rule_set, eb_unit):
    applicant, kid = family
    app = submit(applicant, kid, FEBRUARY)
    assert app.case.process == "assistance"
    assert app.case.unit == eb_unit
    assert app.case.subject == applicant
    assert [m.role for m in app.members.order_by("member_id")] == ["applicant", "child"]
    assert CaseEvent.objects.filter(case=app.case, type="application_received").count() == 1

    assessment = services.assess(app)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.READY
    assert assessment is not None and not assessment.passed
    failed = {r["code"]: r for r in assessment.results if not r["passed"]}
    assert "reapplication" in failed
    assert "En första ansökan" in failed["reapplication"]["explanation_sv"]
    assert assessment.calculation is not None
    # One norm calculation, exactly the engine's result format.
    assert assessment.calculation.result["schema"] == "lotsen.norm.result/1"
    assert app.decision is None


@pytest.mark.django_db
def test_reapplication_is_decided_automatically_with_explanation_and_delegate(
    family, rule_set, eb_caseworker, delegate
):
    applicant, kid = family
    february = submit(applicant, kid, FEBRUARY)
    services.assess(february)
    first_decision = decide_february(february, eb_caseworker)
    assert first_decision.delegate == eb_caseworker
    february.refresh_from_db()
    assert february.status == ApplicationStatus.DECIDED
    assert february.granted_amount > 0

    march = submit(
        applicant, kid, MARCH, changed={"household": False, "costs": False, "incomes": False, "other": False}
    )
    # Same case, and the unchanged income is verified by last month's decision.
    assert march.case_id == february.case_id
    assert all(line["verified"] for line in march.incomes)
    assessment = services.assess(march)
    march.refresh_from_db()
    assert assessment.passed, [r for r in assessment.results if not r["passed"]]
    assert march.status == ApplicationStatus.DECIDED
    assert march.automated is True
    decision = march.decision
    assert decision.status == "signed" and decision.outcome == "granted"
    # R-EKB-5: the accountable delegate is recorded, the rule version, inputs and explanation are stored.
    assert decision.delegate == delegate
    explanation = decision.explanation
    assert explanation["automated"] is True
    assert explanation["accountable_delegate"].startswith("Sara Nyström")
    assert explanation["rule_set"]["version"] == rule_set.version
    assert explanation["norm_result"] == assessment.calculation.result
    assert ApplicationDecision.objects.get(decision=decision).calculation.input["period"] == "2026-03"
    assert {r["code"] for r in explanation["rules"]} >= {"reapplication", "same_household", "income_verified"}
    assert all(r["passed"] for r in explanation["rules"])
    assert decision.payload["granted_total"] == assessment.calculation.result["entitlement"]
    assert sum(line["amount"] for line in decision.payload["lines"]) == decision.payload["granted_total"]
    assert march.granted_amount == decision.payload["granted_total"]
    link = ApplicationDecision.objects.get(decision=decision)
    assert link.automated and link.assessment == assessment and link.calculation == assessment.calculation
    assert AuditEvent.objects.filter(action="assistance.automated_decision", object_id=str(march.pk)).exists()


@pytest.mark.django_db
def test_changed_income_is_not_verified_and_goes_to_the_queue(family, rule_set, eb_caseworker):
    applicant, kid = family
    february = submit(applicant, kid, FEBRUARY)
    services.assess(february)
    decide_february(february, eb_caseworker)
    march = submit(applicant, kid, MARCH, salary=4000, changed={"incomes": True})
    assessment = services.assess(march)
    march.refresh_from_db()
    assert march.status == ApplicationStatus.READY
    failed = {r["code"]: r for r in assessment.results if not r["passed"]}
    assert set(failed) == {"income_verified"}
    assert "Lön (inkomst av anställning)" in failed["income_verified"]["explanation_sv"]


@pytest.mark.django_db
def test_caseworker_override_replaces_the_automated_decision(family, rule_set, eb_caseworker):
    applicant, kid = family
    february = submit(applicant, kid, FEBRUARY)
    services.assess(february)
    decide_february(february, eb_caseworker)
    march = submit(applicant, kid, MARCH)
    services.assess(march)
    march.refresh_from_db()
    old = march.decision
    assert march.automated

    new = services.decide(
        actor=eb_caseworker,
        application=march,
        outcome="partly_granted",
        reasons="Hyran är högre än kommunens riktlinje för en familj med ett barn.",
        adjustments=[Adjustment("cost", -1000, "Hyran överstiger riktlinjen med 1 000 kr", 0)],
        barriers={"a1": "unemployed_no_benefit"},
        based_on_decision_id=old.pk,
    )
    march.refresh_from_db()
    assert new.replaces == old
    assert march.decision == new and not march.automated
    assert march.granted_amount == old.payload["granted_total"] - 1000
    # The old decision is immutable: the database refuses any change.
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=old.pk).update(reasons="ändrat")
    # A stale page (based on the old decision) cannot decide again.
    with pytest.raises(DomainError, match="nytt beslut"):
        services.decide(
            actor=eb_caseworker,
            application=march,
            outcome="granted",
            reasons="x",
            barriers={"a1": "none"},
            based_on_decision_id=old.pk,
        )


@pytest.mark.django_db
def test_outcome_must_fit_the_calculation(family, rule_set, eb_caseworker):
    applicant, kid = family
    app = submit(applicant, kid, FEBRUARY, salary=40000)
    services.assess(app)
    with pytest.raises(DomainError, match="inget bistånd"):
        services.decide(
            actor=eb_caseworker,
            application=app,
            outcome="granted",
            reasons="x",
            barriers={"a1": "working_insufficient_income"},
        )
    with pytest.raises(DomainError, match="försörjningshinder"):
        services.decide(actor=eb_caseworker, application=app, outcome="rejected", reasons="x", barriers={})
    decision = services.decide(
        actor=eb_caseworker,
        application=app,
        outcome="rejected",
        reasons="Inkomsterna är högre än behovet.",
        barriers={"a1": "working_insufficient_income"},
    )
    app.refresh_from_db()
    assert decision.outcome == "rejected" and app.granted_amount == 0
    assert decision.payload["granted_total"] == 0


@pytest.mark.django_db
def test_caseworker_of_another_unit_cannot_decide(family, rule_set, caseworker):
    applicant, kid = family
    app = submit(applicant, kid, FEBRUARY)
    services.assess(app)
    with pytest.raises(PermissionDeniedError):
        services.decide(actor=caseworker, application=app, outcome="rejected", reasons="x", barriers={"a1": "none"})


@pytest.mark.django_db
def test_norm_calculations_and_assessments_are_immutable(family, rule_set):
    applicant, kid = family
    app = submit(applicant, kid, FEBRUARY)
    services.assess(app)
    with pytest.raises(DatabaseError), transaction.atomic():
        NormCalculation.objects.filter(application=app).update(entitlement=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AutomationAssessment.objects.filter(application=app).delete()


@pytest.mark.django_db
def test_declaration_is_required_in_the_e_service_and_months_are_unique(family, rule_set):
    applicant, kid = family
    with pytest.raises(DomainError, match="Bekräfta"):
        services.application_submit(
            applicant=applicant, period=FEBRUARY, channel="e_service", household=services.HouseholdInput()
        )
    submit(applicant, kid, FEBRUARY, idempotency_key="k1")
    # The same submission twice (double click) returns the first application.
    again = submit(applicant, kid, FEBRUARY, idempotency_key="k1")
    assert Application.objects.count() == 1 and again.period == FEBRUARY
    with pytest.raises(DomainError, match="redan en ansökan"):
        submit(applicant, kid, FEBRUARY)


@pytest.mark.django_db
def test_jobbstimulans_window_opens_after_six_granted_months(family, rule_set, eb_caseworker):
    applicant, kid = family
    with time_machine.travel(dt.datetime(2026, 7, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        for month in range(1, 7):
            app = submit(applicant, kid, dt.date(2026, month, 1))
            services.assess(app)
            app.refresh_from_db()
            if app.status != ApplicationStatus.DECIDED:
                decide_february(app, eb_caseworker)
        july = submit(applicant, kid, dt.date(2026, 7, 1), salary=8000, changed={"incomes": True})
        services.assess(july)
        july.refresh_from_db()
        assert july.status == ApplicationStatus.READY  # new salary: not verified
        decision = decide_february(july, eb_caseworker)
    salary = next(line for line in decision.explanation["norm_result"]["income_lines"] if line["type"] == "salary")
    assert salary["exclusion"] == "jobbstimulans" and salary["excluded"] == 2000
    window = JobbstimulansWindow.objects.get(person=applicant)
    assert window.start_month == dt.date(2026, 7, 1) and window.end_month == dt.date(2028, 6, 1)
