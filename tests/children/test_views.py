"""The children's pages through the test client: the flow from registration to the investigation part,
Swedish error messages (UI.md 6.4) with status 422, access checks (404 for cases outside the user's units)
and access logging (R-SEK-4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import strip_tags

from lotsen.accounts.models import Role
from lotsen.audit.models import AccessLogEntry
from lotsen.cases.models import Intake
from lotsen.children.models import Investigation, InvestigationPart, ProtectionAssessment
from lotsen.core.models import UnitKind
from tests.children.conftest import TODAY, decide, make_child, register, sign_protection
from tests.factories import MembershipFactory, UnitFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _pnr(person) -> str:
    return f"{person.pnr[:8]}-{person.pnr[8:]}"


def _errors(response) -> str:
    """The error summary's messages, for assertion messages."""
    text = response.content.decode()
    start = text.find("govuk-error-summary__list")
    return " | ".join(strip_tags(text[start : text.find("</ul>", start)]).split("\n")) if start >= 0 else text[:500]


def _register_data(child, **overrides):
    data = {
        "child_count": "1",
        "received_on_year": "2026",
        "received_on_month": "3",
        "received_on_day": "16",
        "received_time": "10:14",
        "channel": "phone",
        "child_0": _pnr(child),
        "reporter_category": "school",
        "reporter_name": "Rektor Eva Ek",
        "reporter_organisation": "Centrumskolan",
        "reporter_contact": "",
        "wants_feedback": "on",
        "content": "Barnet berättar om slag hemma.",
        "action": "register",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_whole_flow_through_the_pages(login, caseworker, unit):
    child = make_child()
    client = login(caseworker)
    page = client.get(reverse("children:register"))
    assert page.status_code == 200
    assert "Registrera aktualisering" in page.content.decode()

    response = client.post(reverse("children:register"), _register_data(child))
    assert response.status_code == 302, _errors(response)
    intake = Intake.objects.get()
    case = intake.case
    assert response.status_code == 302
    assert response["Location"] == reverse("children:protection", args=[case.pk, intake.pk])
    assert intake.received_at.hour == 9 and intake.received_on == TODAY  # 10:14 in Stockholm = 09:14 UTC

    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Mottagen 2026-03-16 kl. 10:14 – 3 timmar sedan" in strip_tags(text)
    assert "Bedöm innan vårdnadshavarna kontaktas" in text

    response = client.post(response["Location"], {"needs_protection": "no", "assessment": "Ingen akut fara."})
    assert response["Location"] == reverse("children:report", args=[case.pk, intake.pk])
    assert ProtectionAssessment.objects.filter(intake=intake).exists()

    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and "Förhandsbedömning" in text and "Fatta beslut" in text
    assert "2026-03-30" in text  # R-FORH-1

    response = client.post(
        response["Location"],
        {
            "outcome": "utredning_inleds",
            "reasons": "Behöver utredas.",
            "child_heard": "yes",
            "child_view": "Vill ha hjälp.",
        },
    )
    assert response["Location"] == reverse("children:investigation", args=[case.pk])
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "govuk-task-list" in text and "Hälsa" in text and "Kan inte påbörjas än" in text
    assert "2026-07-16" in text  # R-UTR-2

    part = InvestigationPart.objects.get(investigation__case=case, key="health")
    url = reverse("children:investigation_part", args=[case.pk, part.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Frisk enligt BVC.", "rating": "none", "sources": "BVC", "done": "on"})
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.status == "done"

    # The feedback page and the letter (the reporter asked and is mandated).
    feedback = client.get(reverse("children:feedback", args=[case.pk, intake.pk]))
    assert "Socialnämnden har beslutat att inleda en utredning." in feedback.content.decode()
    assert (
        child.last_name
        not in client.get(reverse("children:feedback_letter", args=[case.pk, intake.pk])).content.decode()
    )
    pdf = client.get(reverse("children:feedback_letter_pdf", args=[case.pk, intake.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    response = client.post(
        reverse("children:feedback", args=[case.pk, intake.pk]),
        {"sent_on_year": "2026", "sent_on_month": "3", "sent_on_day": "16"},
    )
    assert response.status_code == 302
    assert case.deadlines.get(kind="reporter_feedback").status == "met"

    assert AccessLogEntry.objects.filter(user=caseworker, person=child, view="children:protection").exists()
    assert AccessLogEntry.objects.filter(user=caseworker, person=child, view="children:report").exists()


def test_an_empty_registration_shows_swedish_errors_with_422(login, caseworker, unit):
    client = login(caseworker)
    response = client.post(reverse("children:register"), {"child_count": "1", "action": "register"})
    assert response.status_code == 422
    text = response.content.decode()
    for message in (
        "Det finns ett problem",
        "Ange datum då anmälan kom in",
        "Ange klockslag då anmälan kom in",
        "Välj hur anmälan kom in",
        "Ange barnets personnummer",
        "Välj vem som har gjort anmälan",
        "Skriv vad anmälan handlar om",
    ):
        assert message in text, message
    assert not Intake.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"received_on_day": "31", "received_on_month": "2"}, "Datum då anmälan kom in måste vara ett riktigt datum"),
        ({"received_on_day": "17"}, "Datum då anmälan kom in kan inte vara senare än i dag"),
        ({"received_time": "25:00"}, "Skriv klockslaget som timmar och minuter, till exempel 14:05"),
        ({"child_0": "20120312-1235"}, "Personnumret stämmer inte. Kontrollera de fyra sista siffrorna"),
        (
            {"reporter_category": "private", "reporter_organisation": ""},
            "Bara anmälningsskyldiga kan begära återkoppling",
        ),
    ],
)
def test_registration_errors(login, caseworker, unit, overrides, message):
    child = make_child()
    response = login(caseworker).post(reverse("children:register"), _register_data(child, **overrides))
    assert response.status_code == 422
    assert message in response.content.decode()


def test_an_iso_date_in_the_year_field_is_accepted(login, caseworker, unit):
    child = make_child()
    data = _register_data(child, received_on_year="2026-03-13", received_on_month="", received_on_day="")
    response = login(caseworker).post(reverse("children:register"), data)
    assert response.status_code == 302
    assert Intake.objects.get().registered_late


def test_adding_a_child_shows_the_found_child_without_other_errors(login, caseworker, unit):
    child = make_child()
    client = login(caseworker)
    response = client.post(
        reverse("children:register"), {"child_count": "1", "child_0": _pnr(child), "action": "add_child"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'name="child_1"' in text and child.full_name in text
    assert "Det finns ett problem" not in text
    response = client.post(
        reverse("children:register"), {"child_count": "2", "child_0": "", "child_1": _pnr(child), "remove_child": "0"}
    )
    text = response.content.decode()
    assert 'name="child_1"' not in text and f'value="{_pnr(child)}"' in text


def test_a_report_about_two_children_goes_to_the_receipt(login, caseworker, unit):
    first, second = make_child(), make_child(born=dt.date(2018, 1, 1))
    client = login(caseworker)
    data = _register_data(first, child_count="2", child_1=_pnr(second))
    response = client.post(reverse("children:register"), data)
    assert response.status_code == 302 and "/registrera/" in response["Location"]
    receipt = client.get(response["Location"]).content.decode()
    assert first.full_name in receipt and second.full_name in receipt
    assert receipt.count("Gör skyddsbedömningen") == 2


def test_a_person_not_in_the_register_is_a_field_error(login, caseworker, unit):
    ghost = make_child()
    number = _pnr(ghost)
    ghost.delete()
    response = login(caseworker).post(reverse("children:register"), _register_data(ghost, child_0=number))
    assert response.status_code == 422
    assert (
        "Det finns ingen person med det personnumret i registret som du har behörighet till"
        in response.content.decode()
    )


def test_staff_without_a_reception_unit_cannot_register(login, other_unit):
    adult_worker = MembershipFactory(unit=UnitFactory(kind=UnitKind.ADULT), role=Role.CASEWORKER).user
    assert login(adult_worker).get(reverse("children:register")).status_code == 403


@pytest.fixture
def full_case(caseworker, unit):
    child = make_child()
    [result] = register(caseworker, unit, child, wants_feedback=True)
    sign_protection(caseworker, result.intake)
    decide(caseworker, result.case)
    part = InvestigationPart.objects.get(investigation__case=result.case, key="health")
    return result.case, result.intake, part


def test_a_caseworker_outside_the_unit_gets_404_on_every_page(login, full_case):
    case, intake, part = full_case
    outsider = MembershipFactory(unit=UnitFactory(kind=UnitKind.RECEPTION), role=Role.CASEWORKER).user
    client = login(outsider)
    gets = [
        reverse("children:protection", args=[case.pk, intake.pk]),
        reverse("children:report", args=[case.pk, intake.pk]),
        reverse("children:pre_assessment", args=[case.pk]),
        reverse("children:pre_assessment_extend", args=[case.pk]),
        reverse("children:feedback", args=[case.pk, intake.pk]),
        reverse("children:feedback_letter", args=[case.pk, intake.pk]),
        reverse("children:feedback_letter_pdf", args=[case.pk, intake.pk]),
        reverse("children:investigation", args=[case.pk]),
        reverse("children:investigation_extend", args=[case.pk]),
        reverse("children:investigation_part", args=[case.pk, part.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    for url in (
        reverse("children:investigation_open", args=[case.pk]),
        reverse("children:investigation_part_add", args=[case.pk]),
    ):
        assert client.post(url, {"title": "X"}).status_code == 404, url
    assert not AccessLogEntry.objects.filter(user=outsider).exists()
    assert part.investigation.parts.count() == 24


def test_a_team_lead_extends_the_investigation_through_the_page(login, team_lead, full_case):
    case, _intake, _part = full_case
    url = reverse("children:investigation_extend", args=[case.pk])
    client = login(team_lead)
    assert "Besluta om förlängning" in client.get(url).content.decode()
    response = client.post(
        url,
        {"new_due_on_year": "2026", "new_due_on_month": "8", "new_due_on_day": "31", "reason_text": "Väntar på BUP."},
    )
    assert response.status_code == 302
    assert case.deadlines.get(kind="investigation").due_on == dt.date(2026, 8, 31)


def test_a_caseworker_is_told_the_extension_is_the_team_leads(login, caseworker, caseworker_case):
    case, intake = caseworker_case
    client = login(caseworker)
    page = client.get(reverse("children:pre_assessment_extend", args=[case.pk])).content.decode()
    assert "Arbetsbelastning eller personalbrist är inte synnerliga skäl" in page
    assert "Fråga din arbetsledare" in page
    report = client.get(reverse("children:report", args=[case.pk, intake.pk])).content.decode()
    assert "Förlängning beslutas av arbetsledare" in report


@pytest.fixture
def caseworker_case(caseworker, unit):
    [result] = register(caseworker, unit, make_child())
    return result.case, result.intake


def test_the_pre_assessment_page_refuses_before_the_protection_assessment(login, caseworker, caseworker_case):
    case, intake = caseworker_case
    url = reverse("children:report", args=[case.pk, intake.pk])
    client = login(caseworker)
    page = client.get(url).content.decode()
    assert "Den omedelbara skyddsbedömningen är inte signerad." in page and "Fatta beslut" not in page
    response = client.post(url, {"outcome": "inleds_ej", "reasons": "x", "child_heard": "no", "child_view": "x"})
    assert response.status_code == 422
    assert "Signera skyddsbedömningen innan du beslutar" in response.content.decode()
    assert not case.decisions.exists()


def test_the_report_register_lists_inleds_ej_and_logs_every_row(
    login, team_lead, caseworker, unit, django_assert_max_num_queries
):
    children = [make_child() for _ in range(3)]
    for child in children:
        [result] = register(caseworker, unit, child)
        sign_protection(caseworker, result.intake)
        decide(caseworker, result.case, outcome="inleds_ej")
    client = login(team_lead)
    before = AccessLogEntry.objects.filter(view="children:report_register").count()
    with django_assert_max_num_queries(20):
        page = client.get(reverse("children:report_register"))
    text = page.content.decode()
    assert page.status_code == 200
    assert all(c.last_name in text for c in children)
    assert text.count("Utredning inleds inte") >= 3
    assert AccessLogEntry.objects.filter(view="children:report_register").count() == before + 3
    # Search by personnummer is a POST (no personal data in the URL).
    found = client.post(reverse("children:report_register"), {"pnr": _pnr(children[0])}).content.decode()
    assert children[0].last_name in found and children[1].last_name not in found
    filtered = client.get(reverse("children:report_register"), {"period": "30", "outcome": "utredning_inleds"})
    assert "Inga anmälningar matchar filtret" in filtered.content.decode()


def test_the_person_page_summary_counts_reports(caseworker, unit):
    child = make_child()
    for _ in range(3):
        [result] = register(caseworker, unit, child)
        sign_protection(caseworker, result.intake)
        decide(caseworker, result.case, outcome="inleds_ej")
    html = Template("{% load children %}{% child_report_summary person %}").render(Context({"person": child}))
    assert "3 orosanmälningar på 6 månader" in html and "Upprepade anmälningar" in html


def test_an_adult_case_shows_no_investigation_and_can_open_one(login, other_unit):
    from lotsen.cases import services as cases

    worker = MembershipFactory(unit=other_unit, role=Role.CASEWORKER).user
    adult = make_child(born=dt.date(1980, 1, 1), guardians=0)
    case = cases.case_open(actor=worker, subject=adult, process_code="adult", unit=other_unit, opened_on=TODAY)
    client = login(worker)
    page = client.get(reverse("children:investigation", args=[case.pk])).content.decode()
    assert "Ingen utredning är inledd" in page
    client.post(reverse("children:investigation_open", args=[case.pk]))
    assert Investigation.objects.filter(case=case, structure="free").exists()
    response = client.post(reverse("children:investigation_part_add", args=[case.pk]), {"title": "Boende"})
    assert response.status_code == 302
    page = client.get(reverse("children:investigation", args=[case.pk])).content.decode()
    assert "Boende" in page and "Lägg till delen" in page


def test_a_report_linked_to_an_investigation_in_another_unit_goes_to_the_receipt(login, caseworker, unit, frozen):
    from tests.children.conftest import NOW, at

    investigating_unit = UnitFactory(kind=UnitKind.CHILD_INVESTIGATION, name="Utredning barn och unga")
    worker = MembershipFactory(unit=investigating_unit, role=Role.CASEWORKER).user
    child = make_child()
    frozen.move_to(at(dt.date(2026, 2, 2), 15, 0))
    [first] = register(worker, investigating_unit, child, received_at=at(dt.date(2026, 2, 2)))
    sign_protection(worker, first.intake)
    decide(worker, first.case)
    frozen.move_to(NOW)
    client = login(caseworker)
    response = client.post(reverse("children:register"), _register_data(child))
    assert response.status_code == 302 and "/registrera/" in response["Location"]
    receipt = client.get(response["Location"]).content.decode()
    assert "Kopplad till pågående utredning" in receipt
    assert "Utredningen görs av Utredning barn och unga" in receipt
    assert Intake.objects.filter(case=first.case).count() == 2


def test_submitting_the_form_twice_registers_once(login, caseworker, unit):
    import uuid

    child = make_child()
    client = login(caseworker)
    data = _register_data(child, form_key=str(uuid.uuid4()))
    first = client.post(reverse("children:register"), data)
    second = client.post(reverse("children:register"), data)
    assert first.status_code == second.status_code == 302
    assert Intake.objects.count() == 1
    assert second["Location"] == reverse("children:register_receipt", args=[data["form_key"]])
    assert client.get(second["Location"]).status_code == 200
