"""Registrera ansökan eller anmälan (vuxen) and the decision whether a report leads to an investigation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lotsen.cases.models import Channel, ReporterCategory
from lotsen.core.forms import GovukForm
from lotsen.interventions.widgets import GovukDateField, TimeOfDayField

KIND_CHOICES = [
    ("ansokan", _("Application")),
    ("orosanmalan", _("Report")),
    ("ovrig", _("Other matter")),
]
AREA_CHOICES = [
    ("vuxen_missbruk", _("Substance abuse and addiction")),
    ("vinr", _("Domestic violence")),
    ("ovrigt", _("Other")),
]


class RegisterForm(GovukForm):
    pnr = forms.CharField(
        label=_("Personal identity number"),
        max_length=13,
        error_messages={"required": _("Enter the personal identity number")},
    )
    kind = forms.ChoiceField(
        label=_("What has come in?"),
        widget=forms.RadioSelect,
        choices=KIND_CHOICES,
        error_messages={"required": _("Choose what has come in")},
    )
    area = forms.ChoiceField(
        label=_("Which area does it concern?"),
        widget=forms.RadioSelect,
        choices=AREA_CHOICES,
        error_messages={"required": _("Choose which area it concerns")},
    )
    received_on = GovukDateField(
        label=_("Date the application or report came in"),
        error_messages={
            "required": _("Enter the date the application or report came in"),
            "invalid": _("The date the application or report came in must be a real date"),
        },
    )
    received_time = TimeOfDayField(
        label=_("Time of day"),
        error_messages={"required": _("Enter the time the application or report came in")},
    )
    channel = forms.ChoiceField(
        label=_("How did it come in?"),
        widget=forms.RadioSelect,
        choices=[(value, capfirst(label)) for value, label in Channel.choices],
        error_messages={"required": _("Choose how the application or report came in")},
    )
    reporter_category = forms.ChoiceField(
        label=_("Who made the report?"),
        required=False,
        choices=[("", _("Choose reporter"))]
        + [(v, capfirst(label)) for v, label in ReporterCategory.choices if v != ReporterCategory.SELF],
    )
    reporter_name = forms.CharField(label=_("Reporter's name (optional)"), required=False, max_length=200)
    reporter_organisation = forms.CharField(label=_("Organisation (optional)"), required=False, max_length=200)
    content = forms.CharField(
        label=_("What does the application or report concern?"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Describe what the application or report concerns"),
            "max_length": _("The text can be at most 10 000 characters"),
        },
    )
    hints = {
        "pnr": _("For example 19121212-1212"),
        "received_on": _(
            "The day it reached the social services, also when you register it later. For example 2026 3 16"
        ),
        "received_time": _("For example 14:05"),
        "reporter_category": _("Only for a report."),
    }
    widths = {
        "pnr": "govuk-input--width-20",
        "received_time": "govuk-input--width-5",
        "reporter_name": "govuk-!-width-two-thirds",
        "reporter_organisation": "govuk-!-width-two-thirds",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        now = timezone.localtime()
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("received_on", now.date())
        initial.setdefault("received_time", now.strftime("%H:%M"))
        super().__init__(*args, **kwargs)
        self.fields["pnr"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})


ASSESS_CHOICES = [("open", _("Yes, open an investigation")), ("not_open", _("No, do not open an investigation"))]


class AssessForm(GovukForm):
    decision = forms.ChoiceField(
        label=_("Shall an investigation be opened?"),
        widget=forms.RadioSelect,
        choices=ASSESS_CHOICES,
        error_messages={"required": _("Choose whether an investigation shall be opened")},
    )
    decided_on = GovukDateField(
        label=_("Date of the decision"),
        error_messages={
            "required": _("Enter the date of the decision"),
            "invalid": _("The date of the decision must be a real date"),
        },
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write the reasons for the decision"),
            "max_length": _("The reasons can be at most 4 000 characters"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("decided_on", timezone.localdate())
        super().__init__(*args, **kwargs)
