"""Services and selectors around the queue: completion requests and answers, no automation without rules or
without a valid delegate, the long-term recipient selector (10 of the last 12 months, time-machine),
months in a row, the rule set admin service and the appeal date (R-BESL-3)."""

import datetime as dt

import pytest
import time_machine

from lotsen.accounts.models import Role
from lotsen.assistance import selectors, services
from lotsen.assistance.letters import appeal_due_on
from lotsen.assistance.models import ApplicationStatus, AutomationRuleSet
from lotsen.assistance.periods import add_months
from lotsen.core.errors import DomainError, PermissionDeniedError
from tests.factories import AssistanceUnitFactory, AutomationRuleSetFactory, MembershipFactory, adult


@pytest.fixture
def eb_unit(db):
    return AssistanceUnitFactory(name="Ekonomiskt bistånd")


@pytest.fixture
def eb_caseworker(eb_unit):
    return MembershipFactory(unit=eb_unit, role=Role.CASEWORKER).user


def submit(person, period, rent=6000, message=""):
    return services.application_submit(
        applicant=person,
        period=period,
        channel="e_service",
        household=services.HouseholdInput(),
        reasonable_costs=[services.CostInput("housing", rent)],
        message=message,
        declaration=True,
    )


def grant(app, caseworker, barrier="unemployed_no_benefit"):
    services.assess(app)
    app.refresh_from_db()
    if app.status != ApplicationStatus.DECIDED:
        services.decide(
            actor=caseworker, application=app, outcome="granted", reasons="Behov.", barriers={"a1": barrier}
        )


@pytest.mark.django_db
def test_completion_request_and_answer(eb_caseworker, delegation):
    AutomationRuleSetFactory(accountable_delegate=eb_caseworker)
    person = adult(1990)
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        app = submit(person, dt.date(2026, 3, 1))
        services.assess(app)
        # 2026-04-04 is a Saturday: the applicant's last day moves to Tuesday 2026-04-07 (Easter, R-TID-4).
        request = services.completion_request(
            actor=eb_caseworker, application=app, message="Skicka din hyresavi.", due_on=dt.date(2026, 4, 4)
        )
        assert request.due_on == dt.date(2026, 4, 7)
        app.refresh_from_db()
        assert app.status == ApplicationStatus.NEEDS_COMPLETION
        with pytest.raises(DomainError, match="Skriv ett svar"):
            services.completion_answer(applicant=person, application=app, answer="")
        with pytest.raises(PermissionDeniedError):
            services.completion_answer(applicant=adult(1970), application=app, answer="Här är den.")
        services.completion_answer(applicant=person, application=app, answer="Hyresavin kommer med posten.")
        app.refresh_from_db()
        assert app.status == ApplicationStatus.READY and "completion_answered" in app.flags
        with pytest.raises(DomainError, match="tidigare än i dag"):
            services.completion_request(actor=eb_caseworker, application=app, message="x", due_on=dt.date(2026, 3, 1))


@pytest.mark.django_db
def test_without_rules_or_without_a_valid_delegate_nothing_is_automated(eb_caseworker, delegation, caseworker):
    person = adult(1985)
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        february = submit(person, dt.date(2026, 2, 1))
        grant(february, eb_caseworker)
        march = submit(person, dt.date(2026, 3, 1))
        assert services.assess(march) is None  # no rule set: straight to the queue
        march.refresh_from_db()
        assert march.status == ApplicationStatus.READY and march.latest_assessment is None
        # A delegate from another unit cannot sign for this unit: the rule fails and names the problem.
        AutomationRuleSetFactory(accountable_delegate=caseworker)
        other = adult(1986)
        feb2 = submit(other, dt.date(2026, 2, 1))
        grant(feb2, eb_caseworker)
        mar2 = submit(other, dt.date(2026, 3, 1))
        assessment = services.assess(mar2)
        failed = {r["code"]: r for r in assessment.results if not r["passed"]}
        assert set(failed) == {"accountable_delegate"}
        assert "kan inte fatta beslut" in failed["accountable_delegate"]["explanation_sv"]


@pytest.mark.django_db
def test_long_term_recipients_ten_of_the_last_twelve_months(eb_caseworker, delegation, caseworker):
    AutomationRuleSetFactory(accountable_delegate=eb_caseworker)
    ten, nine = adult(1970), adult(1971)
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        for month in range(2, 12):  # February–November: 10 months
            grant(submit(ten, dt.date(2026, month, 1)), eb_caseworker, "sick_no_benefit")
        for month in range(3, 12):  # March–November: 9 months
            grant(submit(nine, dt.date(2026, month, 1)), eb_caseworker)
        rows, first, last = selectors.long_term_recipients(eb_caseworker)
        assert (first, last) == (dt.date(2025, 12, 1), dt.date(2026, 11, 1))
        assert [r.person for r in rows] == [ten]
        row = rows[0]
        assert (row.months, row.in_a_row, row.barrier) == (10, 10, "sick_no_benefit")
        # Six months in a row opened a jobbstimulans window in August (RN-A11).
        assert row.jobbstimulans is not None and row.jobbstimulans.start_month == dt.date(2026, 8, 1)
        assert [r.person for r in selectors.long_term_recipients(eb_caseworker, min_months=9)[0]] == [ten, nine]
        # A caseworker of another unit sees no one.
        assert selectors.long_term_recipients(caseworker)[0] == []
    with time_machine.travel(dt.datetime(2027, 2, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        # Three months later the window of the last 12 months holds only 9 of them.
        assert selectors.long_term_recipients(eb_caseworker)[0] == []


def test_months_in_a_row():
    months = [dt.date(2026, m, 1) for m in (1, 2, 4, 5, 6)]
    assert selectors.months_in_a_row(months, dt.date(2026, 6, 1)) == 3
    assert selectors.months_in_a_row(months, dt.date(2026, 7, 1)) == 3
    assert selectors.months_in_a_row(months, dt.date(2026, 8, 1)) == 0
    assert add_months(dt.date(2026, 12, 1), 1) == dt.date(2027, 1, 1)


@pytest.mark.django_db
def test_ruleset_save_versions_and_delegate_check(system_admin, eb_caseworker, caseworker, delegation):
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        first = services.ruleset_save(
            actor=system_admin, rules=[], valid_from=dt.date(2026, 3, 20), accountable_delegate=eb_caseworker
        )
        assert first.version == "2026.1" and first.active and len(first.rules) == 11
        second = services.ruleset_save(
            actor=system_admin,
            rules=[{"code": "max_amount", "max_kronor": 9000}],
            valid_from=dt.date(2026, 3, 20),
            accountable_delegate=eb_caseworker,
        )
        assert second.version == "2026.2"
        assert list(AutomationRuleSet.objects.filter(active=True)) == [second]
        with pytest.raises(DomainError, match="delegationsordningen"):
            services.ruleset_save(
                actor=system_admin, rules=[], valid_from=dt.date(2026, 3, 20), accountable_delegate=caseworker
            )
        with pytest.raises(PermissionDeniedError):
            services.ruleset_save(
                actor=eb_caseworker, rules=[], valid_from=dt.date(2026, 3, 20), accountable_delegate=None
            )


@pytest.mark.parametrize(
    ("notified", "due"),
    [
        (dt.date(2026, 3, 20), dt.date(2026, 4, 10)),  # Friday → Friday
        (dt.date(2026, 3, 14), dt.date(2026, 4, 7)),  # Saturday 2026-04-04 → Easter → Tuesday 2026-04-07
        (dt.date(2026, 12, 3), dt.date(2026, 12, 28)),  # Thursday 24 Dec (julafton) → Monday 28 Dec
        (None, None),  # unknown notification: no date (R-BESL-3)
    ],
)
def test_appeal_due_on(notified, due):
    assert appeal_due_on(notified) == due
