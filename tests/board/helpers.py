"""Shared set-up for the decision, delegation and board tests (plain functions, not fixtures)."""

from __future__ import annotations

import datetime as dt

from lotsen.accounts.models import Role
from lotsen.board.models import Meeting, MeetingBody
from lotsen.cases import services
from lotsen.cases.models import Case, Decision
from lotsen.core.models import UnitKind
from tests.factories import MembershipFactory, PersonFactory, UnitFactory

REASONS = "Utredningen visar att familjen behöver stöd i föräldraskapet."
VIEW = "Barnet har hörts och vill ha hjälp. Vårdnadshavarna är positiva."


def member(unit, role, **kwargs):
    return MembershipFactory(unit=unit, role=role, **kwargs).user


def board_secretary():
    return member(UnitFactory(name="Nämndadministration", kind=UnitKind.BOARD_ADMIN), Role.BOARD_SECRETARY)


def head_of_social_services():
    return member(UnitFactory(name="Socialförvaltningen", kind=UnitKind.ADMINISTRATION), Role.HEAD_OF_SOCIAL_SERVICES)


def child_case(actor, unit, *, opened_on: dt.date, **person) -> Case:
    child = PersonFactory(birth_date=person.pop("birth_date", dt.date(2014, 5, 1)), **person)
    return services.case_open(actor=actor, subject=child, process_code="child", unit=unit, opened_on=opened_on)


def prepare(actor, case, type="non_residential", outcome="granted", **kwargs) -> Decision:
    return services.decision_prepare(
        actor=actor,
        case=case,
        type=type,
        outcome=outcome,
        decision_text=kwargs.pop("decision_text", "Familjen beviljas föräldrastöd i öppenvård under sex månader."),
        reasons=kwargs.pop("reasons", REASONS),
        person_view=kwargs.pop("person_view", VIEW),
        communicated=kwargs.pop("communicated", "2026-03-10, per brev"),
        **kwargs,
    )


def submitted(actor, case, **kwargs) -> Decision:
    return services.decision_submit(actor=actor, decision=prepare(actor, case, **kwargs))


def meeting(secretary, body=MeetingBody.BOARD, *, held_on: dt.date, list_closes_on: dt.date | None = None) -> Meeting:
    return Meeting.objects.create(
        body=body,
        held_on=held_on,
        list_closes_on=list_closes_on or held_on - dt.timedelta(days=7),
        created_by=secretary,
    )


def client_for(user, password="test-password-123"):
    """A separate logged-in client (the `login` fixture reuses one client for every user)."""
    from django.test import Client

    client = Client()
    response = client.post("/konto/logga-in/", {"username": user.username, "password": password})
    assert response.status_code == 302, response.content[:500]
    return client
