"""The caseworker and administrator pages of ekonomiskt bistånd (server side): queue, application (page 18),
calculation and decision (page 19), "Så fattades beslutet" (page 21), letter PDF, long-term recipients,
share of automated decisions, automation rules and rate tables (page 27); access and the access log."""

import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine

from lotsen.accounts.models import Role
from lotsen.assistance import services
from lotsen.assistance.models import Application, ApplicationStatus, AutomationRuleSet, NormTableVersion
from lotsen.audit.models import AccessLogEntry
from tests.factories import AssistanceUnitFactory, AutomationRuleSetFactory, MembershipFactory, adult, child

FEBRUARY = dt.date(2026, 2, 1)
MARCH = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def eb_unit(db):
    return AssistanceUnitFactory(name="Ekonomiskt bistånd")


@pytest.fixture
def eb_caseworker(eb_unit):
    return MembershipFactory(unit=eb_unit, role=Role.CASEWORKER).user


@pytest.fixture
def rule_set(delegation, eb_caseworker):
    return AutomationRuleSetFactory(accountable_delegate=eb_caseworker)


def submit(applicant, period, *, kid=None, rent=7000, **kwargs):
    children = [services.ChildInput(kid)] if kid else []
    return services.application_submit(
        applicant=applicant,
        period=period,
        channel="e_service",
        household=services.HouseholdInput(children=children),
        reasonable_costs=[services.CostInput("housing", rent)],
        incomes=[services.IncomeInput("applicant", "child_allowance", 1250)] if kid else [],
        declaration=True,
        **kwargs,
    )


@pytest.fixture
def queued(rule_set):
    app = submit(adult(1980), FEBRUARY, kid=child(dt.date(2016, 4, 1)))
    services.assess(app)
    app.refresh_from_db()
    return app


@pytest.mark.django_db
def test_queue_lists_waiting_applications_with_the_reason_and_logs_each_person(
    queued, eb_caseworker, login, django_assert_max_num_queries
):
    for _ in range(5):
        a = submit(adult(1975), FEBRUARY)
        services.assess(a)
    client = login(eb_caseworker)
    before = AccessLogEntry.objects.count()
    with django_assert_max_num_queries(25):
        response = client.get("/ekonomiskt-bistand/ansokningar/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Visar 1–6 av 6 ansökningar" in html
    assert "En första ansökan" in html  # the reason why not automated
    assert queued.case.subject.last_name in html
    assert AccessLogEntry.objects.count() - before == 6


@pytest.mark.django_db
def test_application_page_and_calculation_page(queued, eb_caseworker, login):
    client = login(eb_caseworker)
    response = client.get(f"/ekonomiskt-bistand/ansokningar/{queued.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ansökan för februari 2026" in html
    assert "Varför ansökan inte beslutades automatiskt" in html
    assert AccessLogEntry.objects.filter(view="assistance:application", person=queued.case.subject).exists()

    response = client.get(f"/ekonomiskt-bistand/ansokningar/{queued.pk}/berakning/")
    html = response.content.decode()
    assert response.status_code == 200
    # The line table in the engine's order, with law references and the unverified notice (RN-T1).
    assert html.index("Personliga kostnader, ensamstående") < html.index("Summa riksnorm") < html.index("Boende")
    assert "SoF (2025:468) 12 kap. 2 §" in html
    assert "Beloppet är bekräftat i en källa" in html
    assert "Fatta beslut" in html


def _decision_post(app, **extra):
    data = {
        "adj-TOTAL_FORMS": "1",
        "adj-INITIAL_FORMS": "0",
        "adj-MIN_NUM_FORMS": "0",
        "adj-MAX_NUM_FORMS": "12",
        "outcome": "granted",
        "reasons": "Behovet är större än inkomsterna.",
        "barrier_a1": "unemployed_no_benefit",
        "based_on": "",
        "action": "decide",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_adjustment_recalculates_and_htmx_returns_only_the_calculation(queued, eb_caseworker, login):
    client = login(eb_caseworker)
    url = f"/ekonomiskt-bistand/ansokningar/{queued.pk}/berakning/"
    data = _decision_post(
        queued,
        **{
            "adj-0-target": "cost:0",
            "adj-0-direction": "lower",
            "adj-0-amount": "500",
            "adj-0-reason": "Hyran är högre än riktlinjen",
        },
    )
    data.pop("action")
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="calculation">')
    assert "Ansökt 7000 kr, sänkt med 500 kr: Hyran är högre än riktlinjen" in html
    assert 'hx-swap-oob="true"' in html
    # Without JavaScript: "Beräkna igen" re-renders the whole page with the new amount.
    data["action"] = "recalculate"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "sänkt med 500 kr" in response.content.decode()


@pytest.mark.django_db
def test_decide_from_the_page_and_errors_are_shown_next_to_fields(queued, eb_caseworker, login):
    client = login(eb_caseworker)
    url = f"/ekonomiskt-bistand/ansokningar/{queued.pk}/berakning/"
    response = client.post(url, _decision_post(queued, outcome="", reasons="", barrier_a1=""))
    html = response.content.decode()
    assert response.status_code == 422
    assert "Det finns ett problem" in html and "Välj beslut" in html and "Skriv motiveringen" in html
    # An adjustment without reasons is an error at the field.
    response = client.post(
        url, _decision_post(queued, **{"adj-0-target": "cost:0", "adj-0-direction": "lower", "adj-0-amount": "500"})
    )
    assert response.status_code == 422
    assert "Skriv motiveringen till justeringen" in response.content.decode()

    response = client.post(url, _decision_post(queued))
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.status == ApplicationStatus.DECIDED
    assert response["Location"] == f"/ekonomiskt-bistand/beslut/{queued.decision_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "Så fattades beslutet" in page
    assert "beviljar" in page
    assert "Överklaga inom tre veckor" in page or "överklaga" in page.lower()
    pdf = client.get(f"/ekonomiskt-bistand/beslut/{queued.decision_id}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_notice_date_gives_the_appeal_date(queued, eb_caseworker, login):
    decision = services.decide(
        actor=eb_caseworker, application=queued, outcome="granted", reasons="Behov.", barriers={"a1": "none"}
    )
    client = login(eb_caseworker)
    url = f"/ekonomiskt-bistand/beslut/{decision.pk}/"
    response = client.post(url, {"notified_on": "2026-03-20", "channel": "letter"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    # R-BESL-3: 2026-03-20 + 3 weeks = Friday 2026-04-10.
    assert "fredag 10 april 2026" in html


@pytest.mark.django_db
def test_caseworker_of_another_unit_sees_nothing(queued, caseworker, login):
    client = login(caseworker)
    assert client.get("/ekonomiskt-bistand/ansokningar/").status_code == 403
    assert client.get(f"/ekonomiskt-bistand/ansokningar/{queued.pk}/").status_code == 404
    assert client.get(f"/ekonomiskt-bistand/ansokningar/{queued.pk}/berakning/").status_code == 404


@pytest.mark.django_db
def test_register_an_application_for_a_person(eb_caseworker, rule_set, login):
    applicant = adult(1990)
    client = login(eb_caseworker)
    response = client.post("/ekonomiskt-bistand/ansokningar/registrera/", {"pnr": applicant.pnr})
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 200
    response = client.post(
        "/ekonomiskt-bistand/ansokningar/registrera/uppgifter/",
        {"period": "2026-03", "partner": "", "cost_housing": "5600", "income_applicant_sickness_benefit": "3000"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    app = Application.objects.get(case__subject=applicant)
    assert app.channel == "caseworker" and app.registered_by == eb_caseworker
    assert app.status == ApplicationStatus.READY


@pytest.mark.django_db
def test_long_term_recipients_page(rule_set, eb_caseworker, login):
    applicant = adult(1970)
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        for month in range(1, 12):
            app = submit(applicant, dt.date(2026, month, 1))
            services.assess(app)
            app.refresh_from_db()
            if app.status != ApplicationStatus.DECIDED:
                services.decide(
                    actor=eb_caseworker,
                    application=app,
                    outcome="granted",
                    reasons="Behov.",
                    barriers={"a1": "sick_no_benefit"},
                )
        client = login(eb_caseworker)
        response = client.get("/ekonomiskt-bistand/langvarigt-bistand/")
    html = response.content.decode()
    assert response.status_code == 200
    assert applicant.last_name in html
    assert "Sjukskriven med läkarintyg – ingen sjukpenning" in html


@pytest.mark.django_db
def test_automation_share_page(queued, eb_caseworker, login, auditor):
    services.decide(
        actor=eb_caseworker, application=queued, outcome="granted", reasons="Behov.", barriers={"a1": "none"}
    )
    response = login(auditor).get("/ekonomiskt-bistand/automatiserade-beslut/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026-03" in html and "0,0\u00a0%" in html


@pytest.mark.django_db
def test_rules_admin_saves_a_new_version(system_admin, eb_caseworker, rule_set, login, client):
    login(system_admin)
    response = client.get("/ekonomiskt-bistand/automatiseringsregler/")
    assert response.status_code == 200
    data = {
        "accountable_delegate": str(eb_caseworker.pk),
        "valid_from": "2026-03-20",
        "adopted_by": "SN 2026-03-18 § 40",
        "enabled_reapplication": "on",
        "enabled_same_household": "on",
        "param_costs_within_threshold_threshold_percent": "10",
        "param_costs_within_threshold_min_kronor": "200",
        "param_max_amount_max_kronor": "20000",
        "param_human_review_interval_max_automated_in_a_row": "3",
    }
    response = client.post("/ekonomiskt-bistand/automatiseringsregler/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    current = AutomationRuleSet.objects.get(active=True)
    assert current.pk != rule_set.pk and current.adopted_by == "SN 2026-03-18 § 40"
    rules = {r["code"]: r for r in current.rules}
    assert rules["costs_within_threshold"]["threshold_percent"] == 10
    assert rules["income_verified"]["enabled"] is False
    assert rules["entitlement_positive"]["enabled"] is True  # mandatory
    assert not AutomationRuleSet.objects.get(pk=rule_set.pk).active


@pytest.mark.django_db
def test_rules_and_tables_are_for_system_administrators_only(eb_caseworker, login):
    client = login(eb_caseworker)
    assert client.get("/ekonomiskt-bistand/automatiseringsregler/").status_code == 403
    assert client.get("/ekonomiskt-bistand/normbelopp/").status_code == 403


@pytest.mark.django_db
def test_upload_and_activate_a_rate_table(system_admin, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotsen.assistance.tables import DEFAULT_TABLE_DIR

    client = login(system_admin)
    assert client.get("/ekonomiskt-bistand/normbelopp/").status_code == 200
    document = json.loads((Path(DEFAULT_TABLE_DIR) / "riksnorm-2026.json").read_text(encoding="utf-8"))
    document["table_version"] = "2026.2"
    upload = SimpleUploadedFile("riksnorm-2026.json", json.dumps(document).encode(), "application/json")
    response = client.post("/ekonomiskt-bistand/normbelopp/", {"file": upload})
    assert response.status_code == 302
    version = NormTableVersion.objects.get(year=2026, table_version="2026.2")
    assert version.golden_report["passed"] is True
    assert client.post(f"/ekonomiskt-bistand/normbelopp/{version.pk}/").status_code == 302
    version.refresh_from_db()
    assert version.status == "active"
    from lotsen.assistance.calc import current_tables

    assert current_tables().get(2026).table_version == "2026.2"

    # A table with a changed amount does not pass the worked examples and cannot be activated.
    document["table_version"] = "2026.3"
    document["personal_costs"]["single_adult"] = 4000
    upload = SimpleUploadedFile("riksnorm-2026.json", json.dumps(document).encode(), "application/json")
    client.post("/ekonomiskt-bistand/normbelopp/", {"file": upload})
    bad = NormTableVersion.objects.get(table_version="2026.3")
    assert bad.golden_report["passed"] is False
    response = client.post(f"/ekonomiskt-bistand/normbelopp/{bad.pk}/")
    assert response.status_code == 422
    # An invalid file is refused at the field.
    response = client.post(
        "/ekonomiskt-bistand/normbelopp/", {"file": SimpleUploadedFile("x.json", b"{}", "application/json")}
    )
    assert response.status_code == 422
    assert "Tabellen kan inte läsas in" in response.content.decode()
