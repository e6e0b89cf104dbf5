"""The adults' process (R-UTR-1): registration opens an adult case with its intake; an application opens the
investigation at once; no 14-day or 4-month deadline exists; the practice warning comes after 14 days."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from lotsen.accounts.models import Role
from lotsen.adults import selectors, services
from lotsen.cases.models import Case, CaseEvent, Deadline, Intake
from lotsen.core.errors import DomainError, PermissionDeniedError
from tests.factories import MembershipFactory, PersonFactory, UnitFactory

TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 13, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def adult_unit(db):
    return UnitFactory(name="Vuxenenheten", kind="adult")


@pytest.fixture
def adult_worker(adult_unit):
    return MembershipFactory(unit=adult_unit, role=Role.CASEWORKER).user


@pytest.fixture
def adult(db):
    return PersonFactory(birth_date=dt.date(1984, 6, 2))


def received(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 5))


def register(actor, unit, subject, kind="ansokan", day=TODAY, **kwargs):
    defaults = {"area": "vuxen_missbruk", "channel": "phone", "content": "Vill ha hjälp med alkoholberoende."}
    defaults.update(kwargs)
    return services.adult_intake_register(
        actor=actor, unit=unit, subject=subject, kind=kind, received_at=received(day), **defaults
    )


@pytest.mark.django_db
def test_application_opens_the_investigation_without_statutory_deadlines(adult_worker, adult_unit, adult):
    case = register(adult_worker, adult_unit, adult, day=dt.date(2026, 3, 2))
    assert case.process == "adult" and case.area == "vuxen_missbruk"
    case.refresh_from_db()
    assert case.phase == "investigation"  # R-UTR-1: opened when registered
    intake = Intake.objects.get(case=case)
    assert intake.received_on == dt.date(2026, 3, 2) and intake.registered_late
    assert intake.reporter_category == "self"
    types = list(CaseEvent.objects.filter(case=case).values_list("type", flat=True))
    assert types == ["case_opened", "intake_registered", "investigation_opened", "phase_changed"]
    assert not Deadline.objects.filter(case=case).exists()  # no 14-day or 4-month deadline for adults
    elapsed = selectors.elapsed_for(case, TODAY)
    assert elapsed.days == 18 and not elapsed.warning


@pytest.mark.django_db
def test_report_waits_for_assessment_and_warns_after_fourteen_days(adult_worker, adult_unit, adult):
    case = register(adult_worker, adult_unit, adult, kind="orosanmalan", area="vinr", day=dt.date(2026, 3, 6),
                    reporter_category="police", reporter_organisation="Polisen")  # fmt: skip
    case.refresh_from_db()
    assert case.phase == "intake"
    assert not Deadline.objects.filter(case=case).exists()
    # 14 days after: no warning yet; 15 days: the practice warning.
    assert not selectors.elapsed_for(case, dt.date(2026, 3, 20)).warning
    elapsed = selectors.elapsed_for(case, dt.date(2026, 3, 21))
    assert elapsed.days == 15 and elapsed.warning and elapsed.threshold == 14
    services.adult_intake_assess(actor=adult_worker, case=case, open_investigation=True, decided_on=TODAY,
                                 reasons="Uppgifterna visar behov av skydd.")  # fmt: skip
    case.refresh_from_db()
    assert case.phase == "investigation"
    assert not selectors.elapsed_for(case, dt.date(2026, 4, 30)).warning
    with pytest.raises(DomainError, match="redan gjort"):
        services.adult_intake_assess(actor=adult_worker, case=case, open_investigation=False, decided_on=TODAY,
                                     reasons="x")  # fmt: skip


@pytest.mark.django_db
def test_report_not_investigated_closes_the_case(adult_worker, adult_unit, adult):
    case = register(adult_worker, adult_unit, adult, kind="orosanmalan", reporter_category="relative")
    services.adult_intake_assess(actor=adult_worker, case=case, open_investigation=False, decided_on=TODAY,
                                 reasons="Personen har redan stöd från psykiatrin.")  # fmt: skip
    case.refresh_from_db()
    assert case.status == "closed" and case.close_reason == "inleds_ej"
    assert selectors.elapsed_for(case, TODAY) is None


@pytest.mark.django_db
def test_registration_rules(adult_worker, adult_unit, adult, unit):
    with pytest.raises(DomainError) as exc:
        register(adult_worker, adult_unit, adult, kind="orosanmalan")
    assert exc.value.field == "reporter_category"
    with pytest.raises(DomainError) as exc:
        register(adult_worker, adult_unit, adult, day=TODAY + dt.timedelta(days=1))
    assert exc.value.field == "received_on"
    with pytest.raises(DomainError) as exc:
        register(adult_worker, adult_unit, PersonFactory(birth_date=dt.date(2010, 1, 1)))
    assert exc.value.field == "pnr"
    with pytest.raises(DomainError) as exc:
        register(adult_worker, adult_unit, adult, area="barn")
    assert exc.value.field == "area"
    # Only adult units, and only for those who work there.
    child_worker = MembershipFactory(unit=unit, role=Role.CASEWORKER).user
    with pytest.raises(PermissionDeniedError):
        register(child_worker, adult_unit, adult)
    with pytest.raises(PermissionDeniedError):
        register(child_worker, unit, adult)
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_application_undecided_after_six_months(adult_worker, adult_unit, adult):
    case = register(adult_worker, adult_unit, adult, day=dt.date(2026, 2, 2))
    assert not selectors.elapsed_for(case, dt.date(2026, 8, 2)).delay_request_possible
    assert selectors.elapsed_for(case, dt.date(2026, 8, 3)).delay_request_possible  # E17


@pytest.mark.django_db
def test_register_page_and_investigation_page(adult_worker, adult, login):
    client = login(adult_worker)
    url = reverse("adults:register")
    page = client.get(url)
    assert page.status_code == 200 and "Registrera ansökan eller anmälan (vuxen)" in page.content.decode()
    response = client.post(url, {"pnr": "", "received_on-year": "2026", "received_on-month": "13",
                                 "received_on-day": "1"})  # fmt: skip
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ange personnumret" in html
    assert "Datum då ansökan eller anmälan kom in måste vara ett riktigt datum" in html
    data = {
        "pnr": f"{adult.pnr[:8]}-{adult.pnr[8:]}", "kind": "orosanmalan", "area": "vinr",
        "received_on-year": "2026", "received_on-month": "3", "received_on-day": "20", "received_time": "09:15",
        "channel": "phone", "reporter_category": "police", "content": "Polisen har varit på plats efter larm.",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    case = Case.objects.get(subject=adult)
    assert response["Location"] == reverse("adults:intake", kwargs={"case_id": case.pk})
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Ska utredning inledas?" in page.content.decode()
    response = client.post(response["Location"], {"decision": "open", "decided_on-year": "2026",
                                                  "decided_on-month": "3", "decided_on-day": "20",
                                                  "reasons": "Behov av skydd."})  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == "investigation"


@pytest.mark.django_db
def test_register_page_is_for_adult_units_only(caseworker, login):
    assert login(caseworker).get(reverse("adults:register")).status_code == 403


@pytest.mark.django_db
def test_overview_tag_shows_the_practice_warning(adult_worker, adult_unit, adult):
    from django.template import Context, Template

    case = register(adult_worker, adult_unit, adult, kind="orosanmalan", reporter_category="police",
                    day=dt.date(2026, 3, 1))  # fmt: skip
    html = Template("{% load adults %}{% adult_elapsed case %}").render(Context({"case": case}))
    assert "19 dagar sedan" in html and "enligt praxis" in html
    child_case = Case(process="child", status="open")
    assert Template("{% load adults %}{% adult_elapsed case %}").render(Context({"case": child_case})).strip() == ""
