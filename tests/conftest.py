from __future__ import annotations

import os

import pytest

from lotsen.accounts.models import Role
from tests.factories import MembershipFactory, UnitFactory

# Playwright's sync API runs an event loop in the test thread; Django's async-safety check would refuse
# the ORM calls the tests make beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def unit(db):
    return UnitFactory(name="Mottagning barn och unga")


@pytest.fixture
def other_unit(db):
    return UnitFactory(name="Vuxenenheten")


def _member(unit, role, **kwargs):
    return MembershipFactory(unit=unit, role=role, **kwargs).user


@pytest.fixture
def caseworker(unit):
    return _member(unit, Role.CASEWORKER)


@pytest.fixture
def unit_manager(unit):
    return _member(unit, Role.UNIT_MANAGER, can_view_protected=True)


@pytest.fixture
def system_admin(db):
    return _member(UnitFactory(name="Socialförvaltningen"), Role.SYSTEM_ADMIN)


@pytest.fixture
def auditor(db):
    return _member(UnitFactory(name="Revision"), Role.AUDITOR)


@pytest.fixture
def login(client):
    """Logs a user in through the real login form (demo mode: no 2FA for demo accounts)."""

    def _login(user, password="test-password-123"):
        response = client.post("/konto/logga-in/", {"username": user.username, "password": password})
        assert response.status_code == 302, response.content[:500]
        return client

    return _login


@pytest.fixture
def delegation(db):
    """The default delegationsordning (lotsen.cases.delegation.DEFAULT_RULES), active from 2020."""
    import datetime as dt

    from lotsen.cases.delegation import install_default_scheme

    return install_default_scheme(valid_from=dt.date(2020, 1, 1))


@pytest.fixture
def team_lead(unit):
    return _member(unit, Role.TEAM_LEAD, can_view_protected=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test users need no real PBKDF2 work factor; production keeps Django's default hashers."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
