"""The GOV.UK date input (UI.md 3.2): three fields År – Månad – Dag named `<name>-year`, `-month`, `-day`,
in a fieldset with a legend. The year field also accepts a whole ISO date ("2026-03-16"), as pasted. The first
input carries the field's id, so the error summary's link lands in it."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})[:.]?(\d{2})\s*$")


class GovukDateInput(forms.Widget):
    template_name = "interventions/widgets/date_input.html"
    use_fieldset = True
    parts = (
        ("year", _("Year"), "govuk-input--width-4"),
        ("month", _("Month"), "govuk-input--width-2"),
        ("day", _("Day"), "govuk-input--width-2"),
    )

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, ...]:
        return tuple(str(data.get(f"{name}-{part}", "")) for part, _label, _width in self.parts)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part, _label, _width in self.parts)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if isinstance(value, date):
            values: tuple[str, ...] = (str(value.year), str(value.month), str(value.day))
        elif isinstance(value, tuple | list) and len(value) == len(self.parts):
            values = tuple(str(v) for v in value)
        else:
            values = ("", "", "")
        widget_attrs = context["widget"]["attrs"]
        base_id = widget_attrs.get("id") or f"id_{name}"
        error = widget_attrs.get("aria-invalid") == "true"
        context["widget"]["parts"] = [
            {
                "name": f"{name}-{part}",
                "id": base_id if index == 0 else f"{base_id}-{part}",
                "label": label,
                "value": values[index],
                "classes": width + (" govuk-input--error" if error else ""),
            }
            for index, (part, label, width) in enumerate(self.parts)
        ]
        return context

    def id_for_label(self, id_: str) -> str:
        return id_


class GovukDateField(forms.Field):
    """A date from the GOV.UK date input; `error_messages` "required" and "invalid" name the date, as in
    UI.md 6.4 ("Ange datum då …", "Datum då … måste vara ett riktigt datum")."""

    widget = GovukDateInput
    default_error_messages = {
        "required": _("Enter a date"),
        "invalid": _("The date must be a real date"),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("template_name", "interventions/forms/date_field.html")
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        if value in self.empty_values:
            return None
        parts = [str(p).strip() for p in value]
        if not any(parts):
            return None
        year, month, day = parts
        iso = _ISO.match(year)
        if iso and not month and not day:
            year, month, day = iso.groups()
        if not (re.fullmatch(r"\d{4}", year) and month.isdigit() and day.isdigit()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class TimeOfDayField(forms.CharField):
    """Klockslag "14:05" (UI.md 6.1); also accepts "1405" and "14.05"."""

    default_error_messages = {"invalid": _("Enter the time as hours and minutes, for example 14:05")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 5)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> time | None:
        text = super().clean(value)
        if not text:
            return None
        match = _TIME.match(text)
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return time(hour, minute)
