"""R-DEL-1/2: who may sign which decision, the routing of "Att besluta" and the immutability of a signed
decision."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.db import DatabaseError, transaction

from lotsen.accounts.models import Role
from lotsen.audit.models import AuditEvent
from lotsen.board import services as board_services
from lotsen.board.models import CommitteeDecision, MeetingBody
from lotsen.cases import delegation, services
from lotsen.cases.models import CaseEvent, Decision, DecisionStatus
from lotsen.cases.views_decisions import committee_queue, decisions_to_decide, may_sign, refusal_message
from lotsen.core.errors import DomainError, PermissionDeniedError
from tests.board.helpers import (
    board_secretary,
    child_case,
    head_of_social_services,
    meeting,
    member,
    prepare,
    submitted,
)
from tests.factories import UnitFactory

TODAY = dt.date(2026, 3, 20)
COMMITTEE_MESSAGE = (
    "Du kan inte fatta det här beslutet. Delegationsordningen ger det till utskottet. "
    "Skicka det till utskottets föredragningslista."
)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def case(caseworker, unit, delegation):
    return child_case(caseworker, unit, opened_on=TODAY)


@pytest.mark.django_db
def test_caseworker_cannot_sign_a_team_lead_decision(case, caseworker):
    decision = prepare(caseworker, case, type="non_residential")
    assert decision.delegation_rule.point == "3.1"
    with pytest.raises(PermissionDeniedError, match=r"punkt 3\.1"):
        services.decision_sign(actor=caseworker, decision=decision)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT and decision.number is None
    assert "arbetsledare (punkt 3.1). Skicka det för beslut." in refusal_message(decision.delegation_rule)


@pytest.mark.django_db
def test_team_lead_signs_and_gets_a_number(case, caseworker, team_lead):
    decision = submitted(caseworker, case, type="non_residential")
    signed = services.decision_sign(actor=team_lead, decision=decision)
    assert signed.status == DecisionStatus.SIGNED
    assert signed.number.startswith("B-2026-")
    assert signed.delegate == team_lead and signed.decided_on == TODAY
    assert AuditEvent.objects.filter(action="decision.signed", object_id=str(signed.pk)).exists()
    assert CaseEvent.objects.filter(case=case, type="decision_signed", payload__decision_id=signed.pk).exists()


@pytest.mark.django_db
def test_higher_rank_in_the_unit_may_sign_but_not_in_another_unit(case, caseworker, unit_manager):
    decision = submitted(caseworker, case, type="non_residential")
    other_manager = member(UnitFactory(), Role.UNIT_MANAGER)
    assert not may_sign(other_manager, decision)
    with pytest.raises(PermissionDeniedError):
        services.decision_sign(actor=other_manager, decision=decision)
    assert services.decision_sign(actor=unit_manager, decision=decision).delegate == unit_manager


@pytest.mark.django_db
def test_team_lead_cannot_sign_a_unit_manager_decision(case, caseworker, team_lead, unit_manager):
    decision = submitted(caseworker, case, type="placement_hvb")
    assert decision.delegation_rule.delegate_role == Role.UNIT_MANAGER
    with pytest.raises(PermissionDeniedError):
        services.decision_sign(actor=team_lead, decision=decision)
    assert services.decision_sign(actor=unit_manager, decision=decision).status == DecisionStatus.SIGNED


@pytest.mark.django_db
def test_head_of_social_services_may_sign_in_every_unit(case, caseworker):
    decision = submitted(caseworker, case, type="placement_hvb")
    head = head_of_social_services()
    assert services.decision_sign(actor=head, decision=decision).delegate == head


@pytest.mark.django_db
def test_committee_only_decision_is_refused_for_every_officer(case, caseworker, team_lead, unit_manager):
    decision = submitted(caseworker, case, type="placement_foster_home")
    assert decision.delegation_rule.committee_only
    for officer in (caseworker, team_lead, unit_manager, head_of_social_services()):
        with pytest.raises(PermissionDeniedError) as exc:
            services.decision_sign(actor=officer, decision=decision)
        assert exc.value.message == COMMITTEE_MESSAGE
    assert refusal_message(decision.delegation_rule) == COMMITTEE_MESSAGE


@pytest.mark.django_db
def test_board_secretary_records_the_committee_decision(case, caseworker):
    decision = submitted(caseworker, case, type="placement_foster_home")
    secretary = board_secretary()
    held = meeting(secretary, MeetingBody.COMMITTEE, held_on=dt.date(2026, 3, 18))
    assert delegation.may_sign(secretary, decision.delegation_rule, case.unit_id)
    record = board_services.committee_decision_record(
        actor=secretary, decision=decision, meeting=held, section_number=12
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SIGNED
    assert decision.decided_on == dt.date(2026, 3, 18)
    assert record.section_number == 12 and record.meeting == held
    assert AuditEvent.objects.filter(action="committee_decision.recorded").exists()


@pytest.mark.django_db
def test_committee_record_needs_a_held_committee_meeting_and_a_free_paragraph(case, caseworker):
    secretary = board_secretary()
    first = submitted(caseworker, case, type="placement_foster_home")
    second = submitted(caseworker, case, type="care_review", outcome="care_continues")
    future = meeting(secretary, MeetingBody.COMMITTEE, held_on=dt.date(2026, 4, 1))
    board_meeting = meeting(secretary, MeetingBody.BOARD, held_on=dt.date(2026, 3, 17))
    held = meeting(secretary, MeetingBody.COMMITTEE, held_on=dt.date(2026, 3, 18))
    with pytest.raises(DomainError, match="inte hållits"):
        board_services.committee_decision_record(actor=secretary, decision=first, meeting=future, section_number=1)
    with pytest.raises(DomainError, match="utskottets sammanträden"):
        board_services.committee_decision_record(
            actor=secretary, decision=first, meeting=board_meeting, section_number=1
        )
    board_services.committee_decision_record(actor=secretary, decision=first, meeting=held, section_number=5)
    with pytest.raises(DomainError, match="redan använd"):
        board_services.committee_decision_record(actor=secretary, decision=second, meeting=held, section_number=5)
    second.refresh_from_db()
    assert second.status == DecisionStatus.SUBMITTED
    assert CommitteeDecision.objects.count() == 1


@pytest.mark.django_db
def test_team_lead_cannot_record_a_committee_decision(case, caseworker, team_lead):
    decision = submitted(caseworker, case, type="placement_foster_home")
    held = meeting(board_secretary(), MeetingBody.COMMITTEE, held_on=dt.date(2026, 3, 18))
    with pytest.raises(PermissionDeniedError):
        board_services.committee_decision_record(actor=team_lead, decision=decision, meeting=held, section_number=1)


@pytest.mark.django_db
def test_signed_decision_is_immutable_in_the_database(case, caseworker, team_lead):
    decision = services.decision_sign(actor=team_lead, decision=submitted(caseworker, case))
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(reasons="Ändrad motivering")
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).delete()
    with pytest.raises(DomainError, match="redan fattat"):
        services.decision_sign(actor=team_lead, decision=decision)
    decision.refresh_from_db()
    assert decision.reasons != "Ändrad motivering"


@pytest.mark.django_db
def test_routing_of_to_decide_is_exactly_may_sign(unit, caseworker, team_lead, unit_manager, delegation):
    other = UnitFactory(name="Utredning barn och unga")
    other_worker = member(other, Role.CASEWORKER)
    other_lead = member(other, Role.TEAM_LEAD)
    head = head_of_social_services()
    secretary = board_secretary()
    decisions = []
    for (owner, where), (kind, outcome) in itertools.product(
        [(caseworker, unit), (other_worker, other)],
        [("pre_assessment", "inleds_ej"), ("non_residential", "granted"), ("placement_hvb", "rejected"),
         ("placement_foster_home", "granted"), ("investigation_closed", "closed_without_intervention")],
    ):  # fmt: skip
        case = child_case(owner, where, opened_on=TODAY)
        decisions.append(submitted(owner, case, type=kind, outcome=outcome))
    users = [caseworker, team_lead, unit_manager, other_worker, other_lead, head, secretary]
    for user in users:
        expected = {d.pk for d in decisions if not d.delegation_rule.committee_only and may_sign(user, d)}
        assert set(decisions_to_decide(user).values_list("pk", flat=True)) == expected, user
    # The team lead of `unit` gets the team-lead and caseworker decisions of that unit only.
    lead_types = set(decisions_to_decide(team_lead).values_list("type", "case__unit"))
    assert lead_types == {("pre_assessment", unit.pk), ("non_residential", unit.pk), ("investigation_closed", unit.pk)}
    # Committee-only decisions are routed to nobody, but listed for the utskott.
    assert set(committee_queue().values_list("type", flat=True)) == {"placement_foster_home"}
    assert committee_queue().count() == 2


@pytest.mark.django_db
def test_to_decide_annotates_sent_date_and_next_deadline(case, caseworker, team_lead):
    services.event_record(actor=caseworker, case=case, type="report_received", occurred_on=dt.date(2026, 3, 10))
    decision = submitted(caseworker, case, type="non_residential")
    row = decisions_to_decide(team_lead).get(pk=decision.pk)
    assert row.sent_on == TODAY
    assert row.next_due_on == dt.date(2026, 3, 10)  # the protection assessment, due the same day
