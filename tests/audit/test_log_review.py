import io

import openpyxl
import pytest

from lotsen.accounts.models import Role
from lotsen.audit.models import AccessLogEntry, AccessLogReview, AuditEvent
from tests.factories import (
    AccessLogEntryFactory,
    EmergencyAccessFactory,
    MembershipFactory,
    PersonFactory,
    UnitFactory,
)


@pytest.mark.django_db
def test_system_admin_sees_who_looked_at_a_person(caseworker, system_admin, login, client):
    person = PersonFactory()
    login(caseworker).get(f"/personer/{person.pk}/")
    client.logout()
    login(system_admin)
    lookup = client.post("/loggranskning/person/", {"pnr": person.pnr})
    assert lookup.status_code == 302 and lookup["Location"] == f"/loggranskning/person/{person.pk}/"
    assert person.pnr not in lookup["Location"]
    html = client.get(lookup["Location"]).content.decode()
    assert caseworker.get_full_name() in html
    assert f"{person.pnr[:8]}-XXXX" in html
    # The review itself is logged (R-SEK-4).
    assert AccessLogEntry.objects.filter(person=person, user=system_admin, view="audit:person").exists()


@pytest.mark.django_db
def test_unit_manager_sees_only_own_units(unit, unit_manager, login):
    own = AccessLogEntryFactory(unit=unit)
    other = AccessLogEntryFactory(unit=UnitFactory())
    html = login(unit_manager).get("/loggranskning/").content.decode()
    assert f"/loggranskning/rad/{own.pk}/" in html
    assert f"/loggranskning/rad/{other.pk}/" not in html


@pytest.mark.django_db
def test_caseworker_has_no_log_review(caseworker, login):
    assert login(caseworker).get("/loggranskning/").status_code == 403


@pytest.mark.django_db
def test_auditor_reads_but_cannot_mark_reviewed(auditor, login):
    entry = AccessLogEntryFactory()
    client = login(auditor)
    page = client.get(f"/loggranskning/rad/{entry.pk}/")
    assert page.status_code == 200
    assert "Markera som granskad" not in page.content.decode()
    assert client.post(f"/loggranskning/rad/{entry.pk}/", {"comment": "ok"}).status_code == 403
    assert not AccessLogReview.objects.exists()


@pytest.mark.django_db
def test_mark_reviewed_is_audited(system_admin, login):
    entry = AccessLogEntryFactory()
    response = login(system_admin).post(f"/loggranskning/rad/{entry.pk}/", {"comment": "Inom uppdraget"})
    assert response.status_code == 302
    assert AccessLogReview.objects.get().comment == "Inom uppdraget"
    assert AuditEvent.objects.filter(action="access_log.reviewed", actor=system_admin).count() == 1


@pytest.mark.django_db
def test_emergency_access_listed_highlighted_and_reviewable(system_admin, login):
    access = EmergencyAccessFactory(reason="Polisen begärde handräckning")
    AccessLogEntryFactory(person=access.person, user=access.user, emergency_access=access)
    client = login(system_admin)
    html = client.get("/loggranskning/nodatkomst/").content.decode()
    assert "Polisen begärde handräckning" in html and "app-row--emergency" in html
    period = client.get("/loggranskning/?selection=emergency").content.decode()
    assert "app-row--emergency" in period
    assert client.post(f"/loggranskning/nodatkomst/{access.pk}/granskad/").status_code == 302
    access.refresh_from_db()
    assert access.reviewed_by == system_admin


@pytest.mark.django_db
def test_filter_errors_are_swedish(system_admin, login):
    response = login(system_admin).get("/loggranskning/?date_from=2026-13-01&date_to=2026-01-01")
    assert response.status_code == 422
    assert "måste vara ett riktigt datum" in response.content.decode()


@pytest.mark.django_db
def test_xlsx_export_has_rows_and_is_audited(system_admin, login):
    entries = [AccessLogEntryFactory() for _ in range(3)]
    response = login(system_admin).get("/loggranskning/export/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert "Sekretess" in sheet["A1"].value
    assert sheet.max_row == 3 + len(entries)
    assert {sheet.cell(row=r, column=3).value for r in range(4, 7)} == {e.person.pnr for e in entries}
    event = AuditEvent.objects.get(action="access_log.exported")
    assert event.after["rows"] == 3


@pytest.mark.django_db
def test_log_review_query_count_does_not_grow_with_rows(system_admin, login, django_assert_max_num_queries):
    client = login(system_admin)
    for _ in range(30):
        AccessLogEntryFactory()
    with django_assert_max_num_queries(12):
        assert client.get("/loggranskning/").status_code == 200


@pytest.mark.django_db
def test_person_page_query_count(caseworker, login, django_assert_max_num_queries):
    from lotsen.people.models import RelationKind
    from tests.factories import HouseholdMemberFactory, RelationFactory

    client = login(caseworker)
    child = PersonFactory()
    member = HouseholdMemberFactory(person=child)
    for _ in range(5):
        RelationFactory(from_person=PersonFactory(), to_person=child, kind=RelationKind.GUARDIAN_OF)
        HouseholdMemberFactory(household=member.household)
    with django_assert_max_num_queries(14):
        assert client.get(f"/personer/{child.pk}/").status_code == 200


@pytest.mark.django_db
def test_user_lookup_redirects_to_opaque_url(system_admin, login):
    subject = MembershipFactory(role=Role.CASEWORKER).user
    AccessLogEntryFactory(user=subject)
    client = login(system_admin)
    response = client.get(f"/loggranskning/anvandare/?anvandare={subject.pk}")
    assert response["Location"] == f"/loggranskning/anvandare/{subject.pk}/"
    assert subject.get_full_name() in client.get(response["Location"]).content.decode()
