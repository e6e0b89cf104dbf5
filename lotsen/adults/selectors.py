"""Reads for the adults' process: the days since an adult matter came in (R-UTR-1 practice warning) and the
six-month mark of an undecided application (R-HANDL-1, dröjsmålstalan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lotsen.adults import conf
from lotsen.cases.models import Case, CaseStatus, DecisionStatus, Intake, IntakeKind, ProcessCode
from lotsen.core.workdays import add_months


@dataclass(frozen=True)
class Elapsed:
    """How long an open adult matter has waited. No statutory deadline exists (R-UTR-1): the warning after
    `threshold` days is practice, a setting."""

    intake: Intake
    today: date
    phase: str
    threshold: int
    decided_on: date | None  # a signed decision in the case on or after the intake

    @property
    def received_on(self) -> date:
        return self.intake.received_on

    @property
    def days(self) -> int:
        return (self.today - self.intake.received_on).days

    @property
    def awaiting_assessment(self) -> bool:
        """A report (or other intake) waiting for the decision whether to open an investigation."""
        return self.phase == "intake"

    @property
    def warning(self) -> bool:
        return self.awaiting_assessment and self.days > self.threshold

    @property
    def six_months_on(self) -> date:
        return add_months(self.intake.received_on, 6)

    @property
    def delay_request_possible(self) -> bool:
        """R-HANDL-1 (FL 12 §): an application not decided within six months may be the subject of a request for
        a decision."""
        return (
            self.intake.kind == IntakeKind.APPLICATION and self.decided_on is None and self.today > self.six_months_on
        )


def elapsed_for(case: Case, today: date) -> Elapsed | None:
    """For an open adult case: its latest intake and the days since it came in; None otherwise."""
    if case.process != ProcessCode.ADULT or case.status != CaseStatus.OPEN:
        return None
    intake = case.intakes.order_by("-received_at", "-id").first()
    if intake is None:
        return None
    decided_on = (
        case.decisions.filter(status=DecisionStatus.SIGNED, decided_on__gte=intake.received_on)
        .order_by("decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )
    return Elapsed(intake, today, case.phase, conf.practice_warning_days(), decided_on)
