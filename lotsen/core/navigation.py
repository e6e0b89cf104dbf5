"""Primary navigation per role (UI.md 2.2). A user with several roles gets the union, in this order,
at most six items. Items are added here as their pages exist."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotsen.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]


ALL_STAFF = frozenset(Role.values)
NAV_ITEMS: list[NavItem] = [
    NavItem(_("Start"), "core:start", ALL_STAFF),
    NavItem(
        _("Search person"),
        "people:search",
        frozenset({Role.CASEWORKER, Role.TEAM_LEAD, Role.UNIT_MANAGER, Role.HEAD_OF_SOCIAL_SERVICES}),
    ),
    NavItem(
        _("Access log review"),
        "audit:review",
        frozenset({Role.UNIT_MANAGER, Role.HEAD_OF_SOCIAL_SERVICES, Role.SYSTEM_ADMIN, Role.AUDITOR}),
    ),
]
MAX_ITEMS = 6


def items_for(roles: set[str]) -> list[NavItem]:
    return [item for item in NAV_ITEMS if item.roles & roles][:MAX_ITEMS]
