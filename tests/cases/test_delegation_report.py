"""Anmälan av delegationsbeslut (page 25, R-DEL-3): the period of a meeting's list, counts per decision type
and delegate (public), the individual list (secret appendix, masked personnummer, logged), the audited PDF
export, and the flags for unreported decisions."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lotsen.audit.models import AccessLogEntry, AuditEvent
from lotsen.board import selectors
from lotsen.board import services as board_services
from lotsen.board.models import DelegationReport, MeetingBody
from lotsen.board.rules import report_period
from lotsen.cases import services
from tests.board.helpers import (
    board_secretary,
    child_case,
    client_for,
    head_of_social_services,
    meeting,
    member,
    submitted,
)

TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=True):
        yield


def test_report_period_runs_from_the_previous_list():
    assert report_period(dt.date(2026, 4, 7), dt.date(2026, 3, 11)) == (dt.date(2026, 3, 12), dt.date(2026, 4, 7))
    assert report_period(dt.date(2026, 3, 31), None) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture
def secretary(db):
    return board_secretary()


@pytest.fixture
def meetings(secretary):
    return (
        meeting(secretary, held_on=dt.date(2026, 2, 18), list_closes_on=dt.date(2026, 2, 10)),
        meeting(secretary, held_on=dt.date(2026, 3, 18), list_closes_on=dt.date(2026, 3, 10)),
        meeting(secretary, held_on=dt.date(2026, 4, 15), list_closes_on=dt.date(2026, 4, 7)),
    )


@pytest.fixture
def decided(caseworker, team_lead, unit, delegation, secretary):
    """Decisions on 2026-03-05 (list of 18 March) and 2026-03-12, 2026-03-16 (list of 15 April)."""
    unit_manager = member(unit, "unit_manager")
    made = []
    for day, kind, signer in [
        (dt.date(2026, 3, 5), "non_residential", team_lead),
        (dt.date(2026, 3, 12), "non_residential", team_lead),
        (dt.date(2026, 3, 12), "contact_person", team_lead),
        (dt.date(2026, 3, 16), "placement_hvb", unit_manager),
        (dt.date(2026, 3, 16), "non_residential", unit_manager),
    ]:
        case = child_case(caseworker, unit, opened_on=dt.date(2026, 3, 1))
        made.append(
            services.decision_sign(actor=signer, decision=submitted(caseworker, case, type=kind), decided_on=day)
        )
    committee_case = child_case(caseworker, unit, opened_on=dt.date(2026, 3, 1))
    held = meeting(secretary, MeetingBody.COMMITTEE, held_on=dt.date(2026, 3, 17))
    board_services.committee_decision_record(
        actor=secretary, decision=submitted(caseworker, committee_case, type="placement_foster_home"),
        meeting=held, section_number=3,
    )  # fmt: skip
    return made


@pytest.mark.django_db
def test_meeting_for_report_is_the_first_list_closing_on_or_after_the_decision(meetings):
    assert selectors.meeting_for_report(dt.date(2026, 3, 10)) == meetings[1]
    assert selectors.meeting_for_report(dt.date(2026, 3, 11)) == meetings[2]
    assert selectors.meeting_for_report(dt.date(2026, 4, 8)) is None


@pytest.mark.django_db
def test_counts_per_decision_type_and_delegate(meetings, decided, team_lead):
    start, end = selectors.period_of(meetings[2])
    assert (start, end) == (dt.date(2026, 3, 11), dt.date(2026, 4, 7))
    rows = {(r.decision_type, r.delegate): r.count for r in selectors.report_summary(start, end)}
    manager = decided[3].delegate.display_name
    assert rows == {
        ("Kontaktperson eller kontaktfamilj", team_lead.display_name): 1,
        ("Öppenvårdsinsats", team_lead.display_name): 1,
        ("Öppenvårdsinsats", manager): 1,
        ("Placering i hem för vård eller boende (HVB)", manager): 1,
        ("Placering i familjehem", "Individutskottet"): 1,
    }
    assert sum(rows.values()) == selectors.signed_decisions_between(start, end).count() == 5


@pytest.mark.django_db
def test_report_page_for_the_board_secretary(login, secretary, meetings, decided, django_assert_max_num_queries):
    client = login(secretary)
    url = reverse("cases:delegation_report")
    with django_assert_max_num_queries(20):
        response = client.get(url, {"sammantrade": meetings[2].pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "2026-03-11 – 2026-04-07" in body
    for d in decided[1:]:
        assert d.number in body
        assert d.case.subject.pnr not in body
        assert f"{d.case.subject.pnr[:8]}-XXXX" in body
    assert decided[0].number not in body  # on the list of 18 March
    assert AccessLogEntry.objects.filter(user=secretary, view="cases:delegation_report").count() == 5


@pytest.mark.django_db
def test_upcoming_meeting_is_the_default(login, secretary, meetings, decided):
    body = login(secretary).get(reverse("cases:delegation_report")).content.decode()
    assert "Sammanträde 2026-04-15" in body


@pytest.mark.django_db
def test_custom_period(login, secretary, decided):
    client = login(secretary)
    params = {"start_year": "2026", "start_month": "3", "start_day": "1",
              "end_year": "2026", "end_month": "3", "end_day": "5"}  # fmt: skip
    body = client.get(reverse("cases:delegation_report"), params).content.decode()
    assert decided[0].number in body and decided[1].number not in body
    bad = client.get(reverse("cases:delegation_report"), {**params, "end_day": "32"})
    assert bad.status_code == 422 and "Sista dagen i perioden måste vara ett riktigt datum" in bad.content.decode()


@pytest.mark.django_db
def test_pdf_export_is_audited(login, secretary, meetings, decided):
    response = login(secretary).get(reverse("cases:delegation_report_pdf"), {"sammantrade": meetings[2].pk})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    export = AuditEvent.objects.get(action="delegation_report.exported")
    assert export.actor == secretary and export.after["rows"] == 5
    assert AccessLogEntry.objects.filter(view="cases:delegation_report_pdf", channel="export").count() == 5


@pytest.mark.django_db
def test_unreported_meetings_are_flagged_until_reported(login, secretary, meetings, decided):
    flagged = selectors.unreported_meetings(TODAY)
    assert [(u.meeting, u.decisions) for u in flagged] == [(meetings[1], 1)]
    client = login(secretary)
    assert "har hållits" in client.get(reverse("cases:delegation_report")).content.decode()
    client.post(reverse("cases:delegation_report_mark", kwargs={"meeting_id": meetings[1].pk}))
    report = DelegationReport.objects.get(meeting=meetings[1])
    assert (report.period_from, report.period_to, report.decision_count) == (
        dt.date(2026, 2, 11),
        dt.date(2026, 3, 10),
        1,
    )
    assert selectors.unreported_meetings(TODAY) == []
    again = client.post(reverse("cases:delegation_report_mark", kwargs={"meeting_id": meetings[1].pk}), follow=True)
    assert "redan anmälda" in again.content.decode()


@pytest.mark.django_db
def test_decisions_after_the_last_list_have_no_meeting(secretary, decided):
    meeting(secretary, held_on=dt.date(2026, 3, 18), list_closes_on=dt.date(2026, 3, 12))
    assert selectors.decisions_without_meeting() == (3, dt.date(2026, 3, 12))


@pytest.mark.django_db
def test_who_may_see_the_report(login, caseworker, meetings):
    assert login(caseworker).get(reverse("cases:delegation_report")).status_code == 403
    client = client_for(head_of_social_services())
    body = client.get(reverse("cases:delegation_report")).content.decode()
    assert "Markera som anmäld" not in body
    assert (
        client.post(reverse("cases:delegation_report_mark", kwargs={"meeting_id": meetings[2].pk})).status_code == 403
    )
