"""The demo seeder of the journal, the date input field and the file size filter."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from lotsen.cases import services as case_services
from lotsen.cases.models import CaseEvent
from lotsen.journal.demo import seed_journal
from lotsen.journal.forms import DateInputField
from lotsen.journal.models import EntryStatus, JournalEntry
from lotsen.journal.templatetags.journal_tags import file_size
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_seed_journal_is_deterministic_and_valid(caseworker, unit):
    today = dt.date(2026, 3, 20)
    cases = [
        case_services.case_open(actor=caseworker, subject=PersonFactory(), process_code="child", unit=unit,
                                opened_on=today - dt.timedelta(days=40 * i))
        for i in range(6)
    ]  # fmt: skip
    for case in cases[::2]:
        case.assignee = caseworker
        case.save(update_fields=["assignee"])
    created = seed_journal(rng=random.Random(7), today=today, draft_share=1.0)
    entries = list(JournalEntry.objects.order_by("id"))
    assert created == len(entries) > 6
    signed = [e for e in entries if e.status == EntryStatus.SIGNED]
    assert all(e.event_on <= today and e.signed_at >= e.written_at for e in signed)
    assert all(e.case.opened_on <= e.event_on for e in signed if not e.corrects_entry_id)
    assert all(e.corrects_entry.status == EntryStatus.SIGNED for e in entries if e.corrects_entry_id)
    drafts = [e for e in entries if e.status == EntryStatus.DRAFT]
    assert drafts and all(e.author_id == caseworker.pk for e in drafts)
    assert CaseEvent.objects.filter(type="journal_signed").count() == len(signed)
    # The same seed gives the same journal.
    fingerprint = [(e.case_id, e.kind, e.event_on, e.text, e.key) for e in entries]
    with transaction.atomic():
        JournalEntry.objects.filter(status=EntryStatus.DRAFT).delete()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lotsen.gallring = 'on'")
            cursor.execute("DELETE FROM journal_journalentry WHERE corrects_entry_id IS NOT NULL")
            cursor.execute("DELETE FROM journal_journalentry")
        assert seed_journal(rng=random.Random(7), today=today, draft_share=1.0) == created
        again = [(e.case_id, e.kind, e.event_on, e.text, e.key) for e in JournalEntry.objects.order_by("id")]
        assert again == fingerprint
        transaction.set_rollback(True)


FIELD = DateInputField(required=False)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2026, 1, 1)))
def test_date_input_parts_and_iso_give_the_date(day):
    assert FIELD.clean([str(day.year), str(day.month), str(day.day)]) == day
    assert FIELD.clean([f" {day.year} ", f"{day.month:02d}", f"{day.day:02d}"]) == day
    assert FIELD.clean([day.isoformat(), "", ""]) == day


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0\u00a0byte"), (1023, "1023\u00a0byte"), (1024, "1\u00a0kB"), (870_000, "850\u00a0kB"),
     (1_258_291, "1,2\u00a0MB"), (20 * 1024 * 1024, "20,0\u00a0MB"), (None, "")],
)  # fmt: skip
def test_file_size(value, expected):
    assert file_size(value) == expected
