"""Biståndsmånad helpers: a period is the first day of its calendar month (RN-C3)."""

from __future__ import annotations

from datetime import date

MONTHS_SV = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(period: date, n: int) -> date:
    index = period.year * 12 + period.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(a: date, b: date) -> int:
    """Whole months from period a to period b (b − a)."""
    return (b.year - a.year) * 12 + b.month - a.month


def parse_month(text: str) -> date:
    """'2026-03' → date(2026, 3, 1); ValueError when not a month."""
    year, _, month = text.partition("-")
    if len(year) != 4 or len(month) != 2 or not year.isdigit() or not month.isdigit():
        raise ValueError(text)
    return date(int(year), int(month), 1)


def month_text(period: date) -> str:
    """'2026-03', the engine's and the statistics' form."""
    return f"{period.year:04d}-{period.month:02d}"


def month_label(period: date) -> str:
    """'mars 2026' (UI.md 6.1)."""
    return f"{MONTHS_SV[period.month - 1]} {period.year}"
