"""The children's services: registration (R-ANM-1/2), protection assessment (R-SKYDD-1), pre-assessment
(R-FORH-1/2/3), reporter feedback (R-INFO-1) and the investigation (R-UTR-2), checked against the deadline
engine `lotsen.cases.deadlines`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, transaction

from lotsen.accounts.models import Role
from lotsen.cases import deadlines as engine
from lotsen.cases import services as cases
from lotsen.cases.models import CaseEvent, CaseParty, Deadline, ExtensionReason
from lotsen.cases.selectors import open_cases_for_person
from lotsen.children import selectors, services
from lotsen.children.letters import FACT_SENTENCES
from lotsen.children.models import (
    ChildReport,
    FeedbackFact,
    Investigation,
    InvestigationPart,
    PartStatus,
    ProtectionAssessment,
    ReporterFeedback,
)
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.core.models import UnitKind
from lotsen.core.workdays import add_months, add_weeks
from tests.children.conftest import NOW, TODAY, at, decide, make_child, register, sign_protection
from tests.factories import MembershipFactory, UnitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def deadlines(case):
    return {d.kind: d for d in Deadline.objects.filter(case=case)}


def engine_deadlines(case):
    events = [
        engine.Event(e.type, e.occurred_on, e.payload)
        for e in case.events.filter(type__in=engine.EVENT_TYPES).order_by("occurred_on", "id")
    ]
    return {str(d.kind): d for d in engine.compute_deadlines("child", events)}


def assert_projection_is_the_engine(case):
    rows, computed = deadlines(case), engine_deadlines(case)
    assert set(rows) == set(computed)
    for kind, d in computed.items():
        assert (rows[kind].due_on, rows[kind].rule_id, rows[kind].plan_by, rows[kind].status) == (
            d.due,
            d.rule,
            d.plan_by,
            str(d.status),
        )


# --- registration -------------------------------------------------------------------------------------------


def test_report_opens_a_case_with_day_zero_and_the_engines_deadlines(caseworker, unit, child):
    [result] = register(caseworker, unit, child, received_at=at(TODAY, 10, 14))
    intake, case = result.intake, result.case
    assert case.process == "child" and case.unit == unit and case.phase == "reception"
    assert case.opened_on == TODAY
    assert intake.received_on == TODAY and not intake.registered_late
    assert intake.kind == "orosanmalan" and intake.registered_by == caseworker
    assert not result.linked_to_ongoing
    types = list(case.events.values_list("type", flat=True))
    assert types == ["case_opened", "report_received"]
    rows = deadlines(case)
    assert set(rows) == {"protection_assessment", "pre_assessment"}
    assert rows["protection_assessment"].due_on == TODAY  # R-SKYDD-1: genast
    assert rows["pre_assessment"].due_on == dt.date(2026, 3, 30)  # R-FORH-1: + 14 days
    assert rows["pre_assessment"].rule_id == "R-FORH-1"
    assert_projection_is_the_engine(case)


def test_a_report_registered_on_a_later_day_keeps_day_zero_and_is_flagged(caseworker, unit, child):
    # Received Friday 2026-03-13 at 16:50, registered Monday 2026-03-16 (R-ANM-2).
    [result] = register(caseworker, unit, child, received_at=at(dt.date(2026, 3, 13), 16, 50))
    assert result.intake.registered_late
    assert result.intake.received_on == dt.date(2026, 3, 13)
    rows = deadlines(result.case)
    assert rows["pre_assessment"].due_on == dt.date(2026, 3, 27)
    assert rows["protection_assessment"].due_on == dt.date(2026, 3, 13)
    assert_projection_is_the_engine(result.case)


def test_received_late_in_the_evening_counts_the_stockholm_date(caseworker, unit, child):
    # 23:30 in Stockholm is 22:30 UTC: day 0 is the local date (R-TID-1).
    [result] = register(caseworker, unit, child, received_at=at(dt.date(2026, 3, 15), 23, 30))
    assert result.intake.received_on == dt.date(2026, 3, 15)


def test_guardians_in_the_register_become_case_parties(caseworker, unit):
    child = make_child(guardians=2)
    [result] = register(caseworker, unit, child)
    parties = CaseParty.objects.filter(case=result.case)
    assert parties.count() == 2 and {p.role for p in parties} == {"guardian"}
    assert set(parties.values_list("person_id", flat=True)) == {g.pk for g in selectors.guardians_of(child, TODAY)}


def test_a_report_about_two_children_opens_two_cases_registered_together(caseworker, unit):
    first, second = make_child(), make_child(born=dt.date(2017, 2, 2))
    results = register(caseworker, unit, first, second)
    assert len(results) == 2 and results[0].case != results[1].case
    batches = {r.intake.child_report.batch for r in results}
    assert len(batches) == 1
    assert {r.case.subject_id for r in results} == {first.pk, second.pk}


def test_feedback_request_is_recorded_and_its_deadline_starts_with_the_decision(caseworker, unit, child):
    [result] = register(caseworker, unit, child, wants_feedback=True)
    assert CaseEvent.objects.filter(case=result.case, type="reporter_feedback_requested").exists()
    assert "reporter_feedback" not in deadlines(result.case)  # R-TID-9: needs the decision too
    sign_protection(caseworker, result.intake)
    decide(caseworker, result.case, outcome="inleds_ej")
    rows = deadlines(result.case)
    assert rows["reporter_feedback"].due_on == add_weeks(TODAY, 1)  # R-INFO-1
    assert_projection_is_the_engine(result.case)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reporter_category": "private", "reporter_organisation": "", "wants_feedback": True}, "wants_feedback"),
        ({"anonymous": True, "reporter_name": "", "reporter_contact": ""}, "anonymous"),  # a school is not anonymous
        ({"reporter_category": "private", "anonymous": True}, "reporter_name"),  # anonymous without a name
        ({"reporter_organisation": ""}, "reporter_organisation"),  # a mandated reporter names the organisation
        ({"reporter_category": "police", "reporter_name": ""}, "reporter_name"),
        ({"content": "  "}, "content"),
        ({"channel": "pigeon"}, "channel"),
        ({"reporter_category": "anonymous"}, "reporter_category"),
    ],
)
def test_reporter_rules_are_enforced(caseworker, unit, child, kwargs, field):
    with pytest.raises(DomainError) as exc:
        register(caseworker, unit, child, **kwargs)
    assert exc.value.field == field
    assert not ChildReport.objects.exists()


def test_an_anonymous_private_person_is_recorded_as_anonymous(caseworker, unit, child):
    [result] = register(
        caseworker,
        unit,
        child,
        reporter_category="private",
        reporter_name="",
        reporter_organisation="",
        reporter_contact="",
        anonymous=True,
    )
    assert result.intake.reporter_category == "anonymous"
    assert result.intake.child_report.stated_category == "private"
    assert result.intake.child_report.reporter_anonymous


def test_a_person_aged_21_is_not_a_child_or_young_person(caseworker, unit):
    adult = make_child(born=dt.date(2005, 3, 16))  # turns 21 on day 0
    with pytest.raises(DomainError, match="21 år") as exc:
        register(caseworker, unit, adult)
    assert exc.value.field == "child_0"
    young = make_child(born=dt.date(2005, 3, 17))  # still 20
    assert register(caseworker, unit, young)


def test_a_report_cannot_come_in_after_now(caseworker, unit, child):
    with pytest.raises(DomainError, match="senare än nu"):
        register(caseworker, unit, child, received_at=at(TODAY, 15, 0))


def test_only_staff_of_a_reception_or_investigation_unit_may_register(unit, child):
    adult_unit = UnitFactory(kind=UnitKind.ADULT)
    outsider = MembershipFactory(unit=adult_unit, role=Role.CASEWORKER).user
    with pytest.raises(PermissionDeniedError):
        register(outsider, adult_unit, child)
    other_reception = MembershipFactory(unit=UnitFactory(kind=UnitKind.RECEPTION), role=Role.CASEWORKER).user
    with pytest.raises(PermissionDeniedError):
        register(other_reception, unit, child)  # not a member of the unit it names
    assert not ChildReport.objects.exists()


# --- a report during an ongoing investigation (R-FORH-1: pafors_pagaende) -----------------------------------


@pytest.fixture
def investigating(frozen):
    """A child whose investigation is ongoing in the investigation unit (reported 2026-02-02, opened
    2026-02-10)."""
    unit = UnitFactory(name="Utredning barn och unga", kind=UnitKind.CHILD_INVESTIGATION)
    worker = MembershipFactory(unit=unit, role=Role.CASEWORKER).user
    child = make_child()
    frozen.move_to(at(dt.date(2026, 2, 2), 15, 0))
    [result] = register(worker, unit, child, received_at=at(dt.date(2026, 2, 2)))
    sign_protection(worker, result.intake)
    frozen.move_to(at(dt.date(2026, 2, 10), 15, 0))
    decide(worker, result.case)
    frozen.move_to(NOW)
    return result.case, child, worker


def test_a_report_during_an_ongoing_investigation_is_linked_to_it(caseworker, unit, investigating):
    case, child, _worker = investigating
    [result] = register(caseworker, unit, child, wants_feedback=True)
    assert result.linked_to_ongoing and result.case == case
    assert result.intake.child_report.linked_to_ongoing
    assert selectors.report_outcome(result.intake) == "pafors_pagaende"
    event = CaseEvent.objects.filter(case=case, type="report_received").latest("id")
    assert event.payload["ongoing_investigation"] is True
    kinds = list(Deadline.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds.count("pre_assessment") == 1  # only the first report's, already met
    protection = Deadline.objects.filter(case=case, kind="protection_assessment").order_by("-started_on").first()
    assert protection.started_on == TODAY and protection.status == "pending"
    feedback = Deadline.objects.get(case=case, kind="reporter_feedback")
    assert feedback.due_on == TODAY  # genast when an investigation is already ongoing
    assert_projection_is_the_engine(case)
    assert selectors.feedback_fact(result.intake) == FeedbackFact.ONGOING


def test_a_second_linked_report_waits_for_the_first_ones_protection_assessment(caseworker, unit, investigating):
    _case, child, _worker = investigating
    register(caseworker, unit, child)
    with pytest.raises(DomainError, match="skyddsbedömning") as exc:
        register(caseworker, unit, child)
    assert exc.value.field == "child_0"


# --- protection assessment (R-SKYDD-1) ------------------------------------------------------------------------


def test_signing_the_protection_assessment_ends_its_deadline(caseworker, unit, child):
    [result] = register(caseworker, unit, child)
    pa = sign_protection(caseworker, result.intake, needs=True)
    assert pa.signed_by == caseworker and pa.needs_immediate_protection
    rows = deadlines(result.case)
    assert rows["protection_assessment"].status == "met"
    assert CaseEvent.objects.filter(case=result.case, type="protection_assessment_signed").exists()
    with pytest.raises(DomainError, match="redan signerad"):
        sign_protection(caseworker, result.intake)


def test_protection_measures_are_required_when_protection_is_needed(caseworker, unit, child):
    [result] = register(caseworker, unit, child)
    with pytest.raises(DomainError) as exc:
        services.protection_assessment_sign(
            actor=caseworker, intake=result.intake, needs_immediate_protection=True, measures="", assessment="Akut."
        )
    assert exc.value.field == "measures"


def test_a_signed_protection_assessment_is_immutable_in_the_database(caseworker, unit, child):
    [result] = register(caseworker, unit, child)
    pa = sign_protection(caseworker, result.intake)
    with pytest.raises(DatabaseError, match="signed rows are final"), transaction.atomic():
        ProtectionAssessment.objects.filter(pk=pa.pk).update(assessment="Ändrad i efterhand")
    with pytest.raises(DatabaseError, match="signed rows are final"), transaction.atomic():
        ProtectionAssessment.objects.filter(pk=pa.pk).delete()
    assert ProtectionAssessment.objects.get(pk=pa.pk).assessment == pa.assessment


def test_pre_assessment_closing_and_transfer_are_locked_until_the_protection_assessment(caseworker, unit, child):
    [result] = register(caseworker, unit, child)
    with pytest.raises(DomainError, match="Signera skyddsbedömningen"):
        decide(caseworker, result.case)
    with pytest.raises(DomainError, match="skyddsbedömningen"):
        cases.case_close(actor=caseworker, case=result.case, reason="inleds_ej", closed_on=TODAY)
    with pytest.raises(DomainError, match="skyddsbedömningen"):
        cases.transfer_request(actor=caseworker, case=result.case, to_unit=UnitFactory(), message="Flytt")


# --- pre-assessment (R-FORH-1/2/3) ---------------------------------------------------------------------------


def test_opening_an_investigation_starts_the_four_month_deadline_and_the_bbic_parts(caseworker, unit, child):
    [result] = register(caseworker, unit, child, received_at=at(dt.date(2026, 3, 10)))
    sign_protection(caseworker, result.intake)
    decision = decide(caseworker, result.case)
    case = result.case
    case.refresh_from_db()
    assert decision.status == "signed" and decision.number.startswith("B-2026-")
    assert decision.delegation_rule.point == "2.1" and decision.delegate == caseworker
    assert decision.person_view.startswith("Barnet har hörts: ")
    assert case.phase == "investigation"
    rows = deadlines(case)
    assert rows["pre_assessment"].status == "met"
    assert rows["investigation"].due_on == add_months(TODAY, 4) == dt.date(2026, 7, 16)  # R-UTR-2
    assert rows["investigation"].rule_id == "R-UTR-2"
    assert_projection_is_the_engine(case)
    investigation = Investigation.objects.get(case=case)
    assert investigation.opened_on == TODAY and investigation.structure == "bbic" and investigation.is_open
    assert investigation.parts.count() == 24
    assert investigation.parts.filter(rated=True).count() == 20
    assert not services.pending_carry_out(case, decision)


def test_inleds_ej_closes_the_case_and_hides_it_from_general_lists(caseworker, unit, child):
    [result] = register(caseworker, unit, child)
    sign_protection(caseworker, result.intake)
    decide(caseworker, result.case, outcome="inleds_ej", child_heard=False, child_view="Barnet är två år.")
    case = result.case
    case.refresh_from_db()
    assert case.status == "closed" and case.close_reason == "inleds_ej" and case.closed_on == TODAY
    assert not open_cases_for_person(caseworker, child.pk).exists()  # R-FORH-3
    register_rows = selectors.register_intakes(caseworker, unit_id=unit.pk)
    assert [i.pk for i in register_rows] == [result.intake.pk]
    assert selectors.register_row_outcome(register_rows[0]) == "inleds_ej"
    assert not Investigation.objects.filter(case=case).exists()


def test_handing_over_needs_a_recipient_and_closes_the_case(caseworker, unit, child):
    [result] = register(caseworker, unit, child)
    sign_protection(caseworker, result.intake)
    with pytest.raises(DomainError) as exc:
        decide(caseworker, result.case, outcome="overlamnad", handed_over_to="")
    assert exc.value.field == "handed_over_to"
    decision = decide(caseworker, result.case, outcome="overlamnad")
    assert "Grannby kommun" in decision.decision_text
    result.case.refresh_from_db()
    assert result.case.close_reason == "overlamnad"


def test_the_childs_view_or_why_not_is_required(caseworker, unit, child):
    [result] = register(caseworker, unit, child)
    sign_protection(caseworker, result.intake)
    with pytest.raises(DomainError, match="varför barnet inte har hörts") as exc:
        decide(caseworker, result.case, child_heard=False, child_view="")
    assert exc.value.field == "child_view"


def test_a_caseworker_outside_the_unit_cannot_decide(unit, caseworker, child):
    [result] = register(caseworker, unit, child)
    sign_protection(caseworker, result.intake)
    outsider = MembershipFactory(unit=UnitFactory(), role=Role.CASEWORKER).user
    with pytest.raises(PermissionDeniedError):
        decide(outsider, result.case)
    with pytest.raises(PermissionDeniedError):
        sign_protection(outsider, result.intake)


def test_extension_needs_a_team_lead_and_an_exceptional_reason(caseworker, team_lead, unit, child, delegation):
    [result] = register(caseworker, unit, child)
    new_due = dt.date(2026, 4, 13)
    with pytest.raises(PermissionDeniedError):
        cases.deadline_extend(
            actor=caseworker,
            case=result.case,
            kind="pre_assessment",
            new_due_on=new_due,
            reason_code="police_interview_pending",
            reason_text="",
            decided_on=TODAY,
        )
    cases.deadline_extend(
        actor=team_lead,
        case=result.case,
        kind="pre_assessment",
        new_due_on=new_due,
        reason_code="police_interview_pending",
        reason_text="Polisen hör barnet 2026-04-08.",
        decided_on=TODAY,
    )
    row = deadlines(result.case)["pre_assessment"]
    assert (row.due_on, row.original_due_on, row.rule_id) == (new_due, dt.date(2026, 3, 30), "R-FORH-2")
    assert_projection_is_the_engine(result.case)


def test_workload_is_not_an_extension_reason():
    # R-FORH-2: Lotsen offers no such code.
    assert not any(word in code for code in ExtensionReason.values for word in ("workload", "staff", "resource"))


def test_a_decision_signed_elsewhere_can_be_carried_out_once(caseworker, unit, child, delegation):
    [result] = register(caseworker, unit, child)
    sign_protection(caseworker, result.intake)
    decision = cases.decision_prepare(
        actor=caseworker,
        case=result.case,
        type="pre_assessment",
        outcome="utredning_inleds",
        decision_text="Utredning inleds.",
        reasons="Behöver utredas.",
        person_view="Barnet har hörts.",
    )
    decision = cases.decision_sign(actor=caseworker, decision=decision)
    assert services.pending_carry_out(result.case, decision)
    services.pre_assessment_carry_out(actor=caseworker, case=result.case, decision=decision)
    services.pre_assessment_carry_out(actor=caseworker, case=result.case, decision=decision)
    assert CaseEvent.objects.filter(case=result.case, type="investigation_opened").count() == 1
    assert not services.pending_carry_out(result.case, decision)


# --- information to the reporter (R-INFO-1) -------------------------------------------------------------------


def _decided_report(caseworker, unit, child, outcome, **kwargs):
    [result] = register(caseworker, unit, child, wants_feedback=True, **kwargs)
    sign_protection(caseworker, result.intake)
    decide(caseworker, result.case, outcome=outcome)
    return result


@pytest.mark.parametrize(
    ("outcome", "fact"),
    [("utredning_inleds", FeedbackFact.OPENED), ("inleds_ej", FeedbackFact.NOT_OPENED)],
)
def test_the_feedback_letter_states_only_the_allowed_fact(caseworker, unit, outcome, fact):
    child = make_child()
    result = _decided_report(caseworker, unit, child, outcome, content="Pappa slår. Barnet heter Kalle i skolan.")
    feedback = services.reporter_feedback_send(
        actor=caseworker, intake=result.intake, sent_on=TODAY, sender_unit_name=unit.name
    )
    text = feedback.letter_text
    assert feedback.fact == fact
    assert FACT_SENTENCES[fact] in text
    for other in set(FACT_SENTENCES) - {fact}:
        assert FACT_SENTENCES[other] not in text
    # R-SEK-1: nothing about the child, the content, the reasons or the case.
    decision = selectors.pre_assessment_decision(result.case)
    for secret in (
        child.first_name,
        child.last_name,
        child.pnr,
        child.pnr[:8],
        "Pappa slår",
        decision.reasons,
        decision.person_view,
        result.case.number,
        decision.number,
    ):
        assert secret not in text
    assert "Rektor Eva Ek" in text and "Centrumskolan" in text and "16 mars 2026" in text


def test_marking_the_feedback_as_sent_ends_its_deadline(caseworker, unit, child):
    result = _decided_report(caseworker, unit, child, "inleds_ej", received_at=at(dt.date(2026, 3, 5)))
    row = Deadline.objects.get(case=result.case, kind="reporter_feedback")
    assert row.due_on == dt.date(2026, 3, 23)  # decided Mon 03-16 + 1 week (R-INFO-1, E9)
    with pytest.raises(DomainError, match="före beslutet"):
        services.reporter_feedback_send(
            actor=caseworker, intake=result.intake, sent_on=dt.date(2026, 3, 12), sender_unit_name=unit.name
        )
    services.reporter_feedback_send(actor=caseworker, intake=result.intake, sent_on=TODAY, sender_unit_name=unit.name)
    row = Deadline.objects.get(case=result.case, kind="reporter_feedback")
    assert row.status == "met" and row.done_on == TODAY
    assert_projection_is_the_engine(result.case)
    with pytest.raises(DomainError, match="redan"):
        services.reporter_feedback_send(
            actor=caseworker, intake=result.intake, sent_on=TODAY, sender_unit_name=unit.name
        )
    feedback = ReporterFeedback.objects.get(intake=result.intake)
    with pytest.raises(DatabaseError), transaction.atomic():
        ReporterFeedback.objects.filter(pk=feedback.pk).update(letter_text="Barnet heter Kalle.")


def test_feedback_waits_for_the_decision_and_only_mandated_reporters_get_it(caseworker, unit, child):
    [result] = register(caseworker, unit, child, wants_feedback=True)
    sign_protection(caseworker, result.intake)
    with pytest.raises(DomainError, match="förhandsbedömningen är beslutad"):
        services.reporter_feedback_send(
            actor=caseworker, intake=result.intake, sent_on=TODAY, sender_unit_name=unit.name
        )
    [private] = register(
        caseworker, unit, make_child(), reporter_category="private", reporter_organisation="", wants_feedback=False
    )
    with pytest.raises(DomainError, match="inte begärt"):
        services.reporter_feedback_send(
            actor=caseworker, intake=private.intake, sent_on=TODAY, sender_unit_name=unit.name
        )


# --- investigation (R-UTR-2) ----------------------------------------------------------------------------------


@pytest.fixture
def investigation(caseworker, unit, child):
    [result] = register(caseworker, unit, child)
    sign_protection(caseworker, result.intake)
    decide(caseworker, result.case)
    return Investigation.objects.get(case=result.case)


def _part(investigation, key):
    return InvestigationPart.objects.get(investigation=investigation, key=key)


def test_a_parts_status_follows_its_content(caseworker, investigation):
    health = _part(investigation, "health")
    assert health.status == PartStatus.NOT_STARTED and health.rated
    services.investigation_part_save(
        actor=caseworker, part=health, text="BVC: frisk.", rating="", sources="", done=False
    )
    assert _part(investigation, "health").status == PartStatus.IN_PROGRESS
    with pytest.raises(DomainError) as exc:
        services.investigation_part_save(
            actor=caseworker, part=health, text="BVC: frisk.", rating="", sources="BVC", done=True
        )
    assert exc.value.field == "rating"
    services.investigation_part_save(
        actor=caseworker, part=health, text="BVC: frisk.", rating="some", sources="BVC 2026-03-20", done=True
    )
    saved = _part(investigation, "health")
    assert (saved.status, saved.rating, saved.updated_by) == (PartStatus.DONE, "some", caseworker)
    services.investigation_part_save(actor=caseworker, part=health, text="", rating="", sources="", done=False)
    assert _part(investigation, "health").status == PartStatus.NOT_STARTED


def test_communication_cannot_start_before_the_assessment_is_completed(caseworker, investigation):
    communication = _part(investigation, "communication")
    assessment = _part(investigation, "assessment_and_proposal")
    views = {v.part.key: v for g in selectors.part_groups(investigation) for v in g.parts}
    assert views["communication"].state == "cannot_start"
    with pytest.raises(DomainError, match="kan inte påbörjas"):
        services.investigation_part_save(
            actor=caseworker, part=communication, text="Kommunicerat.", rating="", sources="", done=False
        )
    services.investigation_part_save(
        actor=caseworker, part=assessment, text="Behov av stöd.", rating="", sources="Utredningen", done=True
    )
    views = {v.part.key: v for g in selectors.part_groups(investigation) for v in g.parts}
    assert views["communication"].state == "not_started"
    assert [g.key for g in selectors.part_groups(investigation)] == [
        "child_needs",
        "parenting_capacity",
        "family_environment",
        "conclusion",
    ]


def test_the_concluding_decision_closes_the_investigation(caseworker, team_lead, investigation, delegation):
    case = investigation.case
    decision = cases.decision_prepare(
        actor=caseworker,
        case=case,
        type="investigation_closed",
        outcome="closed",
        decision_text="Utredningen avslutas utan insats.",
        reasons="Inga behov av insatser.",
        person_view="Barnet är nöjt.",
    )
    cases.decision_sign(actor=team_lead, decision=decision)
    investigation.refresh_from_db()
    assert investigation.closed_on == TODAY and investigation.close_reason == "decided"
    assert deadlines(case)["investigation"].status == "met"
    with pytest.raises(DomainError, match="avslutad"):
        services.investigation_part_save(
            actor=caseworker, part=_part(investigation, "health"), text="Sent", rating="", sources="", done=False
        )


def test_the_investigation_is_extended_to_a_definite_date(team_lead, investigation, delegation):
    cases.deadline_extend(
        actor=team_lead,
        case=investigation.case,
        kind="investigation",
        new_due_on=dt.date(2026, 8, 31),
        reason_code="other",
        reason_text="Väntar på BUP:s bedömning.",
        decided_on=TODAY,
    )
    row = deadlines(investigation.case)["investigation"]
    assert (row.due_on, row.original_due_on) == (dt.date(2026, 8, 31), dt.date(2026, 7, 16))


def test_an_adults_investigation_has_a_free_structure(other_unit):
    from lotsen.cases.models import Case

    worker = MembershipFactory(unit=other_unit, role=Role.CASEWORKER).user
    adult = make_child(born=dt.date(1980, 1, 1), guardians=0)
    case = cases.case_open(actor=worker, subject=adult, process_code="adult", unit=other_unit, opened_on=TODAY)
    investigation = services.investigation_open(actor=worker, case=case, opened_on=TODAY)
    assert investigation.structure == "free" and investigation.parts.count() == 0
    assert Case.objects.get(pk=case.pk).phase == "investigation"
    part = services.investigation_part_add(actor=worker, investigation=investigation, title="Missbruk och beroende")
    assert part.group == "free" and not part.rated
    with pytest.raises(DomainError, match="redan"):
        services.investigation_open(actor=worker, case=case, opened_on=TODAY)
    assert "investigation" not in deadlines(case)  # R-UTR-1: no 4-month rule for adults
