"""Administration of the delegationsordning (page 26): drafts copied from the active version, rows validated
against the minimum level (R-DEL-2), activation with the nämnd's decision; audit rows; system admin only."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lotsen.audit.models import AuditEvent
from lotsen.cases import delegation as delegation_rules
from lotsen.cases import delegation_admin, services
from lotsen.cases.models import DelegationRule, DelegationScheme
from lotsen.core.errors import DomainError, PermissionDeniedError
from tests.board.helpers import child_case, prepare

TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def _frozen_today():
    with time_machine.travel(dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def draft(delegation, system_admin):
    return delegation_admin.draft_create(
        actor=system_admin, source=delegation, version="2026.2", valid_from=dt.date(2026, 3, 1)
    )


def _data(rule: DelegationRule, **changes):
    data = {
        "point": rule.point,
        "decision_type": rule.decision_type,
        "law_reference": rule.law_reference,
        "delegate": "committee" if rule.committee_only else rule.delegate_role,
        "limits": rule.limits,
        "appeal_route": rule.appeal_route,
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_draft_is_a_copy_of_the_active_version(draft, delegation, system_admin):
    assert delegation_admin.status_of(draft) == delegation_admin.SchemeStatus.DRAFT
    assert draft.rules.count() == delegation.rules.count() == len(delegation_rules.DEFAULT_RULES)
    assert delegation_admin.diff(delegation, draft) == []
    assert AuditEvent.objects.filter(action="delegation_scheme.draft_created", actor=system_admin).exists()


@pytest.mark.django_db
def test_draft_rules(delegation, draft, system_admin):
    with pytest.raises(DomainError, match="redan en version"):
        delegation_admin.draft_create(actor=system_admin, source=delegation, version="2026.1", valid_from=TODAY)
    with pytest.raises(DomainError, match="redan ett utkast"):
        delegation_admin.draft_create(actor=system_admin, source=delegation, version="2026.3", valid_from=TODAY)


@pytest.mark.django_db
def test_only_the_system_administrator_changes_the_scheme(delegation, team_lead):
    with pytest.raises(PermissionDeniedError):
        delegation_admin.draft_create(actor=team_lead, source=delegation, version="x", valid_from=TODAY)


@pytest.mark.django_db
def test_committee_only_type_below_the_minimum_level_is_rejected(draft, system_admin):
    rule = draft.rules.get(decision_type="placement_foster_home")
    with pytest.raises(DomainError) as exc:
        delegation_admin.rule_update(actor=system_admin, rule=rule, data=_data(rule, delegate="team_lead"))
    assert exc.value.field == "delegate"
    assert "får bara delegeras till utskott (30 kap. 6 § SoL)" in exc.value.message
    rule.refresh_from_db()
    assert rule.committee_only


@pytest.mark.django_db
def test_rule_update_changes_the_draft_only(draft, delegation, system_admin):
    rule = draft.rules.get(decision_type="non_residential")
    delegation_admin.rule_update(
        actor=system_admin, rule=rule, data=_data(rule, delegate="unit_manager", limits="Högst 6 månader")
    )
    rule.refresh_from_db()
    assert (rule.delegate_role, rule.limits) == ("unit_manager", "Högst 6 månader")
    changes = delegation_admin.diff(delegation, draft)
    assert [(c.decision_type, c.kind, c.fields) for c in changes] == [
        ("non_residential", "changed", ("delegate_role", "limits"))
    ]
    active_rule = delegation.rules.get(decision_type="non_residential")
    with pytest.raises(DomainError, match="Bara ett utkast"):
        delegation_admin.rule_update(actor=system_admin, rule=active_rule, data=_data(active_rule, limits="x"))
    assert AuditEvent.objects.filter(action="delegation_rule.updated").count() == 1


@pytest.mark.django_db
def test_points_and_decision_types_are_unique_in_a_version(draft, system_admin):
    rule = draft.rules.get(decision_type="non_residential")
    with pytest.raises(DomainError, match=r"Punkt 3\.2 finns redan"):
        delegation_admin.rule_update(actor=system_admin, rule=rule, data=_data(rule, point="3.2"))
    with pytest.raises(DomainError, match=r"finns redan i punkt 3\.2"):
        delegation_admin.rule_update(actor=system_admin, rule=rule, data=_data(rule, decision_type="contact_person"))


@pytest.mark.django_db
def test_activation_needs_every_decision_type(draft, system_admin):
    rule = draft.rules.get(decision_type="care_review")
    delegation_admin.rule_delete(actor=system_admin, rule=rule)
    assert any("övervägande" in p or "care review" in p for p in delegation_admin.activation_problems(draft))
    with pytest.raises(DomainError, match="saknar en punkt"):
        delegation_admin.scheme_activate(
            actor=system_admin, scheme=draft, board_decided_on=dt.date(2026, 2, 17), board_section=12
        )


@pytest.mark.django_db
def test_activation_replaces_the_active_version(draft, delegation, system_admin, caseworker, unit):
    rule = draft.rules.get(decision_type="non_residential")
    delegation_admin.rule_update(actor=system_admin, rule=rule, data=_data(rule, point="3.10"))
    # A decision prepared under the old version keeps its rule.
    old_decision = prepare(caseworker, child_case(caseworker, unit, opened_on=TODAY))
    activated = delegation_admin.scheme_activate(
        actor=system_admin, scheme=draft, board_decided_on=dt.date(2026, 2, 17), board_section=12
    )
    delegation.refresh_from_db()
    assert activated.is_active and activated.adopted_by == "Socialnämnden 2026-02-17 § 12"
    assert not delegation.is_active and delegation.valid_to == dt.date(2026, 2, 28)
    assert delegation_admin.status_of(delegation) == delegation_admin.SchemeStatus.RETIRED
    assert DelegationScheme.objects.filter(is_active=True).count() == 1
    assert delegation_rules.rule_for("non_residential", TODAY).point == "3.10"
    old_decision.refresh_from_db()
    assert old_decision.delegation_rule.scheme == delegation
    assert AuditEvent.objects.filter(action="delegation_scheme.activated").exists()
    assert AuditEvent.objects.filter(action="delegation_scheme.retired").exists()


@pytest.mark.django_db
def test_activation_date_checks(delegation, system_admin):
    future = delegation_admin.draft_create(
        actor=system_admin, source=delegation, version="2026.9", valid_from=dt.date(2026, 7, 1)
    )
    with pytest.raises(DomainError, match="tidigast"):
        delegation_admin.scheme_activate(
            actor=system_admin, scheme=future, board_decided_on=dt.date(2026, 3, 1), board_section=3
        )
    with pytest.raises(DomainError, match="senare än i dag"):
        delegation_admin.scheme_activate(
            actor=system_admin, scheme=future, board_decided_on=dt.date(2026, 3, 21), board_section=3
        )


# --- pages -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scheme_pages_for_the_system_administrator(login, system_admin, delegation):
    client = login(system_admin)
    listing = client.get(reverse("cases:delegation_admin")).content.decode()
    assert "2026.1" in listing and "Skapa en ny version" in listing
    response = client.post(
        reverse("cases:delegation_draft_create"),
        {"version": "2026.2", "valid_from_year": "2026", "valid_from_month": "3", "valid_from_day": "1"},
    )
    draft = DelegationScheme.objects.get(version="2026.2")
    assert response["Location"] == reverse("cases:delegation_scheme", kwargs={"scheme_id": draft.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Utkast" in page and "Aktivera version" in page and "Inga ändringar än." in page


@pytest.mark.django_db
def test_minimum_level_violation_in_the_error_summary(login, system_admin, draft):
    rule = draft.rules.get(decision_type="care_review")
    url = reverse("cases:delegation_rule_edit", kwargs={"scheme_id": draft.pk, "rule_id": rule.pk})
    response = login(system_admin).post(url, _data(rule, delegate="unit_manager"))
    assert response.status_code == 422
    body = response.content.decode()
    assert body.count("Punkt 3.5: beslutstypen får bara delegeras till utskott (30 kap. 6 § SoL).") == 2
    assert 'href="#id_delegate_0"' in body


@pytest.mark.django_db
def test_activate_from_the_page(login, system_admin, draft, delegation):
    url = reverse("cases:delegation_activate", kwargs={"scheme_id": draft.pk})
    client = login(system_admin)
    empty = client.post(url, {})
    assert empty.status_code == 422 and "Ange datum för nämndens beslut" in empty.content.decode()
    response = client.post(
        url, {"board_decided_on_year": "2026", "board_decided_on_month": "2", "board_decided_on_day": "17",
              "board_section": "12"},
    )  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_active


@pytest.mark.django_db
def test_others_may_read_but_not_edit(login, team_lead, delegation, draft):
    client = login(team_lead)
    assert client.get(reverse("cases:delegation_admin")).status_code == 403
    assert client.get(reverse("cases:delegation_draft_create")).status_code == 403


@pytest.mark.django_db
def test_a_decision_signed_under_a_retired_version_still_names_its_point(
    draft, delegation, system_admin, caseworker, team_lead, unit
):
    decision = prepare(caseworker, child_case(caseworker, unit, opened_on=TODAY))
    services.decision_submit(actor=caseworker, decision=decision)
    delegation_admin.scheme_activate(
        actor=system_admin, scheme=draft, board_decided_on=dt.date(2026, 2, 17), board_section=12
    )
    signed = services.decision_sign(actor=team_lead, decision=decision)
    assert signed.delegation_rule.scheme.version == "2026.1"
