"""Reads of the journal. The case itself always comes from `lotsen.cases.selectors` (access + access log);
these functions decide which entries of a visible case a user sees: every signed entry, and drafts only for
their author (and, when configured, for the unit's team lead: R-JOUR-1)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet

from lotsen.journal import conf
from lotsen.journal.models import Document, EntryKind, EntryStatus, JournalEntry
from lotsen.policies.access import can_lead_unit, visible_cases

if TYPE_CHECKING:
    from lotsen.accounts.models import User
    from lotsen.cases.models import Case

PAGE_SIZE = 50


def visible_entries(user: Any, case: Case) -> QuerySet[JournalEntry]:
    drafts = Q(status=EntryStatus.DRAFT, author_id=user.pk)
    if conf.drafts_visible_to_team_lead() and can_lead_unit(user, case.unit_id):
        drafts = Q(status=EntryStatus.DRAFT)
    return JournalEntry.objects.filter(case=case).filter(Q(status=EntryStatus.SIGNED) | drafts)


@dataclass(frozen=True)
class JournalFilter:
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    author_id: int | None = None
    oldest_first: bool = False

    @property
    def active(self) -> bool:
        return bool(self.kind or self.date_from or self.date_to or self.author_id)


@dataclass
class EntryView:
    """An entry as shown on the journal page."""

    entry: JournalEntry
    own_draft: bool
    old_draft: bool  # a draft older than the setting (R-JOUR-1)
    late_days: int | None  # signed more than the setting's days after the event (R-DOK-2)
    linked: list[EntryView] = field(default_factory=list)

    @property
    def disputed(self) -> bool:
        """R-DOK-3: the person has disputed the entry (a signed invändning is linked to it)."""
        return any(v.entry.kind == EntryKind.DISPUTED_BY_SUBJECT and v.entry.is_signed for v in self.linked)


def _view(entry: JournalEntry, user: Any, today: date) -> EntryView:
    draft = entry.status == EntryStatus.DRAFT
    late = entry.signed_days_after_event()
    return EntryView(
        entry=entry,
        own_draft=draft and entry.author_id == user.pk,
        old_draft=draft and entry.draft_age_days(today) > conf.draft_warning_days(),
        late_days=late if late is not None and late > conf.late_sign_days() else None,
    )


def journal_page(
    user: Any, case: Case, flt: JournalFilter, page_number: Any, today: date
) -> tuple[Page, list[EntryView]]:
    """One page of the case's journal: entries (not linked ones) filtered and ordered, each with its linked
    corrections, additions and invändningar beside it. Three queries, whatever the number of entries."""
    roots = visible_entries(user, case).filter(corrects_entry__isnull=True).select_related("author")
    if flt.kind:
        roots = roots.filter(kind=flt.kind)
    if flt.date_from:
        roots = roots.filter(event_on__gte=flt.date_from)
    if flt.date_to:
        roots = roots.filter(event_on__lte=flt.date_to)
    if flt.author_id:
        roots = roots.filter(author_id=flt.author_id)
    if flt.oldest_first:
        roots = roots.order_by(F("event_on").asc(nulls_last=True), "written_at", "id")
    else:
        roots = roots.order_by(F("event_on").desc(nulls_first=True), "-written_at", "-id")
    page = Paginator(roots, PAGE_SIZE).get_page(page_number)
    views = [_view(e, user, today) for e in page.object_list]
    by_id = {v.entry.pk: v for v in views}
    if by_id:
        linked: dict[int, list[EntryView]] = defaultdict(list)
        rows = (
            visible_entries(user, case)
            .filter(corrects_entry_id__in=list(by_id))
            .select_related("author")
            .order_by("written_at", "id")
        )
        for entry in rows:
            assert entry.corrects_entry_id is not None
            linked[entry.corrects_entry_id].append(_view(entry, user, today))
        for root_id, items in linked.items():
            by_id[root_id].linked = items
    return page, views


def authors(user: Any, case: Case) -> list[tuple[int, str]]:
    """Authors of the entries the user sees in the case, for the filter (staff names, not the person's)."""
    from lotsen.accounts.models import User

    ids = visible_entries(user, case).values("author_id")
    return [(u.pk, u.display_name) for u in User.objects.filter(pk__in=ids).order_by("last_name", "first_name")]


def entry_in_case(user: Any, case: Case, entry_id: int) -> JournalEntry | None:
    return visible_entries(user, case).select_related("author", "corrects_entry__author").filter(pk=entry_id).first()


def own_drafts(user: User) -> QuerySet[JournalEntry]:
    """The user's unsigned drafts in cases they still see ("Att signera", R-JOUR-1)."""
    return (
        JournalEntry.objects.filter(author=user, status=EntryStatus.DRAFT, case__in=visible_cases(user))
        .select_related("case", "case__subject")
        .order_by("written_at", "id")
    )


def documents(case: Case) -> QuerySet[Document]:
    return (
        Document.objects.filter(case=case).select_related("created_by").order_by("-received_on", "-created_at", "-id")
    )
