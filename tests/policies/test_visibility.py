import pytest
from django.utils import timezone

from lotsen.accounts.models import Role
from lotsen.people.models import Protection, RelationKind
from lotsen.policies.access import Action, can, visible_persons
from tests.factories import (
    EmergencyAccessFactory,
    MembershipFactory,
    PersonFactory,
    RelationFactory,
    UnitFactory,
)


@pytest.fixture
def protected(db):
    return PersonFactory(last_name="Skyddadsson", protection=Protection.PROTECTED_REGISTRATION)


@pytest.mark.django_db
@pytest.mark.parametrize("level", [p for p in Protection.values if p != Protection.NONE])
def test_protected_person_invisible_to_unauthorised_caseworker_in_search(caseworker, login, level):
    hidden = PersonFactory(last_name="Gömd", protection=level)
    shown = PersonFactory(last_name="Gömdberg")
    client = login(caseworker)
    by_name = client.post("/personer/sok/", {"query": "Gömd"}).content.decode()
    assert f"/personer/{shown.pk}/" in by_name
    assert f"/personer/{hidden.pk}/" not in by_name
    assert hidden.pnr[:8] not in by_name or hidden.pnr[:8] == shown.pnr[:8]
    by_number = client.post("/personer/sok/", {"query": hidden.pnr}).content.decode()
    assert "Ingen person hittades" in by_number
    assert client.get(f"/personer/{hidden.pk}/").status_code == 404


@pytest.mark.django_db
def test_protected_person_is_left_out_of_a_relatives_list(caseworker, login, protected):
    child = PersonFactory()
    RelationFactory(from_person=protected, to_person=child, kind=RelationKind.GUARDIAN_OF)
    html = login(caseworker).get(f"/personer/{child.pk}/").content.decode()
    assert protected.first_name not in html or protected.first_name == child.first_name
    assert f"/personer/{protected.pk}/" not in html
    assert "Inga vårdnadshavare" in html


@pytest.mark.django_db
def test_authorised_user_sees_protected_person_without_address(unit_manager, login, protected):
    client = login(unit_manager)
    html = client.post("/personer/sok/", {"query": protected.pnr}).content.decode()
    assert f"/personer/{protected.pk}/" in html
    page = client.get(f"/personer/{protected.pk}/").content.decode()
    assert protected.street_address not in page
    assert f"{protected.pnr[:8]}-XXXX" in page
    assert protected.pnr[8:] not in page.replace(protected.pnr[:8], "")


@pytest.mark.django_db
def test_show_full_number_requires_a_purpose_and_is_logged(unit_manager, login, protected):
    client = login(unit_manager)
    assert client.post(f"/personer/{protected.pk}/", {"purpose": ""}).status_code == 422
    page = client.post(f"/personer/{protected.pk}/", {"purpose": "Kontroll mot Skatteverket"}).content.decode()
    assert f"{protected.pnr[:8]}-{protected.pnr[8:]}" in page
    from lotsen.audit.models import AccessLogEntry

    assert AccessLogEntry.objects.filter(person=protected, purpose__contains="Kontroll mot Skatteverket").exists()


@pytest.mark.django_db
def test_emergency_access_needs_reason_and_grants_time_limited_access(caseworker, login, protected):
    client = login(caseworker)
    response = client.post("/personer/nodatkomst/", {"pnr": protected.pnr, "reason": ""})
    assert response.status_code == 422
    assert "Ange varför du behöver nödåtkomst" in response.content.decode()
    response = client.post("/personer/nodatkomst/", {"pnr": protected.pnr, "reason": "Akut skyddsbehov ikväll"})
    assert response.status_code == 302
    page = client.get(f"/personer/{protected.pk}/").content.decode()
    assert "nödåtkomst" in page
    from lotsen.audit.models import AccessLogEntry, AuditEvent

    entry = AccessLogEntry.objects.get(person=protected, view="people:detail")
    assert entry.emergency_access is not None
    assert AuditEvent.objects.filter(action="emergency_access.granted").count() == 1


@pytest.mark.django_db
def test_expired_emergency_access_gives_nothing(caseworker, protected):
    EmergencyAccessFactory(user=caseworker, person=protected, expires_at=timezone.now())
    assert not visible_persons(caseworker).filter(pk=protected.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.BOARD_SECRETARY, Role.FINANCE_OFFICER, Role.PROVIDER_STAFF, Role.AUDITOR, Role.SYSTEM_ADMIN]
)
def test_roles_without_person_work_see_no_persons(role, login):
    user = MembershipFactory(role=role).user
    PersonFactory()
    assert not visible_persons(user).exists()
    assert not can(user, Action.VIEW_PERSON)
    assert login(user).get("/personer/sok/").status_code == 403


@pytest.mark.django_db
def test_ended_membership_gives_no_access(login):
    user = MembershipFactory(role=Role.CASEWORKER, valid_to=timezone.localdate() - timezone.timedelta(days=1)).user
    assert not visible_persons(user).exists()
    assert login(user).get("/personer/sok/").status_code == 403


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client):
    person = PersonFactory()
    response = client.get(f"/personer/{person.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


@pytest.mark.django_db
def test_view_protected_is_per_membership(login):
    person = PersonFactory(protection=Protection.SECRECY_MARKING)
    plain = MembershipFactory(role=Role.CASEWORKER, unit=UnitFactory()).user
    MembershipFactory(user=plain, role=Role.CASEWORKER, unit=UnitFactory(), can_view_protected=True)
    assert visible_persons(plain).filter(pk=person.pk).exists()
