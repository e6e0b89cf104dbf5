"""Login with TOTP two-factor authentication, logout, account page and unit switcher."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotsen.accounts.forms import LoginForm, SwitchUnitForm, TokenForm
from lotsen.accounts.units import memberships, switch_unit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        user = form.get_user()
        # Demo accounts skip 2FA only while the demo setting is on; never in production (config.env).
        self.request.session["demo_login"] = bool(settings.LOTSEN_DEMO_LOGIN and user.demo_account)
        return response

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["demo_login"] = settings.LOTSEN_DEMO_LOGIN
        return context


login_view = login_not_required(LoginView.as_view())


def logout_view(request: HttpRequest) -> HttpResponse:
    return auth_views.LogoutView.as_view(next_page="accounts:login")(request)


def otp_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(request.GET.get("next") or settings.LOGIN_REDIRECT_URL)
        form.add_error("token", _("The code is not correct. Enter the code your app shows now"))
    return render(request, "accounts/otp_verify.html", {"form": form}, status=422 if form.errors else 200)


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def otp_setup(request: HttpRequest) -> HttpResponse:
    """First login outside the demo: register a TOTP app, confirm with one code."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Autentiseringsapp"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is set up."))
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error("token", _("The code is not correct. Enter the code your app shows now"))
    secret = base64.b32encode(device.bin_key).decode()
    context = {"form": form, "secret": secret, "qr_svg": _qr_svg(device.config_url)}
    return render(request, "accounts/otp_setup.html", context, status=422 if form.errors else 200)


def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {"memberships": memberships(request)})


def switch_unit_view(request: HttpRequest) -> HttpResponse:
    items = memberships(request)
    choices = list({m.unit_id: (m.unit_id, f"{m.unit.name} ({m.get_role_display()})") for m in items}.values())
    form = SwitchUnitForm(request.POST or None, choices=choices, initial={"unit": request.session.get("unit_id")})
    if request.method == "POST" and form.is_valid() and switch_unit(request, form.cleaned_data["unit"]):
        messages.success(request, _("You now work in %(unit)s.") % {"unit": dict(choices)[form.cleaned_data["unit"]]})
        return redirect("core:start")
    return render(request, "accounts/switch_unit.html", {"form": form}, status=422 if form.errors else 200)
