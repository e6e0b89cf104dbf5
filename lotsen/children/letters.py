"""The letter to a mandated reporter (R-INFO-1). It says only which of three facts applies: an
investigation has been opened, has not been opened, or is already ongoing (19:6 SoL, R-SEK-1): no name of
the child, no reasons, no case number. Pure text; the view renders it as HTML and PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from lotsen.children.models import FeedbackFact

MONTHS_SV = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip

FACT_SENTENCES = {
    FeedbackFact.OPENED: "Socialnämnden har beslutat att inleda en utredning.",
    FeedbackFact.NOT_OPENED: "Socialnämnden har beslutat att inte inleda en utredning.",
    FeedbackFact.ONGOING: "En utredning pågår redan hos socialnämnden.",
}
SECRECY = (
    "Vi kan inte berätta något mer, eftersom uppgifter om enskildas personliga förhållanden inom "
    "socialtjänsten omfattas av sekretess enligt 26 kapitlet 1 § offentlighets- och sekretesslagen."
)
LEGAL_BASIS = "Vi lämnar den här återkopplingen enligt 19 kapitlet 6 § socialtjänstlagen (2025:400)."


def long_date(d: date) -> str:
    return f"{d.day} {MONTHS_SV[d.month - 1]} {d.year}"


@dataclass(frozen=True)
class Letter:
    title: str
    recipient: list[str]
    letter_date: str
    paragraphs: list[str]
    sender: list[str]

    @property
    def text(self) -> str:
        parts = [self.title, "\n".join(self.recipient), f"Datum: {self.letter_date}", *self.paragraphs]
        return "\n\n".join([*parts, "\n".join(self.sender)])


def feedback_letter(*, intake: Any, fact: str, letter_date: date, sender: Any, unit_name: str) -> Letter:
    recipient = [line for line in (intake.reporter_name, intake.reporter_organisation) if line]
    paragraphs = [
        f"Den {long_date(intake.received_on)} kom din orosanmälan in till oss. "
        "Du har bett att få veta vad som händer med anmälan.",
        FACT_SENTENCES[FeedbackFact(fact)],
        SECRECY,
        LEGAL_BASIS,
    ]
    municipality = intake.case.unit.municipality.name
    signature = [f"{municipality}, socialnämnden", unit_name]
    name = getattr(sender, "display_name", "")
    title = getattr(sender, "title", "")
    signature.append(f"{name}, {title}" if title else name)
    return Letter(
        title="Återkoppling på din orosanmälan",
        recipient=recipient,
        letter_date=long_date(letter_date),
        paragraphs=paragraphs,
        sender=signature,
    )


def feedback_letter_text(*, intake: Any, fact: str, letter_date: date, sender: Any, unit_name: str) -> str:
    return feedback_letter(intake=intake, fact=fact, letter_date=letter_date, sender=sender, unit_name=unit_name).text
