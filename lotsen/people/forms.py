from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotsen.core.forms import GovukForm


class PersonSearchForm(GovukForm):
    query = forms.CharField(
        label=_("Personal identity number or name"),
        max_length=100,
        error_messages={"required": _("Enter a personal identity number or a name")},
    )
    hints = {"query": _("For example 19121212-1212, or Andersson Anna 1985")}
    widths = {"query": "govuk-!-width-two-thirds"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["query"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})


class EmergencyAccessForm(GovukForm):
    pnr = forms.CharField(
        label=_("Personal identity number"),
        max_length=13,
        error_messages={"required": _("Enter the personal identity number")},
    )
    reason = forms.CharField(
        label=_("Why do you need access now?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Enter why you need emergency access")},
    )
    hints = {
        "pnr": _("For example 19121212-1212"),
        "reason": _("The reason is logged and shown to those who review the access log."),
    }
    widths = {"pnr": "govuk-input--width-20"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pnr"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})


class RevealForm(GovukForm):
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=200,
        error_messages={"required": _("Enter why you need to see the full number")},
    )
