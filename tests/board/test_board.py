"""The board app: meetings (R-DEL-3), append-only records of the decision's afterlife."""

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, transaction
from django.urls import reverse

from lotsen.audit.models import AuditEvent
from lotsen.board import services
from lotsen.board.models import DecisionNotification, Meeting, MeetingBody
from lotsen.cases import services as case_services
from lotsen.core.errors import DomainError, PermissionDeniedError
from tests.board.helpers import board_secretary, child_case, submitted

TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def secretary(db):
    return board_secretary()


@pytest.mark.django_db
def test_meeting_create_checks_and_audits(secretary, caseworker):
    meeting = services.meeting_create(
        actor=secretary, body=MeetingBody.BOARD, held_on=dt.date(2026, 4, 15), list_closes_on=dt.date(2026, 4, 7)
    )
    assert AuditEvent.objects.filter(action="meeting.created", object_id=str(meeting.pk)).exists()
    with pytest.raises(DomainError, match="redan ett sammanträde"):
        services.meeting_create(
            actor=secretary, body=MeetingBody.BOARD, held_on=dt.date(2026, 4, 15), list_closes_on=dt.date(2026, 4, 1)
        )
    with pytest.raises(DomainError) as exc:
        services.meeting_create(
            actor=secretary, body=MeetingBody.BOARD, held_on=dt.date(2026, 5, 20), list_closes_on=dt.date(2026, 5, 21)
        )
    assert exc.value.field == "list_closes_on"
    with pytest.raises(PermissionDeniedError):
        services.meeting_create(
            actor=caseworker, body=MeetingBody.BOARD, held_on=dt.date(2026, 6, 1), list_closes_on=dt.date(2026, 5, 25)
        )


@pytest.mark.django_db
def test_notification_is_append_only(caseworker, team_lead, unit, delegation):
    case = child_case(caseworker, unit, opened_on=TODAY)
    decision = case_services.decision_sign(actor=team_lead, decision=submitted(caseworker, case))
    notification = services.notification_record(
        actor=caseworker, decision=decision, recipient="Den enskilde", notified_on=TODAY, how="letter"
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        DecisionNotification.objects.filter(pk=notification.pk).update(notified_on=dt.date(2026, 3, 19))
    with pytest.raises(DatabaseError), transaction.atomic():
        DecisionNotification.objects.filter(pk=notification.pk).delete()


@pytest.mark.django_db
def test_notification_needs_a_signed_decision_and_case_access(caseworker, unit, delegation, secretary):
    case = child_case(caseworker, unit, opened_on=TODAY)
    draft = submitted(caseworker, case)
    with pytest.raises(DomainError, match="inte fattat"):
        services.notification_record(actor=caseworker, decision=draft, recipient="X", notified_on=TODAY, how="letter")
    with pytest.raises(PermissionDeniedError):
        services.notification_record(actor=secretary, decision=draft, recipient="X", notified_on=TODAY, how="letter")


@pytest.mark.django_db
def test_meetings_page(login, secretary):
    client = login(secretary)
    url = reverse("board:meetings")
    empty = client.post(url, {})
    assert empty.status_code == 422
    assert "Välj nämnd eller utskott" in empty.content.decode()
    data = {"body": "committee", "held_on_year": "2026", "held_on_month": "4", "held_on_day": "8",
            "list_closes_on_year": "2026", "list_closes_on_month": "4", "list_closes_on_day": "1"}  # fmt: skip
    response = client.post(url, data, follow=True)
    assert "2026-04-08" in response.content.decode()
    assert Meeting.objects.get().body == MeetingBody.COMMITTEE


@pytest.mark.django_db
def test_meetings_page_is_not_for_caseworkers(login, caseworker):
    assert login(caseworker).get(reverse("board:meetings")).status_code == 403
