"""Demo data for the journal: signed entries (with some corrections and additions) and a few drafts in the
synthetic municipality's cases. Deterministic for a seed; bulk-inserted (signed rows may be inserted, never
changed). Called by the lead's generator after the cases exist:

    from lotsen.journal.demo import seed_journal
    seed_journal(rng=rng, today=today)
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from lotsen.accounts.models import Membership, Role, User
from lotsen.cases.models import Case, CaseEvent
from lotsen.journal.models import EntryKind, EntryStatus, JournalEntry

TEXTS: dict[str, list[str]] = {
    EntryKind.CONVERSATION: [
        "Samtal med {name} på kontoret. {name} berättade om skolan och om kompisarna på fritids. "
        "Vi kom överens om ett nytt samtal om två veckor.",
        "Enskilt samtal med {name}. {name} ville inte prata om hemmet den här gången men berättade om "
        "fotbollsträningen. Jag förklarade vad en utredning är och vad som händer nu.",
        "Samtal med vårdnadshavarna om oron i anmälan. De känner igen beskrivningen från skolan och är "
        "positiva till stöd från familjebehandlarna.",
    ],
    EntryKind.HOME_VISIT: [
        "Hembesök tillsammans med kollega. Familjen tog emot oss i köket. {name} visade sitt rum. "
        "Bostaden var städad och det fanns mat hemma.",
        "Oanmält hembesök efter ny uppgift från skolan. Mamman öppnade och var samarbetsvillig. "
        "Vi bokade ett uppföljande möte på kontoret.",
    ],
    EntryKind.PHONE: [
        "Telefonsamtal med mamman. Hon bekräftar tiden för mötet på torsdag kl. 13.",
        "Pappan ringde och frågade om beslutet. Jag förklarade hur han kan överklaga och när beslutet skickas hem.",
        "Ringde {name}s mentor. Frånvaron har minskat de senaste två veckorna.",
    ],
    EntryKind.OTHER_AUTHORITY: [
        "Kontakt med skolkuratorn om frånvaron. Skolan skickar en sammanställning till nästa vecka.",
        "Samråd med BVC-sjuksköterskan. Inga nya uppgifter om oro.",
        "Polisen meddelar att förhör med {name} planeras. Vi avvaktar med samtal om händelsen.",
    ],
    EntryKind.OTHER: [
        "Kallelse till möte skickad med post till båda vårdnadshavarna.",
        "Utredningsplanen är uppdaterad efter mötet med familjen.",
    ],
}
LINKED_TEXTS: dict[str, list[str]] = {
    EntryKind.CORRECTION: ["Rättelse: mötet ägde rum på fritids, inte i skolan.", "Rättelse: fel datum för mötet."],
    EntryKind.ADDITION: ["Tillägg: skolan har bekräftat uppgifterna skriftligen.", "Tillägg: tolk deltog."],
    EntryKind.DISPUTED_BY_SUBJECT: ["Pappan anser att anteckningen ger en felaktig bild av samtalet."],
}
PRIMARY = [EntryKind.CONVERSATION, EntryKind.HOME_VISIT, EntryKind.PHONE, EntryKind.OTHER_AUTHORITY, EntryKind.OTHER]
WEIGHTS = [4, 2, 4, 3, 1]


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 16), rng.choice([0, 10, 20, 30, 45]))))


def _writers(case: Case, by_unit: dict[int, list[int]]) -> list[int]:
    if case.assignee_id:
        return [case.assignee_id]
    return by_unit.get(case.unit_id, [])


@transaction.atomic
def seed_journal(
    *,
    rng: random.Random,
    today: date,
    cases: Iterable[Case] | None = None,
    max_entries_per_case: int = 8,
    draft_share: float = 0.15,
) -> int:
    """Entries for each case (all cases when `cases` is None): signed entries from the opening date on, a
    rättelse, tillägg or invändning now and then, and drafts for some assignees (some older than two days, to
    show the flags of R-JOUR-1). Returns the number of entries created."""
    by_unit: dict[int, list[int]] = {}
    for unit_id, user_id in Membership.objects.filter(role=Role.CASEWORKER).values_list("unit_id", "user_id"):
        by_unit.setdefault(unit_id, []).append(user_id)
    titles = dict(User.objects.values_list("pk", "title"))
    selected = cases if cases is not None else Case.objects.select_related("subject").order_by("pk")
    entries: list[JournalEntry] = []
    linked: list[tuple[int, JournalEntry]] = []  # (index of the original in `entries`, linked entry)
    for case in selected:
        writers = _writers(case, by_unit)
        if not writers:
            continue
        end = case.closed_on or today
        span = max(0, (end - case.opened_on).days)
        name = case.subject.first_name
        for _ in range(rng.randint(1, max_entries_per_case)):
            kind = rng.choices(PRIMARY, WEIGHTS)[0]
            event_on = case.opened_on + timedelta(days=rng.randint(0, span))
            delay = rng.choice([0, 0, 0, 1, 1, 2, 3, 5])
            signed_on = min(end, event_on + timedelta(days=delay))
            author = rng.choice(writers)
            written = _at(event_on, rng)
            signed_at = max(written, _at(signed_on, rng))
            entry = JournalEntry(
                case=case,
                key=uuid.UUID(int=rng.getrandbits(128)),
                author_id=author,
                author_title=titles.get(author, ""),
                kind=kind,
                event_on=event_on,
                written_at=written,
                updated_at=signed_at,
                text=rng.choice(TEXTS[kind]).format(name=name),
                status=EntryStatus.SIGNED,
                signed_at=signed_at,
                signed_by_id=author,
            )
            entries.append(entry)
            if rng.random() < 0.08:
                link_kind = rng.choice(list(LINKED_TEXTS))
                link_on = min(end, signed_on + timedelta(days=rng.randint(0, 10)))
                link_at = max(signed_at + timedelta(minutes=5), _at(link_on, rng))
                linked.append(
                    (
                        len(entries) - 1,
                        JournalEntry(
                            case=case,
                            key=uuid.UUID(int=rng.getrandbits(128)),
                            author_id=author,
                            author_title=titles.get(author, ""),
                            kind=link_kind,
                            event_on=link_at.date(),
                            written_at=link_at,
                            updated_at=link_at,
                            text=rng.choice(LINKED_TEXTS[link_kind]),
                            status=EntryStatus.SIGNED,
                            signed_at=link_at,
                            signed_by_id=author,
                        ),
                    )
                )
        if case.closed_on is None and case.assignee_id and rng.random() < draft_share:
            age = rng.choice([0, 1, 3, 6])
            started = _at(today - timedelta(days=age), rng)
            entries.append(
                JournalEntry(
                    case=case,
                    key=uuid.UUID(int=rng.getrandbits(128)),
                    author_id=case.assignee_id,
                    author_title=titles.get(case.assignee_id, ""),
                    kind=rng.choice(PRIMARY),
                    event_on=started.date(),
                    written_at=started,
                    updated_at=started,
                    text=rng.choice(TEXTS[EntryKind.PHONE]).format(name=name) + " (utkast)",
                )
            )
    created = JournalEntry.objects.bulk_create(entries, batch_size=2000)
    for index, entry in linked:
        entry.corrects_entry_id = created[index].pk
    created_linked = JournalEntry.objects.bulk_create([e for _i, e in linked], batch_size=2000)
    signed = [e for e in [*created, *created_linked] if e.status == EntryStatus.SIGNED]
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case_id=e.case_id,
                type="journal_signed",
                occurred_on=timezone.localtime(e.signed_at).date() if e.signed_at else today,
                actor_id=e.signed_by_id,
                payload={"entry_id": e.pk, "kind": e.kind},
            )
            for e in signed
        ],
        batch_size=2000,
    )
    return len(created) + len(created_linked)
