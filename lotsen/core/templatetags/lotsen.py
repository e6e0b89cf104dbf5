"""Template filters for Swedish formats (UI.md 6.1) and GOV.UK form markup."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

MONTHS_SV = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip
WEEKDAYS_SV = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
NARROW_NBSP = "\u202f"
NBSP = "\u00a0"
MINUS = "\u2212"


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    return None


@register.filter
def iso_date(value: Any) -> str:
    d = _as_date(value)
    return d.isoformat() if d else ""


@register.filter
def iso_datetime(value: Any) -> str:
    if not isinstance(value, datetime):
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return local.strftime("%Y-%m-%d %H:%M")


@register.filter
def long_date(value: Any, with_weekday: bool = False) -> str:
    d = _as_date(value)
    if d is None:
        return ""
    text = f"{d.day} {MONTHS_SV[d.month - 1]} {d.year}"
    return f"{WEEKDAYS_SV[d.weekday()]} {text}" if with_weekday else text


def group_digits(n: int) -> str:
    return f"{abs(n):,}".replace(",", NARROW_NBSP)


@register.filter
def number(value: Any) -> str:
    if value is None or value == "":
        return ""
    n = int(Decimal(value))
    return (MINUS if n < 0 else "") + group_digits(n)


@register.filter
def kronor(value: Any) -> str:
    """13 940 kr with U+202F grouping, U+00A0 before kr and U+2212 for negatives."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    sign = MINUS if amount < 0 else ""
    whole = int(abs(amount))
    fraction = abs(amount) - whole
    text = group_digits(whole)
    if fraction:
        text += "," + f"{fraction:.2f}"[2:]
    return f"{sign}{text}{NBSP}kr"


@register.filter
def personnummer(person: Any, reveal: bool = False) -> SafeString | str:
    """ÅÅÅÅMMDD-NNNN; masked (ÅÅÅÅMMDD-XXXX) for protected identities unless revealed (UI.md 2.4)."""
    pnr = getattr(person, "pnr", None)
    if not pnr:
        temp_id = getattr(person, "temp_id", None) or ""
        return f"{temp_id} (reservnummer)" if temp_id else ""
    display = f"{pnr[:8]}-{pnr[8:]}"
    if getattr(person, "is_protected", False) and not reveal:
        return format_html(
            '{}-XXXX<span class="govuk-visually-hidden"> (de fyra sista siffrorna visas inte)</span>', pnr[:8]
        )
    return display


@register.filter
def masked_pnr(person: Any) -> SafeString:
    """Always masked: for log review, where the reviewer needs to recognise, not read, the number."""
    pnr = getattr(person, "pnr", None) or ""
    if not pnr:
        return format_html("{}", getattr(person, "temp_id", "") or "")
    return format_html(
        '{}-XXXX<span class="govuk-visually-hidden"> (de fyra sista siffrorna visas inte)</span>', pnr[:8]
    )


@register.filter
def widget_type(field: BoundField) -> str:
    return field.field.widget.__class__.__name__.lower()


@register.filter
def describedby(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"aria-describedby": " ".join(ids)} if ids else {}
    return field.as_widget(attrs=attrs)


@register.filter
def age_today(person: Any) -> str:
    age = person.age_on(timezone.localdate()) if hasattr(person, "age_on") else None
    return "" if age is None else str(age)


WEEKDAYS_SHORT_SV = ["mån", "tis", "ons", "tors", "fre", "lör", "sön"]


@register.filter
def weekday_short(value: Any) -> str:
    d = _as_date(value)
    return WEEKDAYS_SHORT_SV[d.weekday()] if d else ""


@register.filter
def absolute(value: Any) -> int:
    return abs(int(value))


@register.filter
def deadline_label(kind: str) -> str:
    from lotsen.cases.labels import DEADLINE_LABELS

    return str(DEADLINE_LABELS.get(kind, kind))


@register.filter
def event_label(event_type: str) -> str:
    from lotsen.cases.labels import EVENT_LABELS

    return str(EVENT_LABELS.get(event_type, event_type))


@register.filter
def outcome_label(outcome: str) -> str:
    from lotsen.cases.labels import OUTCOME_LABELS

    return str(OUTCOME_LABELS.get(outcome, outcome))
