"""The decision letter (R-BESL-1/2/3, R-TID-8): the law valid on the decision date, the appeal instructions
per appeal route, who decided and who presented, and a deterministic PDF. The HTML that feeds WeasyPrint is
tested for content (no PDF text extraction tool is installed); the PDF itself for form and determinism."""

import datetime as dt
import re

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from lotsen.board import rules
from lotsen.board import services as board_services
from lotsen.board.models import MeetingBody
from lotsen.cases import letters, services
from lotsen.cases.models import AppealRoute
from lotsen.core.workdays import is_working_day
from tests.board.helpers import board_secretary, child_case, meeting, submitted

TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- R-TID-8 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "on", "staff", "citizen"),
    [
        (
            "11 kap. 1 § SoL",
            dt.date(2025, 7, 1),
            "11 kap. 1 § SoL (2025:400)",
            "socialtjänstlagen (2025:400) 11 kap. 1 §",
        ),
        (
            "11 kap. 1 § SoL",
            dt.date(2025, 6, 30),
            "4 kap. 1 § SoL (2001:453)",
            "socialtjänstlagen (2001:453) 4 kap. 1 §",
        ),
        (
            "20 kap. 2 § SoL",
            dt.date(2024, 2, 1),
            "11 kap. 1 a § SoL (2001:453)",
            "socialtjänstlagen (2001:453) 11 kap. 1 a §",
        ),
        (
            "20 kap. 3 § SoL",
            dt.date(2025, 1, 2),
            "11 kap. 2 § SoL (2001:453)",
            "socialtjänstlagen (2001:453) 11 kap. 2 §",
        ),
        (
            "22 kap. 13 § SoL",
            dt.date(2025, 6, 1),
            "6 kap. 8 § SoL (2001:453)",
            "socialtjänstlagen (2001:453) 6 kap. 8 §",
        ),
        (
            "12 kap. 1 § SoL",
            dt.date(2026, 3, 20),
            "12 kap. 1 § SoL (2025:400)",
            "socialtjänstlagen (2025:400) 12 kap. 1 §",
        ),
    ],
)
def test_legal_basis_follows_the_law_valid_on_the_decision_date(reference, on, staff, citizen):
    basis = letters.legal_basis_on(reference, on)
    assert (basis.staff, basis.citizen) == (staff, citizen)


def test_amended_paragraphs_name_their_wording_from_2026_01_15():
    assert letters.legal_basis_on("19 kap. 6 § SoL", dt.date(2026, 1, 14)).staff == "19 kap. 6 § SoL (2025:400)"
    later = letters.legal_basis_on("19 kap. 6 § SoL", dt.date(2026, 1, 15))
    assert later.citizen == "socialtjänstlagen (2025:400) 19 kap. 6 § i lydelsen från 15 januari 2026"


def test_unknown_old_paragraph_names_the_old_act_without_inventing_a_paragraph():
    basis = letters.legal_basis_on("30 kap. 7 § SoL", dt.date(2025, 1, 1))
    assert basis.act == letters.SOL_2001
    assert "motsvarigheten till 30 kap. 7 §" in basis.citizen


def test_other_acts_are_left_as_written():
    assert letters.legal_basis_on("2 § LVU", dt.date(2024, 1, 1)).citizen == "2 § LVU"


# --- R-BESL-3 --------------------------------------------------------------------------------------------


def test_appeal_deadline_worked_examples():
    assert rules.appeal_due_on(dt.date(2026, 3, 2)) == dt.date(2026, 3, 23)  # E11
    assert rules.appeal_due_on(dt.date(2026, 12, 3)) == dt.date(2026, 12, 28)  # E12: julafton → Monday


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_appeal_deadline_is_three_weeks_moved_to_a_working_day(notified):
    due = rules.appeal_due_on(notified)
    three_weeks = notified + dt.timedelta(weeks=3)
    assert is_working_day(due)
    assert three_weeks <= due <= three_weeks + dt.timedelta(days=6)
    assert all(not is_working_day(three_weeks + dt.timedelta(days=i)) for i in range((due - three_weeks).days))


# --- the letter ------------------------------------------------------------------------------------------


@pytest.fixture
def signed(caseworker, team_lead, unit, delegation):
    case = child_case(caseworker, unit, opened_on=TODAY, birth_date=dt.date(2014, 5, 1))
    team_lead.title = "1:e socialsekreterare"
    team_lead.save()
    caseworker.title = "Socialsekreterare"
    caseworker.save()
    return services.decision_sign(actor=team_lead, decision=submitted(caseworker, case, type="non_residential"))


@pytest.mark.django_db
def test_letter_shows_what_fl_31_to_33_require(signed, caseworker, team_lead):
    text = _text(letters.decision_letter_html(signed))
    person = signed.case.subject
    assert "20 mars 2026" in text
    assert signed.number in text and signed.case.number in text
    assert f"{person.pnr[2:8]}-{person.pnr[8:]}" in text  # the 10-digit form in letters
    assert "Beslut Bifall" in text
    assert "Familjen beviljas föräldrastöd i öppenvård under sex månader." in text
    assert "Utredningen visar att familjen behöver stöd i föräldraskapet." in text
    assert "socialtjänstlagen (2025:400) 11 kap. 1 §" in text
    assert (
        f"{team_lead.display_name}, 1:e socialsekreterare, enligt socialnämndens delegationsordning, punkt 3.1" in text
    )
    assert f"Föredragande {caseworker.display_name}, socialsekreterare" in text


@pytest.mark.django_db
def test_administrative_appeal_instructions(signed):
    assert signed.appeal_route == AppealRoute.ADMINISTRATIVE_APPEAL
    text = _text(letters.decision_letter_html(signed))
    assert "Så överklagar du beslutet" in text
    assert "förvaltningsrätten" in text
    assert "till socialnämnden, inte direkt till förvaltningsrätten" in text
    assert "inom tre veckor från den dag du fick del av beslutet" in text
    assert "laglighetsprövning" not in text


@pytest.mark.django_db
def test_not_appealable_decision_has_no_appeal_instructions(caseworker, unit, delegation):
    case = child_case(caseworker, unit, opened_on=TODAY)
    services.event_record(actor=caseworker, case=case, type="report_received", occurred_on=TODAY)
    services.event_record(actor=caseworker, case=case, type="protection_assessment_signed", occurred_on=TODAY)
    decision = submitted(caseworker, case, type="pre_assessment", outcome="inleds_ej")
    signed = services.decision_sign(actor=caseworker, decision=decision)
    assert signed.appeal_route == AppealRoute.NONE
    text = _text(letters.decision_letter_html(signed))
    assert "överklaga" not in text.lower()
    assert "socialtjänstlagen (2025:400) 20 kap. 2 §" in text


def test_legality_review_instructions():
    appeal = letters.appeal_instructions(AppealRoute.LEGALITY_REVIEW)
    text = " ".join(appeal["paragraphs"])
    assert "laglighetsprövning" in text and "13 kap. kommunallagen (2017:725)" in text
    assert "direkt till förvaltningsrätten" in text and "tre veckor" in text
    assert letters.appeal_instructions(AppealRoute.NONE) is None


@pytest.mark.django_db
def test_committee_decision_letter_names_the_committee_meeting_and_paragraph(caseworker, unit, delegation):
    case = child_case(caseworker, unit, opened_on=TODAY)
    secretary = board_secretary()
    held = meeting(secretary, MeetingBody.COMMITTEE, held_on=dt.date(2026, 3, 18))
    decision = submitted(caseworker, case, type="placement_foster_home")
    board_services.committee_decision_record(actor=secretary, decision=decision, meeting=held, section_number=12)
    decision.refresh_from_db()
    text = _text(letters.decision_letter_html(decision))
    assert "Individutskottet, sammanträde 18 mars 2026, § 12" in text
    assert "18 mars 2026" in text
    assert "socialtjänstlagen (2025:400) 22 kap. 2 §" in text


@pytest.mark.django_db
def test_decision_made_before_july_2025_cites_the_old_act(caseworker, team_lead, unit, delegation):
    case = child_case(caseworker, unit, opened_on=dt.date(2025, 6, 1))
    decision = submitted(caseworker, case, type="non_residential")
    signed = services.decision_sign(actor=team_lead, decision=decision, decided_on=dt.date(2025, 6, 20))
    text = _text(letters.decision_letter_html(signed))
    assert "socialtjänstlagen (2001:453) 4 kap. 1 §" in text
    assert "2025:400" not in text


@pytest.mark.django_db
def test_pdf_is_a_deterministic_pdf(signed):
    first = letters.decision_letter_pdf(signed)
    assert first.startswith(b"%PDF-")
    assert letters.decision_letter_pdf(signed) == first


@pytest.mark.django_db
def test_unsigned_decision_has_no_letter(caseworker, unit, delegation):
    decision = submitted(caseworker, child_case(caseworker, unit, opened_on=TODAY))
    with pytest.raises(ValueError, match="signed"):
        letters.decision_letter_html(decision)
