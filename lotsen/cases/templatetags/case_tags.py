from __future__ import annotations

from typing import Any

from django import template

from lotsen.cases.sections import actions_for

register = template.Library()


@register.simple_tag(takes_context=True)
def case_actions(context: dict[str, Any], case: Any) -> list[dict[str, object]]:
    return actions_for(case, context["request"].user)
