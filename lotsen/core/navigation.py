"""Primary navigation per role (UI.md 2.2). A user with several roles gets the union, in this order,
at most six items."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotsen.accounts.models import Role
from lotsen.core.models import UnitKind as K

R = Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    # Other view names (or "namespace:" prefixes) under which this item is the current one.
    also: tuple[str, ...] = ()
    # When set, only memberships in units of these kinds give the item (e.g. EB vs barn och unga).
    unit_kinds: frozenset[str] | None = None

    def is_current(self, view_name: str) -> bool:
        return view_name == self.url_name or any(
            view_name.startswith(p) if p.endswith(":") else view_name == p for p in self.also
        )


def _roles(*roles: str) -> frozenset[str]:
    return frozenset(roles)


CASEWORK_UNITS = frozenset({K.RECEPTION, K.CHILD_INVESTIGATION, K.ADULT, K.PLACEMENT, K.OPEN_CARE, K.FAMILY_CENTRE})
CHILD_UNITS = frozenset({K.RECEPTION, K.CHILD_INVESTIGATION})


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Unit overview"), "cases:unit_board", _roles(R.TEAM_LEAD, R.UNIT_MANAGER), ("cases:unit_deadlines",)),
    NavItem(_("Unassigned"), "cases:queue", _roles(R.TEAM_LEAD)),
    NavItem(_("To decide"), "cases:to_decide", _roles(R.TEAM_LEAD, R.UNIT_MANAGER, R.BOARD_SECRETARY)),
    NavItem(_("My cases"), "cases:my_cases", _roles(R.CASEWORKER, R.TEAM_LEAD), ("reminders:",)),
    NavItem(
        _("Applications"),
        "assistance:applications",
        _roles(R.CASEWORKER, R.TEAM_LEAD),
        ("assistance:",),
        frozenset({K.ASSISTANCE}),
    ),
    NavItem(_("To sign"), "journal:drafts", _roles(R.CASEWORKER), (), CASEWORK_UNITS),
    NavItem(_("Register"), "children:register", _roles(R.CASEWORKER, R.TEAM_LEAD), ("children:register",), CHILD_UNITS),
    NavItem(_("Register"), "adults:register", _roles(R.CASEWORKER, R.TEAM_LEAD), (), frozenset({K.ADULT})),
    NavItem(
        _("Delegation decisions"),
        "cases:delegation_report",
        _roles(R.BOARD_SECRETARY, R.HEAD_OF_SOCIAL_SERVICES, R.AUDITOR),
        ("cases:delegation_report_pdf",),
    ),
    NavItem(_("Meetings"), "board:meetings", _roles(R.BOARD_SECRETARY)),
    NavItem(_("Not executed"), "interventions:unexecuted", _roles(R.UNIT_MANAGER, R.HEAD_OF_SOCIAL_SERVICES)),
    NavItem(_("Payments"), "payments:index", _roles(R.FINANCE_OFFICER), ("payments:",)),
    NavItem(
        _("Payments"), "payments:index", _roles(R.CASEWORKER, R.TEAM_LEAD), ("payments:",), frozenset({K.ASSISTANCE})
    ),
    NavItem(
        _("Search person"),
        "people:search",
        _roles(R.CASEWORKER, R.TEAM_LEAD, R.UNIT_MANAGER, R.HEAD_OF_SOCIAL_SERVICES),
        ("people:",),
    ),
    NavItem(
        _("Access log review"),
        "audit:review",
        _roles(R.UNIT_MANAGER, R.HEAD_OF_SOCIAL_SERVICES, R.SYSTEM_ADMIN, R.AUDITOR),
        ("audit:",),
    ),
    NavItem(
        _("Delegation scheme"),
        "cases:delegation_admin",
        _roles(R.SYSTEM_ADMIN),
        (
            "cases:delegation_scheme",
            "cases:delegation_draft_create",
            "cases:delegation_rule_add",
            "cases:delegation_rule_edit",
            "cases:delegation_rule_delete",
            "cases:delegation_activate",
        ),
    ),
    NavItem(_("Automation rules"), "assistance:automation_rules", _roles(R.SYSTEM_ADMIN)),
    NavItem(_("Norm amounts"), "assistance:tables", _roles(R.SYSTEM_ADMIN)),
    NavItem(
        _("Long-term assistance"),
        "assistance:long_term",
        _roles(R.TEAM_LEAD, R.UNIT_MANAGER),
        ("assistance:automation_share",),
        frozenset({K.ASSISTANCE}),
    ),
    NavItem(_("Start"), "core:start", frozenset(Role.values)),
]
MAX_ITEMS = 6


def applies(item: NavItem, grants: set[tuple[str, str]]) -> bool:
    """`grants` are the user's (role, unit kind) pairs from active memberships."""
    return any(role in item.roles and (item.unit_kinds is None or kind in item.unit_kinds) for role, kind in grants)
