"""The adults' process (R-UTR-1): the same case engine configured for adults (`process.ADULT`). An application
opens an investigation when it is registered; a report (anmälan) waits for the decision whether to open one,
with no statutory deadline (Lotsen shows the days that have passed and warns after a setting, as practice)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from lotsen.audit import services as audit
from lotsen.cases import services as cases
from lotsen.cases.deadlines import EventType as DeadlineEvent
from lotsen.cases.models import Case, CaseStatus, Channel, Intake, IntakeKind, ProcessCode, ReporterCategory
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.core.models import UnitKind
from lotsen.policies.access import CASE_ROLES, can_work_on_case

if TYPE_CHECKING:
    from lotsen.accounts.models import User
    from lotsen.core.models import Unit
    from lotsen.people.models import Person

# Case.area for adults (glossary: vuxen_missbruk, vinr; followup.md's `vuxen_ovrigt` is `ovrigt` here).
AREAS = ("vuxen_missbruk", "vinr", "ovrigt")
ADULT_AGE = 18


class EventType:
    INTAKE_REGISTERED = "intake_registered"
    INTAKE_ASSESSED = "intake_assessed"


class Outcome:
    OPEN = "utredning_inleds"
    NOT_OPEN = "inleds_ej"


def may_register(user: User, unit: Unit) -> bool:
    return unit.kind == UnitKind.ADULT and any(
        m.unit_id == unit.pk and m.role in CASE_ROLES for m in user.active_memberships()
    )


@transaction.atomic
def adult_intake_register(
    *,
    actor: User,
    unit: Unit,
    subject: Person,
    kind: str,
    area: str,
    received_at: datetime,
    channel: str,
    content: str,
    reporter_category: str = "",
    reporter_name: str = "",
    reporter_organisation: str = "",
) -> Case:
    """Register an ansökan, anmälan or övrig aktualisering for an adult: a new adult case with its intake.
    Day 0 is `received_on`, the local date of `received_at` (R-ANM-2). An application opens the investigation
    at once (R-UTR-1)."""
    if not may_register(actor, unit):
        raise PermissionDeniedError("Du kan bara registrera aktualiseringar i en vuxenenhet där du arbetar.")
    if kind not in IntakeKind.values:
        raise DomainError("Välj vad som har kommit in", field="kind")
    if area not in AREAS:
        raise DomainError("Välj vilket område det gäller", field="area")
    if channel not in Channel.values:
        raise DomainError("Välj hur ansökan eller anmälan kom in", field="channel")
    if timezone.is_naive(received_at):
        raise ValueError("received_at must be an aware datetime")
    received_on = timezone.localtime(received_at).date()
    today = timezone.localdate()
    if received_on > today:
        raise DomainError("Datum då ansökan eller anmälan kom in kan inte vara senare än i dag", field="received_on")
    if received_at > timezone.now():
        raise DomainError("Klockslaget kan inte vara senare än nu", field="received_time")
    age = subject.age_on(received_on)
    if age is not None and age < ADULT_AGE:
        raise DomainError("Personen är under 18 år. Registrera aktualiseringen som ett barnärende.", field="pnr")
    if not content.strip():
        raise DomainError("Beskriv vad ansökan eller anmälan gäller", field="content")
    if kind == IntakeKind.REPORT and reporter_category not in ReporterCategory.values:
        raise DomainError("Välj vem som gjorde anmälan", field="reporter_category")
    if kind == IntakeKind.APPLICATION:
        reporter_category = ReporterCategory.SELF
    case = cases.case_open(
        actor=actor, subject=subject, process_code=ProcessCode.ADULT, unit=unit, opened_on=received_on, area=area
    )
    intake = Intake.objects.create(
        case=case,
        kind=kind,
        received_at=received_at,
        received_on=received_on,
        channel=channel,
        reporter_category=reporter_category,
        reporter_name=reporter_name.strip(),
        reporter_organisation=reporter_organisation.strip(),
        content=content.strip(),
        registered_by=actor,
        registered_late=received_on < today,  # R-ANM-2
    )
    audit.record(actor=actor, action="intake.registered", obj=intake)
    cases.event_record(
        actor=actor,
        case=case,
        type=EventType.INTAKE_REGISTERED,
        occurred_on=received_on,
        payload={"intake_id": intake.pk, "kind": kind, "area": area, "channel": channel},
    )
    if kind == IntakeKind.APPLICATION:
        # R-UTR-1: an application opens an investigation when it is registered (opened_on = received_on).
        _open_investigation(actor, case, received_on)
    return case


def _open_investigation(actor: User, case: Case, opened_on: date) -> Case:
    """`investigation_opened` (for adults the engine computes no deadline from it, R-UTR-1, but the event is
    what opens an investigation everywhere: the Utredning section follows it) and the phase."""
    cases.event_record(actor=actor, case=case, type=DeadlineEvent.INVESTIGATION_OPENED, occurred_on=opened_on)
    return cases.phase_change(actor=actor, case=case, to_phase="investigation", occurred_on=opened_on)


@transaction.atomic
def adult_intake_assess(*, actor: User, case: Case, open_investigation: bool, decided_on: date, reasons: str) -> Case:
    """The decision whether a report about an adult leads to an investigation (R-UTR-1: "genast"; no
    statutory number of days). Not opening closes the case (`inleds_ej`)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_work_on_case(actor, case):
        raise PermissionDeniedError("Du har inte behörighet att arbeta i det här ärendet.")
    if case.process != ProcessCode.ADULT or case.status != CaseStatus.OPEN or case.phase != "intake":
        raise DomainError("Ställningstagandet är redan gjort i ärendet.")
    if not reasons.strip():
        raise DomainError("Skriv skälen till ställningstagandet", field="reasons")
    if decided_on > timezone.localdate():
        raise DomainError("Datum för ställningstagandet kan inte vara senare än i dag", field="decided_on")
    received = case.intakes.order_by("-received_on").values_list("received_on", flat=True).first()
    if received is not None and decided_on < received:
        raise DomainError(
            "Datum för ställningstagandet kan inte vara före det datum anmälan kom in", field="decided_on"
        )
    outcome = Outcome.OPEN if open_investigation else Outcome.NOT_OPEN
    cases.event_record(
        actor=actor,
        case=case,
        type=EventType.INTAKE_ASSESSED,
        occurred_on=decided_on,
        payload={"outcome": outcome, "reasons": reasons.strip()},
    )
    if open_investigation:
        return _open_investigation(actor, case, decided_on)
    return cases.case_close(actor=actor, case=case, reason=Outcome.NOT_OPEN, closed_on=decided_on)
