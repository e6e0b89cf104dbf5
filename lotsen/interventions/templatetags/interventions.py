"""Swedish labels for intervention codes and the overview card of ongoing interventions (templates:
`{% load interventions %}`, `{% active_interventions case %}`)."""

from __future__ import annotations

from typing import Any

from django import template

from lotsen.interventions.forms import CONCLUSION_LABELS, END_REASON_LABELS, FORM_LABELS, KIND_LABELS

register = template.Library()


@register.filter
def intervention_kind(code: str) -> str:
    return str(KIND_LABELS.get(code, code))  # type: ignore[call-overload]


@register.filter
def placement_form(code: str) -> str:
    return str(FORM_LABELS.get(code, code))  # type: ignore[call-overload]


@register.filter
def end_reason(code: str) -> str:
    return str(END_REASON_LABELS.get(code, code))  # type: ignore[call-overload]


@register.filter
def review_conclusion(code: str) -> str:
    return str(CONCLUSION_LABELS.get(code, code))  # type: ignore[call-overload]


@register.filter
def days_between(later: object, earlier: object) -> int:
    """Whole days from `earlier` to `later` (dates)."""
    return (later - earlier).days  # type: ignore[operator]


@register.inclusion_tag("interventions/partials/active_card.html")
def active_interventions(case: Any) -> dict[str, Any]:
    """The case overview's card "Aktiva insatser" (UI.md page 9): ongoing interventions with a link to the
    section."""
    from lotsen.interventions.models import Intervention

    ongoing = list(
        Intervention.objects.filter(case=case, end_on__isnull=True)
        .select_related("provider", "placement")
        .order_by("start_on", "id")
    )
    return {"case": case, "ongoing": ongoing}
