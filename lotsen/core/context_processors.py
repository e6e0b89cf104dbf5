"""Context for the page shell: header, navigation, unit switcher, environment banner."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from lotsen.core import navigation


def shell(request: HttpRequest) -> dict[str, Any]:
    from lotsen.accounts.units import current_membership, memberships
    from lotsen.policies.access import roles

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
            "nav_items": [
                {
                    "label": item.label,
                    "url": reverse(item.url_name),
                    "current": current_view == item.url_name
                    or current_view.split(":")[0] == item.url_name.split(":")[0] != "core",
                }
                for item in navigation.items_for(roles(user))
            ],
        }
    )
    return context
