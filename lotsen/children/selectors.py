"""Reads of the children's process. Case data is reached through `policies.visible_cases(user)` (or a case
already loaded with `cases.selectors.load_case`); persons through `policies.visible_persons(user)`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from lotsen.cases.models import MANDATED_CATEGORIES, Case, Deadline, Decision, Intake, IntakeKind, ProcessCode
from lotsen.children.bbic import GROUP_TITLES, GROUPS, PREREQUISITES
from lotsen.children.models import (
    FeedbackFact,
    Investigation,
    InvestigationPart,
    PartStatus,
    ProtectionAssessment,
)
from lotsen.core.models import Unit, UnitKind
from lotsen.core.workdays import add_months
from lotsen.people.models import Person, Relation, RelationKind
from lotsen.people.personnummer import InvalidIdentityNumber, parse
from lotsen.policies.access import CASE_ROLES, memberships_of, visible_cases, visible_persons

# Units that receive reports about children (R-ANM-1) and make protection assessments (R-SKYDD-1).
REPORT_UNIT_KINDS = {UnitKind.RECEPTION, UnitKind.CHILD_INVESTIGATION}
# R-SKYDD-1: "barn eller unga"; Lotsen reads it as under 21 on the day the report came in (unverified).
MAX_AGE = 21
# Caseworker warning (followup.md FU-M2, the rolling variant): three reports within six months.
REPEATED_REPORTS_THRESHOLD = 3
REPEATED_REPORTS_MONTHS = 6


# --- units and persons --------------------------------------------------------------------------------------


def registration_units(user: Any) -> list[Unit]:
    """Units the user may register a report into: a case role in a reception or child investigation unit."""
    units = {
        m.unit_id: m.unit
        for m in memberships_of(user)
        if m.role in CASE_ROLES and m.unit.kind in REPORT_UNIT_KINDS and m.unit.is_active
    }
    return sorted(units.values(), key=lambda u: u.name)


def register_units(user: Any) -> list[Unit]:
    """Units whose report register the user may read (R-FORH-3): the same units."""
    return registration_units(user)


class ChildLookupError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def find_child(user: Any, text: str, *, today: date) -> Person:
    """The person with this personnummer among the persons the user may see (R-SEK-3). A person who is not
    there, or not visible, gives the same answer: nothing is disclosed."""
    try:
        number = parse("".join(text.split()), today=today)
    except InvalidIdentityNumber as exc:
        raise ChildLookupError(exc.message_sv) from exc
    person = visible_persons(user).filter(pnr=number.normalized).first()
    if person is None:
        raise ChildLookupError(
            "Det finns ingen person med det personnumret i registret som du har behörighet till. Kontrollera numret"
        )
    return person


def is_child_or_young(person: Person, on: date) -> bool:
    age = person.age_on(on)
    return age is not None and age < MAX_AGE


def guardians_of(person: Person, on: date) -> list[Person]:
    """Current guardians from the register (Relation guardian_of), for the case parties."""
    current = Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    valid = Q(valid_from__isnull=True) | Q(valid_from__lte=on)
    relations = (
        Relation.objects.filter(current, valid, to_person=person, kind=RelationKind.GUARDIAN_OF)
        .select_related("from_person")
        .order_by("from_person__birth_date", "from_person_id")
    )
    return [r.from_person for r in relations]


def visible_guardians(user: Any, person: Person, on: date) -> list[Person]:
    """Guardians the user may see: protected guardians are left out entirely (R-SEK-3)."""
    visible = set(
        visible_persons(user).filter(pk__in=[g.pk for g in guardians_of(person, on)]).values_list("pk", flat=True)
    )
    return [g for g in guardians_of(person, on) if g.pk in visible]


def ongoing_investigation_case(person: Person, received_on: date) -> Case | None:
    """The open child case with an investigation that was ongoing on `received_on` (R-FORH-1: the report is
    linked to it, outcome pafors_pagaende). Looked up across units: the report belongs to the investigation
    wherever it is conducted."""
    pending = Deadline.objects.filter(kind="investigation", status="pending", started_on__lte=received_on)
    return (
        Case.objects.filter(subject=person, process=ProcessCode.CHILD, status="open", deadlines__in=pending)
        .select_related("unit")
        .order_by("-opened_on")
        .first()
    )


# --- reports ------------------------------------------------------------------------------------------------


def report_intakes(case: Case) -> QuerySet[Intake]:
    return case.intakes.filter(kind=IntakeKind.REPORT).select_related("child_report", "registered_by")


def pre_assessment_intake(case: Case) -> Intake | None:
    """The report the case's pre-assessment is about: its first report not linked to an ongoing
    investigation (a case opened by a report has exactly one)."""
    return report_intakes(case).exclude(child_report__linked_to_ongoing=True).order_by("received_at", "pk").first()


def pre_assessment_decision(case: Case) -> Decision | None:
    return (
        case.decisions.filter(type="pre_assessment", status="signed")
        .select_related("delegate", "delegation_rule")
        .order_by("-signed_at")
        .first()
    )


def report_outcome(intake: Intake) -> str:
    """R-FORH-3: utredning_inleds, inleds_ej, pafors_pagaende or overlamnad; "" while undecided."""
    report = getattr(intake, "child_report", None)
    if report is not None and report.linked_to_ongoing:
        return "pafors_pagaende"
    decision = pre_assessment_decision(intake.case)
    return decision.outcome if decision else ""


def protection_assessment_for(intake: Intake) -> ProtectionAssessment | None:
    return ProtectionAssessment.objects.filter(intake=intake).select_related("signed_by").first()


def unassessed_intake(case: Case) -> Intake | None:
    """The case's report still without a signed protection assessment (R-SKYDD-1), if any."""
    return report_intakes(case).filter(protection_assessment__isnull=True).order_by("received_at", "pk").first()


@dataclass(frozen=True)
class ReportHistory:
    """A child's reports of concern in the last six months (FU-M2, the caseworker warning)."""

    count: int
    since: date
    open_investigation: bool
    flagged: bool  # at least three reports in six months and no open investigation


def repeated_reports(person: Person, today: date) -> ReportHistory:
    """Count every report about the child received in [today − 6 months, today], whichever unit holds it
    (a count, no details). Flagged when the count reaches three and no investigation is open."""
    since = add_months(today, -REPEATED_REPORTS_MONTHS)
    count = Intake.objects.filter(
        kind=IntakeKind.REPORT,
        case__subject=person,
        case__process=ProcessCode.CHILD,
        received_on__gte=since,
        received_on__lte=today,
    ).count()
    open_investigation = Investigation.objects.filter(
        case__subject=person, case__process=ProcessCode.CHILD, closed_on__isnull=True
    ).exists()
    return ReportHistory(
        count=count,
        since=since,
        open_investigation=open_investigation,
        flagged=count >= REPEATED_REPORTS_THRESHOLD and not open_investigation,
    )


@dataclass(frozen=True)
class EarlierReport:
    intake: Intake
    outcome: str


def earlier_reports(user: Any, person: Person, *, exclude_intake_id: int | None = None) -> list[EarlierReport]:
    """The child's reports in cases the user may see, newest first, including those that ended `inleds_ej`
    (R-FORH-3: relevant to a new pre-assessment; the page showing them is access-logged)."""
    decisions = Decision.objects.filter(case=OuterRef("case"), type="pre_assessment", status="signed").order_by(
        "-signed_at"
    )
    intakes = (
        Intake.objects.filter(kind=IntakeKind.REPORT, case__in=visible_cases(user), case__subject=person)
        .exclude(pk=exclude_intake_id or 0)
        .select_related("case", "child_report")
        .annotate(decision_outcome=Subquery(decisions.values("outcome")[:1]))
        .order_by("-received_at")
    )
    result = []
    for intake in intakes:
        report = getattr(intake, "child_report", None)
        linked = report is not None and report.linked_to_ongoing
        result.append(EarlierReport(intake, "pafors_pagaende" if linked else (intake.decision_outcome or "")))
    return result


# --- reporter feedback (R-INFO-1) ---------------------------------------------------------------------------


def feedback_requested(intake: Intake) -> bool:
    return intake.wants_feedback and intake.reporter_category in MANDATED_CATEGORIES


def feedback_fact(intake: Intake) -> str | None:
    """The one fact the reporter may be told (R-INFO-1, R-SEK-1); None while the pre-assessment is open."""
    outcome = report_outcome(intake)
    if outcome == "pafors_pagaende":
        return FeedbackFact.ONGOING
    if outcome == "utredning_inleds":
        return FeedbackFact.OPENED
    if outcome in ("inleds_ej", "overlamnad"):
        # `overlamnad` is `not_open` in the deadline engine: this nämnd opened no investigation.
        return FeedbackFact.NOT_OPENED
    return None


def feedback_deadline(case: Case, intake: Intake) -> Deadline | None:
    """The `reporter_feedback` deadline of this report: the first one starting on or after its arrival."""
    return (
        case.deadlines.filter(kind="reporter_feedback", started_on__gte=intake.received_on)
        .order_by("started_on", "pk")
        .first()
    )


# --- investigation ------------------------------------------------------------------------------------------


def investigation_for(case: Case) -> Investigation | None:
    """The open investigation, or else the latest one."""
    open_one = case.investigations.filter(closed_on__isnull=True).first()
    return open_one or case.investigations.order_by("-opened_on", "-pk").first()


def investigation_deadline(case: Case, investigation: Investigation) -> Deadline | None:
    return case.deadlines.filter(kind="investigation", started_on=investigation.opened_on).first()


@dataclass
class PartView:
    part: InvestigationPart
    can_start: bool
    blocked_by: str = ""

    @property
    def state(self) -> str:
        return self.part.status if self.can_start else "cannot_start"


@dataclass
class PartGroup:
    key: str
    title: Any
    parts: list[PartView] = field(default_factory=list)


def part_can_start(part: InvestigationPart, parts_by_key: dict[str, InvestigationPart]) -> bool:
    needed = PREREQUISITES.get(part.key)
    return needed is None or needed not in parts_by_key or parts_by_key[needed].status == PartStatus.DONE


def part_groups(investigation: Investigation) -> list[PartGroup]:
    parts = list(investigation.parts.all())
    by_key = {p.key: p for p in parts}
    order = [g.key for g in GROUPS] + ["free"]
    groups: dict[str, PartGroup] = {}
    for part in parts:
        group = groups.setdefault(part.group, PartGroup(part.group, GROUP_TITLES.get(part.group, part.group)))
        needed = PREREQUISITES.get(part.key, "")
        group.parts.append(
            PartView(part, part_can_start(part, by_key), by_key[needed].display_title if needed in by_key else "")
        )
    return sorted(groups.values(), key=lambda g: order.index(g.key) if g.key in order else len(order))


def completed_count(investigation: Investigation) -> tuple[int, int]:
    parts = list(investigation.parts.all())
    return sum(1 for p in parts if p.status == PartStatus.DONE), len(parts)


# --- the report register (R-FORH-3) -------------------------------------------------------------------------

OUTCOME_FILTERS = ("utredning_inleds", "inleds_ej", "pafors_pagaende", "overlamnad", "pending")


def register_intakes(
    user: Any,
    *,
    unit_id: int,
    received_from: date | None = None,
    received_to: date | None = None,
    outcome: str = "",
    person: Person | None = None,
) -> QuerySet[Intake]:
    """Reports of concern held by the unit, every outcome included: the only place where reports that
    ended `inleds_ej` can be found (R-FORH-3). Starts from `visible_cases(user)`."""
    decisions = Decision.objects.filter(case=OuterRef("case"), type="pre_assessment", status="signed").order_by(
        "-signed_at"
    )
    qs = (
        Intake.objects.filter(kind=IntakeKind.REPORT, case__in=visible_cases(user), case__unit_id=unit_id)
        .select_related("case", "case__subject", "child_report")
        .annotate(decision_outcome=Subquery(decisions.values("outcome")[:1]))
        .order_by("-received_at", "-pk")
    )
    if received_from:
        qs = qs.filter(received_on__gte=received_from)
    if received_to:
        qs = qs.filter(received_on__lte=received_to)
    if person is not None:
        qs = qs.filter(case__subject=person)
    if outcome == "pafors_pagaende":
        qs = qs.filter(child_report__linked_to_ongoing=True)
    elif outcome == "pending":
        qs = qs.exclude(child_report__linked_to_ongoing=True).filter(decision_outcome__isnull=True)
    elif outcome:
        qs = qs.exclude(child_report__linked_to_ongoing=True).filter(decision_outcome=outcome)
    return qs


def register_row_outcome(intake: Intake) -> str:
    report = getattr(intake, "child_report", None)
    if report is not None and report.linked_to_ongoing:
        return "pafors_pagaende"
    return getattr(intake, "decision_outcome", None) or ""
