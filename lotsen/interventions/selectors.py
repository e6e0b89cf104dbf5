"""Reads of interventions and placements. Case pages get their case through `lotsen.cases.selectors.load_case`;
unit lists start from `policies.visible_cases(user)`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import DateField, Exists, Func, OuterRef, Prefetch, Q, QuerySet

from lotsen.accounts.models import Membership, User
from lotsen.cases.models import Case, Decision, DecisionStatus, ProcessCode
from lotsen.cases.selectors import DeadlineView
from lotsen.core.workdays import add_months
from lotsen.interventions import conf, rules
from lotsen.interventions.models import (
    FOSTER_HOME_FORMS,
    CareReview,
    DelayReason,
    EndReason,
    Intervention,
    InterventionKind,
    Placement,
    PlacementForm,
    Provider,
    Visit,
)
from lotsen.policies.access import CASE_ROLES, LEAD_ROLES, memberships_of, sees_all_units, visible_cases

if TYPE_CHECKING:
    from lotsen.core.models import Unit


class _PlusMonths(Func):
    """PostgreSQL `date + interval 'n months'`: the same clamping as `add_months` (R-TID-3)."""

    output_field = DateField()

    def __init__(self, expression: Any, months: int) -> None:
        super().__init__(expression)
        self.template = f"((%(expressions)s) + interval '{int(months)} months')::date"


# --- one case ---------------------------------------------------------------------------------------------


@dataclass
class DecisionRow:
    """A favourable intervention decision of the case, with what has been carried out under it."""

    decision: Decision
    interventions: list[Intervention]
    today: date
    delay_reason: DelayReason | None = None

    @property
    def ongoing(self) -> Intervention | None:
        return next((i for i in self.interventions if i.end_on is None), None)

    @property
    def executed(self) -> bool:
        return bool(self.interventions)

    @property
    def waiting_since(self) -> date | None:
        """Day 0 of the R-VERK-1 clock while nothing runs: the decision date, or an interruption's end date."""
        if self.ongoing is not None:
            return None
        if not self.interventions:
            return self.decision.decided_on
        last = self.interventions[-1]
        if last.end_reason == EndReason.INTERRUPTED:
            return last.end_on
        return None

    @property
    def reportable_from(self) -> date | None:
        since = self.waiting_since
        return rules.reportable_from(since) if since else None

    @property
    def unexecuted(self) -> bool:
        """R-VERK-1: "Ej verkställd" — not carried out (or resumed) within three months."""
        start = self.reportable_from
        return start is not None and self.today >= start

    @property
    def can_start(self) -> bool:
        return self.ongoing is None


@dataclass
class PlacementCard:
    """Everything the placement card shows (UI.md page 15)."""

    placement: Placement
    today: date
    child: bool
    care_review: DeadlineView | None
    reviews: list[CareReview]
    visits: list[Visit]
    investigation_closed_on: date | None
    investigation_ongoing: bool
    visit_interval: int = field(default_factory=conf.visit_interval_months)

    @property
    def intervention(self) -> Intervention:
        return self.placement.intervention

    @property
    def last_review(self) -> CareReview | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def last_visit(self) -> Visit | None:
        return self.visits[-1] if self.visits else None

    @property
    def next_visit_on(self) -> date:
        last = self.last_visit
        return rules.next_visit_due(self.intervention.start_on, last.visited_on if last else None, self.visit_interval)

    @property
    def visit_state(self) -> str:
        due = self.next_visit_on
        if self.today > due:
            return "overdue"
        if self.today == due:
            return "today"
        if (due - self.today).days <= conf.visit_warning_days():
            return "soon"
        return "open"

    @property
    def visit_days(self) -> int:
        return abs((self.next_visit_on - self.today).days)

    @property
    def is_jourhem(self) -> bool:
        return self.placement.form == PlacementForm.JOURHEM

    @property
    def jourhem_limit(self) -> date | None:
        """R-VARD-4: two months after the child investigation was closed."""
        if not self.is_jourhem or self.investigation_closed_on is None:
            return None
        return rules.jourhem_limit(max(self.investigation_closed_on, self.intervention.start_on))

    @property
    def jourhem_exceeded(self) -> bool:
        limit = self.jourhem_limit
        return limit is not None and self.today > limit

    @property
    def care_plan_revision_by(self) -> date | None:
        return rules.care_plan_revision_by(self.intervention.start_on) if self.child else None

    @property
    def care_plan_revision_overdue(self) -> bool:
        """R-VARD-2: the two-year mark has passed and the care plan was not revised close to it (Lotsen's reading:
        a revision dated in the six months before the mark, or later, counts)."""
        by = self.care_plan_revision_by
        if by is None or self.today <= by:
            return False
        plan = self.placement.care_plan_on
        return plan is None or plan < add_months(by, -6)

    @property
    def custody_transfer_review_on(self) -> date | None:
        """R-VARD-3: for a child in a foster home."""
        if not self.child or self.placement.form not in FOSTER_HOME_FORMS:
            return None
        return rules.next_custody_transfer_review(self.intervention.start_on, self.today)


@dataclass
class CaseInterventions:
    rows: list[DecisionRow]
    placements: list[PlacementCard]
    ended_placements: list[PlacementCard]

    @property
    def unexecuted_count(self) -> int:
        return sum(1 for row in self.rows if row.unexecuted)


def case_interventions(case: Case, today: date) -> CaseInterventions:
    """The case's intervention decisions and interventions, and a card per placement (UI.md page 15)."""
    interventions = list(
        Intervention.objects.filter(case=case)
        .select_related("provider", "responsible_worker", "placement", "placement__price_agreement")
        .order_by("start_on", "id")
    )
    decisions = list(
        Decision.objects.filter(
            case=case,
            status=DecisionStatus.SIGNED,
            type__in=rules.INTERVENTION_DECISION_TYPES,
            outcome__in=rules.FAVOURABLE_OUTCOMES,
        )
        .prefetch_related(Prefetch("delay_reasons", queryset=DelayReason.objects.order_by("recorded_at", "id")))
        .order_by("decided_on", "id")
    )
    by_decision: dict[int, list[Intervention]] = {}
    for intervention in interventions:
        by_decision.setdefault(intervention.decision_id, []).append(intervention)
    rows = []
    for decision in decisions:
        reasons = list(decision.delay_reasons.all())
        rows.append(DecisionRow(decision, by_decision.get(decision.pk, []), today, reasons[-1] if reasons else None))
    placement_ids = [i.pk for i in interventions if i.kind == InterventionKind.PLACEMENT]
    reviews: dict[int, list[CareReview]] = {}
    visits: dict[int, list[Visit]] = {}
    if placement_ids:
        for review in CareReview.objects.filter(placement_id__in=placement_ids).order_by("reviewed_on", "id"):
            reviews.setdefault(review.placement_id, []).append(review)
        for visit in Visit.objects.filter(placement_id__in=placement_ids).order_by("visited_on", "id"):
            visits.setdefault(visit.placement_id, []).append(visit)
    deadlines = list(case.deadlines.all())
    care_review = next((d for d in deadlines if d.kind == "care_review"), None)
    investigations = [d for d in deadlines if d.kind == "investigation"]
    closed = [d.done_on for d in investigations if d.done_on is not None]
    child = case.process == ProcessCode.CHILD
    cards: list[PlacementCard] = []
    ended: list[PlacementCard] = []
    for intervention in interventions:
        if intervention.kind != InterventionKind.PLACEMENT:
            continue
        card = PlacementCard(
            placement=intervention.placement,
            today=today,
            child=child,
            care_review=DeadlineView(care_review, today) if care_review and child else None,
            reviews=reviews.get(intervention.pk, []),
            visits=visits.get(intervention.pk, []),
            investigation_closed_on=max(closed) if closed else None,
            investigation_ongoing=any(d.done_on is None for d in investigations),
        )
        (cards if intervention.end_on is None else ended).append(card)
    return CaseInterventions(rows=rows, placements=cards, ended_placements=ended)


def executable_decision(case: Case, decision_id: int) -> Decision | None:
    """A signed, favourable intervention decision of this case (or None: the view answers 404)."""
    return Decision.objects.filter(
        case=case,
        pk=decision_id,
        status=DecisionStatus.SIGNED,
        type__in=rules.INTERVENTION_DECISION_TYPES,
        outcome__in=rules.FAVOURABLE_OUTCOMES,
    ).first()


def case_intervention(case: Case, intervention_id: int) -> Intervention | None:
    return (
        Intervention.objects.filter(case=case, pk=intervention_id)
        .select_related("provider", "decision", "responsible_worker")
        .first()
    )


def case_placement(case: Case, intervention_id: int) -> Placement | None:
    return (
        Placement.objects.filter(intervention__case=case, pk=intervention_id)
        .select_related("intervention", "intervention__provider", "intervention__decision")
        .first()
    )


def providers() -> QuerySet[Provider]:
    return Provider.objects.filter(is_active=True).order_by("name")


def eligible_workers(case: Case) -> QuerySet[User]:
    """Who can be the responsible socialsekreterare: staff with a case role in the case's unit (R-VARD-5)."""
    members = Membership.objects.active().filter(unit_id=case.unit_id, role__in=CASE_ROLES).values("user_id")
    return User.objects.filter(Q(pk__in=members) | Q(pk=case.assignee_id)).order_by("first_name", "last_name")


# --- R-VERK-1: the unit's favourable decisions not carried out ---------------------------------------------


@dataclass(frozen=True)
class UnexecutedRow:
    decision: Decision
    case: Case
    since: date  # decision date or the date execution was interrupted
    reportable_from: date
    interrupted: bool
    executed_on: date | None  # carried out (late) on this date; None while still not carried out
    delay_reason: DelayReason | None

    @property
    def excluded(self) -> bool:
        """35:5: a postponement the person asked for is not reported."""
        return self.delay_reason is not None and self.delay_reason.requested_by_person


def report_unit_ids(user: Any) -> set[int] | None:
    """Units whose unexecuted decisions the user follows up: lead roles in their units; the head of social
    services every unit (None). Empty: no access."""
    if sees_all_units(user):
        return None
    return {m.unit_id for m in memberships_of(user) if m.role in LEAD_ROLES}


def can_see_unexecuted(user: Any) -> bool:
    ids = report_unit_ids(user)
    return ids is None or bool(ids)


def _candidate_decisions(user: Any, unit_ids: set[int] | None, on: date) -> QuerySet[Decision]:
    """Favourable intervention decisions decided by `on` in the user's visible cases, minus those carried
    out within three months and never interrupted (they can never be reportable): the rest is small."""
    cases = visible_cases(user)
    if unit_ids is not None:
        cases = cases.filter(unit_id__in=unit_ids)
    in_time = Intervention.objects.filter(
        decision_id=OuterRef("pk"), start_on__lte=_PlusMonths(OuterRef("decided_on"), rules.EXECUTION_MONTHS)
    )
    interrupted = Intervention.objects.filter(decision_id=OuterRef("pk"), end_reason=EndReason.INTERRUPTED)
    return (
        Decision.objects.filter(
            case__in=cases.values("pk"),
            status=DecisionStatus.SIGNED,
            type__in=rules.INTERVENTION_DECISION_TYPES,
            outcome__in=rules.FAVOURABLE_OUTCOMES,
            decided_on__lte=on,
        )
        .exclude(Q(Exists(in_time)) & ~Q(Exists(interrupted)))
        .select_related("case", "case__unit", "case__assignee")
        .prefetch_related(
            Prefetch("interventions", queryset=Intervention.objects.order_by("start_on", "id")),
            Prefetch("delay_reasons", queryset=DelayReason.objects.order_by("recorded_at", "id")),
        )
        .order_by("decided_on", "id")
    )


def _waits(decision: Decision, on: date) -> list[tuple[date, bool, date | None]]:
    """Each period without execution as of `on`: (day 0, interrupted?, date carried out or resumed)."""
    assert decision.decided_on is not None
    interventions = [i for i in decision.interventions.all() if i.start_on <= on]
    waits: list[tuple[date, bool, date | None]] = []
    first_start = interventions[0].start_on if interventions else None
    waits.append((decision.decided_on, False, first_start))
    for index, intervention in enumerate(interventions):
        if intervention.end_reason == EndReason.INTERRUPTED and intervention.end_on and intervention.end_on <= on:
            resumed = interventions[index + 1].start_on if index + 1 < len(interventions) else None
            waits.append((intervention.end_on, True, resumed))
    return waits


def unexecuted_decisions(user: Any, on: date, unit_ids: set[int] | None = None) -> list[UnexecutedRow]:
    """R-VERK-1 as of `on`: favourable decisions not carried out (or not resumed after an interruption) and
    reportable, i.e. `on` ≥ add_months(day 0, 3) + 1 day. `unit_ids` None = every unit the user sees."""
    rows = []
    for decision in _candidate_decisions(user, unit_ids, on):
        reasons = list(decision.delay_reasons.all())
        for since, interrupted, done_on in _waits(decision, on):
            start = rules.reportable_from(since)
            if done_on is None and on >= start:
                rows.append(
                    UnexecutedRow(
                        decision, decision.case, since, start, interrupted, None, reasons[-1] if reasons else None
                    )
                )
    return rows


@dataclass(frozen=True)
class QuarterReport:
    year: int
    quarter: int
    first_day: date
    reference_date: date
    not_executed: list[UnexecutedRow]  # not carried out on the reference date
    executed_late: list[UnexecutedRow]  # carried out late within the quarter, with the date (34:2)
    excluded: list[UnexecutedRow]  # postponed at the person's request (35:5)


def quarter_report(user: Any, year: int, quarter: int, unit_ids: set[int] | None = None) -> QuarterReport:
    """R-VERK-1 quarterly list: reference date = the quarter's last day; also the decisions carried out late
    within the quarter, with the date."""
    first, last = rules.quarter_bounds(year, quarter)
    not_executed: list[UnexecutedRow] = []
    executed_late: list[UnexecutedRow] = []
    excluded: list[UnexecutedRow] = []
    for decision in _candidate_decisions(user, unit_ids, last):
        reasons = list(decision.delay_reasons.all())
        reason = reasons[-1] if reasons else None
        for since, interrupted, done_on in _waits(decision, last):
            start = rules.reportable_from(since)
            if done_on is None and last >= start:
                row = UnexecutedRow(decision, decision.case, since, start, interrupted, None, reason)
                (excluded if row.excluded else not_executed).append(row)
            elif done_on is not None and first <= done_on <= last and done_on >= start:
                executed_late.append(UnexecutedRow(decision, decision.case, since, start, interrupted, done_on, reason))
    return QuarterReport(year, quarter, first, last, not_executed, executed_late, excluded)


def report_units(user: Any) -> list[Unit]:
    from lotsen.core.models import Unit

    ids = report_unit_ids(user)
    qs = Unit.objects.order_by("name")
    return list(qs if ids is None else qs.filter(pk__in=ids))
