"""The application flow of the e-service: which question comes next, the draft saved page by page, the
prefill of a re-application from last month (UI.md page 30) and the submission to ``assistance.services``.

Answers in ``ApplicationDraft.answers``::

    {"period": "2026-12", "has_partner": bool, "partner_id": int | None, "children": [person ids],
     "lunch_away": [person ids], "costs": {type: kronor}, "incomes": {"applicant": {type: kronor},
     "partner": {type: kronor}}, "household_incomes": {type: kronor}, "other_note": str,
     "other_needs": bool, "other_needs_text": str, "message": str,
     "changed": {"household": bool, "costs": bool, "incomes": bool, "other": bool},   # re-application
     "section": str | None, "return_to_check": bool, "token": str, "answered": [step slugs]}
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from lotsen.assistance.codes import HOUSEHOLD_INCOME_TYPES
from lotsen.assistance.models import Application, ApplicationStatus
from lotsen.assistance.periods import add_months, month_start, month_text, parse_month
from lotsen.cases.models import CaseStatus, ProcessCode
from lotsen.eservices.models import ApplicationDraft, DraftKind
from lotsen.people.models import Person

FIRST_STEPS = (
    "manad",
    "sambo",
    "barn",
    "lunch",
    "kostnader",
    "inkomster",
    "inkomster-sambo",
    "bidrag",
    "ovrigt",
    "bilagor",
)
SECTIONS: dict[str, tuple[str, ...]] = {
    "hushall": ("sambo", "barn", "lunch"),
    "kostnader": ("kostnader",),
    "inkomster": ("inkomster", "inkomster-sambo", "bidrag"),
    "ovrigt": ("ovrigt",),
}
SECTION_KEYS = {"hushall": "household", "kostnader": "costs", "inkomster": "incomes", "ovrigt": "other"}
LUNCH_MAX_AGE = 6
logger = logging.getLogger("lotsen.eservices")


def own_applications(person: Person) -> list[Application]:
    return list(
        Application.objects.filter(case__subject=person, case__process=ProcessCode.ASSISTANCE)
        .select_related("case", "decision")
        .order_by("-period")
    )


def available_months(person: Person, today: date | None = None) -> list[date]:
    """This month and next month, without the months already applied for."""
    first = month_start(today or timezone.localdate())
    taken = set(
        Application.objects.filter(
            case__subject=person, case__process=ProcessCode.ASSISTANCE, case__status=CaseStatus.OPEN
        ).values_list("period", flat=True)
    )
    return [m for m in (first, add_months(first, 1)) if m not in taken]


def open_draft(person: Person) -> ApplicationDraft | None:
    return ApplicationDraft.objects.filter(person=person, submitted_application__isnull=True).first()


def latest_application(person: Person) -> Application | None:
    return (
        Application.objects.filter(
            case__subject=person, case__process=ProcessCode.ASSISTANCE, case__status=CaseStatus.OPEN
        )
        .order_by("-period")
        .first()
    )


def prefill(previous: Application) -> dict[str, Any]:
    """Last month's answers (UI.md page 30: "Ansök igen" prefilled)."""
    members = previous.household_snapshot["members"]
    partner = next((m for m in members if m["role"] == "partner"), None)
    children = [m for m in members if m["role"] == "child"]
    costs: dict[str, int] = defaultdict(int)
    for line in previous.costs.get("reasonable_costs", []):
        costs[line["type"]] += line["amount"]
    role_of = {m["id"]: m["role"] for m in members}
    incomes: dict[str, dict[str, int]] = {"applicant": {}, "partner": {}}
    household: dict[str, int] = {}
    other_note = ""
    for line in previous.incomes:
        if line["type"] in HOUSEHOLD_INCOME_TYPES:
            household[line["type"]] = household.get(line["type"], 0) + line["amount"]
            continue
        who = "partner" if role_of.get(line["member_id"]) == "partner" else "applicant"
        incomes[who][line["type"]] = incomes[who].get(line["type"], 0) + line["amount"]
        if line["type"] == "other":
            other_note = line.get("note", "")
    return {
        "has_partner": partner is not None,
        "partner_id": partner["person_id"] if partner else None,
        "children": [c["person_id"] for c in children],
        "lunch_away": [c["person_id"] for c in children if c.get("lunch_away_weekdays")],
        "costs": dict(costs),
        "incomes": incomes,
        "household_incomes": household,
        "other_note": other_note,
        "other_needs": False,
        "other_needs_text": "",
        "message": "",
    }


@transaction.atomic
def start(person: Person) -> ApplicationDraft:
    """The open draft, or a new one: a re-application prefilled from the latest application when there is
    one in an open case, else a first application."""
    draft = open_draft(person)
    if draft is not None:
        return draft
    previous = latest_application(person)
    months = available_months(person)
    answers: dict[str, Any] = {"token": uuid.uuid4().hex, "answered": [], "changed": {}}
    if previous is not None:
        later = [m for m in months if m > previous.period] or months
        answers |= prefill(previous)
        if later:
            answers["period"] = month_text(later[0])
        return ApplicationDraft.objects.create(
            person=person, kind=DraftKind.REAPPLY, previous_application=previous, answers=answers
        )
    return ApplicationDraft.objects.create(person=person, kind=DraftKind.FIRST, answers=answers)


def period_of(draft: ApplicationDraft) -> date | None:
    value = draft.answers.get("period")
    return parse_month(value) if value else None


def persons(ids: list[int]) -> list[Person]:
    by_id = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


def small_children(draft: ApplicationDraft) -> list[Person]:
    period = period_of(draft) or month_start(timezone.localdate())
    return [c for c in persons(draft.answers.get("children", [])) if (c.age_on(period) or 0) <= LUNCH_MAX_AGE]


def applies(step: str, draft: ApplicationDraft) -> bool:
    if step == "lunch":
        return bool(small_children(draft))
    if step == "inkomster-sambo":
        return bool(draft.answers.get("has_partner"))
    return True


def steps(draft: ApplicationDraft) -> tuple[str, ...]:
    if draft.kind == DraftKind.REAPPLY:
        section = draft.answers.get("section")
        return SECTIONS.get(section or "", ())
    return FIRST_STEPS


def next_url_name(draft: ApplicationDraft, current: str) -> tuple[str, str | None]:
    """(url name, step) of the page after ``current``."""
    answers = draft.answers
    if answers.get("return_to_check") and current != "manad":
        answers["return_to_check"] = False
        return "eservices:check", None
    flow = steps(draft)
    if current in flow:
        for step in flow[flow.index(current) + 1 :]:
            if applies(step, draft):
                return "eservices:step", step
    if draft.kind == DraftKind.REAPPLY:
        answers["section"] = None
        return "eservices:tasks", None
    return "eservices:check", None


def mark(draft: ApplicationDraft, step: str) -> None:
    answered = draft.answers.setdefault("answered", [])
    if step not in answered:
        answered.append(step)


def task_status(draft: ApplicationDraft) -> dict[str, bool | None]:
    changed = draft.answers.get("changed", {})
    return {section: changed.get(key) for section, key in SECTION_KEYS.items()}


def ready_to_check(draft: ApplicationDraft) -> bool:
    if draft.kind == DraftKind.REAPPLY:
        return all(v is not None for v in task_status(draft).values()) and bool(draft.answers.get("period"))
    answered = set(draft.answers.get("answered", []))
    return all(step in answered for step in FIRST_STEPS if applies(step, draft))


def submit(draft: ApplicationDraft) -> Application:
    """The draft as an application; the automation runs right after (a decision "within seconds")."""
    from lotsen.assistance import services

    answers = draft.answers
    period = period_of(draft)
    if period is None:
        raise ValueError("no period")
    partner = persons([answers["partner_id"]])[0] if answers.get("has_partner") and answers.get("partner_id") else None
    lunch = set(answers.get("lunch_away", []))
    household = services.HouseholdInput(
        partner=partner,
        children=[
            services.ChildInput(c, lunch_away_weekdays=c.pk in lunch) for c in persons(answers.get("children", []))
        ],
    )
    costs = [services.CostInput(code, amount) for code, amount in answers.get("costs", {}).items() if amount]
    incomes: list[services.IncomeInput] = []
    for member in ("applicant", "partner"):
        if member == "partner" and partner is None:
            continue
        for code, amount in answers.get("incomes", {}).get(member, {}).items():
            note = answers.get("other_note", "") if code == "other" else ""
            incomes.append(services.IncomeInput(member, code, amount, note))
    for code, amount in answers.get("household_incomes", {}).items():
        incomes.append(services.IncomeInput("applicant", code, amount))
    changed = answers.get("changed", {}) if draft.kind == DraftKind.REAPPLY else None
    with transaction.atomic():
        application = services.application_submit(
            applicant=draft.person,
            period=period,
            channel="e_service",
            household=household,
            reasonable_costs=costs,
            incomes=incomes,
            changed={k: bool(v) for k, v in (changed or {}).items()} or None,
            message=answers.get("message", ""),
            other_needs_text=answers.get("other_needs_text", "") if answers.get("other_needs") else "",
            attachments=list(draft.attachments.all()),
            declaration=True,
            idempotency_key=f"eservice-{draft.pk}-{answers['token']}",
        )
        draft.submitted_application = application
        draft.save(update_fields=["submitted_application", "updated_at"])
    if application.status == ApplicationStatus.RECEIVED:
        try:
            services.assess(application)
        except Exception:  # the application is stored; the monthly batch or a caseworker takes it from here
            logger.exception("assessment of application %s failed", application.pk)
        application.refresh_from_db()
    return application
