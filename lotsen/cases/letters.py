"""Decision letters and the board's list of delegated decisions as PDF (WeasyPrint).

- R-BESL-1 (FL 31–33 §§): the letter shows the date, the content, who decided (delegate and delegation point
  or the utskott's meeting and §), who presented it (föredragande), the reasons and the legal basis.
- R-TID-8: the legal basis cites the law valid on the decision date: SoL (2001:453) before 2025-07-01, else
  SoL (2025:400) (and the wording date of paragraphs amended since).
- R-BESL-2/3: appeal instructions follow the decision's `appeal_route`: förvaltningsbesvär (to the nämnd,
  forwarded to the förvaltningsrätt, within three weeks from notification), laglighetsprövning (KL 13 kap.),
  or none.

Everything is rendered from immutable rows (the signed decision, its utskott record), so the same decision
always gives the same bytes: the letter can be generated on request instead of stored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string

from lotsen.cases.models import AppealRoute, Decision, DecisionStatus, DecisionType
from lotsen.core.templatetags.lotsen import long_date
from lotsen.people.personnummer import InvalidIdentityNumber, parse

if TYPE_CHECKING:
    from lotsen.people.models import Person

# --- R-TID-8: which law -----------------------------------------------------------------------------------

NEW_SOL_FROM = date(2025, 7, 1)
SOL_2025 = "socialtjänstlagen (2025:400)"
SOL_2001 = "socialtjänstlagen (2001:453)"

# The predecessor in SoL (2001:453) of a paragraph of SoL (2025:400), as given in legal-rules.md ("[old …]").
# 11:1 → 4:1 and 22:2 → 6:6 are the commonly cited predecessors, not re-read in the law text (unverified).
OLD_SOL_PARAGRAPH = {
    "11 kap. 1 §": "4 kap. 1 §",
    "12 kap. 1 §": "4 kap. 1 §",
    "14 kap. 2 §": "11 kap. 1 §",
    "20 kap. 1 §": "11 kap. 1 a §",
    "20 kap. 2 §": "11 kap. 1 a §",
    "20 kap. 3 §": "11 kap. 2 §",
    "22 kap. 2 §": "6 kap. 6 §",
    "22 kap. 13 §": "6 kap. 8 §",
}
# Paragraphs of SoL (2025:400) whose wording changed after 2025-07-01 (SFS 2025:1501, R-TID-8).
AMENDED_ON = {
    "19 kap. 1 §": date(2026, 1, 15),
    "19 kap. 6 §": date(2026, 1, 15),
    "16 kap. 2 a §": date(2026, 1, 15),
}
_SOL_REFERENCE = re.compile(r"^\s*(?P<paragraph>\d+\s*kap\.\s*\d+(?:\s*[a-z])?\s*§)\s*SoL\s*$")


@dataclass(frozen=True)
class LegalBasis:
    """A legal basis as valid on a date: `staff` for staff screens ("11 kap. 1 § SoL (2025:400)"), `citizen`
    for letters, without abbreviations ("socialtjänstlagen (2025:400) 11 kap. 1 §")."""

    staff: str
    citizen: str
    act: str


def legal_basis_on(reference: str, on: date) -> LegalBasis:
    """R-TID-8. `reference` is the delegationsordning's "N kap. M § SoL" (the current numbering); on a date
    before 2025-07-01 it becomes the old act's paragraph. Other acts are left as written."""
    match = _SOL_REFERENCE.match(reference)
    if match is None:
        return LegalBasis(staff=reference, citizen=reference, act="")
    paragraph = re.sub(r"\s+", " ", match.group("paragraph"))
    if on < NEW_SOL_FROM:
        old = OLD_SOL_PARAGRAPH.get(paragraph)
        if old is None:
            text = f"{SOL_2001}, motsvarigheten till {paragraph} i {SOL_2025}"
            return LegalBasis(staff=f"SoL (2001:453), motsvarigheten till {paragraph}", citizen=text, act=SOL_2001)
        return LegalBasis(staff=f"{old} SoL (2001:453)", citizen=f"{SOL_2001} {old}", act=SOL_2001)
    amended = AMENDED_ON.get(paragraph)
    wording = ""
    if amended is not None and on >= amended:
        wording = f" i lydelsen från {long_date(amended)}"
    return LegalBasis(
        staff=f"{paragraph} SoL (2025:400){wording}", citizen=f"{SOL_2025} {paragraph}{wording}", act=SOL_2025
    )


# --- R-BESL-2/3: appeal instructions ---------------------------------------------------------------------


def appeal_instructions(route: str) -> dict[str, Any] | None:
    """The letter's överklagandehänvisning for an appeal route, in plain Swedish (klarspråk, "du"). None when
    the decision cannot be appealed. Decisions made before 2025-07-01 are appealed under the old law
    (transitional provisions 5–6); the route and the time limit are the same."""
    if route == AppealRoute.ADMINISTRATIVE_APPEAL:
        return {
            "heading": "Så överklagar du beslutet",
            "paragraphs": [
                "Om du inte är nöjd med beslutet kan du överklaga det till förvaltningsrätten.",
                "Skicka eller lämna ditt överklagande till socialnämnden, inte direkt till förvaltningsrätten. "
                "Nämnden prövar först om överklagandet har kommit in i tid och om beslutet ska ändras. Om nämnden "
                "inte ändrar beslutet som du vill skickar vi överklagandet vidare till förvaltningsrätten.",
                "Överklagandet måste ha kommit in till socialnämnden inom tre veckor från den dag du fick del av "
                "beslutet. Om den sista dagen är en lördag, söndag eller helgdag räcker det att överklagandet "
                "kommer in nästa vardag.",
                "Skriv vilket beslut du överklagar (beslutsnummer och datum), hur du vill att beslutet ska ändras "
                "och varför. Skriv ditt namn, personnummer, adress och telefonnummer och skriv under.",
                "Om du vill ha hjälp med överklagandet kan du kontakta din handläggare.",
            ],
        }
    if route == AppealRoute.LEGALITY_REVIEW:
        return {
            "heading": "Så kan beslutet prövas",
            "paragraphs": [
                "Beslutet kan inte överklagas genom förvaltningsbesvär. Den som är medlem i kommunen kan begära "
                "att förvaltningsrätten prövar om beslutet har kommit till på ett lagligt sätt (laglighetsprövning "
                "enligt 13 kap. kommunallagen (2017:725)). Förvaltningsrätten prövar då inte om beslutet är "
                "lämpligt.",
                "Skicka överklagandet direkt till förvaltningsrätten. Det måste ha kommit in inom tre veckor från "
                "den dag då det tillkännagavs på kommunens anslagstavla att protokollet från det sammanträde där "
                "beslutet anmäldes har justerats.",
                "Skriv vilket beslut du överklagar, varför du anser att det inte har kommit till lagligt och "
                "skriv under.",
            ],
        }
    return None


# --- the letter ------------------------------------------------------------------------------------------


def letter_pnr(person: Person, on: date) -> str:
    """Letters use the 10-digit form with `-`/`+` (R-PNR-1, UI.md 8); a reservnummer as it is."""
    if not person.pnr:
        return f"{person.temp_id} (reservnummer)" if person.temp_id else ""
    try:
        return parse(person.pnr, today=on).ten_digit_form(on)
    except (InvalidIdentityNumber, ValueError):
        return f"{person.pnr[:8]}-{person.pnr[8:]}"


def decided_by(decision: Decision) -> dict[str, str]:
    """Who decided (FL 31 §): the delegate and the delegation point, or the utskott with meeting and §."""
    rule = decision.delegation_rule
    record = getattr(decision, "committee_record", None) if rule is not None and rule.committee_only else None
    if record is not None:
        return {
            "name": "Individutskottet",
            "title": "",
            "basis": f"sammanträde {long_date(record.meeting.held_on)}, § {record.section_number}",
        }
    delegate = decision.delegate
    scheme = rule.scheme if rule is not None else None
    basis = ""
    if rule is not None:
        basis = f"enligt socialnämndens delegationsordning, punkt {rule.point}"
        if scheme is not None:
            basis += f" (version {scheme.version})"
    return {
        "name": delegate.display_name if delegate else "",
        "title": delegate.title if delegate else "",
        "basis": basis,
    }


def letter_context(decision: Decision) -> dict[str, Any]:
    from lotsen.cases.forms_decisions import outcome_label

    if decision.status != DecisionStatus.SIGNED or decision.decided_on is None:
        raise ValueError("Only a signed decision has a letter.")
    on = decision.decided_on
    case = decision.case
    person = case.subject
    rule = decision.delegation_rule
    basis = legal_basis_on(decision.legal_basis, on)
    return {
        "decision": decision,
        "case": case,
        "person": person,
        "pnr": letter_pnr(person, on),
        "municipality": settings.LOTSEN_MUNICIPALITY_NAME,
        "type_label": dict(DecisionType.choices).get(decision.type, decision.type),
        "outcome": outcome_label(decision.outcome),
        "legal_basis": basis,
        "decided_by": decided_by(decision),
        "presenter": decision.prepared_by,
        "appeal": appeal_instructions(decision.appeal_route),
        "point": rule.point if rule else "",
    }


def decision_letter_html(decision: Decision) -> str:
    return render_to_string("cases/letters/decision.html", letter_context(decision))


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def decision_letter_pdf(decision: Decision) -> bytes:
    return html_to_pdf(decision_letter_html(decision))


def delegation_report_html(context: dict[str, Any]) -> str:
    return render_to_string("cases/letters/delegation_report.html", context)
