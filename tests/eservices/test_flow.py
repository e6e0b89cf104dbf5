"""The citizen e-service (server side): demo login, the first application question by question, the
re-application with its task list and an automated decision shown at once, the citizen's own pages only,
uploads checked by type and size, and the citizen access log."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from lotsen.accounts.models import Role
from lotsen.assistance import services
from lotsen.assistance.models import Application, ApplicationStatus, Attachment, DecisionNotice
from lotsen.eservices.models import CitizenAccessLog
from tests.factories import (
    AssistanceUnitFactory,
    AutomationRuleSetFactory,
    MembershipFactory,
    adult,
    child,
    registered_household,
)

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def eb_unit(db):
    return AssistanceUnitFactory(name="Ekonomiskt bistånd")


@pytest.fixture
def eb_caseworker(eb_unit):
    return MembershipFactory(unit=eb_unit, role=Role.CASEWORKER).user


@pytest.fixture
def rule_set(delegation, eb_caseworker):
    return AutomationRuleSetFactory(accountable_delegate=eb_caseworker)


@pytest.fixture
def family(db):
    applicant = adult(1987)
    kid = child(dt.date(2021, 9, 1))  # 4 years: the lunch question applies
    registered_household(applicant, children=[kid])
    return applicant, kid


def citizen_login(client, person):
    response = client.post("/e-tjanst/logga-in/", {"choice": "other", "pnr": person.pnr})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/e-tjanst/mina-sidor/"
    return client


def answer(client, step, data):
    response = client.post(f"/e-tjanst/ansok/fraga/{step}/", data)
    assert response.status_code == 302, (step, response.content.decode()[:3000])
    return response["Location"]


def first_application(client, kid, *, rent="7000"):
    assert client.get("/e-tjanst/ansok/")["Location"] == "/e-tjanst/ansok/fraga/manad/"
    assert answer(client, "manad", {"period": "2026-03"}) == "/e-tjanst/ansok/fraga/sambo/"
    assert answer(client, "sambo", {"has_partner": "no"}) == "/e-tjanst/ansok/fraga/barn/"
    assert answer(client, "barn", {"children": [str(kid.pk)]}) == "/e-tjanst/ansok/fraga/lunch/"
    assert answer(client, "lunch", {"lunch_away": [str(kid.pk)]}) == "/e-tjanst/ansok/fraga/kostnader/"
    assert (
        answer(client, "kostnader", {"housing": rent, "household_electricity": "300"})
        == "/e-tjanst/ansok/fraga/inkomster/"
    )
    assert answer(client, "inkomster", {}) == "/e-tjanst/ansok/fraga/bidrag/"
    assert (
        answer(client, "bidrag", {"has_child_allowance": "on", "amount_child_allowance": "1250"})
        == "/e-tjanst/ansok/fraga/ovrigt/"
    )
    assert answer(client, "ovrigt", {"other_needs": "no"}) == "/e-tjanst/ansok/fraga/bilagor/"
    upload = SimpleUploadedFile("hyresavi.pdf", PDF, "application/pdf")
    response = client.post("/e-tjanst/ansok/fraga/bilagor/", {"action": "upload", "kind": "rent", "upload": upload})
    assert response.status_code == 302
    assert (
        client.post("/e-tjanst/ansok/fraga/bilagor/", {"action": "continue"})["Location"]
        == "/e-tjanst/ansok/kontrollera/"
    )
    page = client.get("/e-tjanst/ansok/kontrollera/").content.decode()
    assert "Kontrollera dina svar" in page and "hyresavi.pdf" in page and "7\u202f000\u00a0kr" in page
    token = page.split('name="token" value="')[1].split('"')[0]
    # R-AKRAV-1: the declaration is required.
    response = client.post("/e-tjanst/ansok/kontrollera/", {"token": token})
    assert response.status_code == 422
    assert "Intyga att uppgifterna är riktiga och fullständiga" in response.content.decode()
    response = client.post("/e-tjanst/ansok/kontrollera/", {"token": token, "declaration": "on"})
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.django_db
def test_first_application_goes_to_a_caseworker(client, family, rule_set):
    applicant, kid = family
    citizen_login(client, applicant)
    sent = first_application(client, kid)
    app = Application.objects.get(case__subject=applicant)
    assert sent == f"/e-tjanst/ansokan/{app.pk}/skickad/"
    page = client.get(sent).content.decode()
    assert "Ansökan är skickad" in page and app.case.number in page
    assert "Vad händer nu" in page
    assert app.status == ApplicationStatus.READY and app.channel == "e_service"
    assert app.household_snapshot["members"][1]["lunch_away_weekdays"] is True
    assert app.declaration_accepted_at is not None
    assert Attachment.objects.get(application=app).kind == "rent"
    assert CitizenAccessLog.objects.filter(person=applicant, view="eservices:sent", application_id=app.pk).exists()


@pytest.mark.django_db
def test_reapplication_gets_an_automated_decision_within_the_request(client, family, rule_set, eb_caseworker):
    applicant, kid = family
    with time_machine.travel(dt.datetime(2026, 2, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        february = services.application_submit(
            applicant=applicant,
            period=dt.date(2026, 2, 1),
            channel="e_service",
            household=services.HouseholdInput(children=[services.ChildInput(kid, lunch_away_weekdays=True)]),
            reasonable_costs=[services.CostInput("housing", 7000)],
            incomes=[services.IncomeInput("applicant", "child_allowance", 1250)],
            declaration=True,
        )
        services.assess(february)
        services.decide(
            actor=eb_caseworker,
            application=february,
            outcome="granted",
            reasons="Behov.",
            barriers={"a1": "unemployed_no_benefit"},
        )
    citizen_login(client, applicant)
    home = client.get("/e-tjanst/mina-sidor/").content.decode()
    assert "Ansök igen" in home and "2026-02" in home
    assert client.get("/e-tjanst/ansok/")["Location"] == "/e-tjanst/ansok/uppgifter/"
    tasks = client.get("/e-tjanst/ansok/uppgifter/").content.decode()
    assert "Ansök igen" in tasks and "mars 2026" in tasks
    for section in ("hushall", "kostnader", "inkomster", "ovrigt"):
        page = client.get(f"/e-tjanst/ansok/andrat/{section}/")
        assert page.status_code == 200
        response = client.post(f"/e-tjanst/ansok/andrat/{section}/", {"changed": "no"})
        assert response["Location"] == "/e-tjanst/ansok/uppgifter/"
    check = client.get("/e-tjanst/ansok/kontrollera/").content.decode()
    token = check.split('name="token" value="')[1].split('"')[0]
    response = client.post("/e-tjanst/ansok/kontrollera/", {"token": token, "declaration": "on"})
    march = Application.objects.get(case__subject=applicant, period=dt.date(2026, 3, 1))
    assert response["Location"] == f"/e-tjanst/ansokan/{march.pk}/skickad/"
    assert march.status == ApplicationStatus.DECIDED and march.automated
    page = client.get(response["Location"]).content.decode()
    assert "beviljar" in page and "automatiskt beslut" in page
    decision = march.decision
    page = client.get(f"/e-tjanst/beslut/{decision.pk}/").content.decode()
    assert "Så fattades beslutet" in page
    assert "Reglerna som beslutet fattades efter" in page
    assert "Överklaga senast fredag 10 april 2026" in page  # notified 2026-03-20 + 3 weeks (R-BESL-3)
    assert DecisionNotice.objects.get(decision=decision).channel == "e_service"
    pdf = client.get(f"/e-tjanst/beslut/{decision.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The same submission again (double click, back button) does not create a second application.
    client.post("/e-tjanst/ansok/kontrollera/", {"token": token, "declaration": "on"})
    assert Application.objects.filter(case__subject=applicant).count() == 2


@pytest.mark.django_db
def test_a_citizen_sees_only_their_own_applications(client, family, rule_set):
    applicant, _kid = family
    other = adult(1970)
    theirs = services.application_submit(
        applicant=other,
        period=dt.date(2026, 3, 1),
        channel="e_service",
        household=services.HouseholdInput(),
        declaration=True,
    )
    citizen_login(client, applicant)
    assert client.get(f"/e-tjanst/ansokan/{theirs.pk}/").status_code == 404
    assert client.get(f"/e-tjanst/ansokan/{theirs.pk}/skickad/").status_code == 404
    home = client.get("/e-tjanst/mina-sidor/").content.decode()
    assert other.last_name not in home


@pytest.mark.django_db
def test_pages_need_a_citizen_login_and_staff_login_is_not_enough(client, family, eb_caseworker, login):
    assert client.get("/e-tjanst/").status_code == 200
    assert client.get("/e-tjanst/mina-sidor/")["Location"] == "/e-tjanst/logga-in/"
    login(eb_caseworker)
    assert client.get("/e-tjanst/mina-sidor/")["Location"] == "/e-tjanst/logga-in/"


@pytest.mark.django_db
def test_login_is_unavailable_without_demo_login(client, settings):
    settings.LOTSEN_DEMO_LOGIN = False
    assert client.get("/e-tjanst/logga-in/").status_code == 503


@pytest.mark.django_db
def test_login_errors(client, family):
    response = client.post("/e-tjanst/logga-in/", {"choice": "other", "pnr": "19121212-1213"})
    assert response.status_code == 422
    assert "Personnumret stämmer inte" in response.content.decode()
    response = client.post("/e-tjanst/logga-in/", {})
    assert "Välj vem du är" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lon.docx", b"PK\x03\x04 word document", "Filen måste vara PDF, JPG eller PNG"),
        ("fake.pdf", b"GIF89a not a pdf", "Filen måste vara PDF, JPG eller PNG"),
        ("bild.png", b"%PDF-1.4 a pdf named png", "Filen måste vara PDF, JPG eller PNG"),
        ("stor.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), "Filen måste vara mindre än 20 MB"),
    ],
    ids=["word", "gif-named-pdf", "pdf-named-png", "too-large"],
)
def test_uploads_are_checked_by_type_and_size(client, family, rule_set, name, content, message):
    applicant, _kid = family
    citizen_login(client, applicant)
    client.get("/e-tjanst/ansok/")
    response = client.post(
        "/e-tjanst/ansok/fraga/bilagor/",
        {"action": "upload", "kind": "other", "upload": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_png_upload_is_accepted_and_stored_under_a_random_name(client, family, rule_set):
    applicant, _kid = family
    citizen_login(client, applicant)
    client.get("/e-tjanst/ansok/")
    client.post(
        "/e-tjanst/ansok/fraga/bilagor/",
        {"action": "upload", "kind": "payslip", "upload": SimpleUploadedFile("lön mars.png", PNG)},
    )
    item = Attachment.objects.get()
    assert item.content_type == "image/png" and item.size == len(PNG) and len(item.sha256) == 64
    assert "lön" not in item.file.name and item.original_name == "lön mars.png"


@pytest.mark.django_db
def test_demo_login_offers_applicants_who_can_apply_again(client, family, rule_set, eb_caseworker):
    applicant, _kid = family
    app = services.application_submit(
        applicant=applicant,
        period=dt.date(2026, 3, 1),
        channel="e_service",
        household=services.HouseholdInput(),
        declaration=True,
    )
    services.assess(app)
    services.decide(actor=eb_caseworker, application=app, outcome="granted", reasons="Behov.", barriers={"a1": "none"})
    page = client.get("/e-tjanst/logga-in/").content.decode()
    assert f"{applicant.full_name}, {applicant.pnr[:8]}-{applicant.pnr[8:]}" in page
    assert "En annan person" in page


@pytest.mark.django_db
def test_citizen_answers_a_completion_request_with_a_file(client, family, rule_set, eb_caseworker):
    applicant, _kid = family
    app = services.application_submit(
        applicant=applicant,
        period=dt.date(2026, 3, 1),
        channel="e_service",
        household=services.HouseholdInput(),
        declaration=True,
    )
    services.assess(app)
    services.completion_request(
        actor=eb_caseworker, application=app, message="Skicka din hyresavi för mars.", due_on=dt.date(2026, 3, 30)
    )
    citizen_login(client, applicant)
    assert "Komplettering behövs" in client.get("/e-tjanst/mina-sidor/").content.decode()
    page = client.get(f"/e-tjanst/ansokan/{app.pk}/").content.decode()
    assert "Skicka din hyresavi för mars." in page and "måndag 30 mars 2026" in page
    response = client.post(
        f"/e-tjanst/ansokan/{app.pk}/",
        {"answer": "Här är hyresavin.", "kind": "rent", "upload": SimpleUploadedFile("avi.pdf", PDF)},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.READY
    assert Attachment.objects.get(application=app).original_name == "avi.pdf"
    assert app.completion_requests.get().answer == "Här är hyresavin."
