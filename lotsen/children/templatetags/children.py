"""Template helpers of the children's pages, and the report summary the person page includes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import timezone

from lotsen.children.models import FeedbackFact

register = template.Library()


@register.filter
def date_parts(field: BoundField) -> dict[str, str]:
    """The three values of a date input: what was typed (bound form) or the initial date."""
    value = field.value()
    if callable(value):
        value = value()
    if isinstance(value, date):
        return {"year": str(value.year), "month": str(value.month), "day": str(value.day)}
    if isinstance(value, list | tuple):
        parts = [str(v) if v is not None else "" for v in value] + ["", "", ""]
        return {"year": parts[0], "month": parts[1], "day": parts[2]}
    return {"year": "", "month": "", "day": ""}


@register.filter
def fact_sentence(fact: str) -> str:
    try:
        return str(FeedbackFact(fact).label)
    except ValueError:
        return ""


@register.inclusion_tag("children/partials/conditional_radios.html")
def conditional_radios(field: BoundField, value: str, conditional: BoundField) -> dict[str, Any]:
    """GOV.UK radios where choosing `value` reveals `conditional` (shown without JavaScript)."""
    current = field.value()
    options = []
    for i, (choice, label) in enumerate(field.field.choices):  # type: ignore[attr-defined]
        options.append(
            {
                "id": f"{field.auto_id}_{i}",
                "value": str(choice),
                "label": label,
                "checked": current is not None and str(current) == str(choice),
                "conditional": conditional if str(choice) == value else None,
            }
        )
    return {"field": field, "options": options}


@register.inclusion_tag("children/partials/person_reports.html", takes_context=True)
def child_report_summary(context: dict[str, Any], person: Any) -> dict[str, Any]:
    """For the person page: "3 anmälningar på 6 månader" and the repeated-reports tag (FU-M2)."""
    from lotsen.children.selectors import REPEATED_REPORTS_MONTHS, is_child_or_young, repeated_reports

    today = timezone.localdate()
    history = repeated_reports(person, today)
    hidden = history.count == 0 and not is_child_or_young(person, today)
    return {"history": history, "months": REPEATED_REPORTS_MONTHS, "hidden": hidden}
