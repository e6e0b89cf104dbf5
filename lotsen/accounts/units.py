"""The current unit (organisation navigation). It sets default lists and the registering unit, never
access: that is `policies`."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from lotsen.accounts.models import Membership, User
from lotsen.policies.access import memberships_of

SESSION_KEY = "unit_id"


def memberships(request: HttpRequest) -> list[Membership]:
    if not request.user.is_authenticated:
        return []
    return memberships_of(request.user)


def current_membership(request: HttpRequest) -> Membership | None:
    items = memberships(request)
    if not items:
        return None
    unit_id = request.session.get(SESSION_KEY)
    for m in items:
        if m.unit_id == unit_id:
            return m
    request.session[SESSION_KEY] = items[0].unit_id
    return items[0]


def switch_unit(request: HttpRequest, unit_id: int) -> bool:
    if any(m.unit_id == unit_id for m in memberships(request)):
        request.session[SESSION_KEY] = unit_id
        return True
    return False


def staff_user(request: HttpRequest) -> User:
    """The logged-in staff user. Every staff view runs behind LoginRequiredMiddleware, so `request.user` is a
    `User` there; this states it once instead of a cast (or a type-ignore) in every view."""
    return cast("User", request.user)
