"""The case page's sections (UI.md 2.3), in fixed order. A section appears when its page exists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    url_name: str
    processes: frozenset[str] | None = None  # None: every process


SOCIAL = frozenset({"child", "adult"})
ASSISTANCE = frozenset({"assistance"})


SECTIONS = [
    Section("overview", _("Overview"), "cases:detail"),
    Section("journal", _("Journal"), "journal:list"),
    Section("investigation", _("Investigation"), "children:investigation", SOCIAL),
    Section("decisions", _("Decisions"), "cases:decisions"),
    Section("interventions", _("Interventions"), "interventions:list", SOCIAL),
    Section("applications", _("Applications"), "assistance:case", ASSISTANCE),
    Section("payments", _("Payments"), "payments:case", ASSISTANCE),
    Section("documents", _("Documents"), "journal:documents"),
    Section("events", _("Events"), "cases:events"),
]


def sections_for(case_id: int, current: str, process: str | None = None) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    for section in SECTIONS:
        if process is not None and section.processes is not None and process not in section.processes:
            continue
        try:
            url = reverse(section.url_name, kwargs={"case_id": case_id})
        except NoReverseMatch:
            continue
        items.append({"label": section.label, "url": url, "current": section.key == current})
    return items


ACTIONS = [
    (_("Write journal entry"), "journal:write"),
    (_("Prepare decision"), "cases:decision_prepare"),
    (_("Move case"), "cases:transfer"),
    (_("Close case"), "cases:close"),
]


def actions_for(case: Any, user: Any) -> list[dict[str, object]]:
    """The case header's "Åtgärder": only for users who may work on the case, never on a closed one."""
    from lotsen.policies.access import can_work_on_case

    items: list[dict[str, object]] = []
    if case.status == "closed" or not can_work_on_case(user, case):
        return items
    for label, url_name in ACTIONS:
        try:
            items.append({"label": label, "url": reverse(url_name, kwargs={"case_id": case.pk})})
        except NoReverseMatch:
            continue
    return items
