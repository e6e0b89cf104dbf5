"""Demo data for ekonomiskt bistånd: about 4 % of the households on assistance (single adults, single parents
and couples; some with income, some long-term), month after month of applications with decisions — the
first month and every change decided by a caseworker, the rest by the automation — and this month's
applications partly still in the caseworkers' queue.

Called by the demo generator after the population is seeded::

    from lotsen.assistance.demo import seed_assistance
    seed_assistance(rng=random.Random(seed), today=today, years=years, units=units, users=None)

Only months whose year has a riksnorm table get applications (the engine never guesses a year). Writes in
bulk through the same calculation, rules and decision records as the services (``services.bulk_sign``),
so it scales with the population. Payments are seeded by the payments module from these decisions.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Count, Q

from lotsen.assistance import calc, services
from lotsen.assistance.automation import default_rules
from lotsen.assistance.bulk import copy_insert
from lotsen.assistance.models import (
    Application,
    ApplicationMember,
    ApplicationStatus,
    AutomationRuleSet,
    CalculationPurpose,
    CompletionRequest,
)
from lotsen.assistance.norm import NormError
from lotsen.assistance.periods import add_months, month_start
from lotsen.cases.models import Case, CaseEvent, ProcessCode
from lotsen.core.models import Unit, UnitKind

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SHARE_OF_HOUSEHOLDS = 0.04
BARRIER_WEIGHTS = {
    "unemployed_no_benefit": 28,
    "unemployed_insufficient_benefit": 10,
    "sick_no_benefit": 10,
    "sick_insufficient_benefit": 4,
    "social_reasons": 15,
    "working_insufficient_income": 12,
    "establishment_benefit": 8,
    "parental_benefit_insufficient": 5,
    "sickness_compensation_insufficient": 4,
    "lacking_childcare": 2,
    "none": 2,
}


@dataclass
class DemoHousehold:
    applicant_id: int
    partner_id: int | None
    children: list[tuple[int, date]]  # (person id, birth date)
    applicant_sex: str
    start: date
    end: date
    case: Case | None = None
    rent: int = 0
    electricity: int = 0
    insurance: int = 0
    incomes: dict[str, int] = field(default_factory=dict)  # "member:type" → kronor
    lunch_away: set[int] = field(default_factory=set)
    barriers: dict[int, str] = field(default_factory=dict)
    previous: Application | None = None


@dataclass
class DemoReport:
    households: int = 0
    applications: int = 0
    automated: int = 0
    manual: int = 0
    queued: int = 0
    seconds: float = 0.0
    months: list[str] = field(default_factory=list)


def _demo_months(today: date, years: int) -> list[date]:
    """The months up to this month, at most `years` back, as long as each year has a rate table (the
    history is one unbroken run of months)."""
    have = set(calc.current_tables().years())
    month = month_start(today)
    earliest = add_months(month, -(12 * years - 1))
    months: list[date] = []
    while month >= earliest and month.year in have:
        months.append(month)
        month = add_months(month, -1)
    return months[::-1]


def _delegate(units: Mapping[str, Unit], users: Any) -> Any:
    from lotsen.accounts.models import Membership, Role, User

    if isinstance(users, Mapping) and "sara" in users:
        return users["sara"]
    user = User.objects.filter(username="sara").first()
    if user is not None:
        return user
    unit = units.get("ekonomiskt-bistand") or Unit.objects.filter(kind=UnitKind.ASSISTANCE).first()
    membership = Membership.objects.filter(unit=unit, role=Role.CASEWORKER).select_related("user").first()
    return membership.user if membership else None


def _households(rng: random.Random, months: list[date]) -> list[DemoHousehold]:
    """About 4 % of the register's households with an adult of working age: single adults, single parents
    and couples (other multi-adult households are left out), none with protected identity."""
    from lotsen.people.models import HouseholdMember, Protection

    rows = (
        HouseholdMember.objects.filter(person__deceased_on__isnull=True)
        .values_list(
            "household_id",
            "person_id",
            "role",
            "person__birth_date",
            "person__legal_sex",
            "person__protection",
            "person__pnr",
        )
        .order_by("household_id", "id")
    )
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows.iterator(chunk_size=20000):
        grouped[row[0]].append(row[1:])
    first, last = months[0], months[-1]
    candidates: dict[str, list[list[tuple[Any, ...]]]] = {"single": [], "parent": [], "couple": []}
    for members in grouped.values():
        if any(m[4] != Protection.NONE or not m[5] for m in members):
            continue
        roles = [m[1] for m in members]
        if "other_adult" in roles or "applicant" not in roles:
            continue
        applicant = next(m for m in members if m[1] == "applicant")
        age = (first - applicant[2]).days // 365 if applicant[2] else 0
        if not 19 <= age <= 64:
            continue
        if any(m[1] == "child" and m[2] and (last - m[2]).days // 365 > 17 for m in members):
            continue
        kind = "couple" if "partner" in roles else ("parent" if "child" in roles else "single")
        candidates[kind].append(members)
    target = max(3, round(len(grouped) * SHARE_OF_HOUSEHOLDS))
    mix = {"single": 0.6, "parent": 0.25, "couple": 0.15}
    chosen: list[DemoHousehold] = []
    for kind, share in mix.items():
        pool = candidates[kind]
        rng.shuffle(pool)
        for members in pool[: max(1, round(target * share))]:
            applicant = next(m for m in members if m[1] == "applicant")
            partner = next((m for m in members if m[1] == "partner"), None)
            children = [(m[0], m[2]) for m in members if m[1] == "child" and m[2]]
            # Long-term recipients start early and stay; others come and go.
            if rng.random() < 0.45:
                start, end = months[0], months[-1]
            else:
                start = months[rng.randrange(len(months))]
                span = rng.choice([1, 2, 3, 4, 6, 8, 12, 24])
                end = min(months[-1], add_months(start, span - 1))
            chosen.append(
                DemoHousehold(applicant[0], partner[0] if partner else None, children, applicant[3], start, end)
            )
    return chosen


def _economy(rng: random.Random, hh: DemoHousehold) -> None:
    size = 1 + (1 if hh.partner_id else 0) + len(hh.children)
    hh.rent = rng.randrange(4200, 6800, 50) if size == 1 else rng.randrange(5800, 6800 + 900 * size, 50)
    hh.electricity = rng.randrange(200, 300 + 80 * size, 10)
    hh.insurance = rng.randrange(110, 260, 10)
    roll = rng.random()
    if roll < 0.18:
        hh.incomes["applicant:unemployment_benefit"] = rng.randrange(3000, 8000, 100)
    elif roll < 0.30:
        hh.incomes["applicant:sickness_benefit"] = rng.randrange(2000, 6000, 100)
    elif roll < 0.42:
        hh.incomes["applicant:salary"] = rng.randrange(2500, 9000, 100)
    elif roll < 0.48:
        hh.incomes["applicant:establishment_benefit"] = rng.randrange(4000, 7000, 100)
    if hh.partner_id and rng.random() < 0.5:
        hh.incomes["partner:" + rng.choice(["salary", "unemployment_benefit", "parental_benefit"])] = rng.randrange(
            3000, 9000, 100
        )
    if hh.children:
        hh.incomes["applicant:child_allowance"] = 1250 * len(hh.children)
        if not hh.partner_id:
            hh.incomes["applicant:maintenance_support"] = 1673 * len(hh.children)
        hh.lunch_away = {pid for pid, _b in hh.children if rng.random() < 0.7}
    codes, weights = list(BARRIER_WEIGHTS), list(BARRIER_WEIGHTS.values())
    for pid in [hh.applicant_id, *([hh.partner_id] if hh.partner_id else [])]:
        code = rng.choices(codes, weights)[0]
        if code == "working_insufficient_income" and not any(k.endswith(":salary") for k in hh.incomes):
            code = "unemployed_no_benefit"
        hh.barriers[pid] = code


def _open_cases(households: list[DemoHousehold], unit: Unit) -> None:
    """One assistance case per applicant, numbered from the case sequence, opened at the first month."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('cases_case_number_seq') FROM generate_series(1, %s)", [len(households)])
        numbers = [row[0] for row in cursor.fetchall()]
    cases = []
    for hh, value in zip(households, numbers, strict=True):
        opened = add_months(hh.start, -1).replace(day=20)
        cases.append(
            Case(
                number=f"IFO-{opened.year}-{value:05d}",
                subject_id=hh.applicant_id,
                process=ProcessCode.ASSISTANCE,
                phase="investigation",
                unit=unit,
                opened_on=opened,
            )
        )
    Case.objects.bulk_create(cases, batch_size=2000)
    CaseEvent.objects.bulk_create(
        [CaseEvent(case=c, type="case_opened", occurred_on=c.opened_on) for c in cases], batch_size=2000
    )
    for hh, case in zip(households, cases, strict=True):
        hh.case = case


def _aware(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, dtime(hour, 0), tzinfo=STOCKHOLM)


def _build(hh: DemoHousehold, period: date, rng: random.Random, changed: str | None, today: date) -> Application:
    members = [{"id": "a1", "role": "applicant", "person_id": hh.applicant_id, "birth_date": None}]
    if hh.partner_id:
        members.append({"id": "p1", "role": "partner", "person_id": hh.partner_id, "birth_date": None})
    for i, (pid, birth) in enumerate(sorted(hh.children, key=lambda c: c[1]), start=1):
        if birth > period.replace(day=28):
            continue
        age = period.year - birth.year - ((period.month, period.day) < (birth.month, birth.day))
        if age > 20:
            continue
        item: dict[str, Any] = {
            "id": f"c{i}",
            "role": "child",
            "person_id": pid,
            "birth_date": birth.isoformat(),
            "lunch_away_weekdays": pid in hh.lunch_away and age <= 6,
        }
        if age >= 18:
            item["in_school"] = True
        members.append(item)
    costs = [
        {"type": "housing", "amount": hh.rent},
        {"type": "household_electricity", "amount": hh.electricity},
        {"type": "home_insurance", "amount": hh.insurance},
    ]
    ids = {"applicant": "a1", "partner": "p1"}
    previous_lines = set()
    if hh.previous is not None and hh.previous.status == ApplicationStatus.DECIDED:
        previous_lines = {(line["member_id"], line["type"], line["amount"]) for line in hh.previous.incomes}
    incomes = []
    for key, amount in hh.incomes.items():
        who, kind = key.split(":")
        line = {"member_id": ids[who], "type": kind, "amount": amount}
        verified = (line["member_id"], kind, amount) in previous_lines
        incomes.append({**line, "verified": verified, "verified_by": "previous_month" if verified else ""})
    submitted = min(
        _aware(add_months(period, -1).replace(day=rng.randrange(18, 28)), rng.randrange(8, 21)), _aware(today, 8)
    )
    flags = []
    message = ""
    if changed == "message":
        flags.append("message")
        message = rng.choice(
            [
                "Jag har fått en tid hos tandläkaren och behöver hjälp med kostnaden.",
                "Min hyra höjs från nästa månad, jag skickar hyresavin.",
            ]
        )
    if hh.previous is not None and hh.previous.require_manual_next:
        flags.append("manual_review")
    return Application(
        case=hh.case,
        period=period,
        channel="e_service" if rng.random() < 0.85 else "caseworker",
        submitted_at=submitted,
        received_on=submitted.astimezone(STOCKHOLM).date(),
        household_snapshot={"members": members, "shared_household": None},
        costs={"reasonable_costs": costs, "other_needs": []},
        incomes=incomes,
        changed_circumstances=(
            {}
            if hh.previous is None
            else {
                "household": False,
                "costs": changed == "costs",
                "incomes": changed == "incomes",
                "other": changed == "message",
            }
        ),
        previous=hh.previous,
        message=message,
        declaration_accepted_at=submitted,
        flags=flags,
    )


def _manual(apps: list[Application], delegate: Any, rule: Any, decided_at: datetime, rng: random.Random) -> int:
    """Caseworker decisions for the applications the automation left in the queue (bulk, same records)."""
    contexts = services._contexts(apps)
    tables, settings = calc.current_tables(), calc.norm_settings()
    items, calcs = [], []
    for app in apps:
        ctx = contexts[app.pk]
        adjustments = services._carry_over(app, ctx)[0]
        document = calc.application_input(app, jobbstimulans=ctx.jobbstimulans, adjustments=adjustments)
        try:
            result = calc.run(document, tables=tables, settings=settings)
        except NormError:
            continue
        calculation = services._norm_calculation(
            app, document, result, adjustments, CalculationPurpose.DECISION, delegate
        )
        calcs.append(calculation)
        outcome = "granted" if result["entitlement"] > 0 else "rejected"
        reasons = (
            "Beräkningen enligt riksnormen och skäliga kostnader visar att hushållets behov är större än "
            "inkomsterna (socialtjänstlagen 12 kap. 1 och 7 §§)."
            if outcome == "granted"
            else "Hushållets inkomster är lika höga som eller högre än behovet (socialtjänstlagen 12 kap. 1 §)."
        )
        items.append((app, calculation, outcome, reasons))
    copy_insert(calcs)
    bulk = [
        services.BulkDecision(
            app=app,
            calculation=calculation,
            outcome=outcome,
            reasons=reasons,
            explanation=services._explanation(
                automated=False, calculation=calculation, assessment=app.latest_assessment, rule_set=None, delegate=None
            ),
            automated=False,
        )
        for app, calculation, outcome, reasons in items
    ]
    services.bulk_sign(bulk, delegate=delegate, rule=rule, decided_at=decided_at)
    # Now and then the caseworker wants next month tried by a person again.
    flagged = [b.app for b in bulk if rng.random() < 0.04]
    for app in flagged:
        app.require_manual_next = True
        app.require_manual_reason = "Följ upp planeringen mot arbete vid nästa ansökan."
    Application.objects.bulk_update(flagged, ["require_manual_next", "require_manual_reason"], batch_size=1000)
    return len(bulk)


def seed_assistance(
    *, rng: random.Random, today: date, years: int, units: Mapping[str, Unit], users: Any = None
) -> DemoReport:
    """Seed ekonomiskt bistånd for the demo municipality (idempotent: does nothing when applications exist)."""
    from lotsen.cases.delegation import install_default_scheme, rule_for
    from lotsen.cases.models import DecisionType

    started = time.perf_counter()
    report = DemoReport()
    if Application.objects.exists():
        return report
    months = _demo_months(today, years)
    unit = units.get("ekonomiskt-bistand") or Unit.objects.filter(kind=UnitKind.ASSISTANCE).first()
    delegate = _delegate(units, users)
    if not months or unit is None or delegate is None:
        return report
    report.months = [f"{m:%Y-%m}" for m in months]
    install_default_scheme(valid_from=date(months[0].year - 1, 1, 1))
    rule = rule_for(DecisionType.FINANCIAL_ASSISTANCE, months[0])
    if not AutomationRuleSet.objects.filter(active=True).exists():
        AutomationRuleSet.objects.create(
            version=f"{months[0].year}.1",
            rules=default_rules(),
            valid_from=date(months[0].year, 1, 1),
            active=True,
            accountable_delegate=delegate,
            adopted_by=f"SN {months[0].year}-01-20 § 12 (demo)",
        )
    households = _households(rng, months)
    for hh in households:
        _economy(rng, hh)
    with transaction.atomic():
        _open_cases(households, unit)
    report.households = len(households)
    current = month_start(today)
    for period in months:
        active = [hh for hh in households if hh.start <= period <= hh.end]
        if period == current:
            active = [hh for hh in active if rng.random() < 0.75]  # the rest have not applied yet
        apps: list[Application] = []
        for hh in active:
            changed = None
            if hh.previous is not None:
                roll = rng.random()
                if roll < 0.06:
                    changed = "incomes"
                    key = rng.choice(["applicant:salary", "applicant:unemployment_benefit"])
                    hh.incomes[key] = rng.randrange(2500, 9000, 100)
                elif roll < 0.14:
                    changed = "costs"
                    hh.electricity = max(150, hh.electricity + rng.randrange(-15, 16, 5))
                elif roll < 0.16:
                    changed = "message"
            apps.append(_build(hh, period, rng, changed, today))
        with transaction.atomic():
            Application.objects.bulk_create(apps, batch_size=2000)
            ApplicationMember.objects.bulk_create(
                [
                    ApplicationMember(
                        application=app,
                        person_id=m["person_id"],
                        member_id=m["id"],
                        role=m["role"],
                        barrier_to_self_support=hh.barriers.get(m["person_id"], "") if m["role"] != "child" else "",
                    )
                    for hh, app in zip(active, apps, strict=True)
                    for m in app.household_snapshot["members"]
                ],
                batch_size=5000,
            )
        decided_at = _aware(min(period.replace(day=2), today), 9)
        batch = services.automation_batch_run(period=period, decided_at=decided_at)
        report.applications += batch.applications
        report.automated += batch.decided
        queue = list(
            Application.objects.filter(period=period, status=ApplicationStatus.READY)
            .select_related("case", "case__subject", "latest_assessment", "previous")
            .order_by("id")
        )
        if period == current:
            # This month: most of the queue is handled, some wait; a few are asked to complete.
            rng.shuffle(queue)
            waiting = queue[: max(3, len(queue) // 3)]
            queue = queue[len(waiting) :]
            report.queued += len(waiting)
            for app in waiting[: max(1, len(waiting) // 4)]:
                CompletionRequest.objects.create(
                    application=app,
                    message="Skicka din hyresavi och lönespecifikation för månaden.",
                    due_on=today + timedelta(days=10),
                    requested_by=delegate,
                )
                Application.objects.filter(pk=app.pk).update(status=ApplicationStatus.NEEDS_COMPLETION)
        with transaction.atomic():
            report.manual += _manual(queue, delegate, rule, _aware(min(period.replace(day=5), today), 14), rng)
        decided = {
            a.case_id: a
            for a in Application.objects.filter(period=period).only(
                "id", "case_id", "status", "incomes", "require_manual_next", "period", "costs", "household_snapshot"
            )
        }
        for hh in active:
            hh.previous = decided.get(hh.case.pk if hh.case else 0, hh.previous)
    report.seconds = time.perf_counter() - started
    return report


def summary() -> dict[str, int]:
    """Counts for the generator's report line."""
    data = Application.objects.aggregate(
        applications=Count("id"),
        automated=Count("id", filter=Q(automated=True)),
        queued=Count("id", filter=~Q(status=ApplicationStatus.DECIDED)),
    )
    return {k: int(v or 0) for k, v in data.items()}
