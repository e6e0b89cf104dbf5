"""`{% load adults %}{% adult_elapsed case %}`: the days since an open adult matter came in, with the practice
warning (R-UTR-1), for the case overview. Renders nothing for other cases."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from lotsen.adults.selectors import elapsed_for

register = template.Library()


@register.inclusion_tag("adults/partials/elapsed.html")
def adult_elapsed(case: Any) -> dict[str, Any]:
    return {"elapsed": elapsed_for(case, timezone.localdate())}
