"""Forms of the children's pages. GOV.UK markup through `lotsen.core.forms`; date inputs (År – Månad – Dag,
UI.md 3.2) and radios with conditional questions are printed by this app's partials. Error messages follow
UI.md 6.4: the same sentence in the summary and at the field."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lotsen.cases.models import MANDATED_CATEGORIES, Channel, ExtensionReason, ReporterCategory
from lotsen.children.models import NeedRating
from lotsen.core.forms import GovukForm

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})\s*[:.]?\s*(\d{2})\s*$")
TEXT_LIMIT = 20_000


class GovukDateWidget(forms.MultiWidget):
    """Three text inputs named `<name>_year`, `<name>_month`, `<name>_day` (printed by
    `children/partials/date_field.html`)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"year": forms.TextInput, "month": forms.TextInput, "day": forms.TextInput}, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.year, value.month, value.day]
        return [None, None, None]


class GovukDateField(forms.Field):
    """A date from the three fields; the year field also takes a whole ISO date ("2026-03-16")."""

    widget = GovukDateWidget

    def __init__(self, *, what: str, allow_future: bool = False, **kwargs: Any) -> None:
        self.what = what  # "datum då anmälan kom in"
        self.allow_future = allow_future
        kwargs.setdefault("error_messages", {"required": f"Ange {what}"})
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        parts = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])]
        year, month, day = [*parts, "", "", ""][:3]
        match = _ISO.match(year)
        if match and not month and not day:
            year, month, day = match.groups()
        if not (year or month or day):
            return None
        what = self.what[0].upper() + self.what[1:]
        if not (year and month and day):
            raise ValidationError(f"{what} måste innehålla år, månad och dag")
        try:
            result = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{what} måste vara ett riktigt datum") from None
        if len(year) != 4:
            raise ValidationError(f"{what} måste vara ett riktigt datum")
        return result

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not self.allow_future and value > timezone.localdate():
            what = self.what[0].upper() + self.what[1:]
            raise ValidationError(f"{what} kan inte vara senare än i dag")


def parse_time(text: str) -> time | None:
    match = _TIME.match(text or "")
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _textarea(rows: int = 6) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- page 6: register a report ----------------------------------------------------------------------------

# Radio labels in sentence case (UI.md 6.3); the code lists keep their lower-case labels for running text.
REGISTRABLE_CATEGORIES = [
    (v, capfirst(label)) for v, label in ReporterCategory.choices if v != ReporterCategory.ANONYMOUS
]
CHANNELS = [(v, capfirst(label)) for v, label in Channel.choices]
MAX_CHILDREN = 10


class ReportRegisterForm(GovukForm):
    """Registrera aktualisering: an orosanmälan about one or more children."""

    unit = forms.TypedChoiceField(
        label=_("Registering unit"),
        widget=forms.RadioSelect,
        coerce=int,
        error_messages={"required": _("Choose the unit that registers the report")},
    )
    received_on = GovukDateField(label=_("Date the report came in"), what="datum då anmälan kom in")
    received_time = forms.CharField(
        label=_("Time the report came in"),
        max_length=5,
        error_messages={"required": _("Enter the time the report came in")},
    )
    channel = forms.ChoiceField(
        label=_("How did the report come in?"),
        choices=CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the report came in")},
    )
    reporter_category = forms.ChoiceField(
        label=_("Who made the report?"),
        choices=REGISTRABLE_CATEGORIES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who made the report")},
    )
    anonymous = forms.BooleanField(label=_("The reporter wants to be anonymous"), required=False)
    form_key = forms.UUIDField(widget=forms.HiddenInput, required=False)  # idempotency key (UI.md 1.4)
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=200, required=False)
    reporter_organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    reporter_contact = forms.CharField(label=_("Phone number or e-mail"), max_length=200, required=False)
    wants_feedback = forms.BooleanField(label=_("The reporter wants to know what happens"), required=False)
    content = forms.CharField(
        label=_("What is the report about?"),
        widget=_textarea(8),
        max_length=TEXT_LIMIT,
        error_messages={
            "required": _("Write what the report is about"),
            "max_length": _("The report can be at most 20,000 characters"),
        },
    )
    hints = {
        "received_time": _("For example 14:05"),
        "anonymous": _("Only a private person or a relative can be anonymous."),
        "reporter_name": _("Leave empty if the reporter is anonymous."),
        "reporter_organisation": _("Required for reporters with a duty to report, for example the school's name."),
        "wants_feedback": _(
            "Only for reporters with a duty to report. They are told whether an investigation is opened, "
            "not opened or already ongoing – nothing else."
        ),
        "content": _("Write what the reporter said or wrote. Attach documents under Documents in the case."),
    }
    widths = {
        "received_time": "govuk-input--width-5",
        "reporter_name": "govuk-!-width-two-thirds",
        "reporter_organisation": "govuk-!-width-two-thirds",
        "reporter_contact": "govuk-!-width-two-thirds",
    }

    def __init__(self, *args: Any, units: list[Any], child_count: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        cast(forms.ChoiceField, self.fields["unit"]).choices = [(u.pk, u.name) for u in units]
        if len(units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = units[0].pk
            self.fields["unit"].required = False
        self.fields["received_time"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.child_count = max(1, min(child_count, MAX_CHILDREN))
        for i in range(self.child_count):
            label = _("Child's personal identity number") if i == 0 else f"Personnummer för barn {i + 1}"
            self.fields[f"child_{i}"] = forms.CharField(
                label=label,
                max_length=20,
                required=i == 0,
                error_messages={"required": "Ange barnets personnummer"},
                help_text=_("For example 20120312-1234") if i == 0 else "",
                widget=forms.TextInput(
                    attrs={
                        "class": "govuk-input govuk-input--width-20",
                        "inputmode": "numeric",
                        "autocomplete": "off",
                        "spellcheck": "false",
                    }
                ),
            )
        self.order_fields(
            [
                "unit",
                "received_on",
                "received_time",
                "channel",
                *[f"child_{i}" for i in range(self.child_count)],
                "reporter_category",
                "anonymous",
                "reporter_name",
                "reporter_organisation",
                "reporter_contact",
                "wants_feedback",
                "content",
            ]
        )

    def child_fields(self) -> list[forms.BoundField]:
        return [self[f"child_{i}"] for i in range(self.child_count)]

    def clean_unit(self) -> int:
        value = self.cleaned_data.get("unit")
        if value is None or value == "":
            if len(self.units) == 1:
                return int(self.units[0].pk)
            raise ValidationError(_("Choose the unit that registers the report"))
        return int(value)

    def clean_received_time(self) -> time:
        value = parse_time(self.cleaned_data["received_time"])
        if value is None:
            raise ValidationError(_("Write the time as hours and minutes, for example 14:05"))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        category = data.get("reporter_category")
        mandated = category in MANDATED_CATEGORIES
        if data.get("anonymous"):
            if category and category not in (ReporterCategory.PRIVATE, ReporterCategory.RELATIVE):
                self.add_error(
                    "anonymous",
                    "Bara en privatperson kan vara anonym. Välj privatperson eller anhörig, eller ta bort markeringen",
                )
            if data.get("reporter_name") or data.get("reporter_contact"):
                self.add_error("reporter_name", "Lämna namn och kontaktuppgifter tomma när anmälaren är anonym")
        elif category and not data.get("reporter_name", "").strip():
            self.add_error("reporter_name", "Ange anmälarens namn")
        if category and mandated and not data.get("reporter_organisation", "").strip():
            self.add_error("reporter_organisation", "Ange anmälarens organisation")
        if data.get("wants_feedback") and category and not mandated:
            self.add_error(
                "wants_feedback",
                "Bara anmälningsskyldiga kan begära återkoppling. Ta bort markeringen eller välj en annan kategori",
            )
        received_on, received_time = data.get("received_on"), data.get("received_time")
        if received_on and received_time:
            received_at = timezone.make_aware(datetime.combine(received_on, received_time))
            if received_at > timezone.now():
                self.add_error("received_time", "Tidpunkten då anmälan kom in kan inte vara senare än nu")
            data["received_at"] = received_at
        return data


# --- page 7: immediate protection assessment ---------------------------------------------------------------

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ProtectionAssessmentForm(GovukForm):
    needs_protection = forms.ChoiceField(
        label=_("Does the child need protection immediately?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the child needs protection immediately")},
    )
    measures = forms.CharField(
        label=_("What protective measures are taken?"),
        widget=_textarea(4),
        required=False,
        max_length=TEXT_LIMIT,
    )
    assessment = forms.CharField(
        label=_("Assessment"),
        widget=_textarea(8),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Write your assessment")},
    )
    hints = {
        "assessment": _("What in the report shows whether the child is at risk now, and what you have checked."),
    }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("needs_protection") == "yes" and not data.get("measures", "").strip():
            self.add_error("measures", _("Describe the protective measures that are taken"))
        return data


# --- page 8: pre-assessment -----------------------------------------------------------------------------------

OUTCOME_CHOICES = [
    ("utredning_inleds", pgettext_lazy("pre-assessment choice", "Open an investigation")),
    ("inleds_ej", pgettext_lazy("pre-assessment choice", "Do not open an investigation")),
    ("overlamnad", pgettext_lazy("pre-assessment choice", "Hand over to another municipality or authority")),
]


class PreAssessmentForm(GovukForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=OUTCOME_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether an investigation is to be opened")},
    )
    handed_over_to = forms.CharField(label=_("Handed over to"), max_length=200, required=False)
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=_textarea(8),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Write the reasons for the decision")},
    )
    child_heard = forms.ChoiceField(
        label=_("Has the child been heard?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the child has been heard")},
    )
    child_view = forms.CharField(
        label=_("The child's views, or why the child has not been heard"),
        widget=_textarea(4),
        max_length=TEXT_LIMIT,
        error_messages={"required": _("Write the child's views, or why the child has not been heard")},
    )
    hints = {
        "handed_over_to": _("For example Exempelby kommun, socialnämnden"),
        "reasons": _("What in the report and in what you found leads to the decision."),
    }
    widths = {"handed_over_to": "govuk-!-width-two-thirds"}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("outcome") == "overlamnad" and not data.get("handed_over_to", "").strip():
            self.add_error("handed_over_to", _("Enter the municipality or authority the case is handed over to"))
        return data


PRE_ASSESSMENT_REASONS = [(v, capfirst(label)) for v, label in ExtensionReason.choices]


class PreAssessmentExtensionForm(GovukForm):
    """R-FORH-2: synnerliga skäl; no code for workload or staffing."""

    new_due_on = GovukDateField(label=_("New last day"), what="ny sista dag", allow_future=True)
    reason_code = forms.ChoiceField(
        label=_("Exceptional reason"),
        choices=PRE_ASSESSMENT_REASONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason for the extension")},
    )
    reason_text = forms.CharField(label=_("Describe the reason"), widget=_textarea(4), required=False, max_length=5000)
    hints = {"reason_text": _("Required when you choose another reason.")}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("reason_code") == ExtensionReason.OTHER and not data.get("reason_text", "").strip():
            self.add_error("reason_text", _("Describe the reason for the extension"))
        return data


class InvestigationExtensionForm(GovukForm):
    """R-UTR-2: särskilda skäl, a definite end date."""

    new_due_on = GovukDateField(label=_("New last day"), what="ny sista dag", allow_future=True)
    reason_text = forms.CharField(
        label=_("Special reasons"),
        widget=_textarea(4),
        max_length=5000,
        error_messages={"required": _("Describe the special reasons for the extension")},
    )


# --- page 8: reporter feedback -------------------------------------------------------------------------------


class FeedbackSentForm(GovukForm):
    sent_on = GovukDateField(label=_("Date the information was sent"), what="datum då återkopplingen skickades")


# --- page 10: investigation ----------------------------------------------------------------------------------


class PlanForm(GovukForm):
    plan = forms.CharField(
        label=_("Investigation plan"),
        widget=_textarea(6),
        required=False,
        max_length=TEXT_LIMIT,
        error_messages={"max_length": _("The plan can be at most 20,000 characters")},
    )
    hints = {"plan": _("What is to be investigated, how, with whom and when.")}


class PartForm(GovukForm):
    text = forms.CharField(
        label=_("Text"),
        widget=_textarea(12),
        required=False,
        max_length=TEXT_LIMIT,
        error_messages={"max_length": _("The text can be at most 20,000 characters")},
    )
    rating = forms.ChoiceField(
        label=_("How large are the child's needs in this area?"),
        choices=NeedRating.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    sources = forms.CharField(
        label=_("Sources"),
        widget=_textarea(3),
        required=False,
        max_length=5000,
        error_messages={"max_length": _("The sources can be at most 5,000 characters")},
    )
    done = forms.BooleanField(label=_("The part is completed"), required=False)
    hints = {
        "sources": _("Who or what the information comes from, for example school, BVC, conversation with the child.")
    }

    def __init__(self, *args: Any, rated: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not rated:
            del self.fields["rating"]


class FreePartForm(GovukForm):
    title = forms.CharField(
        label=_("Heading of the new part"),
        max_length=200,
        error_messages={"required": _("Enter a heading for the part")},
    )
    widths = {"title": "govuk-!-width-two-thirds"}


# --- report register ----------------------------------------------------------------------------------------

PERIOD_CHOICES = [
    ("30", _("The last 30 days")),
    ("180", _("The last 6 months")),
    ("365", _("The last 12 months")),
    ("all", _("All")),
]


class RegisterFilterForm(GovukForm):
    period = forms.ChoiceField(label=_("Received"), choices=PERIOD_CHOICES, required=False, initial="180")
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)

    def __init__(self, *args: Any, outcome_choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [("", _("All outcomes")), *outcome_choices]


class RegisterSearchForm(GovukForm):
    pnr = forms.CharField(
        label=_("Child's personal identity number"),
        max_length=20,
        error_messages={"required": _("Enter the child's personal identity number")},
    )
    hints = {"pnr": _("For example 20120312-1234")}
    widths = {"pnr": "govuk-input--width-20"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pnr"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})
