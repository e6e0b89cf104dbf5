"""Services of interventions and placements: carrying out decisions, the R-VARD-1 care-review deadline in the
case's projection, ending interventions, visits, plans and delay reasons."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from lotsen.accounts.models import Role
from lotsen.audit.models import AuditEvent
from lotsen.cases import services as cases
from lotsen.cases.models import CaseEvent, Deadline
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.core.workdays import add_months
from lotsen.interventions import services
from lotsen.interventions.models import CareReview, Intervention, Placement, Visit
from tests.factories import MembershipFactory, PriceAgreementFactory, ProviderFactory, UnitFactory
from tests.interventions.conftest import open_child_case, signed_decision

START = dt.date(2026, 3, 10)


@pytest.fixture
def placed(travel, caseworker, unit_manager, unit, provider, delegation):
    """A child placed in an HVB on 2026-03-10 (decided the same day), E13 of legal-rules.md."""
    travel(START)
    case = open_child_case(caseworker, unit, dt.date(2026, 1, 20))
    cases.phase_change(actor=caseworker, case=case, to_phase="investigation", occurred_on=dt.date(2026, 1, 20))
    decision = signed_decision(case, preparer=caseworker, signer=unit_manager)
    intervention = services.intervention_start(
        actor=caseworker,
        decision=decision,
        kind="placement",
        start_on=START,
        provider=provider,
        responsible_worker=caseworker,
        placement_form="hvb",
    )
    return intervention


def care_review_deadline(case):
    return Deadline.objects.get(case=case, kind="care_review")


@pytest.mark.django_db
def test_placement_of_a_child_starts_the_six_month_care_review(placed):
    case = placed.case
    placement = Placement.objects.get(pk=placed.pk)
    assert placement.care_start == START
    assert placement.daily_price == Decimal("4200.00")
    deadline = care_review_deadline(case)
    assert deadline.due_on == add_months(placement.care_start, 6) == dt.date(2026, 9, 10)
    assert deadline.rule_id == "R-VARD-1"
    assert deadline.status == "pending"
    types = list(case.events.values_list("type", flat=True))
    assert "intervention_started" in types and "placement_started" in types
    case.refresh_from_db()
    assert case.phase == "intervention"
    assert AuditEvent.objects.filter(action="intervention.started", object_id=str(placed.pk)).exists()


@pytest.mark.django_db
def test_care_start_is_the_earlier_of_decision_and_placement(
    travel, caseworker, unit_manager, unit, provider, delegation
):
    travel(dt.date(2026, 3, 20))
    case = open_child_case(caseworker, unit, dt.date(2026, 3, 1))
    # An urgent placement on 2026-03-05, the decision signed on 2026-03-16: care started on 2026-03-05.
    decision = signed_decision(case, preparer=caseworker, signer=unit_manager, decided_on=dt.date(2026, 3, 16))
    intervention = services.intervention_start(
        actor=caseworker,
        decision=decision,
        kind="placement",
        start_on=dt.date(2026, 3, 5),
        provider=provider,
        responsible_worker=caseworker,
        placement_form="hvb",
    )
    assert intervention.placement.care_start == dt.date(2026, 3, 5)
    assert care_review_deadline(case).due_on == dt.date(2026, 9, 5)


@pytest.mark.django_db
def test_care_review_restarts_the_cycle_from_its_own_date(placed, travel, caseworker):
    """E13: care begun 2026-03-10, review held 2026-08-20 → the next is due 2027-02-20 (a Saturday)."""
    travel(dt.date(2026, 8, 21))
    review = services.care_review_record(
        actor=caseworker,
        placement=placed.placement,
        reviewed_on=dt.date(2026, 8, 20),
        committee_reference="IU 2026-08-20 § 45",
        conclusion="continue",
    )
    deadline = care_review_deadline(placed.case)
    assert deadline.started_on == dt.date(2026, 8, 20)
    assert deadline.due_on == add_months(dt.date(2026, 8, 20), 6) == dt.date(2027, 2, 20)
    assert deadline.plan_by == dt.date(2027, 2, 19)  # R-TID-4: book the utskott before the weekend
    event = CaseEvent.objects.get(case=placed.case, type="care_reviewed")
    assert event.payload["committee_reference"] == "IU 2026-08-20 § 45"
    assert event.payload["care_review_id"] == review.pk
    # Append-only: a recorded review cannot be changed.
    with pytest.raises(DatabaseError), transaction.atomic():
        CareReview.objects.filter(pk=review.pk).update(committee_reference="ändrad")


@pytest.mark.django_db
def test_care_review_needs_reference_and_a_date_in_range(placed, travel, caseworker):
    travel(dt.date(2026, 8, 21))
    with pytest.raises(DomainError) as exc:
        services.care_review_record(
            actor=caseworker, placement=placed.placement, reviewed_on=dt.date(2026, 8, 20),
            committee_reference=" ", conclusion="continue",
        )  # fmt: skip
    assert exc.value.field == "committee_reference"
    with pytest.raises(DomainError) as exc:
        services.care_review_record(
            actor=caseworker, placement=placed.placement, reviewed_on=dt.date(2026, 8, 22),
            committee_reference="IU § 1", conclusion="continue",
        )  # fmt: skip
    assert exc.value.field == "reviewed_on"
    with pytest.raises(DomainError) as exc:
        services.care_review_record(
            actor=caseworker, placement=placed.placement, reviewed_on=dt.date(2026, 3, 1),
            committee_reference="IU § 1", conclusion="continue",
        )  # fmt: skip
    assert exc.value.field == "reviewed_on"


@pytest.mark.django_db
def test_start_refuses_what_the_decision_does_not_grant(
    travel, caseworker, team_lead, unit_manager, unit, provider, delegation
):
    travel(START)
    case = open_child_case(caseworker, unit, dt.date(2026, 2, 1))
    rejected = signed_decision(case, preparer=caseworker, signer=team_lead, type="non_residential", outcome="rejected")
    with pytest.raises(DomainError, match="beviljar ingen insats"):
        services.intervention_start(actor=caseworker, decision=rejected, kind="non_residential", start_on=START,
                                    provider=provider)  # fmt: skip
    granted = signed_decision(case, preparer=caseworker, signer=team_lead, type="non_residential")
    with pytest.raises(DomainError) as exc:
        services.intervention_start(actor=caseworker, decision=granted, kind="placement", start_on=START,
                                    provider=provider, responsible_worker=caseworker, placement_form="hvb")  # fmt: skip
    assert exc.value.field == "kind"
    with pytest.raises(DomainError) as exc:
        services.intervention_start(actor=caseworker, decision=granted, kind="non_residential",
                                    start_on=START + dt.timedelta(days=1), provider=provider)  # fmt: skip
    assert exc.value.field == "start_on"
    with pytest.raises(DomainError) as exc:
        services.intervention_start(actor=caseworker, decision=granted, kind="non_residential", start_on=START,
                                    provider=None)  # fmt: skip
    assert exc.value.field == "provider"
    services.intervention_start(actor=caseworker, decision=granted, kind="non_residential", start_on=START,
                                provider=provider)  # fmt: skip
    with pytest.raises(DomainError, match="redan en pågående"):
        services.intervention_start(actor=caseworker, decision=granted, kind="non_residential", start_on=START,
                                    provider=provider)  # fmt: skip
    placement = signed_decision(case, preparer=caseworker, signer=unit_manager)
    with pytest.raises(DomainError) as exc:
        services.intervention_start(actor=caseworker, decision=placement, kind="placement", start_on=START,
                                    provider=provider, placement_form="familjehem",
                                    responsible_worker=caseworker)  # fmt: skip
    assert exc.value.field == "placement_form"
    with pytest.raises(DomainError) as exc:
        services.intervention_start(actor=caseworker, decision=placement, kind="placement", start_on=START,
                                    provider=provider, placement_form="hvb")  # fmt: skip
    assert exc.value.field == "responsible_worker"  # R-VARD-5
    outsider = MembershipFactory(role=Role.CASEWORKER, unit=UnitFactory()).user
    with pytest.raises(DomainError) as exc:
        services.intervention_start(actor=caseworker, decision=placement, kind="placement", start_on=START,
                                    provider=provider, placement_form="hvb", responsible_worker=outsider)  # fmt: skip
    assert exc.value.field == "responsible_worker"


@pytest.mark.django_db
def test_unsigned_decision_cannot_be_carried_out(travel, caseworker, unit, provider, delegation):
    from lotsen.cases import services as cases

    travel(START)
    case = open_child_case(caseworker, unit, dt.date(2026, 2, 1))
    draft = cases.decision_prepare(actor=caseworker, case=case, type="non_residential", outcome="granted",
                                   decision_text="Öppenvård.", reasons="Behov.", person_view="Samtycker.")  # fmt: skip
    with pytest.raises(DomainError, match="beslutet är fattat"):
        services.intervention_start(actor=caseworker, decision=draft, kind="non_residential", start_on=START,
                                    provider=provider)  # fmt: skip


@pytest.mark.django_db
def test_outsider_cannot_carry_out_or_record(placed):
    outsider = MembershipFactory(role=Role.CASEWORKER, unit=UnitFactory()).user
    with pytest.raises(PermissionDeniedError):
        services.intervention_end(actor=outsider, intervention=placed, end_on=START, end_reason="completed")
    with pytest.raises(PermissionDeniedError):
        services.visit_record(actor=outsider, placement=placed.placement, visited_on=START, spoke_alone=True)


@pytest.mark.django_db
def test_end_records_reason_and_event_and_ends_the_placement(placed, travel, caseworker):
    travel(dt.date(2026, 6, 1))
    with pytest.raises(DomainError) as exc:
        services.intervention_end(
            actor=caseworker, intervention=placed, end_on=dt.date(2026, 5, 31), end_reason="other"
        )
    assert exc.value.field == "note"
    with pytest.raises(DomainError) as exc:
        services.intervention_end(
            actor=caseworker, intervention=placed, end_on=dt.date(2026, 3, 1), end_reason="completed"
        )
    assert exc.value.field == "end_on"
    ended = services.intervention_end(
        actor=caseworker, intervention=placed, end_on=dt.date(2026, 5, 31), end_reason="completed"
    )
    assert ended.end_on == dt.date(2026, 5, 31) and ended.end_reason == "completed"
    types = list(placed.case.events.values_list("type", flat=True))
    assert "intervention_ended" in types and "placement_ended" in types
    with pytest.raises(DomainError, match="redan avslutad"):
        services.intervention_end(
            actor=caseworker, intervention=placed, end_on=dt.date(2026, 5, 31), end_reason="completed"
        )
    with pytest.raises(DomainError, match="avslutad"):
        services.visit_record(
            actor=caseworker, placement=placed.placement, visited_on=dt.date(2026, 5, 1), spoke_alone=True
        )


@pytest.mark.django_db
def test_visits_and_plans(placed, travel, caseworker):
    travel(dt.date(2026, 4, 2))
    visit = services.visit_record(
        actor=caseworker, placement=placed.placement, visited_on=dt.date(2026, 4, 1), spoke_alone=True
    )
    assert Visit.objects.get(pk=visit.pk).spoke_alone
    assert CaseEvent.objects.filter(case=placed.case, type="placement_visited").exists()
    placement = services.placement_plans_record(
        actor=caseworker,
        placement=placed.placement,
        care_plan_on=dt.date(2026, 3, 20),
        implementation_plan_on=dt.date(2026, 3, 25),
    )
    assert placement.care_plan_on == dt.date(2026, 3, 20)
    with pytest.raises(DomainError) as exc:
        services.placement_plans_record(
            actor=caseworker, placement=placed.placement, care_plan_on=dt.date(2026, 5, 1), implementation_plan_on=None
        )
    assert exc.value.field == "care_plan_on"


@pytest.mark.django_db
def test_month_price_becomes_a_daily_price(travel, caseworker, unit_manager, unit, delegation, board_secretary):
    travel(START)
    home = PriceAgreementFactory(
        provider=ProviderFactory(name="Familjehemmet Ek"), service="familjehem", price_unit="month",
        price=Decimal("36500.00"),
    ).provider  # fmt: skip
    case = open_child_case(caseworker, unit, dt.date(2026, 1, 20))
    decision = signed_decision(case, preparer=caseworker, signer=board_secretary, type="placement_foster_home")
    intervention = services.intervention_start(
        actor=caseworker, decision=decision, kind="placement", start_on=START, provider=home,
        responsible_worker=caseworker, placement_form="familjehem",
    )  # fmt: skip
    assert intervention.placement.daily_price == Decimal("1200.00")


@pytest.mark.django_db
def test_adult_placement_starts_no_care_review(travel, unit, delegation, provider):
    from lotsen.cases import services as cases
    from tests.factories import PersonFactory

    travel(START)
    adult_unit = UnitFactory(name="Vuxenenheten", kind="adult")
    worker = MembershipFactory(unit=adult_unit, role=Role.CASEWORKER).user
    lead = MembershipFactory(unit=adult_unit, role=Role.UNIT_MANAGER).user
    case = cases.case_open(actor=worker, subject=PersonFactory(birth_date=dt.date(1980, 1, 1)), process_code="adult",
                           unit=adult_unit, opened_on=dt.date(2026, 2, 1), area="vuxen_missbruk")  # fmt: skip
    decision = signed_decision(case, preparer=worker, signer=lead, type="adult_intervention")
    intervention = services.intervention_start(
        actor=worker, decision=decision, kind="placement", start_on=START, provider=provider,
        responsible_worker=worker, placement_form="hvb",
    )  # fmt: skip
    assert Intervention.objects.filter(pk=intervention.pk).exists()
    assert not Deadline.objects.filter(case=case).exists()
    assert not CaseEvent.objects.filter(case=case, type="placement_started").exists()
    with pytest.raises(DomainError, match="placerade barn"):
        services.care_review_record(actor=worker, placement=intervention.placement, reviewed_on=START,
                                    committee_reference="IU § 3", conclusion="continue")  # fmt: skip
