"""The case engine's services: events → deadline projection, delegation, immutability, policies."""

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, transaction

from lotsen.accounts.models import Role
from lotsen.audit.models import AuditEvent
from lotsen.cases import deadlines as engine
from lotsen.cases import services
from lotsen.cases.models import CaseEvent, Deadline, Decision
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.people.models import Protection
from lotsen.policies.access import visible_cases
from tests.factories import MembershipFactory, PersonFactory, UnitFactory

TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def child_case(caseworker, unit):
    child = PersonFactory(birth_date=dt.date(2014, 5, 1))
    return services.case_open(actor=caseworker, subject=child, process_code="child", unit=unit, opened_on=TODAY)


@pytest.mark.django_db
def test_case_open_numbers_audits_and_records_the_first_event(child_case, caseworker):
    assert child_case.number.startswith("IFO-2026-")
    assert child_case.phase == "reception"
    assert AuditEvent.objects.filter(action="case.opened", object_id=str(child_case.pk)).exists()
    assert list(child_case.events.values_list("type", flat=True)) == ["case_opened"]


@pytest.mark.django_db
def test_deadline_projection_equals_the_engine(child_case, caseworker):
    services.event_record(actor=caseworker, case=child_case, type="report_received", occurred_on=dt.date(2026, 3, 7))
    rows = {d.kind: d for d in Deadline.objects.filter(case=child_case)}
    expected = {
        d.kind: d for d in engine.compute_deadlines("child", [engine.Event("report_received", dt.date(2026, 3, 7))])
    }
    assert set(rows) == {"protection_assessment", "pre_assessment"}
    for kind, d in expected.items():
        assert rows[kind].due_on == d.due
        assert rows[kind].rule_id == d.rule
        assert rows[kind].plan_by == d.plan_by
    # R-FORH-1 worked example E2: received Sat 2026-03-07 → due Sat 2026-03-21, plan by Fri 2026-03-20.
    assert rows["pre_assessment"].due_on == dt.date(2026, 3, 21)
    assert rows["pre_assessment"].plan_by == dt.date(2026, 3, 20)


@pytest.mark.django_db
def test_contradicting_event_is_refused_and_nothing_is_written(child_case, caseworker):
    before = CaseEvent.objects.count()
    with pytest.raises(DomainError, match="stämmer inte"):
        services.event_record(actor=caseworker, case=child_case, type="protection_assessment_signed", occurred_on=TODAY)
    assert CaseEvent.objects.count() == before


@pytest.mark.django_db
def test_future_event_dates_are_refused(child_case, caseworker):
    with pytest.raises(DomainError):
        services.event_record(
            actor=caseworker, case=child_case, type="report_received", occurred_on=TODAY + dt.timedelta(days=1)
        )


@pytest.mark.django_db
def test_case_cannot_close_or_move_before_protection_assessment(child_case, caseworker, other_unit):
    services.event_record(actor=caseworker, case=child_case, type="report_received", occurred_on=TODAY)
    with pytest.raises(DomainError, match="skyddsbedömningen"):
        services.case_close(actor=caseworker, case=child_case, reason="inleds_ej", closed_on=TODAY)
    with pytest.raises(DomainError, match="skyddsbedömningen"):
        services.transfer_request(actor=caseworker, case=child_case, to_unit=other_unit, message="Flytt")


@pytest.mark.django_db
def test_outsider_cannot_work_on_the_case(child_case):
    outsider = MembershipFactory(role=Role.CASEWORKER, unit=UnitFactory()).user
    with pytest.raises(PermissionDeniedError):
        services.event_record(actor=outsider, case=child_case, type="report_received", occurred_on=TODAY)
    assert not visible_cases(outsider).filter(pk=child_case.pk).exists()


@pytest.mark.django_db
def test_protected_subject_needs_authorisation_in_the_unit(caseworker, unit_manager, unit):
    child = PersonFactory(protection=Protection.PROTECTED_REGISTRATION)
    case = services.case_open(actor=unit_manager, subject=child, process_code="child", unit=unit, opened_on=TODAY)
    assert not visible_cases(caseworker).filter(pk=case.pk).exists()
    assert visible_cases(unit_manager).filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_pre_assessment_decision_by_delegation_ends_the_deadline(child_case, caseworker, team_lead, delegation):
    services.event_record(actor=caseworker, case=child_case, type="report_received", occurred_on=TODAY)
    services.event_record(actor=caseworker, case=child_case, type="protection_assessment_signed", occurred_on=TODAY)
    decision = services.decision_prepare(
        actor=caseworker,
        case=child_case,
        type="pre_assessment",
        outcome="utredning_inleds",
        decision_text="Utredning inleds.",
        reasons="Uppgifterna i anmälan visar att barnet kan behöva skydd.",
        person_view="Barnet har hörts och vill att någon hjälper familjen.",
    )
    assert decision.delegation_rule.point == "2.1"
    signed = services.decision_sign(actor=caseworker, decision=decision)
    assert signed.number.startswith("B-2026-")
    pre = Deadline.objects.get(case=child_case, kind="pre_assessment")
    assert pre.status == "met" and pre.done_on == TODAY
    event = CaseEvent.objects.get(case=child_case, type="pre_assessment_decided")
    assert event.payload["outcome"] == "open"


@pytest.mark.django_db
def test_delegation_refuses_a_caseworker_and_accepts_team_lead(child_case, caseworker, team_lead, delegation):
    decision = services.decision_prepare(
        actor=caseworker,
        case=child_case,
        type="non_residential",
        outcome="granted",
        decision_text="Öppenvård beviljas.",
        reasons="Behov av stöd.",
        person_view="Vårdnadshavarna samtycker.",
    )
    with pytest.raises(PermissionDeniedError, match="Delegationsordningen"):
        services.decision_sign(actor=caseworker, decision=decision)
    signed = services.decision_sign(actor=team_lead, decision=decision)
    assert signed.delegate == team_lead


@pytest.mark.django_db
def test_committee_only_decision_cannot_be_signed_by_staff(child_case, caseworker, unit_manager, delegation):
    decision = services.decision_prepare(
        actor=caseworker,
        case=child_case,
        type="placement_foster_home",
        outcome="granted",
        decision_text="Placering i familjehem.",
        reasons="Barnet behöver vård utanför hemmet.",
        person_view="Barnet vill bo hos familjen Ek.",
    )
    with pytest.raises(PermissionDeniedError, match="utskottet"):
        services.decision_sign(actor=unit_manager, decision=decision)


@pytest.mark.django_db(transaction=True)
def test_signed_decision_and_events_are_immutable_in_the_database(caseworker, unit, delegation):
    child = PersonFactory()
    case = services.case_open(actor=caseworker, subject=child, process_code="child", unit=unit, opened_on=TODAY)
    decision = services.decision_prepare(
        actor=caseworker,
        case=case,
        type="pre_assessment",
        outcome="inleds_ej",
        decision_text="Utredning inleds inte.",
        reasons="Oron är utredd av skolan.",
        person_view="Barnet har hörts.",
    )
    services.event_record(actor=caseworker, case=case, type="report_received", occurred_on=TODAY)
    services.event_record(actor=caseworker, case=case, type="protection_assessment_signed", occurred_on=TODAY)
    services.decision_sign(actor=caseworker, decision=decision)
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(reasons="Ändrad")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(case=case).delete()


@pytest.mark.django_db
def test_extension_needs_delegate_reason_and_later_date(child_case, caseworker, team_lead, delegation):
    services.event_record(actor=caseworker, case=child_case, type="report_received", occurred_on=TODAY)
    due = Deadline.objects.get(case=child_case, kind="pre_assessment").due_on
    kwargs = {"case": child_case, "kind": "pre_assessment", "decided_on": TODAY}
    with pytest.raises(PermissionDeniedError):
        services.deadline_extend(actor=caseworker, new_due_on=due + dt.timedelta(days=7),
                                 reason_code="police_interview_pending", reason_text="", **kwargs)  # fmt: skip
    with pytest.raises(DomainError):
        services.deadline_extend(actor=team_lead, new_due_on=due, reason_code="police_interview_pending",
                                 reason_text="", **kwargs)  # fmt: skip
    with pytest.raises(DomainError):
        services.deadline_extend(actor=team_lead, new_due_on=due + dt.timedelta(days=7), reason_code="other",
                                 reason_text=" ", **kwargs)  # fmt: skip
    extension = services.deadline_extend(
        actor=team_lead, new_due_on=due + dt.timedelta(days=7), reason_code="police_interview_pending",
        reason_text="", **kwargs,
    )  # fmt: skip
    row = Deadline.objects.get(case=child_case, kind="pre_assessment")
    assert row.due_on == extension.new_due_on and row.original_due_on == due and row.rule_id == "R-FORH-2"


@pytest.mark.django_db
def test_transfer_moves_the_case_and_keeps_history(child_case, caseworker, other_unit):
    services.event_record(actor=caseworker, case=child_case, type="report_received", occurred_on=TODAY)
    services.event_record(actor=caseworker, case=child_case, type="protection_assessment_signed", occurred_on=TODAY)
    transfer = services.transfer_request(actor=caseworker, case=child_case, to_unit=other_unit, message="Vuxenärende")
    receiver = MembershipFactory(role=Role.TEAM_LEAD, unit=other_unit).user
    with pytest.raises(PermissionDeniedError):
        services.transfer_accept(actor=caseworker, transfer=transfer)
    case = services.transfer_accept(actor=receiver, transfer=transfer)
    assert case.unit == other_unit
    types = list(case.events.values_list("type", flat=True))
    assert "transfer_requested" in types and "transfer_accepted" in types and "report_received" in types
    assert Deadline.objects.filter(case=case, kind="pre_assessment").exists()


@pytest.mark.django_db
def test_phase_transitions_follow_the_process(child_case, caseworker):
    with pytest.raises(DomainError):
        services.phase_change(actor=caseworker, case=child_case, to_phase="follow_up", occurred_on=TODAY)
    services.phase_change(actor=caseworker, case=child_case, to_phase="investigation", occurred_on=TODAY)
    assert child_case.phase == "investigation"


@pytest.mark.django_db
def test_adult_process_has_no_child_deadlines(caseworker, unit):
    adult = PersonFactory(birth_date=dt.date(1980, 1, 1))
    case = services.case_open(actor=caseworker, subject=adult, process_code="adult", unit=unit, opened_on=TODAY)
    services.event_record(actor=caseworker, case=case, type="report_received", occurred_on=TODAY)
    services.event_record(actor=caseworker, case=case, type="investigation_opened", occurred_on=TODAY)
    assert not Deadline.objects.filter(case=case).exists()
    services.event_record(actor=caseworker, case=case, type="placement_started", occurred_on=TODAY)
    assert Deadline.objects.get(case=case).kind == "care_review"


@pytest.mark.django_db
def test_case_pages_log_access_and_hide_from_outsiders(child_case, caseworker, login, client):
    from lotsen.audit.models import AccessLogEntry

    client = login(caseworker)
    for url in (
        f"/arenden/{child_case.pk}/",
        f"/arenden/{child_case.pk}/handelser/",
        f"/arenden/{child_case.pk}/beslut/",
    ):
        assert client.get(url).status_code == 200
    assert AccessLogEntry.objects.filter(case_id=child_case.pk, user=caseworker).count() == 3
    client.logout()
    outsider = MembershipFactory(role=Role.CASEWORKER, unit=UnitFactory()).user
    assert login(outsider).get(f"/arenden/{child_case.pk}/").status_code == 404


@pytest.mark.django_db
def test_close_page_refuses_open_report_then_closes(child_case, caseworker, login):
    services.event_record(actor=caseworker, case=child_case, type="report_received", occurred_on=TODAY)
    client = login(caseworker)
    page = client.get(f"/arenden/{child_case.pk}/")
    assert f"/arenden/{child_case.pk}/avsluta/" in page.content.decode()
    refused = client.post(f"/arenden/{child_case.pk}/avsluta/", {"reason": "no_need"})
    assert refused.status_code == 422 and "skyddsbedömningen" in refused.content.decode()
    services.event_record(actor=caseworker, case=child_case, type="protection_assessment_signed", occurred_on=TODAY)
    services.event_record(
        actor=caseworker, case=child_case, type="pre_assessment_decided", occurred_on=TODAY,
        payload={"outcome": "not_open"},
    )  # fmt: skip
    assert client.post(f"/arenden/{child_case.pk}/avsluta/", {"reason": ""}).status_code == 422
    done = client.post(f"/arenden/{child_case.pk}/avsluta/", {"reason": "no_need"})
    assert done.status_code == 302
    child_case.refresh_from_db()
    assert child_case.status == "closed" and child_case.closed_on == TODAY
