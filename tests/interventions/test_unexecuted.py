"""R-VERK-1: favourable decisions not carried out within three months, today and per quarter (E16)."""

import datetime as dt

import pytest

from lotsen.accounts.models import Role
from lotsen.interventions import rules, selectors, services
from tests.factories import MembershipFactory, UnitFactory
from tests.interventions.conftest import open_child_case, signed_decision

DECIDED = dt.date(2026, 1, 15)


@pytest.fixture
def decision(travel, caseworker, team_lead, unit, delegation):
    travel(DECIDED)
    case = open_child_case(caseworker, unit, dt.date(2026, 1, 2))
    return signed_decision(case, preparer=caseworker, signer=team_lead, type="non_residential", decided_on=DECIDED)


def test_reportable_from_is_three_months_and_a_day():
    assert rules.reportable_from(dt.date(2026, 1, 15)) == dt.date(2026, 4, 16)  # E16
    assert rules.reportable_from(dt.date(2025, 11, 30)) == dt.date(2026, 3, 1)  # clamped to 02-28, then + 1
    assert rules.quarter_bounds(2026, 2) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert rules.quarter_of(dt.date(2026, 4, 16)) == (2026, 2)


@pytest.mark.django_db
def test_listed_from_the_day_after_three_months(decision, unit_manager, travel):
    travel(dt.date(2026, 4, 15))
    assert selectors.unexecuted_decisions(unit_manager, dt.date(2026, 4, 15)) == []
    rows = selectors.unexecuted_decisions(unit_manager, dt.date(2026, 4, 16))
    assert [r.decision.pk for r in rows] == [decision.pk]
    assert rows[0].reportable_from == dt.date(2026, 4, 16)
    # In the Q2 2026 report (reference date 2026-06-30), not in Q1's.
    q2 = selectors.quarter_report(unit_manager, 2026, 2)
    assert [r.decision.pk for r in q2.not_executed] == [decision.pk]
    assert selectors.quarter_report(unit_manager, 2026, 1).not_executed == []


@pytest.mark.django_db
def test_carried_out_late_is_reported_with_its_date(decision, unit_manager, caseworker, travel):
    from tests.factories import ProviderFactory

    travel(dt.date(2026, 5, 2))
    services.intervention_start(
        actor=caseworker, decision=decision, kind="non_residential", start_on=dt.date(2026, 5, 2),
        provider=ProviderFactory(),
    )  # fmt: skip
    assert selectors.unexecuted_decisions(unit_manager, dt.date(2026, 5, 2)) == []
    q2 = selectors.quarter_report(unit_manager, 2026, 2)
    assert q2.not_executed == []
    assert [(r.decision.pk, r.executed_on) for r in q2.executed_late] == [(decision.pk, dt.date(2026, 5, 2))]
    # Carried out in time: never listed.
    assert selectors.quarter_report(unit_manager, 2026, 3).executed_late == []


@pytest.mark.django_db
def test_carried_out_in_time_is_never_listed(decision, unit_manager, caseworker, travel):
    from tests.factories import ProviderFactory

    travel(dt.date(2026, 4, 15))
    services.intervention_start(
        actor=caseworker, decision=decision, kind="non_residential", start_on=dt.date(2026, 4, 15),
        provider=ProviderFactory(),
    )  # fmt: skip
    travel(dt.date(2026, 9, 1))
    assert selectors.unexecuted_decisions(unit_manager, dt.date(2026, 9, 1)) == []
    report = selectors.quarter_report(unit_manager, 2026, 2)
    assert report.not_executed == [] and report.executed_late == []


@pytest.mark.django_db
def test_interruption_not_resumed_within_three_months(decision, unit_manager, caseworker, travel):
    from tests.factories import ProviderFactory

    travel(dt.date(2026, 2, 1))
    intervention = services.intervention_start(
        actor=caseworker, decision=decision, kind="non_residential", start_on=dt.date(2026, 2, 1),
        provider=ProviderFactory(),
    )  # fmt: skip
    services.intervention_end(
        actor=caseworker, intervention=intervention, end_on=dt.date(2026, 2, 1), end_reason="interrupted"
    )
    assert selectors.unexecuted_decisions(unit_manager, dt.date(2026, 5, 1)) == []
    rows = selectors.unexecuted_decisions(unit_manager, dt.date(2026, 5, 2))
    assert len(rows) == 1 and rows[0].interrupted and rows[0].since == dt.date(2026, 2, 1)


@pytest.mark.django_db
def test_postponement_at_the_persons_request_is_excluded(decision, unit_manager, caseworker, travel):
    travel(dt.date(2026, 4, 20))
    services.delay_reason_record(actor=caseworker, decision=decision, reason="Vill vänta till sommaren.",
                                 requested_by_person=True)  # fmt: skip
    report = selectors.quarter_report(unit_manager, 2026, 2)
    assert report.not_executed == []
    assert [r.decision.pk for r in report.excluded] == [decision.pk]
    # Still shown on today's list, with the reason.
    rows = selectors.unexecuted_decisions(unit_manager, dt.date(2026, 4, 20))
    assert rows[0].excluded and rows[0].delay_reason.reason == "Vill vänta till sommaren."


@pytest.mark.django_db
def test_rejections_and_other_units_are_not_listed(travel, caseworker, team_lead, unit_manager, unit, delegation):
    travel(DECIDED)
    case = open_child_case(caseworker, unit, dt.date(2026, 1, 2))
    signed_decision(case, preparer=caseworker, signer=team_lead, type="non_residential", outcome="rejected",
                    decided_on=DECIDED)  # fmt: skip
    other = UnitFactory()
    other_worker = MembershipFactory(unit=other, role=Role.CASEWORKER).user
    other_lead = MembershipFactory(unit=other, role=Role.TEAM_LEAD).user
    other_case = open_child_case(other_worker, other, dt.date(2026, 1, 2))
    signed_decision(other_case, preparer=other_worker, signer=other_lead, type="non_residential", decided_on=DECIDED)
    assert selectors.unexecuted_decisions(unit_manager, dt.date(2026, 6, 1)) == []
    assert len(selectors.unexecuted_decisions(other_lead, dt.date(2026, 6, 1))) == 1
    assert not selectors.can_see_unexecuted(caseworker)
