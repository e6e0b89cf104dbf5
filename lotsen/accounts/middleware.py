"""Two-factor enforcement: every role needs a verified TOTP device outside the demo."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

OTP_EXEMPT_URL_NAMES = {"accounts:otp_verify", "accounts:otp_setup", "accounts:logout"}


def two_factor_required(request: HttpRequest) -> bool:
    """Demo users skip 2FA only when the demo setting is on (never in production)."""
    return not (settings.LOTSEN_DEMO_LOGIN and request.session.get("demo_login"))


class OTPRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and two_factor_required(request)
            and not request.path.startswith("/static/")
        ):
            match = getattr(request, "resolver_match", None)
            exempt = {reverse(name) for name in OTP_EXEMPT_URL_NAMES}
            if request.path not in exempt and (match is None or match.view_name not in OTP_EXEMPT_URL_NAMES):
                from django_otp import devices_for_user

                target = "accounts:otp_verify" if any(devices_for_user(user)) else "accounts:otp_setup"
                return redirect(target)
        return self.get_response(request)
