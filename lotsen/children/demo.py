"""Demo data for the children's process: reports of concern over the last years, run through the real
services in date order (registration, protection assessment, pre-assessment, extensions, investigations with
BBIC parts, information to reporters), so every deadline is the engine's.

Called by the demo generator after the population and the users exist:

    from lotsen.children.demo import seed_children
    seed_children(rng=rng, today=today, years=years)

Today's picture for the demo users: anna (Mottagning) has reports waiting for a protection assessment and
pre-assessments running; erik (Utredning) has investigations at different stages; lena (team lead of both)
sees extensions and the report register; a few children have three reports within six months.
"""

from __future__ import annotations

import heapq
import itertools
import random
import time as time_module
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from lotsen.accounts.models import Membership, Role, User
from lotsen.cases import delegation
from lotsen.cases import services as cases
from lotsen.cases.models import Case, Intake
from lotsen.children import services
from lotsen.children.models import Investigation, PartStatus
from lotsen.core.errors import DomainError
from lotsen.core.models import Unit
from lotsen.core.workdays import add_months
from lotsen.people.models import Person, Protection, RelationKind

RECEPTION_CODE = "mottagning-bou"
INVESTIGATION_CODE = "utredning-bou"

# (category, weight, organisation, name, channel choices)
REPORTERS: list[tuple[str, int, str, str, tuple[str, ...]]] = [
    ("school", 30, "Centrumskolan", "Rektor Eva Ek", ("phone", "e_service", "email")),
    ("school", 10, "Björkskolan", "Kurator Ali Demir", ("phone", "email")),
    ("police", 22, "Polisen, region Öst", "Polisinspektör Per Lind", ("letter", "email")),
    ("healthcare", 10, "Vårdcentralen Söder", "Sjuksköterska Lisa Ström", ("phone", "letter")),
    ("preschool", 7, "Förskolan Solstrålen", "Förskollärare Mona Berg", ("phone", "e_service")),
    ("social_services", 6, "Socialjouren", "Socialsekreterare Kim Olsson", ("out_of_hours", "phone")),
    ("other_authority", 3, "Försäkringskassan", "Handläggare Jan Wik", ("letter",)),
    ("private", 6, "", "", ("phone", "e_service")),
    ("relative", 6, "", "", ("phone", "visit")),
]
CONTENTS = [
    "Barnet har berättat för mentorn att pappa slår när han är arg. Barnet har ett blåmärke på armen.",
    "Polisen var på adressen efter larm om bråk mellan vuxna. Barnet var hemma och sov.",
    "Barnet kommer ofta hungrigt till förskolan och har för lite kläder för vädret.",
    "Barnet har hög frånvaro sedan hösten. Vårdnadshavarna svarar inte när skolan ringer.",
    "Mamman sökte vård berusad med barnet i bilen. Barnet verkade rädd.",
    "Grannen hör skrik och bråk flera kvällar i veckan. Barnet är ute sent på kvällarna.",
    "Barnet har berättat för skolsköterskan om att må dåligt och skada sig själv.",
    "Barnet säger att hen inte vill gå hem efter skolan och att det är stökigt hemma.",
]
CONTENTS_PRIVATE = [
    "Anmälaren är orolig för att barnet lämnas ensamt hemma på kvällarna.",
    "Anmälaren har sett att en förälder skrek och drog barnet i armen på gatan.",
]
PART_TEXTS = {
    "health": "BVC och elevhälsan: barnet är friskt och vaccinerat. Tandvården har inga anmärkningar.",
    "education": "Skolan beskriver en ökande frånvaro under höstterminen. Barnet har svårt med koncentrationen.",
    "conversation_with_child": "Samtal med barnet i skolan. Barnet berättar om bråk hemma och vill ha lugnare.",
    "guardians_view": "Vårdnadshavarna är oroliga och vill ha stöd. De tar avstånd från våld.",
    "basic_care": "Hemmet är städat, det finns mat. Rutinerna kring sömn fungerar inte alltid.",
    "assessment_and_proposal": "Barnet har behov av stöd. Förslag: öppenvård för familjen genom Familjecentralen.",
}


@dataclass
class SeedChildrenReport:
    reports: int = 0
    cases: int = 0
    investigations: int = 0
    skipped: int = 0
    seconds: float = 0.0


@dataclass(order=True)
class _Step:
    at: datetime
    seq: int
    action: Callable[[], None] = field(compare=False)


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _staff(unit: Unit, role: str) -> list[User]:
    ids = Membership.objects.active().filter(unit=unit, role=role).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("username"))


def _children_with_guardians(today: date, limit: int) -> list[Person]:
    youngest, oldest = today - timedelta(days=365), today.replace(year=today.year - 17)
    ids = (
        Person.objects.filter(
            birth_date__gt=oldest,
            birth_date__lte=youngest,
            protection=Protection.NONE,
            relations_to__kind=RelationKind.GUARDIAN_OF,
        )
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")[:limit]
    )
    return list(Person.objects.filter(pk__in=list(ids)))


def _born_before(rng: random.Random, children: list[Person], day: date) -> Person:
    for _ in range(20):
        child = rng.choice(children)
        if child.birth_date is not None and child.birth_date < day:
            return child
    return min(children, key=lambda c: c.birth_date or day)


def seed_children(
    *, rng: random.Random, today: date, years: int, per_year: int = 100, max_children: int = 4000
) -> SeedChildrenReport:
    """Reports about children for `years` back (at most two) until `today`, `per_year` a year. Real volumes
    are higher (about one report per 25 inhabitants a year); every report goes through the services (about
    110 queries each, mostly audit rows and events), so the default keeps `make demo` quick. Idempotent: does
    nothing when reports exist."""
    started = time_module.perf_counter()
    result = SeedChildrenReport()
    if Intake.objects.filter(kind="orosanmalan", child_report__isnull=False).exists():
        return result
    if delegation.rule_for("pre_assessment", today) is None:
        return result  # the decisions need the delegationsordning (install_default_scheme) first
    try:
        reception = Unit.objects.get(code=RECEPTION_CODE)
        investigation_unit = Unit.objects.get(code=INVESTIGATION_CODE)
    except Unit.DoesNotExist:
        return result
    staff = {
        reception.pk: _staff(reception, Role.CASEWORKER),
        investigation_unit.pk: _staff(investigation_unit, Role.CASEWORKER),
    }
    leads = _staff(reception, Role.TEAM_LEAD)
    if not staff[reception.pk] or not staff[investigation_unit.pk] or not leads:
        return result
    lead = leads[0]
    children = _children_with_guardians(today, max_children)
    if not children:
        return result
    first_day = today - timedelta(days=365 * max(1, min(years, 2)))
    total = max(1, per_year * max(1, min(years, 2)))
    queue: list[_Step] = []
    counter = itertools.count()
    now = timezone.now()

    def schedule(at: datetime, action: Callable[[], None]) -> None:
        if at <= now:
            heapq.heappush(queue, _Step(at, next(counter), action))

    # A few children get three reports within six months (FU-M2) without an investigation.
    repeated = rng.sample([c for c in children if (c.age_on(today) or 0) >= 2], min(6, len(children)))
    plans: list[tuple[datetime, Person]] = []
    for child in repeated:
        start = today - timedelta(days=rng.randint(40, 150))
        for offset in (0, rng.randint(15, 30), rng.randint(31, 38)):
            plans.append((_local(start + timedelta(days=offset), rng.randint(8, 16), rng.randint(0, 59)), child))
    span = (today - first_day).days
    for _ in range(total):
        day = first_day + timedelta(days=rng.randint(0, span))
        at = _local(day, rng.choice([8, 9, 10, 11, 13, 14, 15, 16, 21]), rng.randint(0, 59))
        plans.append((at, _born_before(rng, children, day)))
    # Today: reports waiting for their protection assessment, received this morning.
    for _ in range(3):
        plans.append((_local(today, rng.randint(7, 9), rng.randint(0, 59)), rng.choice(children)))
    repeated_ids = {c.pk for c in repeated}
    # Investigations running today for the investigation unit (erik's list), at different stages.
    ongoing: dict[tuple[datetime, int], str] = {}
    for days_ago in (25, 50, 80, 105):
        at = _local(today - timedelta(days=days_ago), rng.randint(8, 15), rng.randint(0, 59))
        child = _born_before(rng, children, at.date())
        plans.append((at, child))
        ongoing[(at, child.pk)] = "utredning_inleds"

    for received_at, child in sorted(plans, key=lambda p: p[0]):
        forced = ongoing.get((received_at, child.pk)) or ("inleds_ej" if child.pk in repeated_ids else None)
        _plan_report(rng, schedule, result, received_at, child, staff, reception, investigation_unit, lead,
                     today, force_outcome=forced)  # fmt: skip

    while queue:
        step = heapq.heappop(queue)
        try:
            with transaction.atomic():
                step.action()
        except DomainError:
            result.skipped += 1
    result.cases = Case.objects.filter(process="child", intakes__child_report__isnull=False).distinct().count()
    result.investigations = Investigation.objects.filter(case__process="child").count()
    result.seconds = time_module.perf_counter() - started
    return result


def _plan_report(
    rng: random.Random,
    schedule: Callable[[datetime, Callable[[], None]], None],
    result: SeedChildrenReport,
    received_at: datetime,
    child: Person,
    staff: dict[int, list[User]],
    reception: Unit,
    investigation_unit: Unit,
    lead: User,
    today: date,
    *,
    force_outcome: str | None,
) -> None:
    weights = [r[1] for r in REPORTERS]
    category, _w, organisation, name, channels = rng.choices(REPORTERS, weights=weights)[0]
    private = category in ("private", "relative")
    anonymous = private and rng.random() < 0.4
    unit = investigation_unit if force_outcome == "utredning_inleds" or rng.random() < 0.3 else reception
    worker = rng.choice(staff[unit.pk])
    wants_feedback = not private and rng.random() < 0.45
    registered_at = received_at + timedelta(minutes=rng.randint(5, 90))
    if rng.random() < 0.05 and received_at.date() < today - timedelta(days=2):
        registered_at = received_at + timedelta(days=rng.choice([1, 3]))  # R-ANM-2: registered later
    state: dict[str, Any] = {}

    def register() -> None:
        registered = services.report_register(
            actor=worker,
            unit=unit,
            received_at=received_at,
            channel=rng.choice(channels),
            reporter_category=category,
            reporter_name="" if anonymous else (name or "Privatperson " + rng.choice(["Ek", "Lund", "Berg"])),
            reporter_organisation=organisation,
            reporter_contact="" if anonymous else "070-123 45 67",
            anonymous=anonymous,
            wants_feedback=wants_feedback,
            children=[child],
            content=rng.choice(CONTENTS_PRIVATE if private else CONTENTS),
            now=min(registered_at, timezone.now()),
        )
        state["report"] = registered[0]
        result.reports += 1

    schedule(min(registered_at, timezone.now()), register)
    is_today = received_at.date() == today
    if is_today and received_at.hour < 10:
        return  # waiting for its protection assessment
    signed_at = registered_at + timedelta(minutes=rng.randint(20, 240))

    def protect() -> None:
        report = state.get("report")
        if report is None:
            return
        services.protection_assessment_sign(
            actor=worker,
            intake=report.intake,
            needs_immediate_protection=rng.random() < 0.08,
            measures="Barnet bor hos en släkting tills vidare." if rng.random() < 0.08 else "Barnet bor hos mormor.",
            assessment="Inga uppgifter om akut fara. Barnet har en trygg vuxen och kontakt med skolan.",
            signed_at=signed_at,
        )

    schedule(signed_at, protect)
    decision_day = received_at.date() + timedelta(days=rng.choice([3, 5, 7, 9, 10, 12, 13, 14, 14, 16]))
    decision_day = max(decision_day, registered_at.date() + timedelta(days=1))
    extended = rng.random() < 0.05
    if extended:
        extend_day = received_at.date() + timedelta(days=rng.randint(8, 13))
        new_due = received_at.date() + timedelta(days=28)

        def extend() -> None:
            report = state.get("report")
            if report is None or report.linked_to_ongoing:
                return
            cases.deadline_extend(
                actor=lead,
                case=report.case,
                kind="pre_assessment",
                new_due_on=new_due,
                reason_code=rng.choice(["police_interview_pending", "family_unreachable_despite_efforts"]),
                reason_text="",
                decided_on=extend_day,
            )

        schedule(_local(extend_day, 15), extend)
        decision_day = received_at.date() + timedelta(days=rng.randint(18, 27))
    outcome = force_outcome or rng.choices(["utredning_inleds", "inleds_ej", "overlamnad"], weights=[45, 50, 5])[0]

    def decide() -> None:
        report = state.get("report")
        if report is None or report.linked_to_ongoing:
            return
        services.pre_assessment_decide(
            actor=worker,
            case=report.case,
            outcome=outcome,
            reasons={
                "utredning_inleds": "Uppgifterna i anmälan ger anledning att utreda barnets behov av skydd och stöd.",
                "inleds_ej": "Familjen har redan fungerande stöd och uppgifterna har kunnat klaras ut.",
                "overlamnad": "Familjen har flyttat. Ärendet överlämnas till den nya kommunen.",
            }[outcome],
            child_heard=child.age_on(decision_day) is not None and (child.age_on(decision_day) or 0) >= 6,
            child_view="Barnet har berättat i skolan om hur det har det hemma."
            if (child.age_on(decision_day) or 0) >= 6
            else "Barnet är för litet för att höras.",
            handed_over_to="Grannby kommun, socialnämnden" if outcome == "overlamnad" else "",
            decided_on=decision_day,
        )
        state["decided_on"] = decision_day

    schedule(_local(decision_day, 14), decide)
    if wants_feedback:
        sent_on = decision_day + timedelta(days=rng.choice([1, 2, 3, 5, 6, 9]))

        def feedback() -> None:
            report = state.get("report")
            if report is None or ("decided_on" not in state and not report.linked_to_ongoing):
                return
            services.reporter_feedback_send(
                actor=worker,
                intake=report.intake,
                sent_on=sent_on if not report.linked_to_ongoing else report.intake.received_on,
                sender_unit_name=unit.name,
            )

        schedule(_local(sent_on, 11), feedback)
    if outcome != "utredning_inleds":
        return

    # The investigation: parts written over the following weeks, completed within (mostly) four months.
    for weeks, count in ((4, 5), (11, 4)):
        day = decision_day + timedelta(weeks=weeks)

        def write_parts(count: int = count) -> None:
            case = state["report"].case if "report" in state else None
            investigation = Investigation.objects.filter(case=case, closed_on__isnull=True).first() if case else None
            if investigation is None:
                return
            _write_parts(rng, worker, investigation, count=count)

        schedule(_local(day, 10), write_parts)
    if rng.random() < 0.12:
        extend_on = add_months(decision_day, 4) - timedelta(days=10)

        def extend_investigation() -> None:
            case = state["report"].case if "report" in state else None
            if case is None or "decided_on" not in state:
                return
            cases.deadline_extend(
                actor=lead,
                case=case,
                kind="investigation",
                new_due_on=add_months(decision_day, 5),
                reason_code="other",
                reason_text="Väntar på utlåtande från BUP.",
                decided_on=extend_on,
            )

        schedule(_local(extend_on, 13), extend_investigation)
    close_on = decision_day + timedelta(days=rng.randint(95, 125))
    if force_outcome == "utredning_inleds":
        return  # still running today

    def conclude() -> None:
        case = state["report"].case if "report" in state else None
        if case is None or "decided_on" not in state:
            return
        decision = cases.decision_prepare(
            actor=worker,
            case=case,
            type="investigation_closed",
            outcome="closed",
            decision_text="Utredningen avslutas utan insats.",
            reasons="Familjen tar emot stöd från Familjecentralen. Barnets behov tillgodoses.",
            person_view="Barnet och vårdnadshavarna instämmer.",
        )
        cases.decision_sign(actor=lead, decision=decision, decided_on=close_on)
        cases.case_close(actor=worker, case=case, reason="investigation_closed", closed_on=close_on)

    schedule(_local(close_on, 15), conclude)


# The parts a caseworker typically writes first, then the closing ones.
FIRST_PARTS = ["health", "education", "conversation_with_child", "guardians_view", "basic_care"]
LATER_PARTS = ["family_social_relationships", "ensuring_safety", "housing", "assessment_and_proposal"]


def _write_parts(rng: random.Random, worker: User, investigation: Investigation, *, count: int) -> None:
    """A few parts per visit through the service (a full BBIC text set is not needed to show the pages)."""
    written = set(investigation.parts.exclude(status=PartStatus.NOT_STARTED).values_list("key", flat=True))
    keys = [k for k in FIRST_PARTS + LATER_PARTS if k not in written][:count]
    for part in investigation.parts.filter(key__in=keys).order_by("position"):
        text = PART_TEXTS.get(part.key, f"{part.display_title}: uppgifter från samtal med familjen och skolan.")
        done = rng.random() < 0.8
        services.investigation_part_save(
            actor=worker,
            part=part,
            text=text,
            rating=rng.choice(["none", "some", "some", "large"]) if part.rated else "",
            sources="Samtal med vårdnadshavare, skolan, BVC",
            done=done,
        )
