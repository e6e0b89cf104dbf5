"""Context for the page shell: header, navigation, unit switcher, environment banner."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from lotsen.core import navigation


def _nav(user: Any, current_view: str) -> list[dict[str, Any]]:
    from lotsen.policies.access import memberships_of

    grants = {(m.role, m.unit.kind) for m in memberships_of(user)}
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in navigation.NAV_ITEMS:
        if not navigation.applies(item, grants) or item.label in seen:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # the page belongs to a module not installed in this build
            continue
        seen.add(str(item.label))
        items.append({"label": item.label, "url": url, "current": item.is_current(current_view)})
    return items[: navigation.MAX_ITEMS]


def shell(request: HttpRequest) -> dict[str, Any]:
    from lotsen.accounts.units import current_membership, memberships

    context: dict[str, Any] = {
        "municipality_name": settings.LOTSEN_MUNICIPALITY_NAME,
        "lotsen_version": settings.LOTSEN_VERSION,
        "environment_banner": None if settings.LOTSEN_ENV == "production" else settings.LOTSEN_ENV,
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    current = current_membership(request)
    match = getattr(request, "resolver_match", None)
    current_view = match.view_name if match else ""
    context.update(
        {
            "current_membership": current,
            "user_memberships": memberships(request),
            "nav_items": _nav(user, current_view),
        }
    )
    return context
