"""The pages: access (404 outside the unit), the list with its placement card, the forms (422 with the error
summary, redirect on success) and the unit's list of decisions not carried out."""

import datetime as dt

import pytest
from django.urls import reverse

from lotsen.accounts.models import Role
from lotsen.audit.models import AccessLogEntry
from lotsen.interventions import services
from lotsen.interventions.models import CareReview, Intervention
from tests.factories import MembershipFactory, ProviderFactory, UnitFactory
from tests.interventions.conftest import open_child_case, signed_decision

TODAY = dt.date(2026, 3, 20)


@pytest.fixture
def case_with_decisions(travel, caseworker, team_lead, unit_manager, unit, delegation, provider):
    travel(TODAY)
    case = open_child_case(caseworker, unit, dt.date(2025, 10, 1))
    open_care = signed_decision(case, preparer=caseworker, signer=team_lead, type="non_residential",
                                decided_on=dt.date(2025, 11, 3))  # fmt: skip
    placement = signed_decision(case, preparer=caseworker, signer=unit_manager, decided_on=dt.date(2026, 3, 2))
    services.intervention_start(
        actor=caseworker, decision=placement, kind="placement", start_on=dt.date(2026, 3, 2), provider=provider,
        responsible_worker=caseworker, placement_form="hvb",
    )  # fmt: skip
    return case, open_care, placement


def test_list_shows_table_unexecuted_and_placement_card(case_with_decisions, caseworker, login,
                                                        django_assert_max_num_queries):  # fmt: skip
    case, open_care, _placement = case_with_decisions
    client = login(caseworker)
    url = reverse("interventions:list", kwargs={"case_id": case.pk})
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Insatser och placeringar" in html
    assert "Ej verkställd" in html  # decided 2025-11-03, not carried out: reportable from 2026-02-04
    assert "2026-02-04" in html
    assert "Dygnspris" in html and "4\u202f200\u00a0kr" in html
    assert "Nästa övervägande" in html and "2026-09-02" in html
    assert reverse("interventions:start", kwargs={"case_id": case.pk, "decision_id": open_care.pk}) in html
    assert AccessLogEntry.objects.filter(case_id=case.pk, view="interventions:list").count() == 1


@pytest.mark.django_db
def test_caseworker_outside_the_unit_gets_404(case_with_decisions, client, login):
    case, open_care, _ = case_with_decisions
    outsider = MembershipFactory(unit=UnitFactory(), role=Role.CASEWORKER).user
    client = login(outsider)
    assert client.get(reverse("interventions:list", kwargs={"case_id": case.pk})).status_code == 404
    start = reverse("interventions:start", kwargs={"case_id": case.pk, "decision_id": open_care.pk})
    assert client.get(start).status_code == 404
    assert client.post(start, {"kind": "non_residential"}).status_code == 404
    assert not Intervention.objects.filter(decision=open_care).exists()


@pytest.mark.django_db
def test_start_form_errors_then_success(case_with_decisions, caseworker, login):
    case, open_care, _ = case_with_decisions
    client = login(caseworker)
    url = reverse("interventions:start", kwargs={"case_id": case.pk, "decision_id": open_care.pk})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="start_on-year" type="text" inputmode="numeric" autocomplete="off" value="2026"' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Datum då insatsen började</legend>' in html
    assert "Till exempel 2026 3 16" in html
    response = client.post(url, {"kind": "non_residential", "start_on-year": "2026", "start_on-month": "2",
                                 "start_on-day": "30"})  # fmt: skip
    assert response.status_code == 422
    html = response.content.decode()
    assert "Det finns ett problem" in html
    assert "Datum då insatsen började måste vara ett riktigt datum" in html
    assert "Välj utförare" in html
    provider = ProviderFactory(name="Familjestöd AB")
    response = client.post(url, {"kind": "non_residential", "start_on-year": "2026-03-19", "provider": provider.pk})
    assert response.status_code == 302
    intervention = Intervention.objects.get(decision=open_care)
    assert intervention.start_on == dt.date(2026, 3, 19)
    # The service's rule (future date) is shown next to its field.
    other = signed_decision(case, preparer=caseworker, signer=case_with_decisions[0].unit.memberships.filter(
        role=Role.TEAM_LEAD).first().user, type="contact_person")  # fmt: skip
    url = reverse("interventions:start", kwargs={"case_id": case.pk, "decision_id": other.pk})
    response = client.post(url, {"kind": "contact_person", "start_on-year": "2026", "start_on-month": "3",
                                 "start_on-day": "21", "provider": provider.pk})  # fmt: skip
    assert response.status_code == 422
    assert "Datum då insatsen började kan inte vara senare än i dag" in response.content.decode()


@pytest.mark.django_db
def test_care_review_visit_plans_and_end_pages(case_with_decisions, caseworker, login):
    case, _open_care, placement_decision = case_with_decisions
    intervention = Intervention.objects.get(decision=placement_decision)
    client = login(caseworker)
    kwargs = {"case_id": case.pk, "intervention_id": intervention.pk}
    url = reverse("interventions:care_review", kwargs=kwargs)
    assert client.post(url, {}).status_code == 422
    response = client.post(url, {"reviewed_on-year": "2026", "reviewed_on-month": "3", "reviewed_on-day": "19",
                                 "committee_reference": "IU 2026-03-19 § 12", "conclusion": "continue"})  # fmt: skip
    assert response.status_code == 302
    assert CareReview.objects.filter(placement_id=intervention.pk).count() == 1
    url = reverse("interventions:visit", kwargs=kwargs)
    assert client.get(url).status_code == 200
    assert client.post(url, {"visited_on-year": "2026", "visited_on-month": "3", "visited_on-day": "18",
                             "spoke_alone": "on"}).status_code == 302  # fmt: skip
    url = reverse("interventions:plans", kwargs=kwargs)
    assert client.post(url, {"care_plan_on-year": "2026", "care_plan_on-month": "3", "care_plan_on-day": "10"}
                       ).status_code == 302  # fmt: skip
    url = reverse("interventions:end", kwargs=kwargs)
    response = client.post(url, {"end_on-year": "2026", "end_on-month": "3", "end_on-day": "20"})
    assert response.status_code == 422 and "Välj varför insatsen avslutas" in response.content.decode()
    response = client.post(url, {"end_on-year": "2026", "end_on-month": "3", "end_on-day": "20",
                                 "end_reason": "completed"})  # fmt: skip
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.end_on == TODAY
    # An ended placement has no forms any more.
    assert client.get(reverse("interventions:visit", kwargs=kwargs)).status_code == 404


@pytest.mark.django_db
def test_unit_list_for_the_unit_manager_only(case_with_decisions, unit_manager, caseworker, login,
                                             django_assert_max_num_queries):  # fmt: skip
    case, _open_care, _ = case_with_decisions
    client = login(unit_manager)
    url = reverse("interventions:unexecuted")
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ej verkställda beslut" in html and case.number in html
    assert client.get(url, {"quarter": "2026-1"}).status_code == 200
    assert client.get(url, {"quarter": "1999-1"}).status_code == 422
    client.logout()
    assert login(caseworker).get(url).status_code == 403


@pytest.mark.django_db
def test_overview_card_of_ongoing_interventions(case_with_decisions):
    from django.template import Context, Template

    case, _open_care, _placement = case_with_decisions
    html = Template("{% load interventions %}{% active_interventions case %}").render(Context({"case": case}))
    assert "Aktiva insatser" in html and "Placering – HVB (hem för vård eller boende)" in html
    assert reverse("interventions:list", kwargs={"case_id": case.pk}) in html
