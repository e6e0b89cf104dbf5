"""Reads of persons. Every query starts from `policies.visible_persons(user)`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone

from lotsen.people.models import Person, Relation, RelationKind
from lotsen.people.personnummer import InvalidIdentityNumber, parse
from lotsen.policies.access import visible_persons

MAX_RESULTS = 50
_YEAR = re.compile(r"^(19|20)\d{2}$")
_DIGITS = re.compile(r"^[0-9+\- ]+$")


@dataclass(frozen=True)
class SearchQuery:
    pnr: str | None = None
    words: tuple[str, ...] = ()
    birth_year: int | None = None


class SearchInputError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_query(text: str, *, today: date | None = None) -> SearchQuery:
    """Personnummer (10 or 12 digits, R-PNR-3) or name words with an optional birth year."""
    text = " ".join(text.split())
    if not text:
        raise SearchInputError("Ange personnummer eller namn")
    if _DIGITS.match(text) and not _YEAR.match(text):
        try:
            number = parse(text.replace(" ", ""), today=today or timezone.localdate())
        except InvalidIdentityNumber as exc:
            raise SearchInputError(exc.message_sv) from exc
        return SearchQuery(pnr=number.normalized)
    words = [w for w in text.split(" ") if w]
    year = None
    if words and _YEAR.match(words[-1]):
        year = int(words.pop())
    if not words:
        raise SearchInputError("Ange minst ett namn tillsammans med födelseåret")
    if any(len(w) < 2 for w in words):
        raise SearchInputError("Varje namn måste ha minst två bokstäver")
    return SearchQuery(words=tuple(w.upper() for w in words), birth_year=year)


def search_persons(user: Any, query: SearchQuery) -> list[Person]:
    qs = visible_persons(user)
    if query.pnr:
        return list(qs.filter(pnr=query.pnr)[:MAX_RESULTS])
    qs = qs.annotate(last_upper=Upper("last_name"), first_upper=Upper("first_name"))
    for word in query.words:
        qs = qs.filter(Q(last_upper__startswith=word) | Q(first_upper__startswith=word))
    if query.birth_year:
        qs = qs.filter(birth_date__year=query.birth_year)
    return list(qs.order_by("last_name", "first_name", "birth_date")[: MAX_RESULTS + 1])


def person_for(user: Any, person_id: int) -> Person | None:
    return visible_persons(user).filter(pk=person_id).first()


@dataclass(frozen=True)
class RelatedPerson:
    person: Person
    label: str


RELATION_LABELS = {
    (RelationKind.GUARDIAN_OF, "from"): "Vårdnadshavare för",
    (RelationKind.GUARDIAN_OF, "to"): "Vårdnadshavare",
    (RelationKind.PARENT_OF, "from"): "Förälder till",
    (RelationKind.PARENT_OF, "to"): "Förälder",
    (RelationKind.PARTNER_OF, "from"): "Make/maka/sambo",
    (RelationKind.PARTNER_OF, "to"): "Make/maka/sambo",
    (RelationKind.LIVES_WITH, "from"): "Bor med",
    (RelationKind.LIVES_WITH, "to"): "Bor med",
}


def related_persons(user: Any, person: Person) -> list[RelatedPerson]:
    """Relations to persons the user may see. Protected relatives the user may not see are left out
    entirely (R-SEK-3): not even a placeholder."""
    visible = visible_persons(user)
    today = timezone.localdate()
    current = Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    result: list[RelatedPerson] = []
    outgoing: QuerySet[Relation] = Relation.objects.filter(
        current, from_person=person, to_person__in=visible
    ).select_related("to_person")
    incoming: QuerySet[Relation] = Relation.objects.filter(
        current, to_person=person, from_person__in=visible
    ).select_related("from_person")
    for rel in outgoing:
        result.append(RelatedPerson(rel.to_person, RELATION_LABELS[(RelationKind(rel.kind), "from")]))
    for rel in incoming:
        result.append(RelatedPerson(rel.from_person, RELATION_LABELS[(RelationKind(rel.kind), "to")]))
    seen: set[tuple[int, str]] = set()
    unique = []
    for item in sorted(result, key=lambda r: (r.label, r.person.birth_date or date.min)):
        key = (item.person.pk, item.label)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def household_members(user: Any, person: Person) -> list[Person]:
    from lotsen.people.models import HouseholdMember

    today = timezone.localdate()
    household_ids = HouseholdMember.objects.filter(
        Q(household__valid_to__isnull=True) | Q(household__valid_to__gte=today), person=person
    ).values("household_id")
    return list(
        visible_persons(user)
        .filter(household_memberships__household_id__in=household_ids)
        .exclude(pk=person.pk)
        .distinct()
        .order_by("birth_date")
    )
