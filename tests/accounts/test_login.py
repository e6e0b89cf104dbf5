from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pydantic import ValidationError

from config.env import DEMO_SECRET_KEY, Settings
from lotsen.accounts.models import Role
from tests.factories import MembershipFactory

PASSWORD = "test-password-123"


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_demo_user_logs_in_without_2fa_when_demo_setting_is_on(client):
    user = MembershipFactory(role=Role.CASEWORKER).user
    response = client.post("/konto/logga-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    start = client.get("/")
    assert start.status_code == 200
    assert "Välkommen" in start.content.decode()


@pytest.mark.django_db
@override_settings(LOTSEN_DEMO_LOGIN=False)
def test_two_factor_is_required_when_demo_setting_is_off(client):
    user = MembershipFactory(role=Role.CASEWORKER).user
    client.post("/konto/logga-in/", {"username": user.username, "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/konto/tvafaktor/ny/"
    assert client.get("/personer/sok/")["Location"] == "/konto/tvafaktor/ny/"
    setup = client.get("/konto/tvafaktor/ny/")
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=user)
    wrong = client.post("/konto/tvafaktor/ny/", {"token": "000000" if _token(device) != "000000" else "111111"})
    assert wrong.status_code == 422
    # django-otp throttles after a failure (1 s, doubling): try again a little later.
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        device.refresh_from_db()
        ok = client.post("/konto/tvafaktor/ny/", {"token": _token(device)})
    assert ok.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@override_settings(LOTSEN_DEMO_LOGIN=False)
def test_registered_device_is_asked_for_at_next_login(client):
    user = MembershipFactory(role=Role.CASEWORKER).user
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post("/konto/logga-in/", {"username": user.username, "password": PASSWORD})
    assert client.get("/")["Location"] == "/konto/tvafaktor/"
    assert client.post("/konto/tvafaktor/", {"token": "12"}).status_code == 422
    assert client.post("/konto/tvafaktor/", {"token": _token(device)}).status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_lockout_after_repeated_failures(client, settings):
    user = MembershipFactory(role=Role.CASEWORKER).user
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/konto/logga-in/", {"username": user.username, "password": "wrong-password"})
    assert response.status_code in (403, 429)
    assert "För många misslyckade" in response.content.decode()
    locked = client.post("/konto/logga-in/", {"username": user.username, "password": PASSWORD})
    assert locked.status_code in (403, 429)


@pytest.mark.django_db
def test_wrong_password_gives_a_swedish_error(client):
    user = MembershipFactory(role=Role.CASEWORKER).user
    response = client.post("/konto/logga-in/", {"username": user.username, "password": "fel"})
    assert response.status_code == 200
    assert "Ange rätt användarnamn och lösenord" in response.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post(client, login):
    user = MembershipFactory(role=Role.CASEWORKER).user
    login(user)
    assert client.post("/konto/logga-ut/").status_code == 302
    assert client.get("/").status_code == 302


def test_production_refuses_demo_secrets(monkeypatch):
    monkeypatch.setenv("LOTSEN_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/lotsen")
    monkeypatch.setenv("LOTSEN_DEMO_LOGIN", "false")
    monkeypatch.setenv("SECRET_KEY", DEMO_SECRET_KEY)
    with pytest.raises((ValidationError, ValueError), match="SECRET_KEY"):
        Settings()
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("LOTSEN_DEMO_LOGIN", "true")
    with pytest.raises((ValidationError, ValueError), match="DEMO_LOGIN"):
        Settings()
    monkeypatch.setenv("LOTSEN_DEMO_LOGIN", "false")
    assert Settings().is_production


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/konto/logga-in/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_unit_switcher_changes_current_unit_only_among_own_units(client, login):
    membership = MembershipFactory(role=Role.CASEWORKER)
    second = MembershipFactory(user=membership.user, role=Role.TEAM_LEAD)
    login(membership.user)
    assert client.post("/konto/byt-enhet/", {"unit": second.unit_id}).status_code == 302
    assert second.unit.name in client.get("/").content.decode()
    assert client.post("/konto/byt-enhet/", {"unit": 999999}).status_code == 422
