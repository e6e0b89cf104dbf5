"""Forms of the journal, and the GOV.UK date input (UI.md 3.2) as a reusable field.

`DateInputField` renders `govuk-date-input` with the parts År – Månad – Dag (`<name>-year`, `-month`, `-day`).
The first part has the field's own id, so the error summary's link (`#id_<name>`) lands in it. The server also
accepts a full ISO date typed or pasted into the year part. Messages are Swedish, the same in the summary and
at the field (UI.md 6.4); pass `error_messages` with the field's own wording ("Ange datum för händelsen").
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lotsen.core.forms import GovukForm
from lotsen.journal import services
from lotsen.journal.models import PRIMARY_KINDS, TEXT_MAX_LENGTH, DocumentKind

ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


class DateInputWidget(forms.MultiWidget):
    """Three text inputs in the order year, month, day."""

    template_name = "journal/forms/date_input_widget.html"
    parts = ("year", "month", "day")

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets = [forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}) for _part in self.parts]
        super().__init__(widgets, attrs)
        self.widgets_names = [f"-{p}" for p in self.parts]

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.year, value.month, value.day]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        base_id = (attrs or {}).get("id") or self.attrs.get("id") or f"id_{name}"
        labels = {"year": _("Year"), "month": _("Month"), "day": _("Day")}
        widths = {"year": "govuk-input--width-4", "month": "govuk-input--width-2", "day": "govuk-input--width-2"}
        for part, sub in zip(self.parts, context["widget"]["subwidgets"], strict=True):
            sub["attrs"] = {k: v for k, v in sub["attrs"].items() if k != "aria-describedby"}
            sub["attrs"]["id"] = base_id if part == "year" else f"{base_id}-{part}"
            sub["attrs"]["class"] = f"govuk-input govuk-date-input__input {widths[part]}"
            sub["part"] = part
            sub["label"] = labels[part]
        context["widget"]["date_id"] = f"{base_id}-date"
        return context

    def id_for_label(self, id_: str) -> str:
        return id_


class DateInputField(forms.Field):
    """A date from the three parts; `None` when all are empty (and the field is optional)."""

    widget = DateInputWidget
    default_error_messages = {
        "required": _("Enter the date"),
        "incomplete": _("The date must include a year, a month and a day"),
        "invalid": _("The date must be a real date"),
        "future": _("The date cannot be later than today"),
    }

    def __init__(self, *, allow_future: bool = False, **kwargs: Any) -> None:
        self.allow_future = allow_future
        kwargs.setdefault("template_name", "journal/forms/date_input_field.html")
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        parts = [str(v).strip() if v is not None else "" for v in (value or ["", "", ""])]
        while len(parts) < 3:
            parts.append("")
        year, month, day = parts[:3]
        if not any(parts):
            return None
        iso = ISO_DATE.match(year)
        if iso and not month and not day:
            year, month, day = iso.groups()
        if not (year and month and day):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        if not (year.isdigit() and month.isdigit() and day.isdigit()) or len(year) != 4:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            result = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return result

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not self.allow_future and value > timezone.localdate():
            raise ValidationError(self.error_messages["future"], code="future")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}


EVENT_DATE_ERRORS = {
    "required": _("Enter the date of the event"),
    "incomplete": _("The date of the event must include a year, a month and a day"),
    "invalid": _("The date of the event must be a real date"),
    "future": _("The date of the event cannot be later than today"),
}


class CharacterCountField(forms.CharField):
    """A textarea with `govuk-character-count` (limit 10 000, shown from 80 %), Swedish texts included."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("template_name", "journal/forms/character_count.html")
        super().__init__(**kwargs)


class JournalEntryForm(GovukForm):
    """Write or continue an entry. `key` is the idempotency key of the form (UI.md 1.4): every save and the
    signing address the same row through it. Completeness (type, date) is required only when signing."""

    key = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Type of entry"), widget=forms.RadioSelect, required=False)
    event_on = DateInputField(label=_("Date of the event"), required=False, error_messages=EVENT_DATE_ERRORS)
    text = CharacterCountField(label=_("Entry"), widget=forms.Textarea(attrs={"rows": 12}), required=False, strip=False)
    hints = {"event_on": _("For example 2026 3 16")}

    def __init__(self, *args: Any, linked_kind: str | None = None, signing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signing = signing
        self.linked_kind = linked_kind
        if linked_kind:
            # The page decides the kind of a linked entry (rättelse, tillägg, invändning), not the post.
            self.fields["kind"] = forms.CharField(widget=forms.HiddenInput, required=False, initial=linked_kind)
        else:
            kind_field: forms.ChoiceField = self.fields["kind"]  # type: ignore[assignment]
            kind_field.choices = [(k.value, capfirst(k.label)) for k in PRIMARY_KINDS]
        self.fields["text"].widget.attrs.pop("maxlength", None)

    def clean_key(self) -> uuid.UUID:
        return self.cleaned_data["key"]

    def clean_text(self) -> str:
        text = services.normalise_text(self.cleaned_data.get("text") or "")
        if not text:
            raise ValidationError(_("Write the entry"), code="required")
        if len(text) > TEXT_MAX_LENGTH:
            raise ValidationError(services.too_long_message(), code="max_length")
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.linked_kind:
            data["kind"] = self.linked_kind
        if self.signing:
            if not data.get("kind") and "kind" not in self.errors:
                self.add_error("kind", _("Choose the type of entry"))
            if data.get("event_on") is None and "event_on" not in self.errors:
                self.add_error("event_on", EVENT_DATE_ERRORS["required"])
        return data

    def content(self) -> services.EntryContent:
        data = self.cleaned_data
        return services.EntryContent(kind=data.get("kind") or "", event_on=data.get("event_on"), text=data["text"])


class JournalFilterForm(GovukForm):
    """GET filter of the journal page: only codes and ids in the URL, never personal data."""

    kind = forms.ChoiceField(label=_("Type"), required=False)
    date_from = forms.DateField(
        label=_("From date"),
        required=False,
        error_messages={"invalid": _("The from date must be a real date, for example 2026-03-01")},
    )
    date_to = forms.DateField(
        label=_("To date"),
        required=False,
        error_messages={"invalid": _("The to date must be a real date, for example 2026-03-31")},
    )
    author = forms.TypedChoiceField(label=_("Written by"), required=False, coerce=int, empty_value=None)
    order = forms.ChoiceField(required=False, choices=[("", ""), ("oldest", "oldest")], widget=forms.HiddenInput)
    hints = {"date_from": _("For example 2026-03-01"), "date_to": _("For example 2026-03-31")}
    widths = {"date_from": "govuk-input--width-10", "date_to": "govuk-input--width-10"}

    def __init__(self, *args: Any, authors: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All types")), *[(k.value, capfirst(k.label)) for k in PRIMARY_KINDS]]  # type: ignore[attr-defined]
        self.fields["author"].choices = [("", _("Everybody")), *authors]  # type: ignore[attr-defined]
        for name in ("date_from", "date_to"):
            self.fields[name].widget.input_type = "text"
            self.fields[name].input_formats = ["%Y-%m-%d"]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The to date must be the same as or later than the from date"))
        return data


class GovukFileField(forms.FileField):
    """GOV.UK file upload with the enhanced drop zone and its Swedish texts (UI.md 6.5); a plain file input
    without JavaScript."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("template_name", "journal/forms/file_upload.html")
        super().__init__(**kwargs)


class DocumentForm(GovukForm):
    kind = forms.ChoiceField(
        label=_("Type of document"),
        choices=[(k.value, capfirst(k.label)) for k in DocumentKind if k != DocumentKind.DECISION_LETTER],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the type of document"),
            "invalid_choice": _("Choose the type of document"),
        },
    )
    received_on = DateInputField(
        label=_("Date received or created"),
        error_messages={
            "required": _("Enter the date the document was received or created"),
            "incomplete": _("The date the document was received must include a year, a month and a day"),
            "invalid": _("The date the document was received must be a real date"),
            "future": _("The date the document was received cannot be later than today"),
        },
    )
    file = GovukFileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        error_messages={
            "required": _("Choose a file"),
            "empty": _("The chosen file is empty"),
            "invalid": _("Choose a file"),
            "missing": _("Choose a file"),
        },
    )
    hints = {
        "received_on": _("For example 2026 3 16"),
        "file": _("PDF, JPG or PNG, smaller than 20 MB"),
    }
