from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lotsen.core.forms import GovukForm, GovukFormMixin


class LoginForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Enter a correct username and password. Both fields may be case-sensitive."),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].error_messages["required"] = _("Enter your username")
        self.fields["password"].label = _("Password")
        self.fields["password"].error_messages["required"] = _("Enter your password")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})


class TokenForm(GovukForm):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=6,
        min_length=6,
        error_messages={
            "required": _("Enter the 6-digit code from your authenticator app"),
            "min_length": _("The code must be 6 digits"),
            "max_length": _("The code must be 6 digits"),
        },
    )
    widths = {"token": "govuk-input--width-5"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": "false"}
        )


class SwitchUnitForm(GovukForm):
    unit = forms.TypedChoiceField(
        label=_("Unit"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a unit")},
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = choices  # type: ignore[attr-defined]
