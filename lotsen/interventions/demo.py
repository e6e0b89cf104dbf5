"""Demo case data for the synthetic municipality (`make demo`, benchmarks): `seed_cases(...)`.

A realistic flow over the seeded years, deterministic for the `rng`:

- Children: about 40 reports of concern per 1 000 children a year, received in Mottagning barn och unga.
  Protection assessment the same day (a few a day late); pre-assessment mostly within 14 days (some extended
  under R-FORH-2, some late); about 40 % open an investigation, which moves to Utredning barn och unga and is
  mostly concluded within four months (some extended, a few overdue). About half of the concluded
  investigations grant an intervention: öppenvård, kontaktperson/kontaktfamilj, HVB or familjehem/jourhem.
  Decisions are carried out (a few late or not at all: R-VERK-1); placements get care reviews every six months
  (R-VARD-1), visits (R-VARD-5) and an end.
- Adults (Vuxenenheten): fewer matters; applications open the investigation at once, reports wait for the
  decision whether to investigate (R-UTR-1); decisions on interventions (adult_intervention, HVB).
- Around `today`: open cases with pending and overdue deadlines, unassigned cases and cases assigned to the
  demo caseworkers anna (mottagning-bou), erik (utredning-bou) and omar (vuxenenheten), so that every
  dashboard shows something.

The rows are bulk-inserted, consistent with what the services write (Case, Intake, CaseParty, Transfer,
Decision, DeadlineExtension, CaseEvent, Intervention, Placement, CareReview, Visit, audit rows), and the
`Deadline` projection is computed by the same engine call as `lotsen.cases.services.refresh_deadlines`. The
children's own rows (ChildReport, ProtectionAssessment, ReporterFeedback, Investigation with its parts) are
written as `lotsen.children` writes them. Services are not called for history: they date "today" with
`timezone.localdate()` and refuse past or future dates in places.
"""

from __future__ import annotations

import random
import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from lotsen.accounts.models import Membership, Role, User
from lotsen.audit import services as audit
from lotsen.audit.models import AuditEvent
from lotsen.cases import deadlines as engine
from lotsen.cases import delegation, process
from lotsen.cases import services as cases
from lotsen.cases.models import (
    MANDATED_CATEGORIES,
    Case,
    CaseEvent,
    CaseParty,
    CaseStatus,
    Deadline,
    DeadlineExtension,
    Decision,
    DecisionStatus,
    DelegationRule,
    Intake,
    PartyRole,
    Transfer,
    TransferStatus,
)
from lotsen.core.models import Unit
from lotsen.core.workdays import add_months, add_years
from lotsen.interventions import rules
from lotsen.interventions.models import (
    CareReview,
    EndReason,
    Intervention,
    Placement,
    PriceAgreement,
    PriceUnit,
    Provider,
    ProviderKind,
    Visit,
)
from lotsen.interventions.services import daily_price
from lotsen.people.models import Person, Protection, Relation, RelationKind

CHILD_REPORTS_PER_1000_PER_YEAR = 40
ADULT_MATTERS_PER_1000_PER_YEAR = 5
DEMO_REQUEST_ID = "demo-seed"
NEVER = "never"  # a decision that is not carried out (R-VERK-1)

# --- providers and price agreements ------------------------------------------------------------------------

# name, kind, org number, unit code (own), services: (service, price unit, price this year)
PROVIDERS: list[tuple[str, str, str, str, list[tuple[str, str, int]]]] = [
    ("HVB Solrosen", ProviderKind.OWN, "", "hvb-solrosen", [("hvb", PriceUnit.DAY, 3900)]),
    ("Familjehemsvården Exempelby", ProviderKind.OWN, "", "placeringsenheten",
     [("familjehem", PriceUnit.MONTH, 27000), ("natverkshem", PriceUnit.MONTH, 22000),
      ("jourhem", PriceUnit.DAY, 1450)]),
    ("Kontaktpersonsverksamheten", ProviderKind.OWN, "", "placeringsenheten",
     [("contact_person", PriceUnit.MONTH, 2400), ("contact_family", PriceUnit.MONTH, 3600)]),
    ("Öppenvården Exempelby", ProviderKind.OWN, "", "oppenvarden", [("non_residential", PriceUnit.HOUR, 850)]),
    ("Ungdomshemmet Björkdalen AB", ProviderKind.EXTERNAL, "559012-3456", "", [("hvb", PriceUnit.DAY, 5400)]),
    ("Familjehemsföreningen Norr", ProviderKind.EXTERNAL, "802512-3456", "", [("familjehem", PriceUnit.MONTH, 34000)]),
    ("Stödboendet Tallåsen AB", ProviderKind.EXTERNAL, "559134-5678", "", [("stodboende", PriceUnit.DAY, 2300)]),
    ("Kvinnojouren Tryggheten", ProviderKind.EXTERNAL, "802498-7654", "", [("skyddat_boende", PriceUnit.DAY, 2900)]),
    ("Behandlingshemmet Lärkan AB", ProviderKind.EXTERNAL, "556987-1234", "", [("hvb", PriceUnit.DAY, 3200)]),
    ("Familjestöd Norr AB", ProviderKind.EXTERNAL, "559222-8765", "", [("non_residential", PriceUnit.HOUR, 1100)]),
    ("Statens institutionsstyrelse", ProviderKind.EXTERNAL, "202100-0000", "", [("sis", PriceUnit.DAY, 7400)]),
]  # fmt: skip

# Which provider (by name) carries out which service, with weights; children and adults differ for HVB.
CHILD_PROVIDERS = {
    "hvb": [("HVB Solrosen", 5), ("Ungdomshemmet Björkdalen AB", 5)],
    "familjehem": [("Familjehemsvården Exempelby", 7), ("Familjehemsföreningen Norr", 3)],
    "natverkshem": [("Familjehemsvården Exempelby", 1)],
    "jourhem": [("Familjehemsvården Exempelby", 1)],
    "stodboende": [("Stödboendet Tallåsen AB", 1)],
    "sis": [("Statens institutionsstyrelse", 1)],
    "non_residential": [("Öppenvården Exempelby", 8), ("Familjestöd Norr AB", 2)],
    "contact_person": [("Kontaktpersonsverksamheten", 1)],
    "contact_family": [("Kontaktpersonsverksamheten", 1)],
}
ADULT_PROVIDERS = {
    **CHILD_PROVIDERS,
    "hvb": [("Behandlingshemmet Lärkan AB", 1)],
    "skyddat_boende": [("Kvinnojouren Tryggheten", 1)],
}

# --- texts (fictitious, without names) ---------------------------------------------------------------------

CHILD_REPORT_TEXTS = [
    "Barnet har berättat för mentor att pappa slår när han är arg. Blåmärke på överarmen.",
    "Barnet kommer ofta hungrigt till förskolan och hämtas sent. Föräldern har verkat påverkad vid hämtning.",
    "Polisen var på plats i hemmet efter larm om bråk mellan de vuxna. Barnet var hemma.",
    "Hög frånvaro från skolan sedan hösten. Barnet säger att hon måste ta hand om sina syskon.",
    "Barnet har självskadat och berättar om konflikter hemma. Vårdnadshavarna har inte kunnat nås.",
    "Ungdomen greps för snatteri och uppger att han inte vill bo hemma längre.",
    "Tandvården har sett omfattande obehandlade kariesskador trots flera kallelser.",
    "Anhörig oroar sig för att mamman dricker mycket alkohol och att barnen lämnas ensamma på kvällarna.",
    "Barnet har uttryckt oro för att åka hem och säger att det är mycket skrik hemma.",
    "BUP har sett en försämring och oroar sig för föräldrarnas förmåga att tillgodose barnets behov.",
]
ADULT_TEXTS = {
    "vuxen_missbruk": [
        "Ansöker om behandling för sitt alkoholberoende. Har försökt sluta på egen hand utan att lyckas.",
        "Vården anmäler oro efter upprepade besök på akuten med alkoholförgiftning.",
        "Ansöker om stöd för att komma ur ett narkotikamissbruk. Riskerar att förlora bostaden.",
        "Polisen anmäler att personen påträffats kraftigt berusad flera gånger senaste månaden.",
    ],
    "vinr": [
        "Söker hjälp efter att ha utsatts för våld av sin partner. Behöver skyddat boende.",
        "Polisen anmäler misshandel i nära relation. Den utsatta vill ha stöd.",
        "Vården anmäler misstänkt våld i nära relation efter besök med skador.",
    ],
    "ovrigt": [
        "Ansöker om stöd i vardagen efter en lång sjukskrivning.",
        "Anhörig oroar sig för att personen isolerar sig och inte tar hand om sig själv.",
    ],
}
REPORTERS: dict[str, list[tuple[str, str]]] = {
    "school": [("Rektor", "Centralskolan"), ("Skolkurator", "Björkskolan"), ("Mentor", "Ekhagens skola")],
    "preschool": [("Förskollärare", "Förskolan Solstrålen"), ("Förskolechef", "Förskolan Lärkan")],
    "police": [("Polisinspektör", "Polisen region Mitt")],
    "healthcare": [("Kurator", "Barn- och ungdomspsykiatrin"), ("Sjuksköterska", "Vårdcentralen Centrum")],
    "dental": [("Tandläkare", "Folktandvården Exempelby")],
    "social_services": [("Socialsekreterare", "Socialjouren")],
    "other_authority": [("Handläggare", "Försäkringskassan")],
}
CHILD_REPORTER_WEIGHTS = [
    ("school", 25), ("police", 20), ("healthcare", 12), ("preschool", 8), ("social_services", 8),
    ("other_authority", 5), ("dental", 2), ("private", 8), ("relative", 7), ("anonymous", 5),
]  # fmt: skip
CHANNEL_WEIGHTS = [("phone", 35), ("e_service", 25), ("email", 20), ("letter", 8), ("out_of_hours", 8),
                   ("visit", 4)]  # fmt: skip


# --- the builder -------------------------------------------------------------------------------------------


@dataclass
class CaseSeedReport:
    cases: int = 0
    child_cases: int = 0
    adult_cases: int = 0
    intakes: int = 0
    events: int = 0
    deadlines: int = 0
    decisions: int = 0
    interventions: int = 0
    placements: int = 0
    providers: int = 0
    seconds: float = 0.0


@dataclass
class _Event:
    type: str
    on: date
    actor: User | None
    payload: dict[str, Any] = field(default_factory=dict)
    row: CaseEvent | None = None


@dataclass
class _CaseData:
    case: Case
    events: list[_Event] = field(default_factory=list)
    guardians: bool = False


@dataclass
class _InvestigationSpec:
    data: _CaseData
    opened: _Event
    closed_on: date | None = None
    close_reason: str = ""


def _resolve(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, _Event):
        return value.row.pk if value.row is not None else None
    return value


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock(hour, minute)))


class _Builder:
    def __init__(
        self, *, rng: random.Random, today: date, years: int, units: dict[str, Unit], users: dict[str, User]
    ) -> None:
        self.rng = rng
        self.today = today
        self.start = add_years(today, -years) + timedelta(days=1)
        self.units = units
        self.users = users
        self.cases: list[_CaseData] = []
        self.intakes: list[Intake] = []
        self.child_reports: list[tuple[Intake, str]] = []  # (intake, stated category)
        self.protections: list[tuple[Intake, _CaseData, bool, User, datetime]] = []
        self.feedbacks: list[tuple[Intake, _CaseData, str, date, User]] = []
        self.transfers: list[Transfer] = []
        self.decisions: list[Decision] = []
        self.extensions: list[DeadlineExtension] = []
        self.interventions: list[Intervention] = []
        self.placements: list[Placement] = []
        self.reviews: list[CareReview] = []
        self.visits: list[Visit] = []
        self.investigations: list[_InvestigationSpec] = []
        self.busy_until: dict[int, date] = {}
        self._rules = {r.decision_type: r for r in DelegationRule.objects.filter(scheme__is_active=True)}
        self._load_staff()
        self._load_persons()

    # -- people --

    def _user(self, username: str) -> User | None:
        user = self.users.get(username)
        if user is None:
            user = User.objects.filter(username=username).first()
            if user is not None:
                self.users[username] = user
        return user

    def _load_staff(self) -> None:
        self.workers: dict[str, list[User]] = {}
        for code in ("mottagning-bou", "utredning-bou", "vuxenenheten"):
            unit = self.units[code]
            ids = Membership.objects.filter(unit=unit, role=Role.CASEWORKER).values_list("user_id", flat=True)
            self.workers[code] = list(User.objects.filter(pk__in=ids).order_by("username"))
        self.named = {"mottagning-bou": self._user("anna"), "utredning-bou": self._user("erik"),
                      "vuxenenheten": self._user("omar")}  # fmt: skip
        self.lead = self._user("lena") or self._first_with_role(Role.TEAM_LEAD)
        self.head = self._user("peter") or self._first_with_role(Role.HEAD_OF_SOCIAL_SERVICES)
        self._signers: dict[tuple[str, int], User] = {}
        leading = Membership.objects.active().filter(
            role__in=[Role.TEAM_LEAD, Role.UNIT_MANAGER, Role.HEAD_OF_SOCIAL_SERVICES, Role.BOARD_SECRETARY]
        )
        known = {u.pk for u in self.users.values()}
        self.staff = list(self.users.values()) + [
            u for u in User.objects.filter(pk__in=leading.values("user_id")).order_by("username") if u.pk not in known
        ]

    @staticmethod
    def _first_with_role(role: str) -> User | None:
        m = Membership.objects.filter(role=role).select_related("user").order_by("id").first()
        return m.user if m else None

    def signer(self, decision_type: str, unit: Unit) -> User:
        """The lowest-ranked user the delegationsordning lets sign this type in this unit (R-DEL-1)."""
        key = (decision_type, unit.pk)
        if key not in self._signers:
            rule = self._rules[decision_type]
            candidates = [u for u in self.staff if delegation.may_sign(u, rule, unit.pk)]
            if not candidates:
                raise RuntimeError(f"no demo user may sign {decision_type} in {unit.code}")
            from lotsen.policies.access import role_rank_in_unit

            candidates.sort(key=lambda u: (role_rank_in_unit(u, unit.pk), u.username))
            self._signers[key] = candidates[0]
        return self._signers[key]

    def assignee(self, code: str, *, open_and_recent: bool) -> User | None:
        """A realistic share to the named demo caseworker, the rest spread; some recent ones unassigned."""
        if open_and_recent and self.rng.random() < 0.25:
            return None
        named = self.named.get(code)
        if named is not None and self.rng.random() < 0.35:
            return named
        pool = self.workers.get(code) or ([named] if named else [])
        return self.rng.choice(pool) if pool else None

    def _load_persons(self) -> None:
        rows = Person.objects.filter(deceased_on__isnull=True, birth_date__isnull=False).values_list(
            "id", "birth_date", "protection"
        )
        persons: list[tuple[date, int, str]] = [(b, pid, prot) for pid, b, prot in rows if b is not None]
        self.persons = sorted(persons, key=lambda r: (r[0], r[1]))
        self.birth_dates = [b for b, _pid, _prot in self.persons]

    def pick_person(self, on: date, min_age: int, max_age: int) -> int | None:
        """A person aged [min_age, max_age] on `on`, without an ongoing case; rarely a protected one."""
        low = bisect_right(self.birth_dates, add_years(on, -(max_age + 1)))
        high = bisect_left(self.birth_dates, add_years(on, -min_age) + timedelta(days=1))
        if high <= low:
            return None
        for _attempt in range(25):
            _birth, pid, protection = self.persons[self.rng.randrange(low, high)]
            if protection != Protection.NONE and self.rng.random() > 0.05:
                continue
            if self.busy_until.get(pid, date.min) >= on:
                continue
            return pid
        return None

    # -- building blocks --

    def event(self, data: _CaseData, event_type: str, on: date, actor: User | None, /, **payload: Any) -> _Event:
        ev = _Event(event_type, on, actor, payload)
        data.events.append(ev)
        return ev

    def new_case(self, *, subject_id: int, process_code: str, unit: Unit, opened_on: date, area: str = "",
                 assignee: User | None) -> _CaseData:  # fmt: skip
        proc = process.get(process_code)
        case = Case(
            subject_id=subject_id, process=process_code, area=area, phase=proc.initial_phase, unit=unit,
            assignee=assignee, status=CaseStatus.OPEN, opened_on=opened_on,
        )  # fmt: skip
        data = _CaseData(case)
        self.cases.append(data)
        self.busy_until[subject_id] = date.max
        return data

    def close(self, data: _CaseData, on: date, reason: str, actor: User | None) -> None:
        case = data.case
        case.status, case.closed_on, case.close_reason, case.phase = CaseStatus.CLOSED, on, reason, "closed"
        self.event(data, "case_closed", on, actor, reason=reason)
        self.busy_until[case.subject_id] = on
        for spec in self.investigations:
            if spec.data is data and spec.closed_on is None:
                spec.closed_on, spec.close_reason = on, reason

    def phase(self, data: _CaseData, to: str, on: date, actor: User | None) -> None:
        old = data.case.phase
        data.case.phase = to
        self.event(data, "phase_changed", on, actor, **{"from": old, "to": to})

    def assign(self, data: _CaseData, user: User | None, on: date, actor: User | None) -> None:
        data.case.assignee = user
        if user is not None:
            self.event(data, "case_assigned", on, actor, assignee_id=user.pk, assignee=user.display_name)

    def decide(
        self,
        data: _CaseData,
        *,
        type: str,
        outcome: str,
        on: date,
        preparer: User | None,
        text: str,
        reasons: str,
        person_view: str,
        payload: dict[str, Any] | None = None,
    ) -> Decision:
        """A signed decision as decision_prepare + (decision_submit) + decision_sign write it."""
        rule = self._rules[type]
        if preparer is not None and delegation.may_sign(preparer, rule, data.case.unit_id):
            signer = preparer
        else:
            signer = self.signer(type, data.case.unit)
        preparer = preparer or signer
        decision = Decision(
            case=data.case, type=type, outcome=outcome, legal_basis=rule.law_reference, decision_text=text,
            reasons=reasons, person_view=person_view, status=DecisionStatus.SIGNED, prepared_by=preparer,
            delegate=signer, delegation_rule=rule, decided_on=on, signed_at=_aware(on, self.rng.randrange(9, 16),
            self.rng.randrange(60)), appeal_route=rule.appeal_route, payload=payload or {},
        )  # fmt: skip
        self.decisions.append(decision)
        if signer.pk != preparer.pk:
            self.event(data, "decision_submitted", on, preparer, decision_id=decision, type=type)
        return decision

    def signed(self, data: _CaseData, decision: Decision) -> None:
        self.event(data, "decision_signed", decision.decided_on, decision.delegate, decision_id=decision,  # type: ignore[arg-type]
                   number=decision, type=decision.type)  # fmt: skip

    def extension(self, data: _CaseData, *, kind: str, rule_id: str, due: date, until: date, on: date,
                  reason_code: str, reason_text: str, decision_type: str) -> None:  # fmt: skip
        signer = self.signer(decision_type, data.case.unit)
        ext = DeadlineExtension(
            case=data.case, kind=kind, rule_id=rule_id, original_due_on=due, new_due_on=until,
            reason_code=reason_code, reason_text=reason_text, decided_by=signer, decided_on=on,
            delegation_rule=self._rules[decision_type], extended_after_expiry=on > due,
        )  # fmt: skip
        self.extensions.append(ext)
        self.event(data, f"{kind}_extended", on, signer, until=until.isoformat(), reason_code=reason_code,
                   extension_id=ext)  # fmt: skip

    def provider(self, service: str, adult: bool) -> Provider:
        choices = (ADULT_PROVIDERS if adult else CHILD_PROVIDERS)[service]
        name = self.rng.choices([c[0] for c in choices], weights=[c[1] for c in choices])[0]
        return self.providers[name]

    # -- interventions --

    def carry_out(self, data: _CaseData, decision: Decision, *, kind: str, form: str, adult: bool,
                  worker: User | None, urgent: bool = False, exec_delay: int | str | None = None,
                  duration_days: int | None = None, reviews: bool = True) -> None:  # fmt: skip
        """Carry out a decision (intervention_start), then reviews, visits and the end, up to today.
        `exec_delay`: days after the decision, None for a random delay, NEVER for not carried out."""
        decided = decision.decided_on
        assert decided is not None
        if exec_delay == NEVER:
            return
        if exec_delay is None:
            roll = self.rng.random()
            if kind == "placement":
                exec_delay = -self.rng.randint(1, 20) if urgent else self.rng.randint(0, 5)
            elif roll < 0.05 and (self.today - decided).days < 300:
                exec_delay = NEVER  # not carried out (yet): R-VERK-1
            elif roll < 0.11:
                exec_delay = self.rng.randint(95, 150)  # carried out late: R-VERK-1
            else:
                exec_delay = self.rng.randint(3, 60)
        if not isinstance(exec_delay, int):
            return  # NEVER
        start = max(decided + timedelta(days=exec_delay), data.case.opened_on)
        if start > self.today:
            return
        service = form or kind
        provider = self.provider(service, adult)
        responsible = worker or data.case.assignee or self.rng.choice(self.workers[data.case.unit.code] or [self.head])
        if responsible is None:
            raise RuntimeError(f"no demo caseworker in {data.case.unit.code}")
        planned = self.rng.randint(*{"placement": (120, 540), "contact_person": (180, 720),
                                     "contact_family": (180, 720)}.get(kind, (90, 365)))  # fmt: skip
        if form in ("familjehem", "natverkshem"):
            planned = self.rng.randint(365, 1800)
        if form == "jourhem":
            planned = self.rng.randint(40, 130)
        intervention = Intervention(
            case=data.case, decision=decision, kind=kind, provider=provider, start_on=start,
            planned_end_on=start + timedelta(days=planned), started_by=responsible,
            responsible_worker=responsible if kind == "placement" or self.rng.random() < 0.5 else None,
        )  # fmt: skip
        self.interventions.append(intervention)
        self.event(data, "intervention_started", start, responsible, intervention_id=intervention,
                   decision_id=decision, kind=kind, **({"form": form} if form else {}))  # fmt: skip
        placement = None
        if kind == "placement":
            agreement = self.agreement(provider, form, start)
            placement = Placement(
                intervention=intervention, form=form, care_start=rules.care_start(decided, start),
                price_agreement=agreement, daily_price=daily_price(agreement),
            )  # fmt: skip
            care_plan = start + timedelta(days=self.rng.randint(5, 40))
            if care_plan <= self.today and self.rng.random() < 0.9:
                placement.care_plan_on = care_plan
                if not adult:
                    placement.implementation_plan_on = care_plan + timedelta(days=self.rng.randint(0, 20))
                    if placement.implementation_plan_on > self.today:
                        placement.implementation_plan_on = None
            revision_by = rules.care_plan_revision_by(start)
            revised = revision_by - timedelta(days=self.rng.randint(0, 90))
            if not adult and placement.care_plan_on and revised <= min(self.today, start + timedelta(days=planned)):
                placement.care_plan_on = revised  # R-VARD-2: the latest revision, before two years in care
            self.placements.append(placement)
            if not adult:
                self.event(data, "placement_started", placement.care_start, responsible,
                           intervention_id=intervention, form=form)  # fmt: skip
        if data.case.phase != "intervention":
            self.phase(data, "intervention", start, responsible)
        end = start + timedelta(days=duration_days if duration_days is not None else planned)
        if self.rng.random() < 0.15 and duration_days is None:
            end = start + timedelta(days=self.rng.randint(20, max(21, planned)))  # ended early
        last_day = min(end, self.today)
        if placement is not None:
            self.follow_placement(data, placement, intervention, responsible, last_day, child=not adult and reviews)
        if end > self.today:
            return
        reason = self.rng.choices(
            [EndReason.COMPLETED, EndReason.DECLINED, EndReason.MOVED, EndReason.REPLACED],
            weights=[75, 12, 8, 5],
        )[0]
        intervention.end_on, intervention.end_reason = end, reason
        self.event(data, "intervention_ended", end, responsible, intervention_id=intervention,
                   decision_id=decision, reason=reason)  # fmt: skip
        if placement is not None and not adult:
            self.event(data, "placement_ended", end, responsible, intervention_id=intervention)
        close_on = end + timedelta(days=self.rng.randint(0, 3))
        if close_on <= self.today:
            self.close(data, close_on, "completed", responsible)

    def follow_placement(self, data: _CaseData, placement: Placement, intervention: Intervention, worker: User,
                         until: date, *, child: bool) -> None:  # fmt: skip
        """Care reviews every six months (R-VARD-1, `child`) and visits (R-VARD-5) up to `until`."""
        if child:
            last = placement.care_start
            number = self.rng.randint(10, 60)
            while True:
                due = add_months(last, 6)
                on = due - timedelta(days=self.rng.randint(0, 25))
                if self.rng.random() < 0.08:
                    on = due + timedelta(days=self.rng.randint(1, 20))  # late
                if on > until or on > self.today:
                    break
                number += self.rng.randint(20, 60)
                review = CareReview(
                    placement=placement, reviewed_on=on, committee_reference=f"IU {on.isoformat()} § {number}",
                    conclusion="continue", recorded_by=worker,
                )  # fmt: skip
                self.reviews.append(review)
                self.event(data, "care_reviewed", on, worker, care_review_id=review, intervention_id=intervention,
                           committee_reference=review.committee_reference, conclusion="continue")  # fmt: skip
                last = on
        visit_on = intervention.start_on + timedelta(days=self.rng.randint(10, 40))
        while visit_on <= until and visit_on <= self.today:
            visit = Visit(placement=placement, visited_on=visit_on, spoke_alone=self.rng.random() < 0.8,
                          recorded_by=worker)  # fmt: skip
            self.visits.append(visit)
            self.event(data, "placement_visited", visit_on, worker, visit_id=visit, intervention_id=intervention,
                       spoke_alone=visit.spoke_alone)  # fmt: skip
            visit_on += timedelta(days=self.rng.randint(55, 110))

    def agreement(self, provider: Provider, service: str, on: date) -> PriceAgreement | None:
        for agreement in self.agreements.get((provider.pk, service), []):
            if agreement.valid_from <= on and (agreement.valid_to is None or on <= agreement.valid_to):
                return agreement
        return None

    # -- providers --

    def seed_providers(self) -> int:
        self.providers: dict[str, Provider] = {}
        self.agreements: dict[tuple[int, str], list[PriceAgreement]] = defaultdict(list)
        created = 0
        this_year = date(self.today.year, 1, 1)
        for name, kind, org, unit_code, services in PROVIDERS:
            unit = self.units.get(unit_code) if unit_code else None
            if kind == ProviderKind.OWN and unit is None:
                kind = ProviderKind.EXTERNAL
            provider, was_created = Provider.objects.get_or_create(
                name=name, defaults={"kind": kind, "org_number": org, "unit": unit}
            )
            created += was_created
            self.providers[name] = provider
            if was_created:
                for service, unit_of_price, price in services:
                    # Last year's price until 31 December, this year's (about 3 % higher) from 1 January.
                    old = (Decimal(price) / Decimal("1.03")).quantize(Decimal("1"))
                    PriceAgreement.objects.bulk_create([
                        PriceAgreement(provider=provider, service=service, price_unit=unit_of_price, price=old,
                                       valid_from=date(self.start.year - 1, 1, 1),
                                       valid_to=this_year - timedelta(days=1)),
                        PriceAgreement(provider=provider, service=service, price_unit=unit_of_price,
                                       price=Decimal(price), valid_from=this_year),
                    ])  # fmt: skip
            for agreement in PriceAgreement.objects.filter(provider=provider).order_by("-valid_from"):
                self.agreements[(provider.pk, agreement.service)].append(agreement)
        return created

    # -- the children's flow --

    def child_case(self, received_on: date, **force: Any) -> None:
        rng = self.rng
        subject = force.get("subject") or self.pick_person(received_on, 0, 17)
        if subject is None:
            return
        reception, investigating = self.units["mottagning-bou"], self.units["utredning-bou"]
        recent = (self.today - received_on).days < 25
        worker = force["worker"] if "worker" in force else self.assignee("mottagning-bou", open_and_recent=recent)
        registrar = worker or self.named["mottagning-bou"] or self.workers["mottagning-bou"][0]
        data = self.new_case(subject_id=subject, process_code="child", unit=reception, opened_on=received_on,
                             assignee=worker)  # fmt: skip
        data.guardians = True
        categories, weights = zip(*CHILD_REPORTER_WEIGHTS, strict=True)
        category = rng.choices(categories, weights=weights)[0]
        stated = category if category != "anonymous" else rng.choice(["private", "relative"])
        title, org = rng.choice(REPORTERS.get(category, [("", "")]))
        mandated = category in MANDATED_CATEGORIES
        channel = rng.choices([c for c, _w in CHANNEL_WEIGHTS], weights=[w for _c, w in CHANNEL_WEIGHTS])[0]
        hour = rng.randrange(17, 23) if channel == "out_of_hours" else rng.randrange(8, 17)
        intake = Intake(
            case=data.case, kind="orosanmalan", received_at=_aware(received_on, hour, rng.randrange(60)),
            received_on=received_on, channel=channel, reporter_category=category,
            reporter_name=f"{title} (demo)" if mandated else ("" if category == "anonymous" else "Privatperson (demo)"),
            reporter_organisation=org if mandated else "", wants_feedback=mandated and rng.random() < 0.3,
            content=rng.choice(CHILD_REPORT_TEXTS), registered_by=registrar,
            registered_late=channel == "out_of_hours" and rng.random() < 0.5,
        )  # fmt: skip
        self.intakes.append(intake)
        self.child_reports.append((intake, stated))
        self.event(data, "case_opened", received_on, registrar)
        self.event(data, "report_received", received_on, registrar, intake_id=intake)
        if intake.wants_feedback:
            self.event(data, "reporter_feedback_requested", received_on, registrar, intake_id=intake)
        if worker is not None and self.lead is not None:
            self.assign(data, worker, received_on, self.lead)
        actor = worker or registrar
        # R-SKYDD-1: genast; a few a day or two late.
        pa_on = received_on + timedelta(days=force.get("pa_delay", rng.choices([0, 1, 2], weights=[90, 8, 2])[0]))
        if pa_on > self.today:
            return
        needs = rng.random() < 0.05
        self.protections.append((intake, data, needs, actor, _aware(pa_on, min(hour + 1, 23), rng.randrange(60))))
        self.event(data, "protection_assessment_signed", pa_on, actor, intake_id=intake,
                   needs_immediate_protection=needs)  # fmt: skip
        # R-FORH-1/2: pre-assessment within 14 days; some extended, some late.
        due = received_on + timedelta(days=14)
        roll = rng.random()
        if "pre_delay" in force:
            decided = received_on + timedelta(days=force["pre_delay"])
        elif roll < 0.03:
            ext_on = received_on + timedelta(days=rng.randint(9, 13))
            until = due + timedelta(days=rng.randint(7, 14))
            if ext_on <= self.today:
                self.extension(data, kind="pre_assessment", rule_id="R-FORH-2", due=due, until=until, on=ext_on,
                               reason_code="police_interview_pending", reason_text="",
                               decision_type="pre_assessment_extension")  # fmt: skip
            decided = received_on + timedelta(days=rng.randint(15, (until - received_on).days))
        elif roll < 0.10:
            decided = received_on + timedelta(days=rng.randint(15, 21))
        else:
            decided = received_on + timedelta(days=rng.randint(2, 14))
        decided = max(decided, pa_on)
        if decided > self.today:
            return
        outcome = force.get("outcome") or rng.choices(["utredning_inleds", "inleds_ej", "overlamnad"],
                                                      weights=[40, 55, 5])[0]  # fmt: skip
        heard = rng.random() < 0.6
        decision = self.decide(
            data, type="pre_assessment", outcome=outcome, on=decided, preparer=actor,
            text={"utredning_inleds": "Utredning inleds enligt 14 kap. 2 § socialtjänstlagen (2025:400).",
                  "inleds_ej": "Utredning inleds inte.",
                  "overlamnad": "Ärendet överlämnas till Grannby kommun. Utredning inleds inte här."}[outcome],
            reasons="Bedömningen grundar sig på anmälan, samtal med vårdnadshavarna och uppgifter från skolan.",
            person_view=("Barnet har hörts: vill att det blir lugnare hemma." if heard
                         else "Barnet har inte hörts: barnet är för litet för ett samtal."),
            payload={"child_heard": heard, "handed_over_to": "Grannby kommun" if outcome == "overlamnad" else ""},
        )  # fmt: skip
        self.event(data, "pre_assessment_decided", decided, actor, decision_id=decision,
                   outcome=cases.PRE_ASSESSMENT_ENGINE_OUTCOME[outcome], decision_outcome=outcome)  # fmt: skip
        self.signed(data, decision)
        if intake.wants_feedback:
            sent = decided + timedelta(days=rng.randint(1, 6))
            if sent <= self.today:
                fact = {"utredning_inleds": "opened"}.get(outcome, "not_opened")
                self.feedbacks.append((intake, data, fact, sent, actor))
                self.event(data, "reporter_feedback_sent", sent, actor, intake_id=intake, fact=fact)
        if outcome != "utredning_inleds":
            self.close(data, decided, outcome, actor)
            return
        opened = self.event(data, "investigation_opened", decided, actor, decision_id=decision)
        self.investigations.append(_InvestigationSpec(data, opened))
        self.phase(data, "investigation", decided, actor)
        self.child_investigation(data, decided, reception, investigating, actor, force)

    def child_investigation(self, data: _CaseData, opened_on: date, reception: Unit, investigating: Unit,
                            actor: User, force: dict[str, Any]) -> None:  # fmt: skip
        rng = self.rng
        moved = opened_on + timedelta(days=rng.randint(0, 2))
        if moved > self.today:
            return
        self.transfers.append(Transfer(
            case=data.case, from_unit=reception, to_unit=investigating,
            message="Utredning inleds. Ärendet överlämnas till utredningsenheten.", status=TransferStatus.ACCEPTED,
            requested_by=actor, accepted_by=self.lead or actor, accepted_at=_aware(moved, 13),
        ))  # fmt: skip
        self.event(data, "transfer_requested", moved, actor, to_unit=investigating.name,
                   message="Utredning inleds. Ärendet överlämnas till utredningsenheten.")  # fmt: skip
        self.event(data, "transfer_accepted", moved, self.lead, from_unit=reception.name, to_unit=investigating.name)
        data.case.unit = investigating
        recent = (self.today - opened_on).days < 130
        if "inv_worker" in force:
            worker = force["inv_worker"]
        else:
            worker = self.assignee("utredning-bou", open_and_recent=recent)
        data.case.assignee = None
        self.assign(data, worker, moved, self.lead)
        actor = worker or actor
        # R-UTR-2: four months; some extended, a few late.
        due = add_months(opened_on, 4)
        roll = rng.random()
        if "inv_days" in force:
            concluded = opened_on + timedelta(days=force["inv_days"])
        elif roll < 0.12:
            ext_on = due - timedelta(days=rng.randint(7, 21))
            until = add_months(due, rng.choice([1, 1, 2]))
            if ext_on <= self.today:
                self.extension(data, kind="investigation", rule_id="R-UTR-2", due=due, until=until, on=ext_on,
                               reason_code="other", reason_text="Inväntar utlåtande från barn- och ungdomspsykiatrin.",
                               decision_type="investigation_extension")  # fmt: skip
            concluded = due + timedelta(days=rng.randint(0, (until - due).days))
            if rng.random() < 0.1:
                concluded = until + timedelta(days=rng.randint(1, 20))
        elif roll < 0.19:
            concluded = due + timedelta(days=rng.randint(3, 45))
        else:
            concluded = opened_on + timedelta(days=rng.randint(40, (due - opened_on).days))
        if concluded > self.today:
            return
        choice = (
            force.get("conclusion")
            or rng.choices(
                ["closed", "non_residential", "contact_person", "placement_hvb", "placement_foster_home"],
                weights=[45, 25, 12, 8, 10],
            )[0]
        )
        view = "Barnet har berättat att hon vill bo kvar hemma men vill ha hjälp." if rng.random() < 0.7 else (
            "Barnet har inte velat medverka i samtal.")  # fmt: skip
        if choice == "closed":
            decision = self.decide(
                data, type="investigation_closed", outcome="closed_without_intervention", on=concluded,
                preparer=actor, text="Utredningen avslutas utan insats.",
                reasons="Utredningen visar inte att barnet behöver skydd eller stöd från socialnämnden.",
                person_view=view,
            )  # fmt: skip
            self.event(data, "investigation_decided", concluded, decision.delegate, decision_id=decision)
            self.signed(data, decision)
            close_on = concluded + timedelta(days=rng.randint(0, 5))
            if close_on <= self.today:
                self.close(data, close_on, "closed_without_intervention", actor)
            return
        urgent = choice.startswith("placement") and rng.random() < 0.2
        if choice == "placement_hvb":
            kind, form = "placement", rng.choices(["hvb", "stodboende", "sis"], weights=[80, 15, 5])[0]
        elif choice == "placement_foster_home":
            kind, form = "placement", force.get("form") or rng.choices(
                ["familjehem", "natverkshem", "jourhem"], weights=[55, 20, 25])[0]  # fmt: skip
        elif choice == "contact_person":
            kind, form = rng.choice(["contact_person", "contact_family"]), ""
        else:
            kind, form = "non_residential", ""
        decision = self.decide(
            data, type=choice, outcome="granted" if rng.random() < 0.93 else "partly_granted", on=concluded,
            preparer=actor, text="Insatsen beviljas enligt 11 kap. 1 § socialtjänstlagen (2025:400).",
            reasons="Utredningen visar att barnet har behov av insatsen för att få sina behov tillgodosedda.",
            person_view=view,
        )  # fmt: skip
        self.event(data, "investigation_decided", concluded, decision.delegate, decision_id=decision)
        self.signed(data, decision)
        self.carry_out(data, decision, kind=kind, form=form, adult=False, worker=worker, urgent=urgent,
                       exec_delay=force.get("exec_delay"), duration_days=force.get("duration"),
                       reviews=force.get("reviews", True))  # fmt: skip

    # -- the adults' flow --

    def adult_case(self, received_on: date, **force: Any) -> None:
        rng = self.rng
        subject = self.pick_person(received_on, 18, 79)
        if subject is None:
            return
        unit = self.units["vuxenenheten"]
        kind = force.get("kind") or rng.choices(["ansokan", "orosanmalan", "ovrig"], weights=[55, 40, 5])[0]
        area = force.get("area") or rng.choices(["vuxen_missbruk", "vinr", "ovrigt"], weights=[55, 30, 15])[0]
        recent = (self.today - received_on).days < 30
        worker = force["worker"] if "worker" in force else self.assignee("vuxenenheten", open_and_recent=recent)
        registrar = worker or self.named["vuxenenheten"] or self.workers["vuxenenheten"][0]
        data = self.new_case(subject_id=subject, process_code="adult", unit=unit, opened_on=received_on, area=area,
                             assignee=worker)  # fmt: skip
        if kind == "ansokan":
            category, name, org = "self", "", ""
        else:
            category = rng.choice(["police", "healthcare", "relative", "social_services"])
            title, org = rng.choice(REPORTERS.get(category, [("Anhörig", "")]))
            name = f"{title} (demo)"
        channel = rng.choices([c for c, _w in CHANNEL_WEIGHTS], weights=[w for _c, w in CHANNEL_WEIGHTS])[0]
        intake = Intake(
            case=data.case, kind=kind, received_at=_aware(received_on, rng.randrange(8, 17), rng.randrange(60)),
            received_on=received_on, channel=channel, reporter_category=category, reporter_name=name,
            reporter_organisation=org, content=rng.choice(ADULT_TEXTS[area]), registered_by=registrar,
        )  # fmt: skip
        self.intakes.append(intake)
        self.event(data, "case_opened", received_on, registrar)
        self.event(data, "intake_registered", received_on, registrar, intake_id=intake, kind=kind, area=area,
                   channel=channel)  # fmt: skip
        if worker is not None:
            self.assign(data, worker, received_on, self.head)
        actor = worker or registrar
        if kind == "ansokan":
            opened_on = received_on  # R-UTR-1: an application opens the investigation at once
        else:
            delay = force.get("assess_delay")
            if delay is None:
                delay = rng.randint(1, 13) if rng.random() < 0.85 else rng.randint(15, 40)
            opened_on = received_on + timedelta(days=delay)
            if opened_on > self.today:
                return
            investigate = rng.random() < 0.55
            outcome = "utredning_inleds" if investigate else "inleds_ej"
            self.event(data, "intake_assessed", opened_on, actor, outcome=outcome,
                       reasons="Bedömningen grundar sig på anmälan och samtal med personen.")  # fmt: skip
            if not investigate:
                self.close(data, opened_on, "inleds_ej", actor)
                return
        opened = self.event(data, "investigation_opened", opened_on, actor)
        self.investigations.append(_InvestigationSpec(data, opened))
        self.phase(data, "investigation", opened_on, actor)
        concluded = opened_on + timedelta(days=force.get("inv_days", rng.randint(25, 150)))
        if concluded > self.today:
            return
        roll = 0.5 if "exec_delay" in force else rng.random()
        view = "Personen vill ha stöd och har medverkat i utredningen."
        if roll < 0.15:
            decision = self.decide(data, type="investigation_closed", outcome="closed_without_intervention",
                                   on=concluded, preparer=actor, text="Utredningen avslutas utan insats.",
                                   reasons="Personen har tackat nej till insatser.", person_view=view)  # fmt: skip
            self.signed(data, decision)
            self.close(data, concluded, "closed_without_intervention", actor)
            return
        placement = area != "ovrigt" and roll < 0.30
        type = "placement_hvb" if placement and area == "vuxen_missbruk" else "adult_intervention"
        outcome = "rejected" if rng.random() < 0.15 and "exec_delay" not in force else "granted"
        decision = self.decide(
            data, type=type, outcome=outcome, on=concluded, preparer=actor,
            text="Ansökan om insats beviljas." if outcome == "granted" else "Ansökan om insats avslås.",
            reasons="Beslutet grundar sig på utredningen och personens egen beskrivning av sina behov.",
            person_view=view,
        )  # fmt: skip
        self.signed(data, decision)
        if outcome == "rejected":
            close_on = concluded + timedelta(days=rng.randint(0, 10))
            if close_on <= self.today:
                self.close(data, close_on, "rejected", actor)
            return
        if placement:
            form = {"vuxen_missbruk": "hvb", "vinr": "skyddat_boende"}[area]
            self.carry_out(data, decision, kind="placement", form=form, adult=True, worker=worker,
                           exec_delay=force.get("exec_delay"))  # fmt: skip
        else:
            kind = rng.choices(["non_residential", "contact_person"], weights=[75, 25])[0]
            self.carry_out(data, decision, kind=kind, form="", adult=True, worker=worker,
                           exec_delay=force.get("exec_delay"))  # fmt: skip

    # -- scenarios around today, so every dashboard shows something --

    def scenarios(self) -> None:
        t = self.today
        anna, erik, omar = self.named["mottagning-bou"], self.named["utredning-bou"], self.named["vuxenenheten"]
        day = timedelta(days=1)
        # Reception: a report today without protection assessment (unassigned), pre-assessments due soon and
        # overdue.
        self.child_case(t, worker=None, pa_delay=1)
        self.child_case(t, worker=anna, pa_delay=1)
        for back in (10, 11, 13):
            self.child_case(t - back * day, worker=anna, pre_delay=30)
        for back in (16, 19):
            self.child_case(t - back * day, worker=anna, pre_delay=40)
        # Investigation: overdue, due within two weeks, comfortably open.
        for days_over in (5, 12):
            opened = add_months(t, -4) - days_over * day
            self.child_case(opened - 7 * day, worker=anna, pre_delay=7, outcome="utredning_inleds",
                            inv_worker=erik, inv_days=400)  # fmt: skip
        for days_left in (6, 12):
            opened = add_months(t, -4) + days_left * day
            self.child_case(opened - 6 * day, worker=anna, pre_delay=6, outcome="utredning_inleds",
                            inv_worker=erik, inv_days=400)  # fmt: skip
        # Care reviews: overdue and due soon (placed about six months ago, no review yet).
        for care_days in (190, 170):
            concluded = t - care_days * day
            opened = concluded - 60 * day
            self.child_case(opened - 8 * day, worker=anna, pre_delay=8, outcome="utredning_inleds", inv_worker=erik,
                            inv_days=60, conclusion="placement_hvb", exec_delay=0, duration=2000,
                            reviews=False)  # fmt: skip
        # A jourhem placement beyond two months after the investigation closed (R-VARD-4).
        concluded = t - 80 * day
        self.child_case(concluded - 70 * day, worker=anna, pre_delay=8, outcome="utredning_inleds", inv_worker=erik,
                        inv_days=62, conclusion="placement_foster_home", form="jourhem", exec_delay=0,
                        duration=400)  # fmt: skip
        # Decisions not carried out within three months (R-VERK-1).
        concluded = t - 110 * day
        self.child_case(concluded - 70 * day, worker=anna, pre_delay=8, outcome="utredning_inleds", inv_worker=erik,
                        inv_days=62, conclusion="contact_person", exec_delay=NEVER)  # fmt: skip
        self.adult_case(t - 150 * day, kind="ansokan", area="ovrigt", worker=omar, inv_days=40,
                        exec_delay=NEVER)  # fmt: skip
        # Adults: reports waiting for the decision to investigate, over and under the practice threshold.
        for back in (3, 18, 25):
            self.adult_case(t - back * day, kind="orosanmalan", area="vinr", worker=omar, assess_delay=60)
        self.adult_case(t - 2 * day, kind="ansokan", area="vuxen_missbruk", worker=None, inv_days=90)

    # -- writing --

    def write(self, report: CaseSeedReport) -> None:
        datas = sorted(self.cases, key=lambda d: d.case.opened_on)
        numbers = _sequence("cases_case_number_seq", len(datas))
        for data, value in zip(datas, numbers, strict=True):
            data.case.number = f"IFO-{data.case.opened_on.year}-{value:05d}"
        Case.objects.bulk_create([d.case for d in datas], batch_size=2000)
        Intake.objects.bulk_create(self.intakes, batch_size=2000)
        self._parties(datas)
        Transfer.objects.bulk_create(self.transfers, batch_size=2000)
        self.decisions.sort(key=lambda d: d.decided_on)  # type: ignore[arg-type, return-value]
        for decision, value in zip(self.decisions, _sequence("cases_decision_number_seq", len(self.decisions)),
                                   strict=True):  # fmt: skip
            decision.number = f"B-{decision.decided_on.year}-{value:05d}"  # type: ignore[union-attr]
        Decision.objects.bulk_create(self.decisions, batch_size=2000)
        DeadlineExtension.objects.bulk_create(self.extensions, batch_size=2000)
        Intervention.objects.bulk_create(self.interventions, batch_size=2000)
        Placement.objects.bulk_create(self.placements, batch_size=2000)
        CareReview.objects.bulk_create(self.reviews, batch_size=2000)
        Visit.objects.bulk_create(self.visits, batch_size=2000)
        rows: list[CaseEvent] = []
        for data in datas:
            data.events.sort(key=lambda e: e.on)  # stable: same-day events keep their order
            for ev in data.events:
                ev.row = CaseEvent(case=data.case, type=ev.type, occurred_on=ev.on, actor=ev.actor)
                rows.append(ev.row)
        for data in datas:
            for ev in data.events:
                assert ev.row is not None
                ev.row.payload = {
                    k: (_resolve(v) if k != "number" else getattr(v, "number", v)) for k, v in ev.payload.items()
                }
        CaseEvent.objects.bulk_create(rows, batch_size=5000)
        deadlines = [row for data in datas for row in deadline_rows(data.case, [e.row for e in data.events])]  # type: ignore[misc]
        Deadline.objects.bulk_create(deadlines, batch_size=5000)
        self._children_rows()
        self._audit(datas)
        report.cases += len(datas)
        report.child_cases += sum(1 for d in datas if d.case.process == "child")
        report.adult_cases += sum(1 for d in datas if d.case.process == "adult")
        report.intakes += len(self.intakes)
        report.events += len(rows)
        report.deadlines += len(deadlines)
        report.decisions += len(self.decisions)
        report.interventions += len(self.interventions)
        report.placements += len(self.placements)

    def _parties(self, datas: list[_CaseData]) -> None:
        children = {d.case.subject_id: d for d in datas if d.guardians}
        guardians: dict[int, list[int]] = defaultdict(list)
        for child_id, guardian_id in Relation.objects.filter(
            kind=RelationKind.GUARDIAN_OF, to_person_id__in=list(children)
        ).values_list("to_person_id", "from_person_id"):
            guardians[child_id].append(guardian_id)
        parties = [
            CaseParty(case=d.case, person_id=g, role=PartyRole.GUARDIAN)
            for d in datas
            if d.guardians
            for g in guardians.get(d.case.subject_id, [])
        ]
        CaseParty.objects.bulk_create(parties, batch_size=5000)

    def _children_rows(self) -> None:
        """What `lotsen.children` writes beside the engine's rows (its report, protection assessment, reporter
        feedback and the investigation projection of `investigation_opened`/`investigation_decided`/
        `case_closed`)."""
        from lotsen.children import services as children
        from lotsen.children.models import ChildReport, ProtectionAssessment, ReporterFeedback

        ChildReport.objects.bulk_create(
            [ChildReport(intake=i, registering_unit=self.units["mottagning-bou"], stated_category=stated,
                         reporter_anonymous=i.reporter_category == "anonymous") for i, stated in self.child_reports],
            batch_size=2000,
        )  # fmt: skip
        ProtectionAssessment.objects.bulk_create(
            [ProtectionAssessment(case=d.case, intake=i, needs_immediate_protection=needs,
                                  measures="Barnet bor tillfälligt hos mormor under utredningen." if needs else "",
                                  assessment="Barnet bedöms inte vara i behov av omedelbart skydd." if not needs
                                  else "Barnet bedöms behöva omedelbart skydd.", signed_by=actor, signed_at=signed_at)
             for i, d, needs, actor, signed_at in self.protections],
            batch_size=2000,
        )  # fmt: skip
        ReporterFeedback.objects.bulk_create(
            [ReporterFeedback(intake=i, case=d.case, fact=fact, sent_on=sent, sent_by=actor,
                              letter_text="Socialnämnden har tagit emot er anmälan och gjort en förhandsbedömning.")
             for i, d, fact, sent, actor in self.feedbacks],
            batch_size=2000,
        )  # fmt: skip
        for spec in self.investigations:
            opened = spec.opened
            assert opened.row is not None
            closed_on, reason = spec.closed_on, spec.close_reason
            decided = next(
                (e for e in spec.data.events if e.type == "investigation_decided" and e.on >= opened.on), None
            )
            if decided is not None and (closed_on is None or decided.on <= closed_on):
                closed_on, reason = decided.on, "decided"
            investigation = children.investigation_create(
                actor=opened.actor, case=spec.data.case, opened_on=opened.on, event_id=opened.row.pk
            )
            if closed_on is not None:
                children.investigation_close(actor=opened.actor, investigation=investigation, closed_on=closed_on,
                                             reason=reason)  # fmt: skip

    def _audit(self, datas: list[_CaseData]) -> None:
        """The audit rows the services write for the main objects (the demo's history is marked by request id)."""
        rows: list[AuditEvent] = []

        def add(action: str, obj: models.Model, actor: Any) -> None:
            rows.append(
                AuditEvent(
                    actor=actor,
                    action=action,
                    object_type=obj._meta.label_lower,
                    object_id=str(obj.pk),
                    after=audit.snapshot(obj),
                    request_id=DEMO_REQUEST_ID,
                )
            )

        for data in datas:
            add("case.opened", data.case, data.events[0].actor if data.events else None)
        for intake in self.intakes:
            add("intake.registered", intake, intake.registered_by)
        for decision in self.decisions:
            add("decision.signed", decision, decision.delegate)
        for ext in self.extensions:
            add("deadline.extended", ext, ext.decided_by)
        for intervention in self.interventions:
            add("intervention.started", intervention, intervention.started_by)
        AuditEvent.objects.bulk_create(rows, batch_size=5000)


def _sequence(name: str, count: int) -> list[int]:
    if count == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [name, count])
        return [row[0] for row in cursor.fetchall()]


def deadline_rows(case: Case, events: list[CaseEvent]) -> list[Deadline]:
    """The `Deadline` projection of a case's events, computed exactly as `cases.services.refresh_deadlines`
    does (same engine call, same settings, same row mapping), for many cases without a query each."""
    proc = process.get(case.process)
    if proc.deadline_process is None:
        return []
    engine_events = [
        engine.Event(e.type, e.occurred_on, e.payload) for e in events if e.type in cases.DEADLINE_EVENT_TYPES
    ]
    computed = engine.compute_deadlines(
        proc.deadline_process, engine_events, settings=cases.deadline_settings(), internal_events=True
    )
    return [
        Deadline(
            case=case,
            kind=str(d.kind),
            rule_id=d.rule,
            started_on=d.started_on,
            due_on=d.due,
            plan_by=d.plan_by,
            original_due_on=d.original_due,
            done_on=d.done_on,
            status=str(d.status),
            extended_after_expiry=d.extended_after_expiry,
            steps=list(d.steps),
        )
        for d in computed
    ]


def seed_cases(
    *, rng: random.Random, today: date, years: int, units: dict[str, Unit], users: dict[str, User]
) -> CaseSeedReport:
    """Seed providers, price agreements, the default delegationsordning and `years` of case history up to
    `today` (see the module docstring). `units` by code and `users` by username as in
    `lotsen.demo.generator` (UNITS, DEMO_USERS)."""
    started = time.perf_counter()
    report = CaseSeedReport()
    with transaction.atomic():
        delegation.install_default_scheme(valid_from=date(today.year - years - 1, 1, 1))
        builder = _Builder(rng=rng, today=today, years=years, units=units, users=dict(users))
        report.providers = builder.seed_providers()
        days = (today - builder.start).days + 1
        children = sum(1 for b in builder.birth_dates if b > add_years(today, -18))
        adults = len(builder.birth_dates) - children
        n_child = round(children * CHILD_REPORTS_PER_1000_PER_YEAR / 1000 * years)
        n_adult = round(adults * ADULT_MATTERS_PER_1000_PER_YEAR / 1000 * years)
        # History first (days are drawn, then sorted, so people are picked in time order), then the scenarios.
        for offset in sorted(rng.randrange(days) for _ in range(n_child)):
            builder.child_case(builder.start + timedelta(days=offset))
        for offset in sorted(rng.randrange(days) for _ in range(n_adult)):
            builder.adult_case(builder.start + timedelta(days=offset))
        builder.scenarios()
        builder.write(report)
        with connection.cursor() as cursor:
            for table in ("cases_case", "cases_caseevent", "cases_deadline", "cases_decision"):
                cursor.execute(f"ANALYZE {table}")
    report.seconds = time.perf_counter() - started
    return report
