"""Case processes as configuration: phases, allowed transitions, the deadline rules each process uses
and its decision types. Children's and adults' processes are two configurations of one engine."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotsen.cases.models import DecisionType, ProcessCode


@dataclass(frozen=True)
class Phase:
    code: str
    label: str | Promise


@dataclass(frozen=True)
class Process:
    code: str
    label: str | Promise
    phases: tuple[Phase, ...]
    transitions: dict[str, frozenset[str]]
    initial_phase: str
    deadline_process: str | None  # which rules of `deadlines.compute_deadlines` apply
    decision_types: tuple[str, ...]

    def phase(self, code: str) -> Phase:
        for phase in self.phases:
            if phase.code == code:
                return phase
        raise KeyError(code)

    def can_move(self, from_phase: str, to_phase: str) -> bool:
        return to_phase in self.transitions.get(from_phase, frozenset())


RECEPTION = Phase("reception", _("Pre-assessment"))
INVESTIGATION = Phase("investigation", _("Investigation"))
INTERVENTION = Phase("intervention", _("Intervention"))
FOLLOW_UP = Phase("follow_up", _("Follow-up"))
CLOSED = Phase("closed", _("Closed"))
INTAKE = Phase("intake", _("Intake"))

CHILD = Process(
    code=ProcessCode.CHILD,
    label=_("Children and young people"),
    phases=(RECEPTION, INVESTIGATION, INTERVENTION, FOLLOW_UP, CLOSED),
    transitions={
        "reception": frozenset({"investigation", "closed"}),
        "investigation": frozenset({"intervention", "follow_up", "closed"}),
        "intervention": frozenset({"follow_up", "investigation", "closed"}),
        "follow_up": frozenset({"investigation", "closed"}),
    },
    initial_phase="reception",
    deadline_process="child",
    decision_types=(
        DecisionType.PRE_ASSESSMENT,
        DecisionType.PRE_ASSESSMENT_EXTENSION,
        DecisionType.INVESTIGATION_EXTENSION,
        DecisionType.INVESTIGATION_CLOSED,
        DecisionType.NON_RESIDENTIAL,
        DecisionType.CONTACT_PERSON,
        DecisionType.PLACEMENT_HVB,
        DecisionType.PLACEMENT_FOSTER_HOME,
        DecisionType.CARE_REVIEW,
    ),
)

# Adults: ansökan or anmälan → utredning (skyndsamt, no fixed 4-month rule, R-UTR-1) → beslut → insats.
ADULT = Process(
    code=ProcessCode.ADULT,
    label=_("Adults"),
    phases=(INTAKE, INVESTIGATION, INTERVENTION, FOLLOW_UP, CLOSED),
    transitions={
        "intake": frozenset({"investigation", "closed"}),
        "investigation": frozenset({"intervention", "closed"}),
        "intervention": frozenset({"follow_up", "investigation", "closed"}),
        "follow_up": frozenset({"investigation", "closed"}),
    },
    initial_phase="intake",
    deadline_process="adult",
    decision_types=(DecisionType.INVESTIGATION_CLOSED, DecisionType.ADULT_INTERVENTION, DecisionType.PLACEMENT_HVB),
)

ASSISTANCE = Process(
    code=ProcessCode.ASSISTANCE,
    label=_("Financial assistance"),
    phases=(INTAKE, INVESTIGATION, CLOSED),
    transitions={"intake": frozenset({"investigation", "closed"}), "investigation": frozenset({"closed"})},
    initial_phase="investigation",
    deadline_process=None,
    decision_types=(DecisionType.FINANCIAL_ASSISTANCE,),
)

PROCESSES: dict[str, Process] = {p.code: p for p in (CHILD, ADULT, ASSISTANCE)}


def get(code: str) -> Process:
    return PROCESSES[code]
