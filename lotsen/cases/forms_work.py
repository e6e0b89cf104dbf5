"""Forms of the work lists: the queue's filter (GET, no personal data), bulk assignment and transfer."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotsen.cases.models import IntakeKind
from lotsen.core.forms import GovukForm
from lotsen.core.models import Unit

MAX_RADIOS = 7  # UI.md 3.1: radios for up to seven options, else a select


class GovukDateWidget(forms.MultiWidget):
    """GOV.UK date input, År – Månad – Dag (UI.md 3.2); sub-fields are named `<name>-year|month|day`."""

    template_name = "cases/work/widgets/date_input.html"
    parts = ("year", "month", "day")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(widgets=[forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs=attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.year, value.month, value.day]
        return [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(data.get(f"{name}-{part}", "") or "").strip() for part in self.parts]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return all(f"{name}-{part}" not in data for part in self.parts)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values = value if isinstance(value, list | tuple) else self.decompress(value)
        base_id = (attrs or {}).get("id") or f"id_{name}"
        labels = {"year": _("Year"), "month": _("Month"), "day": _("Day")}
        widths = {"year": "govuk-input--width-4", "month": "govuk-input--width-2", "day": "govuk-input--width-2"}
        context["parts"] = [
            {
                "name": f"{name}-{part}",
                "id": base_id if part == "year" else f"{base_id}-{part}",
                "label": labels[part],
                "width": widths[part],
                "value": "" if values[i] is None else values[i],
            }
            for i, part in enumerate(self.parts)
        ]
        return context


class GovukDateField(forms.Field):
    """A date from the three-part input; the year field also accepts a full ISO date (UI.md 3.2)."""

    widget = GovukDateWidget

    def to_python(self, value: Any) -> date | None:
        parts = list(value) if isinstance(value, list | tuple) else [value, "", ""]
        year, month, day = (str(p or "").strip() for p in [*parts, "", "", ""][:3])
        if not (year or month or day):
            return None
        if year and not month and not day and len(year) == 10:
            try:
                return date.fromisoformat(year)
            except ValueError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class QueueFilterForm(GovukForm):
    """GET filter of "Ej fördelade": the kind of intake and the received period."""

    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *IntakeKind.choices])
    received_from = GovukDateField(
        label=_("Received from"),
        required=False,
        error_messages={"invalid": _("Received from must be a real date")},
    )
    received_to = GovukDateField(
        label=_("Received to"),
        required=False,
        error_messages={"invalid": _("Received to must be a real date")},
    )
    hints = {"received_from": _("For example 2026 3 16"), "received_to": _("For example 2026 3 16")}

    def full_clean(self) -> None:
        super().full_clean()
        for name in ("received_from", "received_to"):
            if name in self.errors:
                self.fields[name].widget.attrs["error"] = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", _("Received to must be the same as or after received from"))
        return cleaned


class AssignForm(GovukForm):
    """Bulk assignment: the chosen cases of the queue and one caseworker (shown with their caseload)."""

    cases = forms.TypedMultipleChoiceField(
        label=_("Cases"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one case"),
            "invalid_choice": _(
                "One of the cases is already assigned or no longer in the queue. Select the cases again"
            ),
        },
    )
    assignee = forms.TypedChoiceField(
        label=_("Caseworker"),
        coerce=int,
        error_messages={
            "required": _("Select a caseworker"),
            "invalid_choice": _("Select a caseworker who works in the unit"),
        },
    )

    def __init__(self, *args: Any, case_ids: set[int], caseload: list[tuple[Any, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(pk, str(pk)) for pk in sorted(case_ids)]  # type: ignore[attr-defined]
        self.users = {u.pk: u for u, _n in caseload}
        self.fields["assignee"].choices = [("", _("Select caseworker"))] + [  # type: ignore[attr-defined]
            (u.pk, _("%(name)s – open cases: %(count)s") % {"name": u.display_name, "count": n}) for u, n in caseload
        ]

    @property
    def assignee_user(self) -> Any:
        return self.users[self.cleaned_data["assignee"]]


class TransferForm(GovukForm):
    """Flytta ärende (UI.md page 17): receiving unit and a message to it."""

    to_unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label=_("Receiving unit"),
        queryset=Unit.objects.none(),  # set in __init__
        empty_label=None,
        error_messages={
            "required": _("Select the unit the case is moved to"),
            "invalid_choice": _("Select the unit the case is moved to"),
        },
    )
    message = forms.CharField(
        label=_("Message to the receiving unit"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        error_messages={
            "required": _("Write a message to the receiving unit"),
            "max_length": _("The message can be at most 2,000 characters"),
        },
    )
    hints = {"message": _("Why the case is moved and what the receiving unit needs to know.")}

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_unit"]
        if units.count() <= MAX_RADIOS:
            field.widget = forms.RadioSelect(attrs={"class": "govuk-radios__input"})
        field.queryset = units  # type: ignore[attr-defined]
