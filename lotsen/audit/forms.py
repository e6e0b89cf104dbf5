from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotsen.audit.selectors import LogFilter, Selection
from lotsen.core.forms import GovukForm

SELECTION_CHOICES = [
    (Selection.ALL, _("All reads")),
    (Selection.PROTECTED, _("Protected persons")),
    (Selection.EMERGENCY, _("Emergency access")),
    (Selection.UNREVIEWED, _("Not reviewed")),
]

DATE_ERRORS = {"invalid": _("The date must be a real date, for example 2026-03-16")}


class LogFilterForm(GovukForm):
    date_from = forms.DateField(label=_("From date"), required=False, error_messages=DATE_ERRORS)
    date_to = forms.DateField(label=_("To date"), required=False, error_messages=DATE_ERRORS)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    selection = forms.ChoiceField(label=_("Selection"), choices=SELECTION_CHOICES, required=False)
    hints = {"date_from": _("For example 2026-03-01"), "date_to": _("For example 2026-03-31")}
    widths = {"date_from": "govuk-input--width-10", "date_to": "govuk-input--width-10"}

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units")), *units]  # type: ignore[attr-defined]
        for name in ("date_from", "date_to"):
            self.fields[name].widget.input_type = "text"
            self.fields[name].input_formats = ["%Y-%m-%d"]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The to date must be the same as or later than the from date"))
        return data

    def to_filter(self, **extra: Any) -> LogFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return LogFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            unit_id=data.get("unit"),
            selection=data.get("selection") or Selection.ALL,
            **extra,
        )


class PersonLookupForm(GovukForm):
    pnr = forms.CharField(
        label=_("Personal identity number"),
        max_length=13,
        error_messages={"required": _("Enter the personal identity number")},
    )
    hints = {"pnr": _("For example 19121212-1212")}
    widths = {"pnr": "govuk-input--width-20"}


class ReviewForm(GovukForm):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
