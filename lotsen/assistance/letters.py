"""The decision letter (R-BESL-1–3, R-EKB-5): what was decided, the calculation, the reasons, who decided
(for an automated decision: the rule version and the accountable delegate) and how to appeal, with the last
day when the applicant's notification date is known. Rendered as HTML (staff and e-service) and as PDF
(WeasyPrint). Signed decisions never change, so the letter is rendered from the decision on demand and is
the same every time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from lotsen.assistance import calc
from lotsen.assistance.models import DecisionNotice
from lotsen.assistance.periods import month_label, parse_month
from lotsen.cases.models import AppealRoute, Decision
from lotsen.core.workdays import add_weeks, sunday_rule

APPEAL_WEEKS = 3  # FL 44 §


def appeal_due_on(notified_on: date | None) -> date | None:
    """R-BESL-3: three weeks from the day the person learned of the decision, moved to the next working day
    when it ends on a weekend or holiday (R-TID-4, the individual's act). Unknown notification: no date."""
    if notified_on is None:
        return None
    return sunday_rule(add_weeks(notified_on, APPEAL_WEEKS))


def notified_on_of(decision: Decision) -> date | None:
    """The first day the applicant is known to have learned of the decision: opened in the e-service or
    recorded by a caseworker here (``DecisionNotice``), or recorded on the general decision page (the board
    module's ``DecisionNotification``, when installed)."""
    days = list(DecisionNotice.objects.filter(decision=decision).values_list("notified_on", flat=True))
    try:
        from lotsen.board.models import DecisionNotification
    except ImportError:  # pragma: no cover - a build without the board module
        pass
    else:
        days += list(DecisionNotification.objects.filter(decision=decision).values_list("notified_on", flat=True))
    return min(days) if days else None


def pnr_letter_form(pnr: str | None) -> str:
    """Letters use the 10-digit form (UI.md 8, R-PNR-1)."""
    if not pnr:
        return ""
    return f"{pnr[2:8]}-{pnr[8:]}"


@dataclass
class Letter:
    decision: Decision
    municipality: str
    applicant_name: str
    applicant_pnr: str
    period: date
    period_label: str
    amount: int
    outcome: str
    automated: bool
    sections: list[calc.Section]
    delegate_text: str
    rule_set_version: str | None
    rules: list[dict[str, Any]]
    replaces_number: str | None
    notified_on: date | None
    appeal_due_on: date | None
    appealable: bool
    warnings: list[str]


def build(decision: Decision) -> Letter:
    explanation = decision.explanation or {}
    payload = decision.payload or {}
    result = explanation.get("norm_result") or {}
    subject = decision.case.subject
    period = parse_month(str(payload.get("period") or result.get("period")))
    notified_on = notified_on_of(decision)
    delegate = decision.delegate
    point = decision.delegation_rule.point if decision.delegation_rule else "–"
    automated = bool(explanation.get("automated"))
    if automated:
        who = explanation.get("accountable_delegate") or (delegate.display_name if delegate else "")
        delegate_text = (
            "Beslutet är fattat automatiskt enligt socialnämndens regler för automatiserade beslut. "
            f"Ansvarig delegat är {who}."
        )
    else:
        title = f", {delegate.title.lower()}" if delegate and delegate.title else ""
        delegate_text = (
            f"Beslutet är fattat av {delegate.display_name if delegate else ''}{title} enligt "
            f"delegationsordningen punkt {point}."
        )
    from lotsen.assistance.models import ApplicationDecision

    link = ApplicationDecision.objects.filter(decision=decision).select_related("application", "calculation").first()
    applied = link.application.costs if link else {}
    member_names = _member_names(link.calculation.input if link else {})
    return Letter(
        decision=decision,
        municipality=settings.LOTSEN_MUNICIPALITY_NAME,
        applicant_name=subject.full_name,
        applicant_pnr=pnr_letter_form(subject.pnr) if not subject.is_protected else "",
        period=period,
        period_label=month_label(period),
        amount=int(payload.get("granted_total", 0)),
        outcome=decision.outcome,
        automated=automated,
        sections=calc.table_sections(result, applied, member_names) if result else [],
        delegate_text=delegate_text,
        rule_set_version=(explanation.get("rule_set") or {}).get("version"),
        rules=explanation.get("rules") or [],
        replaces_number=decision.replaces.number if decision.replaces_id and decision.replaces else None,
        notified_on=notified_on,
        appeal_due_on=appeal_due_on(notified_on),
        appealable=decision.appeal_route == AppealRoute.ADMINISTRATIVE_APPEAL,
        warnings=[w["message"] for w in result.get("warnings", [])],
    )


def _member_names(document: dict[str, Any]) -> dict[str, str]:
    roles = {"applicant": "sökande", "partner": "make/maka/sambo"}
    return {m["id"]: roles[m["role"]] for m in document.get("members", []) if m["role"] in roles}


def render_html(letter: Letter) -> str:
    return render_to_string("assistance/letter.html", {"letter": letter})


def render_pdf(letter: Letter) -> bytes:
    import weasyprint

    html = render_html(letter)
    return bytes(weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())
