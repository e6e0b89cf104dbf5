"""Writes of ekonomiskt bistånd. Every write is a keyword-only service in one transaction with its audit row.

- ``application_submit`` — a month's application (e-service or registered by a caseworker); opens the
  household's case at the first application (one open assistance case per applicant).
- ``assess`` — one norm calculation and the automation rules; a passing application is decided at once by
  the system on behalf of the accountable delegate (R-EKB-5), the others go to the caseworkers' queue with
  the reason. ``automation_batch_run`` does the same for a whole month with bulk writes.
- ``decide`` — a caseworker's decision from the calculation page (page 19): adjustments with reasons,
  bifall / delvis bifall / avslag. On an already decided application it makes a new decision that replaces
  the old one (signed decisions never change).
- ``completion_request`` / ``completion_answer``, ``attachment_add``, ``notice_record``,
  ``ruleset_save`` and the rate-table upload and activation (riksnorm.md 2.6).
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from lotsen.assistance import automation, calc, uploads
from lotsen.assistance.bulk import copy_insert
from lotsen.assistance.models import (
    Application,
    ApplicationChannel,
    ApplicationDecision,
    ApplicationMember,
    ApplicationStatus,
    Attachment,
    AutomationAssessment,
    AutomationRuleSet,
    CalculationPurpose,
    CompletionRequest,
    DecisionNotice,
    JobbstimulansWindow,
    MemberRole,
    NormCalculation,
    NormTableStatus,
    NormTableVersion,
)
from lotsen.assistance.norm import INCOME_LABELS, NormError
from lotsen.assistance.periods import add_months, month_label, month_start, month_text, months_between, parse_month
from lotsen.audit import services as audit
from lotsen.audit.models import AuditEvent
from lotsen.cases import delegation
from lotsen.cases import services as case_services
from lotsen.cases.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Decision,
    DecisionStatus,
    DecisionType,
    ProcessCode,
)
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.core.middleware import current_request_id
from lotsen.core.models import Unit, UnitKind
from lotsen.policies.access import ROLE_RANK, can_work_on_case, case_unit_ids, memberships_of

if TYPE_CHECKING:
    from lotsen.accounts.models import User
    from lotsen.people.models import Person

MAX_AMOUNT = 1_000_000
OUTCOMES = ("granted", "partly_granted", "rejected")
EVENT_APPLICATION_RECEIVED = "application_received"
EVENT_COMPLETION_REQUESTED = "completion_requested"
EVENT_COMPLETION_ANSWERED = "completion_answered"


# --- small helpers -------------------------------------------------------------------------------------------


def assistance_unit() -> Unit:
    """The Ekonomiskt bistånd unit that receives applications from the e-service."""
    unit = Unit.objects.filter(kind=UnitKind.ASSISTANCE, is_active=True).order_by("id").first()
    if unit is None:
        raise DomainError("Det finns ingen enhet för ekonomiskt bistånd.")
    return unit


def _event(case: Case, type: str, *, actor: User | None, payload: dict[str, Any], on: date | None = None) -> None:
    """Timeline event of the assistance process (no deadline rules apply to it, `process.ASSISTANCE`)."""
    CaseEvent.objects.create(case=case, type=type, occurred_on=on or timezone.localdate(), actor=actor, payload=payload)


def _amount(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(f"{what} ska anges i hela kronor.", field="amount")
    if value < 0:
        raise DomainError(f"{what} kan inte vara negativt.", field="amount")
    if value > MAX_AMOUNT:
        raise DomainError(f"{what} kan vara högst 1 000 000 kr.", field="amount")
    return value


# --- submitting an application -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildInput:
    person: Person
    lunch_away_weekdays: bool = False
    in_school: bool | None = None
    days_in_household: int | None = None


@dataclass(frozen=True)
class HouseholdInput:
    partner: Person | None = None
    children: Sequence[ChildInput] = ()
    shared_total_persons: int | None = None


@dataclass(frozen=True)
class IncomeInput:
    member: str  # "applicant" | "partner"
    type: str
    amount: int
    note: str = ""


@dataclass(frozen=True)
class CostInput:
    type: str
    amount: int
    note: str = ""


def household_snapshot(applicant: Person, household: HouseholdInput) -> dict[str, Any]:
    """The norm members (riksnorm.md 3.2) with each member's person id, copied into the application."""

    def base(person: Person, member_id: str, role: str) -> dict[str, Any]:
        return {
            "id": member_id,
            "role": role,
            "person_id": person.pk,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        }

    members = [base(applicant, "a1", MemberRole.APPLICANT)]
    if household.partner is not None:
        members.append(base(household.partner, "p1", MemberRole.PARTNER))
    children = sorted(household.children, key=lambda c: (c.person.birth_date or date.min, c.person.pk))
    for i, child in enumerate(children, start=1):
        item = base(child.person, f"c{i}", MemberRole.CHILD)
        item["lunch_away_weekdays"] = bool(child.lunch_away_weekdays)
        if child.in_school is not None:
            item["in_school"] = bool(child.in_school)
        if child.days_in_household is not None:
            item["days_in_household"] = child.days_in_household
        members.append(item)
    shared = {"total_persons": household.shared_total_persons} if household.shared_total_persons else None
    return {"members": members, "shared_household": shared}


def _validate_household(applicant: Person, household: HouseholdInput, period: date) -> None:
    persons = [applicant.pk]
    if household.partner is not None:
        persons.append(household.partner.pk)
    persons += [c.person.pk for c in household.children]
    if len(set(persons)) != len(persons):
        raise DomainError("En person kan bara finnas en gång i hushållet.", field="household")
    age = applicant.age_on(period)
    if age is not None and age < 18:
        raise DomainError("Den som ansöker måste vara minst 18 år.", field="applicant")
    for child in household.children:
        child_age = child.person.age_on(period)
        if child_age is not None and child_age > 20:
            raise DomainError("Ett barn i hushållet kan vara högst 20 år.", field="children")
        if child_age is not None and child_age >= 18 and not child.in_school:
            raise DomainError(
                "Ett barn som är 18–20 år räknas till hushållet bara när det går i skolan.", field="children"
            )
    if household.shared_total_persons is not None and household.shared_total_persons <= len(persons):
        raise DomainError(
            "Hushållsgemenskapen måste ha fler personer än den sökandes hushåll.", field="shared_total_persons"
        )


def open_case_for(applicant: Person, *, actor: User | None, unit: Unit, on: date) -> Case:
    """The applicant's open assistance case, opened at the first application (one per applicant)."""
    existing = (
        Case.objects.filter(subject=applicant, process=ProcessCode.ASSISTANCE, status=CaseStatus.OPEN)
        .order_by("id")
        .first()
    )
    if existing is not None:
        return existing
    # case_open records the actor of the audit row and timeline; an e-service application has no staff actor.
    return case_services.case_open(
        actor=cast("User", actor), subject=applicant, process_code=ProcessCode.ASSISTANCE, unit=unit, opened_on=on
    )


def previous_application(case: Case, period: date) -> Application | None:
    return (
        Application.objects.filter(case=case, period__lt=period)
        .select_related("decision")
        .prefetch_related("members")
        .order_by("-period")
        .first()
    )


def _income_lines(
    incomes: Iterable[IncomeInput], snapshot: dict[str, Any], previous: Application | None
) -> list[dict[str, Any]]:
    """Income lines with their verification: a line equal to one of the previous decided month (same person,
    type and amount) is verified by that month; anything new waits for a caseworker (automation rule 4)."""
    member_ids = {m["role"]: m["id"] for m in snapshot["members"] if m["role"] != MemberRole.CHILD}
    person_of = {m["id"]: m["person_id"] for m in snapshot["members"]}
    known: set[tuple[int, str, int]] = set()
    if previous is not None and previous.status == ApplicationStatus.DECIDED:
        previous_person = {m["id"]: m["person_id"] for m in previous.household_snapshot["members"]}
        for old in previous.incomes:
            known.add((previous_person.get(old["member_id"], 0), old["type"], old["amount"]))
    lines = []
    for income in incomes:
        if income.type not in INCOME_LABELS:
            raise DomainError("Välj en inkomsttyp i listan.", field="incomes")
        if income.member not in member_ids:
            raise DomainError("Inkomsten gäller en person som inte finns i hushållet.", field="incomes")
        amount = _amount(income.amount, INCOME_LABELS[income.type])
        if amount == 0:
            continue
        member_id = member_ids[income.member]
        line: dict[str, Any] = {"member_id": member_id, "type": income.type, "amount": amount}
        if income.type == "other":
            line["note"] = (income.note or "Övrig inkomst").strip()[:500]
        verified = (person_of[member_id], income.type, amount) in known
        line["verified"] = verified
        line["verified_by"] = "previous_month" if verified else ""
        lines.append(line)
    return lines


def _cost_lines(items: Iterable[CostInput], allowed: Sequence[str]) -> list[dict[str, Any]]:
    lines = []
    for item in items:
        if item.type not in allowed:
            raise DomainError("Välj en kostnadstyp i listan.", field="costs")
        amount = _amount(item.amount, "Beloppet")
        if amount == 0:
            continue
        line: dict[str, Any] = {"type": item.type, "amount": amount}
        if item.note.strip():
            line["note"] = item.note.strip()[:500]
        elif item.type == "other":
            line["note"] = "Övrigt"
        lines.append(line)
    return lines


@transaction.atomic
def application_submit(
    *,
    applicant: Person,
    period: date,
    channel: str,
    household: HouseholdInput,
    reasonable_costs: Iterable[CostInput] = (),
    other_needs: Iterable[CostInput] = (),
    incomes: Iterable[IncomeInput] = (),
    changed: dict[str, bool] | None = None,
    message: str = "",
    other_needs_text: str = "",
    attachments: Iterable[Attachment] = (),
    declaration: bool = False,
    registered_by: User | None = None,
    idempotency_key: str | None = None,
    submitted_at: datetime | None = None,
) -> Application:
    """Store a month's application; the case is opened at the first one. Assessment is a separate step
    (``assess``), so that an application is never lost when the automation cannot run."""
    from lotsen.assistance.codes import COST_TYPES, OTHER_NEED_TYPES
    from lotsen.people.models import Person

    if idempotency_key:
        existing = Application.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing  # "Skicka ansökan" pressed twice: the first submission stands
    if channel not in ApplicationChannel.values:
        raise DomainError("Okänd kanal.", field="channel")
    if channel == ApplicationChannel.CASEWORKER and registered_by is None:
        raise PermissionDeniedError("En ansökan som registreras av en handläggare måste ha en handläggare.")
    if channel == ApplicationChannel.E_SERVICE and not declaration:
        # R-AKRAV-1: the applicant confirms the information and knows the consequences of wrong information.
        raise DomainError("Bekräfta att uppgifterna är riktiga och fullständiga", field="declaration")
    now = submitted_at or timezone.now()
    today = timezone.localdate(now)
    if period.day != 1:
        raise DomainError("Biståndsmånaden måste vara en hel månad.", field="period")
    if period > add_months(month_start(today), 1):
        raise DomainError("Du kan ansöka för den här månaden eller nästa månad.", field="period")
    # Serialise the applicant's applications (one open case, one application per month).
    applicant = Person.objects.select_for_update().get(pk=applicant.pk)
    _validate_household(applicant, household, period)
    snapshot = household_snapshot(applicant, household)
    unit = assistance_unit()
    if registered_by is not None:
        own = [m.unit for m in memberships_of(registered_by) if m.unit.kind == UnitKind.ASSISTANCE]
        unit = own[0] if own else unit
    case = open_case_for(applicant, actor=registered_by, unit=unit, on=today)
    if registered_by is not None and not can_work_on_case(registered_by, case):
        raise PermissionDeniedError("Du har inte behörighet att registrera ansökningar i det här ärendet.")
    if Application.objects.filter(case=case, period=period).exists():
        raise DomainError(f"Det finns redan en ansökan för {month_label(period)}.", field="period")
    previous = previous_application(case, period)
    income_lines = _income_lines(incomes, snapshot, previous)
    costs = {
        "reasonable_costs": _cost_lines(reasonable_costs, COST_TYPES),
        "other_needs": _cost_lines(other_needs, OTHER_NEED_TYPES),
    }
    flags: list[str] = []
    if costs["other_needs"] or other_needs_text.strip():
        flags.append("other_needs")
    if message.strip():
        flags.append("message")
    if other_needs_text.strip():
        # The applicant asks for help beyond försörjningsstöd (livsföring i övrigt): the caseworker assesses it.
        message = f"Behöver hjälp med: {other_needs_text.strip()}\n\n{message.strip()}".strip()
    if previous is not None and previous.require_manual_next:
        flags.append("manual_review")
    application = Application.objects.create(
        case=case,
        period=period,
        channel=channel,
        submitted_at=now,
        received_on=today,
        registered_by=registered_by,
        household_snapshot=snapshot,
        costs=costs,
        incomes=income_lines,
        changed_circumstances=dict(changed or {}),
        previous=previous,
        message=message.strip(),
        declaration_accepted_at=now if declaration else None,
        flags=flags,
        idempotency_key=idempotency_key or None,
    )
    previous_barriers = {}
    if previous is not None:
        previous_barriers = {m.person_id: m.barrier_to_self_support for m in previous.members.all()}
    ApplicationMember.objects.bulk_create(
        [
            ApplicationMember(
                application=application,
                person_id=m["person_id"],
                member_id=m["id"],
                role=m["role"],
                barrier_to_self_support=previous_barriers.get(m["person_id"], "") if m["role"] != "child" else "",
            )
            for m in snapshot["members"]
        ]
    )
    linked = [a.pk for a in attachments]
    if linked:
        updated = Attachment.objects.filter(pk__in=linked, owner=applicant, application__isnull=True).update(
            application=application
        )
        if updated != len(linked):
            raise DomainError("En bilaga hör inte till den här ansökan.", field="attachments")
    audit.record(
        actor=registered_by,
        action="assistance.application_submitted",
        obj=application,
        after={"id": application.pk, "case": case.number, "period": month_text(period), "channel": channel},
    )
    _event(
        case,
        EVENT_APPLICATION_RECEIVED,
        actor=registered_by,
        payload={"application_id": application.pk, "period": month_text(period), "channel": channel},
        on=today,
    )
    return application


# --- context for calculation and rules (bulk-friendly) -------------------------------------------------------


@dataclass
class _Context:
    jobbstimulans: dict[str, dict[str, Any]] = field(default_factory=dict)
    previous: Application | None = None
    previous_adjustments: list[dict[str, Any]] = field(default_factory=list)
    automated_in_a_row: int = 0


def jobbstimulans_data(
    adults: dict[int, date],
    *,
    history: dict[int, set[date]] | None = None,
    windows: dict[int, list[tuple[date, date]]] | None = None,
) -> dict[int, dict[str, Any]]:
    """RN-A11/RN-E10: per adult person id (→ the period asked about): the stored window covering the period,
    or the number of consecutive granted months right before it (after the end of an expired window)."""
    person_ids = list(adults)
    result: dict[int, dict[str, Any]] = {}
    if history is None:
        history = _granted_months(person_ids, min(adults.values(), default=date.today()))
    if windows is None:
        windows = defaultdict(list)
        for w in JobbstimulansWindow.objects.filter(person_id__in=person_ids):
            windows[w.person_id].append((w.start_month, w.end_month))
    for person_id, period in adults.items():
        own = windows.get(person_id, [])
        covering = [start for start, end in own if start <= period <= end]
        if covering:
            result[person_id] = {"window_start": month_text(max(covering))}
            continue
        last_end = max((end for _start, end in own if end < period), default=None)
        months = history.get(person_id, set())
        n = 0
        month = add_months(period, -1)
        while month in months and (last_end is None or month > last_end):
            n += 1
            month = add_months(month, -1)
        result[person_id] = {"months_in_a_row_before": n}
    return result


def _granted_months(person_ids: Sequence[int], earliest_period: date) -> dict[int, set[date]]:
    rows = ApplicationMember.objects.filter(
        person_id__in=person_ids,
        role__in=(MemberRole.APPLICANT, MemberRole.PARTNER),
        application__status=ApplicationStatus.DECIDED,
        application__granted_amount__gt=0,
        application__period__gte=add_months(earliest_period, -60),
    ).values_list("person_id", "application__period")
    history: dict[int, set[date]] = defaultdict(set)
    for person_id, period in rows:
        history[person_id].add(period)
    return history


def _contexts(applications: Sequence[Application]) -> dict[int, _Context]:
    """Everything the calculation and the rules need beyond the application itself, in a few queries."""
    contexts = {a.pk: _Context() for a in applications}
    if not applications:
        return contexts
    previous_ids = [a.previous_id for a in applications if a.previous_id]
    previous = {
        p.pk: p
        for p in Application.objects.filter(pk__in=previous_ids).only(
            "id", "case_id", "period", "status", "granted_amount", "decision_id", "household_snapshot", "costs",
            "incomes", "require_manual_next",
        )
    }  # fmt: skip
    # Only the adjustments of last month's deciding calculation (not its whole norm result).
    adjustments = dict(
        ApplicationDecision.objects.filter(
            application_id__in=previous_ids, decision_id__in=[p.decision_id for p in previous.values() if p.decision_id]
        ).values_list("application_id", "calculation__adjustments")
    )
    adults: dict[int, date] = {}
    for app in applications:
        for m in app.household_snapshot["members"]:
            if m["role"] != MemberRole.CHILD:
                adults[m["person_id"]] = min(adults.get(m["person_id"], app.period), app.period)
    # One person is in one application per batch in practice; the earliest period is used for the history.
    history = _granted_months(list(adults), min(adults.values())) if adults else {}
    windows: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for w in JobbstimulansWindow.objects.filter(person_id__in=list(adults)):
        windows[w.person_id].append((w.start_month, w.end_month))
    case_ids = {a.case_id for a in applications}
    earliest = min(a.period for a in applications)
    recent: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for case_id, period, automated in (
        Application.objects.filter(
            case_id__in=case_ids, status=ApplicationStatus.DECIDED, period__gte=add_months(earliest, -24)
        )
        .order_by("-period")
        .values_list("case_id", "period", "automated")
    ):
        recent[case_id].append((period, automated))
    for app in applications:
        ctx = contexts[app.pk]
        ctx.previous = previous.get(app.previous_id) if app.previous_id else None
        if app.previous_id in adjustments:
            ctx.previous_adjustments = list(adjustments[app.previous_id] or [])
        own_adults = {
            m["person_id"]: app.period for m in app.household_snapshot["members"] if m["role"] != MemberRole.CHILD
        }
        data = jobbstimulans_data(own_adults, history=history, windows=windows)
        ctx.jobbstimulans = {
            m["id"]: data[m["person_id"]] for m in app.household_snapshot["members"] if m["role"] != MemberRole.CHILD
        }
        streak = 0
        for period, automated in recent[app.case_id]:
            if period >= app.period:
                continue
            if not automated:
                break
            streak += 1
        ctx.automated_in_a_row = streak
    return contexts


def _carry_over(app: Application, ctx: _Context) -> tuple[list[calc.Adjustment], bool]:
    """Last month's adjustments apply again when the lines they adjust are still there in the same order."""
    if not ctx.previous_adjustments or ctx.previous is None:
        return [], True
    carried = []
    now = {
        "cost": [line["type"] for line in app.costs.get("reasonable_costs", [])],
        "other_need": [line["type"] for line in app.costs.get("other_needs", [])],
    }
    before = {
        "cost": [line["type"] for line in ctx.previous.costs.get("reasonable_costs", [])],
        "other_need": [line["type"] for line in ctx.previous.costs.get("other_needs", [])],
    }
    for item in ctx.previous_adjustments:
        adj = calc.Adjustment.from_dict(item)
        if adj.kind == "norm":
            carried.append(adj)
            continue
        if now[adj.kind] != before[adj.kind] or adj.index is None or adj.index >= len(now[adj.kind]):
            return [], False
        carried.append(adj)
    try:
        calc.validate_adjustments(app.costs, carried)
    except DomainError:
        return [], False
    return carried, True


def _facts(
    app: Application,
    ctx: _Context,
    result: dict[str, Any] | None,
    error: str | None,
    delegate: tuple[str | None, str | None],
    extra_flags: Sequence[str] = (),
) -> automation.Facts:
    prev = ctx.previous
    previous_costs: dict[str, int] | None = None
    if prev is not None:
        previous_costs = defaultdict(int)
        for line in prev.costs.get("reasonable_costs", []):
            previous_costs[line["type"]] += line["amount"]
        previous_costs = dict(previous_costs)
    costs: dict[str, int] = defaultdict(int)
    for line in app.costs.get("reasonable_costs", []):
        costs[line["type"]] += line["amount"]
    return automation.Facts(
        period=app.period,
        previous_period=prev.period if prev is not None and prev.status == ApplicationStatus.DECIDED else None,
        previous_granted=bool(
            prev is not None and prev.status == ApplicationStatus.DECIDED and (prev.granted_amount or 0) > 0
        ),
        members=tuple(sorted((m["person_id"], m["role"]) for m in app.household_snapshot["members"])),
        previous_members=(
            tuple(sorted((m["person_id"], m["role"]) for m in prev.household_snapshot["members"]))
            if prev is not None
            else None
        ),
        changed=dict(app.changed_circumstances or {}),
        unverified_incomes=tuple(
            (INCOME_LABELS.get(line["type"], line["type"]), line["amount"])
            for line in app.incomes
            if not line.get("verified")
        ),
        incomes_count=len(app.incomes),
        costs=dict(costs),
        previous_costs=previous_costs,
        flags=(*app.flags, *extra_flags),
        entitlement=result["entitlement"] if result else None,
        surplus=result["surplus"] if result else 0,
        calculation_error=error,
        warnings=tuple(w["message"] for w in result["warnings"]) if result else (),
        automated_in_a_row=ctx.automated_in_a_row,
        delegate=delegate[0],
        delegate_problem=delegate[1],
    )


def active_rule_set() -> AutomationRuleSet | None:
    return (
        AutomationRuleSet.objects.filter(active=True, valid_from__lte=timezone.localdate())
        .select_related("accountable_delegate")
        .first()
    )


def _role_label(user: User, unit_id: int) -> str:
    from lotsen.accounts.models import Role

    best = None
    for m in memberships_of(user):
        if m.unit_id == unit_id and (best is None or ROLE_RANK.get(m.role, 0) > ROLE_RANK.get(best, 0)):
            best = m.role
    return str(Role(best).label) if best else ""


def delegate_check(
    rule_set: AutomationRuleSet, case: Case | None = None, *, unit_id: int | None = None, on: date | None = None
) -> tuple[str | None, str | None]:
    """(description, problem): may the accountable delegate decide financial assistance in this unit?"""
    user = rule_set.accountable_delegate
    if user is None:
        return None, "Ingen ansvarig delegat är utsedd i automatiseringsreglerna."
    unit = unit_id if unit_id is not None else (case.unit_id if case else None)
    rule = delegation.rule_for(DecisionType.FINANCIAL_ASSISTANCE, on or timezone.localdate())
    label = f"{user.display_name}"
    if rule is None:
        return label, "Delegationsordningen saknar en punkt för beslut om ekonomiskt bistånd."
    role = _role_label(user, unit) if unit is not None else ""
    label = f"{user.display_name} ({role}), delegationsordningen punkt {rule.point}" if role else label
    if (
        not user.is_active
        or unit is None
        or unit not in case_unit_ids(user)
        or not delegation.may_sign(user, rule, unit)
    ):
        return label, "Den ansvariga delegaten kan inte fatta beslut om ekonomiskt bistånd i ärendets enhet."
    return label, None


# --- decisions: texts, payload and explanation ---------------------------------------------------------------


def _category_totals(result: dict[str, Any], granted: int) -> dict[str, int]:
    other = min(result["other_needs_total"], granted)
    return {"forsorjningsstod": granted - other, "livsforing_ovrigt": other}


def decision_payload(app: Application, calculation: NormCalculation, outcome: str, automated: bool) -> dict[str, Any]:
    result = calculation.result
    granted = 0 if outcome == "rejected" else result["entitlement"]
    lines = [{"code": "norm", "label": "Riksnorm", "amount": result["norm_total"], "category": "forsorjningsstod"}]
    for line in result["reasonable_cost_lines"]:
        lines.append(
            {"code": line["code"], "label": line["label"], "amount": line["amount"], "category": "forsorjningsstod"}
        )
    for line in result["other_need_lines"]:
        lines.append(
            {"code": line["code"], "label": line["label"], "amount": line["amount"], "category": "livsforing_ovrigt"}
        )
    if result["income_counted_total"]:
        lines.append(
            {
                "code": "income",
                "label": "Inkomster som räknas",
                "amount": -result["income_counted_total"],
                "category": "forsorjningsstod",
            }
        )
    return {
        "application_id": app.pk,
        "calculation_id": calculation.pk,
        "period": month_text(app.period),
        "granted_total": granted,
        "category_totals": _category_totals(result, granted),
        "lines": lines,
        "automated": automated,
    }


def decision_text(name: str, period: date, outcome: str, amount: int) -> str:
    month = month_label(period)
    from lotsen.assistance.automation import kr

    if outcome == "granted":
        return f"Socialnämnden beviljar {name} ekonomiskt bistånd (försörjningsstöd) med {kr(amount)} för {month}."
    if outcome == "partly_granted":
        return (
            f"Socialnämnden beviljar {name} ekonomiskt bistånd med {kr(amount)} för {month}. Ansökan avslås i övrigt."
        )
    return f"Socialnämnden avslår {name}s ansökan om ekonomiskt bistånd för {month}."


def _person_view(app: Application) -> str:
    channel = "e-tjänsten" if app.channel == ApplicationChannel.E_SERVICE else "handläggaren"
    return (
        f"Den sökande har ansökt om ekonomiskt bistånd för {month_label(app.period)} "
        f"(inkommen {app.received_on.isoformat()} via {channel})."
    )


def _automated_reasons(result: dict[str, Any]) -> str:
    from lotsen.assistance.automation import kr

    return (
        f"Hushållets behov enligt riksnormen och skäliga kostnader är {kr(result['need_total'])}. "
        f"Inkomster som räknas är {kr(result['income_counted_total'])}. Hushållet har därför rätt till "
        f"{kr(result['entitlement'])} (socialtjänstlagen 12 kap. 1 och 7 §§). Ansökan uppfyller nämndens "
        "regler för automatiserade beslut."
    )


def _explanation(
    *,
    automated: bool,
    calculation: NormCalculation,
    assessment: AutomationAssessment | None,
    rule_set: AutomationRuleSet | None,
    delegate: str | None,
    carried: Sequence[calc.Adjustment] = (),
) -> dict[str, Any]:
    return {
        "schema": "lotsen.assistance.explanation/1",
        "automated": automated,
        "calculation_id": calculation.pk,
        "table_year": calculation.table_year,
        "table_version": calculation.table_version,
        "engine_version": calculation.engine_version,
        "norm_result": calculation.result,
        "adjustments": calculation.adjustments,
        "carried_adjustments": [a.as_dict() for a in carried],
        "assessment_id": assessment.pk if assessment else None,
        "rule_set": (
            {"id": rule_set.pk, "version": rule_set.version, "valid_from": rule_set.valid_from.isoformat()}
            if rule_set
            else None
        ),
        "rules": assessment.results if assessment else [],
        "accountable_delegate": delegate,
    }


def _store_windows(app: Application, result: dict[str, Any]) -> list[JobbstimulansWindow]:
    """RN-A11: a window the engine opened this month is stored for the person (3.7)."""
    person_of = {m["id"]: m["person_id"] for m in app.household_snapshot["members"]}
    period = month_text(app.period)
    rows = []
    for entry in result.get("jobbstimulans", []):
        if entry.get("window_start") == period and entry.get("window_end"):
            rows.append(
                JobbstimulansWindow(
                    person_id=person_of[entry["member_id"]],
                    start_month=app.period,
                    end_month=parse_month(entry["window_end"]),
                    opened_by=app,
                )
            )
    return rows


# --- assessment and the automated decision -------------------------------------------------------------------


def _calculate(app: Application, ctx: _Context, tables: Any = None, settings: dict[str, Any] | None = None):
    carried, complete = _carry_over(app, ctx)
    document = calc.application_input(app, jobbstimulans=ctx.jobbstimulans, adjustments=carried)
    try:
        result = calc.run(document, tables=tables, settings=settings)
        error = None
    except NormError as exc:
        result, error = None, exc.message
    extra = () if complete else ("previous_adjustments",)
    return document, result, error, carried, extra


@transaction.atomic
def assess(application: Application) -> AutomationAssessment | None:
    """One norm calculation and the rules; decide at once when every rule passes (e-service: "within
    seconds"). Without an active rule set the application simply waits for a caseworker."""
    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("case", "case__subject")
        .get(pk=application.pk)
    )
    if app.status not in (ApplicationStatus.RECEIVED,):
        return app.latest_assessment
    ctx = _contexts([app])[app.pk]
    document, result, error, carried, extra = _calculate(app, ctx)
    calculation = None
    if result is not None:
        calculation = NormCalculation.objects.create(
            application=app,
            purpose=CalculationPurpose.ASSESSMENT,
            input=document,
            result=result,
            table_year=result["table"]["year"],
            table_version=result["table"]["table_version"],
            engine_version=result["engine_version"],
            adjustments=[a.as_dict() for a in carried],
            entitlement=result["entitlement"],
        )
    rule_set = active_rule_set()
    if rule_set is None:
        app.status = ApplicationStatus.READY
        app.save(update_fields=["status", "updated_at"])
        return None
    delegate = delegate_check(rule_set, app.case)
    flags = [*extra]
    facts = _facts(app, ctx, result, error, delegate, flags)
    passed, results = automation.evaluate(rule_set.rules, facts)
    assessment = AutomationAssessment.objects.create(
        application=app, rule_set=rule_set, calculation=calculation, passed=passed, results=results
    )
    app.latest_assessment = assessment
    if not passed or calculation is None:
        app.status = ApplicationStatus.READY
        app.save(update_fields=["status", "latest_assessment", "updated_at"])
        audit.record(
            actor=None, action="assistance.assessed", obj=assessment, after={"application": app.pk, "passed": False}
        )
        return assessment
    _decide_automated(app, calculation, assessment, rule_set, delegate[0], carried)
    return assessment


def _decide_automated(
    app: Application,
    calculation: NormCalculation,
    assessment: AutomationAssessment,
    rule_set: AutomationRuleSet,
    delegate_text: str | None,
    carried: Sequence[calc.Adjustment],
) -> Decision:
    delegate = rule_set.accountable_delegate
    assert delegate is not None
    result = calculation.result
    amount = result["entitlement"]
    decision = case_services.decision_prepare(
        actor=delegate,
        case=app.case,
        type=DecisionType.FINANCIAL_ASSISTANCE,
        outcome="granted",
        decision_text=decision_text(app.case.subject.full_name, app.period, "granted", amount),
        reasons=_automated_reasons(result),
        person_view=_person_view(app),
        payload=decision_payload(app, calculation, "granted", True),
    )
    decision.explanation = _explanation(
        automated=True,
        calculation=calculation,
        assessment=assessment,
        rule_set=rule_set,
        delegate=delegate_text,
        carried=carried,
    )
    decision.save(update_fields=["explanation"])
    decision = case_services.decision_sign(actor=delegate, decision=decision)
    ApplicationDecision.objects.create(
        application=app, decision=decision, calculation=calculation, assessment=assessment, automated=True
    )
    app.status = ApplicationStatus.DECIDED
    app.decision = decision
    app.granted_amount = Decimal(amount)
    app.automated = True
    app.save(update_fields=["status", "decision", "granted_amount", "automated", "latest_assessment", "updated_at"])
    JobbstimulansWindow.objects.bulk_create(_store_windows(app, result), ignore_conflicts=True)
    audit.record(
        actor=None,
        action="assistance.automated_decision",
        obj=app,
        after={
            "application": app.pk,
            "decision": decision.pk,
            "rule_set": rule_set.version,
            "accountable_delegate": delegate.pk,
        },
    )
    return decision


# --- the caseworker's decision (page 19) ---------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    document: dict[str, Any]
    result: dict[str, Any] | None
    error: str | None


def preview(application: Application, adjustments: Sequence[calc.Adjustment]) -> Preview:
    """The calculation with these adjustments, not stored (the page's "Beräkna igen" and htmx updates)."""
    ctx = _contexts([application])[application.pk]
    document = calc.application_input(application, jobbstimulans=ctx.jobbstimulans, adjustments=list(adjustments))
    try:
        return Preview(document, calc.run(document), None)
    except NormError as exc:
        return Preview(document, None, exc.message)


def carried_adjustments(application: Application) -> list[calc.Adjustment]:
    """What the calculation page starts from: the current decision's adjustments, else last month's."""
    if application.decision_id:
        link = ApplicationDecision.objects.filter(decision_id=application.decision_id).select_related("calculation")
        current = link.first()
        if current is not None:
            return [calc.Adjustment.from_dict(a) for a in current.calculation.adjustments]
    ctx = _contexts([application])[application.pk]
    return _carry_over(application, ctx)[0]


def _reductions(adjustments: Sequence[calc.Adjustment]) -> bool:
    return any(a.amount < 0 for a in adjustments)


@transaction.atomic
def decide(
    *,
    actor: User,
    application: Application,
    outcome: str,
    reasons: str,
    adjustments: Sequence[calc.Adjustment] = (),
    barriers: dict[str, str] | None = None,
    require_manual_next: bool = False,
    require_manual_reason: str = "",
    based_on_decision_id: int | None = None,
) -> Decision:
    """Bifall, delvis bifall or avslag by the caseworker (who must be a delegate, R-DEL-1). On a decided
    application the new decision replaces the current one (``Decision.replaces``)."""
    from lotsen.assistance.codes import BARRIERS

    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("case", "case__subject", "decision")
        .get(pk=application.pk)
    )
    if not can_work_on_case(actor, app.case):
        raise PermissionDeniedError("Du har inte behörighet att arbeta i det här ärendet.")
    if app.decision_id != based_on_decision_id:
        raise DomainError("Ansökan har fått ett nytt beslut sedan sidan visades. Läs in sidan igen.", field="outcome")
    if outcome not in OUTCOMES:
        raise DomainError("Välj beslut", field="outcome")
    if not reasons.strip():
        raise DomainError("Skriv motiveringen till beslutet", field="reasons")
    calc.validate_adjustments(app.costs, list(adjustments))
    adults = [m for m in app.household_snapshot["members"] if m["role"] != MemberRole.CHILD]
    chosen = barriers or {}
    for member in adults:
        code = chosen.get(member["id"], "")
        if code not in BARRIERS:
            raise DomainError("Välj försörjningshinder för varje vuxen i hushållet", field=f"barrier_{member['id']}")
    if require_manual_next and not require_manual_reason.strip():
        raise DomainError("Skriv varför nästa ansökan ska prövas av en handläggare", field="require_manual_reason")
    ctx = _contexts([app])[app.pk]
    document = calc.application_input(app, jobbstimulans=ctx.jobbstimulans, adjustments=list(adjustments))
    try:
        result = calc.run(document)
    except NormError as exc:
        raise DomainError(f"Beräkningen kan inte göras: {exc.message}", field="adjustments") from exc
    entitlement = result["entitlement"]
    if outcome in ("granted", "partly_granted") and entitlement <= 0:
        raise DomainError("Beräkningen ger inget bistånd. Välj Avslå eller ändra justeringarna", field="outcome")
    if outcome == "granted" and _reductions(adjustments):
        raise DomainError("Du har sänkt en post. Välj Bevilja delvis eller ta bort sänkningen", field="outcome")
    if outcome == "partly_granted" and not _reductions(adjustments):
        raise DomainError(
            "Bevilja delvis kräver att minst en post är sänkt eller avslagen med motivering", field="outcome"
        )
    calculation = NormCalculation.objects.create(
        application=app,
        purpose=CalculationPurpose.DECISION,
        input=document,
        result=result,
        table_year=result["table"]["year"],
        table_version=result["table"]["table_version"],
        engine_version=result["engine_version"],
        adjustments=[a.as_dict() for a in adjustments],
        entitlement=entitlement,
        created_by=actor,
    )
    amount = 0 if outcome == "rejected" else entitlement
    replaced = app.decision
    decision = case_services.decision_prepare(
        actor=actor,
        case=app.case,
        type=DecisionType.FINANCIAL_ASSISTANCE,
        outcome=outcome,
        decision_text=decision_text(app.case.subject.full_name, app.period, outcome, amount),
        reasons=reasons.strip(),
        person_view=_person_view(app),
        payload=decision_payload(app, calculation, outcome, False),
    )
    decision.explanation = _explanation(
        automated=False,
        calculation=calculation,
        assessment=app.latest_assessment,
        rule_set=app.latest_assessment.rule_set if app.latest_assessment else None,
        delegate=None,
    )
    decision.replaces = replaced
    decision.save(update_fields=["explanation", "replaces"])
    decision = case_services.decision_sign(actor=actor, decision=decision)
    ApplicationDecision.objects.create(application=app, decision=decision, calculation=calculation, automated=False)
    before = audit.snapshot(app)
    app.status = ApplicationStatus.DECIDED
    app.decision = decision
    app.granted_amount = Decimal(amount)
    app.automated = False
    app.require_manual_next = require_manual_next
    app.require_manual_reason = require_manual_reason.strip() if require_manual_next else ""
    app.save(
        update_fields=[
            "status",
            "decision",
            "granted_amount",
            "automated",
            "require_manual_next",
            "require_manual_reason",
            "updated_at",
        ]
    )
    for member in app.members.filter(role__in=(MemberRole.APPLICANT, MemberRole.PARTNER)):
        code = chosen[member.member_id]
        if member.barrier_to_self_support != code:
            member.barrier_to_self_support = code
            member.save(update_fields=["barrier_to_self_support"])
    JobbstimulansWindow.objects.bulk_create(_store_windows(app, result), ignore_conflicts=True)
    audit.record(
        actor=actor,
        action="assistance.decided",
        obj=app,
        before=before,
        after={
            "application": app.pk,
            "decision": decision.pk,
            "outcome": outcome,
            "amount": amount,
            "replaces": replaced.pk if replaced else None,
        },
    )
    return decision


# --- completion, attachments, notices ------------------------------------------------------------------------


@transaction.atomic
def completion_request(*, actor: User, application: Application, message: str, due_on: date) -> CompletionRequest:
    """ "Begär komplettering": what to send and by when (R-TID-4: an individual's last day is moved to the
    next working day when it falls on a weekend or holiday)."""
    from lotsen.core.workdays import sunday_rule

    app = Application.objects.select_for_update(of=("self",)).select_related("case").get(pk=application.pk)
    if not can_work_on_case(actor, app.case):
        raise PermissionDeniedError("Du har inte behörighet att arbeta i det här ärendet.")
    if app.status == ApplicationStatus.DECIDED:
        raise DomainError("Ansökan är redan beslutad.", field="message")
    if not message.strip():
        raise DomainError("Skriv vad den sökande ska komplettera med", field="message")
    if due_on < timezone.localdate():
        raise DomainError("Sista dag för komplettering kan inte vara tidigare än i dag", field="due_on")
    request = CompletionRequest.objects.create(
        application=app, message=message.strip(), due_on=sunday_rule(due_on), requested_by=actor
    )
    before = audit.snapshot(app)
    app.status = ApplicationStatus.NEEDS_COMPLETION
    app.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="assistance.completion_requested", obj=request)
    audit.record(actor=actor, action="assistance.application_status", obj=app, before=before)
    _event(
        app.case,
        EVENT_COMPLETION_REQUESTED,
        actor=actor,
        payload={"application_id": app.pk, "due_on": request.due_on.isoformat()},
    )
    return request


@transaction.atomic
def completion_answer(
    *, applicant: Person, application: Application, answer: str, attachments: Iterable[Attachment] = ()
) -> CompletionRequest:
    """The applicant's completion (e-service): the application goes back to the caseworker's queue."""
    app = Application.objects.select_for_update(of=("self",)).select_related("case").get(pk=application.pk)
    if app.case.subject_id != applicant.pk:
        raise PermissionDeniedError("Ansökan hör inte till dig.")
    request = app.completion_requests.filter(answered_at__isnull=True).first()
    if request is None or app.status != ApplicationStatus.NEEDS_COMPLETION:
        raise DomainError("Det finns ingen begäran om komplettering att svara på.", field="answer")
    files = list(attachments)
    if not answer.strip() and not files:
        raise DomainError("Skriv ett svar eller ladda upp en fil", field="answer")
    request.answered_at = timezone.now()
    request.answer = answer.strip()
    request.save(update_fields=["answered_at", "answer"])
    if files:
        Attachment.objects.filter(pk__in=[a.pk for a in files], owner=applicant, application__isnull=True).update(
            application=app
        )
    app.status = ApplicationStatus.READY
    if "completion_answered" not in app.flags:
        app.flags = [*app.flags, "completion_answered"]
    app.save(update_fields=["status", "flags", "updated_at"])
    audit.record(actor=None, action="assistance.completion_answered", obj=request)
    _event(app.case, EVENT_COMPLETION_ANSWERED, actor=None, payload={"application_id": app.pk})
    return request


@transaction.atomic
def attachment_add(
    *,
    owner: Person,
    file: Any,
    kind: str = "other",
    uploaded_by: User | None = None,
    application: Application | None = None,
) -> Attachment:
    """Check (type by content, size) and store an upload under a random name (no personal data in paths)."""
    from lotsen.assistance.models import AttachmentKind

    name = getattr(file, "name", "") or ""
    content_type, sha256, size = uploads.check(file, name, getattr(file, "size", None))
    if kind not in AttachmentKind.values:
        kind = AttachmentKind.OTHER
    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}[content_type]
    attachment = Attachment(
        application=application,
        owner=owner,
        original_name=name.replace("/", "_").replace("\\", "_")[-200:],
        kind=kind,
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=uploaded_by,
    )
    file.seek(0)
    attachment.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(file.read()), save=False)
    attachment.save()
    audit.record(
        actor=uploaded_by,
        action="assistance.attachment_added",
        obj=attachment,
        after={"id": attachment.pk, "size": size, "sha256": sha256, "type": content_type},
    )
    return attachment


@transaction.atomic
def attachment_check(*, actor: User, attachment: Attachment) -> Attachment:
    if attachment.application is None or not can_work_on_case(actor, attachment.application.case):
        raise PermissionDeniedError("Du har inte behörighet att arbeta i det här ärendet.")
    if attachment.checked_at is None:
        attachment.checked_at = timezone.now()
        attachment.checked_by = actor
        attachment.save(update_fields=["checked_at", "checked_by"])
        audit.record(actor=actor, action="assistance.attachment_checked", obj=attachment)
    return attachment


@transaction.atomic
def notice_record(
    *, decision: Decision, channel: str, on: date | None = None, recorded_by: User | None = None
) -> DecisionNotice:
    """R-BESL-3: the day the applicant learned of the decision; the first record stands."""
    notice, created = DecisionNotice.objects.get_or_create(
        decision=decision,
        defaults={"notified_on": on or timezone.localdate(), "channel": channel, "recorded_by": recorded_by},
    )
    if created:
        audit.record(actor=recorded_by, action="assistance.decision_notified", obj=notice)
    return notice


# --- automation rules (system administrator) -----------------------------------------------------------------


def _require_admin(actor: User) -> None:
    from lotsen.accounts.models import Role
    from lotsen.policies.access import roles

    if Role.SYSTEM_ADMIN not in roles(actor):
        raise PermissionDeniedError("Bara systemförvaltare kan ändra det här.")


def _next_version(model: type[AutomationRuleSet], today: date) -> str:
    count = model.objects.filter(version__startswith=f"{today.year}.").count()
    return f"{today.year}.{count + 1}"


@transaction.atomic
def ruleset_save(
    *,
    actor: User,
    rules: list[dict[str, Any]],
    valid_from: date,
    accountable_delegate: User | None,
    adopted_by: str = "",
) -> AutomationRuleSet:
    """A new version of the rules, active at once; the previous version is kept for old assessments."""
    _require_admin(actor)
    try:
        normalised = automation.normalise(rules)
    except automation.RuleSetError as exc:
        raise DomainError(str(exc), field="rules") from exc
    if valid_from > timezone.localdate():
        raise DomainError("Datumet kan inte vara senare än i dag", field="valid_from")
    if accountable_delegate is not None:
        rule = delegation.rule_for(DecisionType.FINANCIAL_ASSISTANCE, timezone.localdate())
        units = [m.unit_id for m in memberships_of(accountable_delegate) if m.unit.kind == UnitKind.ASSISTANCE]
        if rule is None or not any(
            u in case_unit_ids(accountable_delegate) and delegation.may_sign(accountable_delegate, rule, u)
            for u in units
        ):
            raise DomainError(
                "Välj en person som enligt delegationsordningen får fatta beslut om ekonomiskt bistånd",
                field="accountable_delegate",
            )
    AutomationRuleSet.objects.filter(active=True).update(active=False)
    rule_set = AutomationRuleSet.objects.create(
        version=_next_version(AutomationRuleSet, timezone.localdate()),
        rules=normalised,
        valid_from=valid_from,
        active=True,
        accountable_delegate=accountable_delegate,
        adopted_by=adopted_by.strip(),
        created_by=actor,
    )
    audit.record(actor=actor, action="assistance.ruleset_saved", obj=rule_set)
    return rule_set


# --- rate tables (system administrator, riksnorm.md 2.6) -----------------------------------------------------


@transaction.atomic
def table_upload(*, actor: User, content: bytes) -> NormTableVersion:
    """Store an uploaded ``riksnorm-YYYY.json`` after load validation (2.5) and run the golden examples."""
    from lotsen.assistance import golden
    from lotsen.assistance.tables import TableError, validate_table

    _require_admin(actor)
    if not content:
        raise DomainError("Välj en fil", field="file")
    if len(content) > 1024 * 1024:
        raise DomainError("Filen måste vara mindre än 1 MB", field="file")
    try:
        document = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise DomainError("Filen måste vara en JSON-fil i UTF-8", field="file") from exc
    try:
        table = validate_table(document, expected_year=None, source="upload")
    except TableError as exc:
        detail = f" ({exc.detail})" if exc.detail else ""
        raise DomainError(f"Tabellen kan inte läsas in: {exc.message}{detail}", field="file") from exc
    if NormTableVersion.objects.filter(year=table.year, table_version=table.table_version).exists():
        raise DomainError(
            f"Version {table.table_version} för {table.year} finns redan. Ändrade belopp kräver ny version.",
            field="file",
        )
    version = NormTableVersion.objects.create(
        year=table.year,
        table_version=table.table_version,
        content=content.decode("utf-8"),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
        golden_report=golden.check_with(table),
    )
    audit.record(
        actor=actor,
        action="assistance.table_uploaded",
        obj=version,
        after={"year": table.year, "table_version": table.table_version, "sha256": version.sha256},
    )
    return version


@transaction.atomic
def table_activate(*, actor: User, version: NormTableVersion) -> NormTableVersion:
    """Only a table that passes the golden examples is activated (UI.md page 27)."""
    _require_admin(actor)
    version = NormTableVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != NormTableStatus.DRAFT:
        raise DomainError("Den här versionen kan inte aktiveras.", field="version")
    if not version.golden_report.get("passed"):
        raise DomainError("Tabellen kan inte aktiveras: kontrollexemplen ger inte rätt resultat.", field="version")
    NormTableVersion.objects.filter(year=version.year, status=NormTableStatus.ACTIVE).update(
        status=NormTableStatus.RETIRED
    )
    version.status = NormTableStatus.ACTIVE
    version.activated_by = actor
    version.activated_at = timezone.now()
    version.save(update_fields=["status", "activated_by", "activated_at"])
    audit.record(actor=actor, action="assistance.table_activated", obj=version)
    return version


# --- the monthly batch (bulk) --------------------------------------------------------------------------------


@dataclass
class BatchReport:
    period: date
    applications: int = 0
    decided: int = 0
    queued: int = 0
    seconds: float = 0.0
    reasons: dict[str, int] = field(default_factory=dict)


def _decision_numbers(n: int, on: date) -> list[str]:
    if n == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('cases_decision_number_seq') FROM generate_series(1, %s)", [n])
        values = [row[0] for row in cursor.fetchall()]
    return [f"B-{on.year}-{value:05d}" for value in values]


def automation_batch_run(*, period: date, chunk: int = 2000, decided_at: datetime | None = None) -> BatchReport:
    """Assess every received application of a month and decide those that pass, in bulk: one norm
    calculation per application, a few queries per chunk. Same rules, texts and records as ``assess``; the
    decisions are signed on behalf of the accountable delegate after the same delegation check, done once
    per unit instead of once per decision. ``decided_at`` is for imports of history (the demo), else now."""
    started = time.perf_counter()
    report = BatchReport(period=period)
    rule_set = active_rule_set()
    ids = list(
        Application.objects.filter(period=period, status=ApplicationStatus.RECEIVED)
        .order_by("id")
        .values_list("id", flat=True)
    )
    tables, settings = calc.current_tables(), calc.norm_settings()
    checked_units: dict[int, tuple[str | None, str | None]] = {}
    when = decided_at or timezone.now()
    rule = delegation.rule_for(DecisionType.FINANCIAL_ASSISTANCE, timezone.localdate(when))
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            apps = list(
                Application.objects.select_for_update(of=("self",))
                .filter(pk__in=ids[start : start + chunk], status=ApplicationStatus.RECEIVED)
                .select_related("case", "case__subject")
                .order_by("id")
            )
            _batch_chunk(apps, rule_set, rule, tables, settings, checked_units, report, when)
    report.seconds = time.perf_counter() - started
    return report


def _norm_calculation(
    app: Application,
    document: dict[str, Any],
    result: dict[str, Any],
    adjustments: Sequence[calc.Adjustment],
    purpose: str,
    actor: User | None = None,
) -> NormCalculation:
    return NormCalculation(
        application=app,
        purpose=purpose,
        input=document,
        result=result,
        table_year=result["table"]["year"],
        table_version=result["table"]["table_version"],
        engine_version=result["engine_version"],
        adjustments=[a.as_dict() for a in adjustments],
        entitlement=result["entitlement"],
        created_by=actor,
    )


@dataclass
class BulkDecision:
    """One decision for ``bulk_sign``: the application, its (saved) calculation and what was decided."""

    app: Application
    calculation: NormCalculation
    outcome: str
    reasons: str
    explanation: dict[str, Any]
    automated: bool
    assessment: AutomationAssessment | None = None


def bulk_sign(items: Sequence[BulkDecision], *, delegate: User, rule: Any, decided_at: datetime) -> list[Decision]:
    """Signed decisions in bulk, with the same records as ``decide`` and ``assess`` (decision, link,
    ``decision_signed`` event, audit rows, jobbstimulans windows, the application's new state). The caller
    has checked the delegation (``delegate_check``) and runs this inside a transaction."""
    if not items:
        return []
    day = timezone.localdate(decided_at)
    numbers = _decision_numbers(len(items), day)
    decisions = []
    for item, number in zip(items, numbers, strict=True):
        app, result = item.app, item.calculation.result
        amount = 0 if item.outcome == "rejected" else result["entitlement"]
        decisions.append(
            Decision(
                case=app.case,
                number=number,
                type=DecisionType.FINANCIAL_ASSISTANCE,
                outcome=item.outcome,
                legal_basis=rule.law_reference,
                decision_text=decision_text(app.case.subject.full_name, app.period, item.outcome, amount),
                reasons=item.reasons,
                person_view=_person_view(app),
                status=DecisionStatus.SIGNED,
                prepared_by=delegate,
                delegate=delegate,
                delegation_rule=rule,
                decided_on=day,
                signed_at=decided_at,
                appeal_route=rule.appeal_route,
                explanation=item.explanation,
                payload=decision_payload(app, item.calculation, item.outcome, item.automated),
            )
        )
    copy_insert(decisions)
    links, events, audits, windows = [], [], [], []
    request_id = current_request_id()
    for item, decision in zip(items, decisions, strict=True):
        app, result = item.app, item.calculation.result
        links.append(
            ApplicationDecision(
                application=app,
                decision=decision,
                calculation=item.calculation,
                assessment=item.assessment,
                automated=item.automated,
            )
        )
        events.append(
            CaseEvent(
                case=app.case,
                type=case_services.EventType.DECISION_SIGNED,
                occurred_on=day,
                actor=delegate,
                payload={"decision_id": decision.pk, "number": decision.number, "type": decision.type},
            )
        )
        audits.append(
            AuditEvent(
                actor=delegate,
                action="decision.signed",
                object_type="cases.decision",
                object_id=str(decision.pk),
                after={
                    "id": decision.pk,
                    "number": decision.number,
                    "outcome": item.outcome,
                    "automated": item.automated,
                },
                request_id=request_id,
            )
        )
        action = "assistance.automated_decision" if item.automated else "assistance.decided"
        audits.append(
            AuditEvent(
                actor=None if item.automated else delegate,
                action=action,
                object_type="assistance.application",
                object_id=str(app.pk),
                after={
                    "application": app.pk,
                    "decision": decision.pk,
                    "outcome": item.outcome,
                    "accountable_delegate": delegate.pk,
                },
                request_id=request_id,
            )
        )
        windows += _store_windows(app, result)
        app.status = ApplicationStatus.DECIDED
        if item.assessment is not None:
            app.latest_assessment = item.assessment
        app.decision = decision
        app.granted_amount = Decimal(0 if item.outcome == "rejected" else result["entitlement"])
        app.automated = item.automated
        app.updated_at = decided_at
    copy_insert(links)
    copy_insert(events)
    copy_insert(audits)
    JobbstimulansWindow.objects.bulk_create(windows, batch_size=1000, ignore_conflicts=True)
    _update_decided([item.app for item in items], decided_at)
    return decisions


def _update_decided(apps: Sequence[Application], at: datetime) -> None:
    """The decided applications' new state in one UPDATE (``bulk_update`` builds a CASE per row and field)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assistance_application AS a SET status = %s, latest_assessment_id = v.assessment, "
            "decision_id = v.decision, granted_amount = v.amount, automated = v.automated, updated_at = %s "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::numeric[], %s::boolean[]) "
            "AS v(id, assessment, decision, amount, automated) WHERE a.id = v.id",
            [
                ApplicationStatus.DECIDED,
                at,
                [a.pk for a in apps],
                [a.latest_assessment_id for a in apps],
                [a.decision_id for a in apps],
                [a.granted_amount for a in apps],
                [a.automated for a in apps],
            ],
        )


def _batch_chunk(
    apps: list[Application],
    rule_set: AutomationRuleSet | None,
    rule: Any,
    tables: Any,
    settings: dict[str, Any],
    checked_units: dict[int, tuple[str | None, str | None]],
    report: BatchReport,
    decided_at: datetime,
) -> None:
    contexts = _contexts(apps)
    calcs: list[NormCalculation] = []
    computed = []
    for app in apps:
        ctx = contexts[app.pk]
        document, result, error, carried, extra = _calculate(app, ctx, tables, settings)
        computed.append((app, ctx, result, error, carried, extra))
        if result is not None:
            calcs.append(_norm_calculation(app, document, result, carried, CalculationPurpose.ASSESSMENT))
    copy_insert(calcs)
    calc_of = {c.application_id: c for c in calcs}
    report.applications += len(apps)
    if rule_set is None:
        Application.objects.filter(pk__in=[a.pk for a in apps]).update(
            status=ApplicationStatus.READY, updated_at=decided_at
        )
        report.queued += len(apps)
        return
    assessments = []
    for app, ctx, result, error, _carried, extra in computed:
        if app.case.unit_id not in checked_units:
            checked_units[app.case.unit_id] = delegate_check(rule_set, unit_id=app.case.unit_id)
        facts = _facts(app, ctx, result, error, checked_units[app.case.unit_id], extra)
        passed, results = automation.evaluate(rule_set.rules, facts)
        calculation = calc_of.get(app.pk)
        assessments.append(
            AutomationAssessment(
                application=app,
                rule_set=rule_set,
                calculation=calculation,
                passed=passed and calculation is not None,
                results=results,
            )
        )
    copy_insert(assessments)
    passing: list[BulkDecision] = []
    failing: list[Application] = []
    for (app, _ctx, result, _error, carried, _extra), assessment in zip(computed, assessments, strict=True):
        if not assessment.passed:
            app.status = ApplicationStatus.READY
            app.latest_assessment = assessment
            app.updated_at = decided_at
            failing.append(app)
            first = next((r["code"] for r in assessment.results if not r["passed"]), "")
            report.reasons[first] = report.reasons.get(first, 0) + 1
            continue
        calculation = calc_of[app.pk]
        passing.append(
            BulkDecision(
                app=app,
                calculation=calculation,
                outcome="granted",
                reasons=_automated_reasons(result),
                explanation=_explanation(
                    automated=True,
                    calculation=calculation,
                    assessment=assessment,
                    rule_set=rule_set,
                    delegate=checked_units[app.case.unit_id][0],
                    carried=carried,
                ),
                automated=True,
                assessment=assessment,
            )
        )
    if passing:
        assert rule_set.accountable_delegate is not None
        bulk_sign(passing, delegate=rule_set.accountable_delegate, rule=rule, decided_at=decided_at)
    if failing:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE assistance_application AS a SET status = %s, latest_assessment_id = v.assessment, "
                "updated_at = %s FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, assessment) WHERE a.id = v.id",
                [
                    ApplicationStatus.READY,
                    decided_at,
                    [a.pk for a in failing],
                    [a.latest_assessment_id for a in failing],
                ],
            )
    report.decided += len(passing)
    report.queued += len(failing)


def latest_period_with_applications() -> date | None:
    return Application.objects.aggregate(m=Max("period"))["m"]


def pending_q() -> Q:
    return Q(status__in=[ApplicationStatus.RECEIVED, ApplicationStatus.READY, ApplicationStatus.NEEDS_COMPLETION])


__all__ = [
    "BatchReport",
    "ChildInput",
    "CostInput",
    "HouseholdInput",
    "IncomeInput",
    "application_submit",
    "assess",
    "attachment_add",
    "attachment_check",
    "automation_batch_run",
    "completion_answer",
    "completion_request",
    "decide",
    "months_between",
    "notice_record",
    "preview",
    "ruleset_save",
    "table_activate",
    "table_upload",
]
