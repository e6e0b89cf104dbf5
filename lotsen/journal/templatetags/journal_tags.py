"""Template helpers of the journal: the date input's parts with their error state, and file sizes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()

NBSP = "\u00a0"


@register.filter
def date_parts(field: BoundField) -> list[dict[str, Any]]:
    """The year, month and day inputs of a `DateInputField`, with `govuk-input--error` when the field has an
    error (GOV.UK marks every part when the message is about the whole date)."""
    widget = field.field.widget
    context = widget.get_context(field.html_name, field.value(), {"id": field.auto_id})
    parts = []
    for sub in context["widget"]["subwidgets"]:
        attrs = dict(sub["attrs"])
        if field.errors:
            attrs["class"] = f"{attrs['class']} govuk-input--error"
        parts.append({"name": sub["name"], "value": sub["value"], "attrs": attrs, "label": sub["label"]})
    return parts


@register.filter
def file_size(value: Any) -> str:
    """Swedish file size in binary units as file managers show them: "850 kB", "1,2 MB" (decimal comma,
    no-break space before the unit; the upload limit uses the same units)."""
    if value is None or value == "":
        return ""
    size = Decimal(int(value))
    if size < 1024:
        return f"{int(size)}{NBSP}byte"
    if size < 1024 * 1024:
        kb = max(Decimal(1), (size / 1024).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
        return f"{kb}{NBSP}kB"
    mb = (size / 1024 / 1024).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{str(mb).replace('.', ',')}{NBSP}MB"
