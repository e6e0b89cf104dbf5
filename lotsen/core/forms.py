"""GOV.UK markup for Django forms (UI.md 3.3): a form renderer whose field template prints
`govuk-form-group`, label, hint, error message and `aria-describedby`, and a mixin that gives widgets the
GOV.UK classes. Error messages are Swedish and the same in the summary and at the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"


_WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (forms.FileInput, "govuk-file-upload"),
    (forms.widgets.Input, "govuk-input"),
]


class GovukFormMixin:
    """Adds GOV.UK classes, error classes and `aria-describedby` to each widget."""

    fields: dict[str, forms.Field]
    errors: Any
    is_bound: bool
    hints: dict[str, Any] = {}
    widths: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            for widget_type, css in _WIDGET_CLASSES:
                if isinstance(widget, widget_type):
                    classes = [css]
                    if name in self.widths:
                        classes.append(self.widths[name])
                    widget.attrs["class"] = " ".join(classes)
                    break
            if name in self.hints:
                field.help_text = self.hints[name]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if isinstance(widget, forms.widgets.Input | forms.Textarea | forms.Select) and not isinstance(
                    widget, forms.RadioSelect | forms.CheckboxInput
                ):
                    base = widget.attrs.get("class", "")
                    suffix = {
                        "govuk-textarea": "govuk-textarea--error",
                        "govuk-select": "govuk-select--error",
                    }
                    err = next((v for k, v in suffix.items() if k in base), "govuk-input--error")
                    widget.attrs["class"] = f"{base} {err}".strip()


class GovukForm(GovukFormMixin, forms.Form):
    pass
