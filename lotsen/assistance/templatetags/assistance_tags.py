"""Formats for the ekonomiskt bistånd pages (UI.md 6.1)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from lotsen.assistance.periods import month_label as _month_label

register = template.Library()


@register.filter
def percent(value: Any) -> str:
    """24,7 % — decimal comma, U+00A0 before %."""
    if value is None or value == "":
        return ""
    return f"{float(value):.1f}".replace(".", ",") + "\u00a0%"


@register.filter
def month_label(value: Any) -> str:
    """'mars 2026'."""
    return _month_label(value) if isinstance(value, date) else ""
