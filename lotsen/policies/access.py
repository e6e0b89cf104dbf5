"""Who may see and do what. Every view, API endpoint and selector asks this module; nothing queries
person data around it (ARCHITECTURE.md, R-SEK-2, R-SEK-3).

Three questions, as in DOMAIN-MODEL.md: `visible_persons(user)`, `can(user, action, obj)` and (with the
case engine) `visible_cases(user)`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from lotsen.accounts.models import Membership, Role

if TYPE_CHECKING:
    from lotsen.people.models import Person
    from lotsen.policies.models import EmergencyAccess


class Action(StrEnum):
    SEARCH_PERSONS = "search_persons"
    VIEW_PERSON = "view_person"
    REQUEST_EMERGENCY_ACCESS = "request_emergency_access"
    REVIEW_ACCESS_LOG = "review_access_log"  # every unit
    REVIEW_ACCESS_LOG_OWN_UNITS = "review_access_log_own_units"
    MARK_ACCESS_LOG_REVIEWED = "mark_access_log_reviewed"


# Roles that work with individuals' matters (myndighetsutövning) and therefore search the person register.
_PERSON_ROLES = {Role.CASEWORKER, Role.TEAM_LEAD, Role.UNIT_MANAGER, Role.HEAD_OF_SOCIAL_SERVICES}

ROLE_ACTIONS: dict[str, set[Action]] = {
    Role.CASEWORKER: {Action.SEARCH_PERSONS, Action.VIEW_PERSON, Action.REQUEST_EMERGENCY_ACCESS},
    Role.TEAM_LEAD: {Action.SEARCH_PERSONS, Action.VIEW_PERSON, Action.REQUEST_EMERGENCY_ACCESS},
    Role.UNIT_MANAGER: {
        Action.SEARCH_PERSONS,
        Action.VIEW_PERSON,
        Action.REQUEST_EMERGENCY_ACCESS,
        Action.REVIEW_ACCESS_LOG_OWN_UNITS,
        Action.MARK_ACCESS_LOG_REVIEWED,
    },
    Role.HEAD_OF_SOCIAL_SERVICES: {
        Action.SEARCH_PERSONS,
        Action.VIEW_PERSON,
        Action.REVIEW_ACCESS_LOG,
        Action.MARK_ACCESS_LOG_REVIEWED,
    },
    Role.SYSTEM_ADMIN: {Action.REVIEW_ACCESS_LOG, Action.MARK_ACCESS_LOG_REVIEWED},
    Role.AUDITOR: {Action.REVIEW_ACCESS_LOG},  # read only
    Role.BOARD_SECRETARY: set(),
    Role.FINANCE_OFFICER: set(),
    Role.PROVIDER_STAFF: set(),
}


def memberships_of(user: Any) -> list[Membership]:
    """Active memberships, cached on the user object for the request."""
    cached: list[Membership] | None = getattr(user, "_lotsen_memberships", None)
    if cached is None:
        cached = list(Membership.objects.active().filter(user=user).select_related("unit"))
        user._lotsen_memberships = cached
    return cached


def roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return {m.role for m in memberships_of(user)}


def unit_ids(user: Any, *, role: str | None = None) -> set[int]:
    return {m.unit_id for m in memberships_of(user) if role is None or m.role == role}


def _actions(user: Any) -> set[Action]:
    result: set[Action] = set()
    for role in roles(user):
        result |= ROLE_ACTIONS.get(role, set())
    return result


def may_view_protected(user: Any) -> bool:
    """Explicit authorisation to see protected identities (R-SEK-3), given per unit membership."""
    return any(m.can_view_protected and m.role in _PERSON_ROLES for m in memberships_of(user))


def active_emergency_accesses(user: Any) -> QuerySet[EmergencyAccess]:
    from lotsen.policies.models import EmergencyAccess

    return EmergencyAccess.objects.filter(user=user, expires_at__gt=timezone.now())


def visible_persons(user: Any) -> QuerySet[Person]:
    """The persons a user may find and open. Protected identities only with explicit authorisation or an
    active emergency access for that person; nobody without a person-handling role sees anyone."""
    from lotsen.people.models import Person, Protection

    if not getattr(user, "is_authenticated", False) or Action.VIEW_PERSON not in _actions(user):
        return Person.objects.none()
    if may_view_protected(user):
        return Person.objects.all()
    emergency = active_emergency_accesses(user).values("person_id")
    return Person.objects.filter(Q(protection=Protection.NONE) | Q(pk__in=emergency))


def can(user: Any, action: Action | str, obj: Any = None) -> bool:
    action = Action(action)
    if not getattr(user, "is_authenticated", False):
        return False
    actions = _actions(user)
    if action == Action.VIEW_PERSON:
        if action not in actions:
            return False
        return obj is None or visible_persons(user).filter(pk=obj.pk).exists()
    if action == Action.REVIEW_ACCESS_LOG_OWN_UNITS:
        return action in actions or Action.REVIEW_ACCESS_LOG in actions
    return action in actions


def emergency_access_for(user: Any, person: Person) -> EmergencyAccess | None:
    """The active emergency access through which the user sees this person, if that is the only way."""
    from lotsen.people.models import Protection

    if person.protection == Protection.NONE or may_view_protected(user):
        return None
    return active_emergency_accesses(user).filter(person=person).order_by("-granted_at").first()


def log_review_units(user: Any) -> set[int] | None:
    """Units whose access log the user may review; None means every unit."""
    actions = _actions(user)
    if Action.REVIEW_ACCESS_LOG in actions:
        return None
    if Action.REVIEW_ACCESS_LOG_OWN_UNITS in actions:
        return unit_ids(user, role=Role.UNIT_MANAGER)
    return set()


# --- cases ----------------------------------------------------------------------------------------------

# Roles that handle individual cases in their units.
CASE_ROLES = {Role.CASEWORKER, Role.TEAM_LEAD, Role.UNIT_MANAGER}
# Roles that lead a unit's work: assign, transfer, decide extensions.
LEAD_ROLES = {Role.TEAM_LEAD, Role.UNIT_MANAGER}
ROLE_RANK: dict[str, int] = {
    Role.CASEWORKER: 1,
    Role.TEAM_LEAD: 2,
    Role.UNIT_MANAGER: 3,
    Role.HEAD_OF_SOCIAL_SERVICES: 4,
}


def case_unit_ids(user: Any) -> set[int]:
    return {m.unit_id for m in memberships_of(user) if m.role in CASE_ROLES}


def sees_all_units(user: Any) -> bool:
    return Role.HEAD_OF_SOCIAL_SERVICES in roles(user)


def visible_cases(user: Any) -> QuerySet[Any]:
    """Cases a user may open (R-SEK-2): cases of their units and cases assigned to them; the head of social
    services sees every unit; emergency access opens the subject's cases. A protected subject additionally
    needs `can_view_protected` in the case's unit (or emergency access)."""
    from lotsen.cases.models import Case
    from lotsen.people.models import Protection

    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    emergency = active_emergency_accesses(user).values("person_id")
    if sees_all_units(user):
        base = Q()
        protected_ok = Q() if may_view_protected(user) else Q(subject_id__in=emergency)
    else:
        units = case_unit_ids(user)
        if not units and not Case.objects.filter(assignee=user).exists():
            base = Q(subject_id__in=emergency)
        else:
            base = Q(unit_id__in=units) | Q(assignee=user) | Q(subject_id__in=emergency)
        protected_units = {m.unit_id for m in memberships_of(user) if m.can_view_protected and m.role in CASE_ROLES}
        protected_ok = Q(unit_id__in=protected_units) | Q(subject_id__in=emergency)
    return Case.objects.filter(base).filter(Q(subject__protection=Protection.NONE) | protected_ok)


def can_work_on_case(user: Any, case: Any) -> bool:
    """Write access: a case role in the case's unit, or being its assignee."""
    if not getattr(user, "is_authenticated", False):
        return False
    if case.assignee_id == user.pk:
        return True
    return case.unit_id in case_unit_ids(user) and visible_cases(user).filter(pk=case.pk).exists()


def can_lead_unit(user: Any, unit_id: int) -> bool:
    return any(m.unit_id == unit_id and m.role in LEAD_ROLES for m in memberships_of(user))


def role_rank_in_unit(user: Any, unit_id: int) -> int:
    best = 0
    for m in memberships_of(user):
        if m.unit_id == unit_id or m.role == Role.HEAD_OF_SOCIAL_SERVICES:
            best = max(best, ROLE_RANK.get(m.role, 0))
    return best
