import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.db.utils import DatabaseError

from lotsen.audit import services as audit
from lotsen.audit.models import AccessLogEntry, AuditEvent
from tests.factories import AccessLogEntryFactory, PersonFactory


@pytest.mark.django_db
def test_visiting_a_person_writes_exactly_one_access_log_row(caseworker, login, unit):
    person = PersonFactory()
    client = login(caseworker)
    before = AccessLogEntry.objects.count()
    response = client.get(f"/personer/{person.pk}/")
    assert response.status_code == 200
    rows = AccessLogEntry.objects.filter(person=person)
    assert AccessLogEntry.objects.count() == before + 1
    row = rows.get()
    assert row.user == caseworker
    assert row.view == "people:detail"
    assert row.unit == unit
    assert row.ip == "127.0.0.1"
    assert row.emergency_access is None


@pytest.mark.django_db
def test_person_page_is_not_cached_and_has_no_personal_data_in_title(caseworker, login):
    person = PersonFactory(first_name="Ebba", last_name="Grön")
    response = login(caseworker).get(f"/personer/{person.pk}/")
    assert response["Cache-Control"] == "no-store"
    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert "Ebba" not in title and person.pnr[:8] not in title


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "statement", ["UPDATE audit_accesslogentry SET purpose = 'x'", "DELETE FROM audit_accesslogentry"]
)
def test_access_log_rows_cannot_be_changed_or_deleted(statement):
    AccessLogEntryFactory()
    with pytest.raises(DatabaseError, match="append-only"), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AccessLogEntry.objects.count() == 1


@pytest.mark.django_db
def test_access_log_rows_cannot_be_changed_through_the_orm():
    entry = AccessLogEntryFactory()
    entry.purpose = "Ändrat"
    with (
        pytest.raises((InternalError, ProgrammingError, IntegrityError, DatabaseError)),
        transaction.atomic(),
    ):
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.purpose == "Visa personuppgifter"


@pytest.mark.django_db
def test_audit_events_are_append_only_too(caseworker):
    person = PersonFactory()
    with transaction.atomic():
        event = audit.record(actor=caseworker, action="person.viewed", obj=person)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="x")


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction(caseworker):
    person = PersonFactory()
    with pytest.raises(RuntimeError):
        audit.record(actor=caseworker, action="person.viewed", obj=person)


@pytest.mark.django_db
def test_search_hits_are_logged_one_row_per_person_shown(caseworker, login):
    people = [PersonFactory(last_name="Kvist") for _ in range(3)]
    response = login(caseworker).post("/personer/sok/", {"query": "Kvist"})
    assert response.status_code == 200
    logged = set(AccessLogEntry.objects.filter(view="people:search").values_list("person_id", flat=True))
    assert logged == {p.pk for p in people}
