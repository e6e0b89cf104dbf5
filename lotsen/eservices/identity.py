"""Citizen identity for the e-service, kept apart from staff logins.

A citizen is not a staff ``User``: after a successful e-legitimation the session holds a ``CitizenIdentity``
(personnummer → ``people.Person``, the method and the time). An ``IdentityProvider`` does the
identification: ``begin`` starts it (a page, or a redirect to the identity broker) and ``complete`` turns
the answer into a ``CitizenIdentity``. The demo provider is a personnummer picker, available only while
``LOTSEN_DEMO_LOGIN`` is on (never in production, ``config.env``); a BankID provider (through the
municipality's e-legitimation broker, e.g. OIDC or SAML) implements the same two methods.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import pgettext

SESSION_KEY = "citizen_identity"


class IdentityError(Exception):
    """Identification failed; ``message`` is Swedish and safe to show."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class CitizenIdentity:
    person_id: int
    personnummer: str  # 12 digits
    method: str  # "demo" | "bankid"
    authenticated_at: str  # ISO 8601

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> CitizenIdentity:
        return cls(**{k: data[k] for k in ("person_id", "personnummer", "method", "authenticated_at")})


class IdentityProvider(Protocol):
    method: str

    def complete(self, request: HttpRequest, **data: Any) -> CitizenIdentity: ...


def _person_for(personnummer: str) -> Any:
    from lotsen.people.models import Person

    person = Person.objects.filter(pnr=personnummer, deceased_on__isnull=True).first()
    if person is None:
        raise IdentityError(
            pgettext("eservices", "There is no person with that personal identity number in the population register"),
            field="pnr",
        )
    age = person.age_on(timezone.localdate())
    if age is not None and age < 18:
        raise IdentityError(pgettext("eservices", "You must be 18 to use the e-service"), field="pnr")
    return person


class DemoProvider:
    """Demo only: "log in" by choosing a personnummer of the synthetic population."""

    method = "demo"

    def complete(self, request: HttpRequest, **data: Any) -> CitizenIdentity:
        from lotsen.people.personnummer import InvalidIdentityNumber, parse

        if not settings.LOTSEN_DEMO_LOGIN:
            raise IdentityError(
                pgettext("eservices", "Logging in with a personal identity number only exists in the demo")
            )
        try:
            number = parse(str(data.get("pnr", "")), today=timezone.localdate())
        except InvalidIdentityNumber as exc:
            raise IdentityError(exc.message_sv, field="pnr") from exc
        person = _person_for(number.normalized)
        return CitizenIdentity(person.pk, number.normalized, self.method, timezone.now().isoformat())


def provider() -> IdentityProvider | None:
    """The configured identity provider; None when e-legitimation is not set up (BankID needs a broker)."""
    return DemoProvider() if settings.LOTSEN_DEMO_LOGIN else None


def login(request: HttpRequest, identity: CitizenIdentity) -> None:
    """A new session key at login (no session fixation); staff session data is not touched."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = asdict(identity)


def logout(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def current(request: HttpRequest) -> CitizenIdentity | None:
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    try:
        return CitizenIdentity.from_session(data)
    except (KeyError, TypeError):
        return None


def citizen_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Citizen pages: no staff login needed, a citizen identity is. Sets ``request.citizen`` (the
    identity) and ``request.citizen_person`` (the ``Person``)."""

    @login_not_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        from lotsen.people.models import Person

        identity = current(request)
        person = Person.objects.filter(pk=identity.person_id).first() if identity else None
        if identity is None or person is None or person.pnr != identity.personnummer:
            request.session.pop(SESSION_KEY, None)
            return redirect("eservices:login")
        request.citizen = identity  # type: ignore[attr-defined]
        request.citizen_person = person  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped
