"""The statutory individual-level statistics on ekonomiskt bistånd to Socialstyrelsen (followup.md 3.1, 3.4;
HSLF-FS 2015:30): one file per month the aid is for, due on the 15th of the following month.

Pipeline: `extract(period)` reads one record per household month from Lotsen's payments (period basis: the
executed payment rows whose `period_month` is the month, returns and corrections included as negative rows,
FU-M4) and the household of the month (`assistance.ApplicationMember`, or the case's subject alone when the
month has no application); `validate(...)` applies FU-S3's rules and returns findings with rule id, severity
(`fel` blocks the file, `varning` does not) and a Swedish message; `build_file(...)` writes the records in a
versioned layout (FU-S1); `reconcile(period)` sets the period-basis total beside the cash-basis total (FU-S6).

The layout and the code lists are **(unverified)** against Socialstyrelsen's current technical description:
they are data here (`LAYOUTS`), named in every submission, so a new description is a data change plus a test.
Household ids in the file are Lotsen's case numbers; no names or addresses are written (FU-P7).

Pure reads: the view (lotsen/payments/views_statistics.py) checks who may run it and logs the access.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Sum

from lotsen.core.workdays import add_months
from lotsen.people.personnummer import InvalidIdentityNumber, parse

REGISTER = "ekonomiskt_bistand"
ERROR = "fel"
WARNING = "varning"
CATEGORIES = ("forsorjningsstod", "livsforing_ovrigt", "4_2")
# Municipalities that must report per stadsdel (followup.md 3.1); Lotsen has no stadsdel register yet.
DISTRICT_MUNICIPALITIES = {"0180", "1480", "1280"}
ROLE_CODES = {"applicant": "S", "partner": "M", "child": "B"}
ROLE_NAMES = {"S": "sökande", "M": "medsökande", "B": "barn"}
EXECUTED = ("sent", "paid", "returned")


@dataclass(frozen=True)
class Layout:
    """A versioned file layout (FU-S1)."""

    version: str
    separator: str
    columns: tuple[str, ...]
    barrier_codes: dict[str, str]  # Lotsen's försörjningshinder code → the register's code
    requires_barrier: bool = True
    allows_temp_id: bool = False


def _barrier_codes() -> dict[str, str]:
    from lotsen.assistance.codes import BARRIERS

    return {code: f"{i:02d}" for i, code in enumerate(BARRIERS, start=1)}


LAYOUT_VERSION = "lotsen-eb-2017-1"


def layout(version: str = LAYOUT_VERSION) -> Layout:
    if version != LAYOUT_VERSION:
        raise KeyError(version)
    return Layout(
        version=LAYOUT_VERSION,
        separator=";",
        columns=(
            "kommunkod",
            "period",
            "hushall",
            "roll",
            "personnummer",
            "hushallstyp",
            "belopp_totalt",
            "belopp_forsorjningsstod",
            "belopp_livsforing_ovrigt",
            "belopp_4_2",
            "forsorjningshinder",
            "arbetsmarknadsinsats",
        ),
        barrier_codes=_barrier_codes(),
    )


@dataclass
class Member:
    person_id: int
    role: str  # S, M, B
    pnr: str | None
    temp_id: str | None
    birth_date: date | None
    sex: str
    barrier: str
    labour_market: bool | None


@dataclass
class HouseholdMonth:
    case_id: int
    case_number: str
    unit: str
    caseworker: str
    municipality_code: str
    members: list[Member]
    amounts: dict[str, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), Decimal(0))

    @property
    def applicant(self) -> Member | None:
        return next((m for m in self.members if m.role == "S"), None)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    case_id: int
    case_number: str
    unit: str
    caseworker: str
    person_id: int | None
    field: str
    value: str
    message: str


@dataclass
class Report:
    period: date
    households: list[HouseholdMonth]
    findings: list[Finding] = field(default_factory=list)
    period_total: Decimal = Decimal(0)
    cash_total: Decimal = Decimal(0)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def error_case_ids(self) -> set[int]:
        return {f.case_id for f in self.errors}

    @property
    def reconciliation_difference(self) -> Decimal:
        return self.cash_total - self.period_total


def month_bounds(period: date) -> tuple[date, date]:
    start = period.replace(day=1)
    return start, add_months(start, 1)


def due_on(period: date) -> date:
    """HSLF-FS 2015:30: by the 15th of the month after the month the aid is for."""
    return add_months(period.replace(day=1), 1).replace(day=15)


def configured_municipality_code() -> str:
    code = getattr(settings, "LOTSEN_MUNICIPALITY_CODE", "")
    if code:
        return str(code)
    from lotsen.core.models import Municipality

    first = Municipality.objects.order_by("pk").values_list("code", flat=True).first()
    return first or ""


def masked(pnr: str | None, temp_id: str | None = None) -> str:
    """FU-S4: `YYYYMMDD-****` in the rejected-rows report."""
    if pnr:
        return f"{pnr[:8]}-****"
    return temp_id or "–"


# --- extraction -------------------------------------------------------------------------------------------


def extract(period: date) -> list[HouseholdMonth]:
    """One record per case (household) with a positive net period-basis sum in the month."""
    from lotsen.cases.models import Case
    from lotsen.payments.models import Payment

    start, _end = month_bounds(period)
    sums: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = (
        Payment.objects.filter(period_month=start, status__in=EXECUTED)
        .values("case_id", "category")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        sums[row["case_id"]][row["category"]] = row["total"]
    positive = {case_id: amounts for case_id, amounts in sums.items() if sum(amounts.values(), Decimal(0)) > 0}
    cases = {
        c.pk: c
        for c in Case.objects.filter(pk__in=positive).select_related("subject", "unit__municipality", "assignee")
    }
    members = _members(start, list(positive))
    result = []
    for case_id in sorted(positive, key=lambda pk: cases[pk].number):
        case = cases[case_id]
        household = members.get(case_id) or [_member(case.subject, "S", "", None)]
        result.append(
            HouseholdMonth(
                case_id=case_id,
                case_number=case.number,
                unit=case.unit.name,
                caseworker=case.assignee.display_name if case.assignee else "",
                municipality_code=case.unit.municipality.code,
                members=household,
                amounts={c: positive[case_id].get(c, Decimal(0)) for c in CATEGORIES},
            )
        )
    return result


def _member(person: Any, role: str, barrier: str, labour_market: bool | None) -> Member:
    return Member(
        person_id=person.pk,
        role=role,
        pnr=person.pnr,
        temp_id=person.temp_id,
        birth_date=person.birth_date,
        sex=person.legal_sex,
        barrier=barrier,
        labour_market=labour_market,
    )


def _members(period: date, case_ids: list[int]) -> dict[int, list[Member]]:
    """The household of the month from the month's application (ApplicationMember), when the assistance app
    has one."""
    try:
        from lotsen.assistance.models import ApplicationMember
    except ImportError:  # pragma: no cover - the assistance models ship with Lotsen
        return {}
    result: dict[int, list[Member]] = defaultdict(list)
    order = {"S": 0, "M": 1, "B": 2}
    qs = ApplicationMember.objects.filter(application__case_id__in=case_ids, application__period=period).select_related(
        "person", "application"
    )
    for m in qs:
        result[m.application.case_id].append(
            _member(m.person, ROLE_CODES.get(m.role, "B"), m.barrier_to_self_support, m.labour_market_intervention)
        )
    for members in result.values():
        members.sort(key=lambda m: (order[m.role], m.person_id))
    return dict(result)


# --- validation (FU-S3) -----------------------------------------------------------------------------------


def validate(
    households: list[HouseholdMonth], *, period: date, today: date, municipality_code: str, layout_: Layout
) -> list[Finding]:
    findings: list[Finding] = []
    seen_persons: dict[int, str] = {}
    for hh in households:

        def add(rule: str, severity: str, field_: str, value: str, message: str, person_id: int | None = None,
                hh: HouseholdMonth = hh) -> None:  # fmt: skip
            findings.append(
                Finding(
                    rule,
                    severity,
                    hh.case_id,
                    hh.case_number,
                    hh.unit,
                    hh.caseworker,
                    person_id,
                    field_,
                    value,
                    message,
                )
            )

        # V08 municipality
        if hh.municipality_code != municipality_code:
            add(
                "V08",
                ERROR,
                "kommunkod",
                hh.municipality_code,
                f"Kommunkoden {hh.municipality_code} är inte kommunens ({municipality_code}).",
            )
        # V02 household integrity
        applicants = [m for m in hh.members if m.role == "S"]
        if len(applicants) != 1:
            add("V02", ERROR, "roll", str(len(applicants)), "Hushållet ska ha exakt en sökande.")
        partners = [m for m in hh.members if m.role == "M"]
        if any(p.person_id == a.person_id for p in partners for a in applicants):
            add("V02", ERROR, "medsökande", "", "Medsökande kan inte vara samma person som sökande.")
        for m in hh.members:
            other = seen_persons.get(m.person_id)
            if other is not None and other != hh.case_number:
                add(
                    "V02",
                    ERROR,
                    "personnummer",
                    masked(m.pnr, m.temp_id),
                    f"Personen finns också i hushållet {other} samma månad.",
                    m.person_id,
                )
            seen_persons.setdefault(m.person_id, hh.case_number)
        # V01 identity numbers
        for m in hh.members:
            if not m.pnr:
                if not layout_.allows_temp_id:
                    add(
                        "V01",
                        ERROR,
                        "personnummer",
                        masked(None, m.temp_id),
                        "Personen saknar personnummer eller samordningsnummer. Registret tar inte emot reservnummer.",
                        m.person_id,
                    )
                continue
            try:
                parse(m.pnr, today=today)
            except InvalidIdentityNumber as exc:
                add("V01", ERROR, "personnummer", masked(m.pnr), exc.message_sv, m.person_id)
        # V03 amounts
        if any(v != v.to_integral_value() for v in hh.amounts.values()):
            add("V03", ERROR, "belopp", f"{hh.total}", "Beloppen ska vara hela kronor.")
        if hh.total <= 0:
            add("V03", ERROR, "belopp_totalt", f"{hh.total}", "Hushållets summa för månaden ska vara större än 0.")
        # V04/V05 försörjningshinder for every adult (sökande, medsökande)
        for m in hh.members:
            if m.role not in ("S", "M"):
                continue
            if not m.barrier:
                if layout_.requires_barrier:
                    add(
                        "V05",
                        ERROR,
                        "forsorjningshinder",
                        "",
                        f"Försörjningshinder saknas för {ROLE_NAMES[m.role]}.",
                        m.person_id,
                    )
            elif m.barrier not in layout_.barrier_codes:
                add(
                    "V04",
                    ERROR,
                    "forsorjningshinder",
                    m.barrier,
                    f"Koden {m.barrier} finns inte i kodlistan för försörjningshinder.",
                    m.person_id,
                )
        # V07 age
        applicant = hh.applicant
        if applicant and applicant.birth_date:
            start, _end = month_bounds(period)
            age = (
                start.year
                - applicant.birth_date.year
                - ((start.month, start.day) < (applicant.birth_date.month, applicant.birth_date.day))
            )
            if age < 18:
                add(
                    "V07",
                    WARNING,
                    "personnummer",
                    masked(applicant.pnr, applicant.temp_id),
                    "Sökande är under 18 år. Kontrollera att hushållet är rätt registrerat.",
                    applicant.person_id,
                )
    if municipality_code in DISTRICT_MUNICIPALITIES:
        for hh in households:
            findings.append(
                Finding(
                    "V08",
                    ERROR,
                    hh.case_id,
                    hh.case_number,
                    hh.unit,
                    hh.caseworker,
                    None,
                    "stadsdel",
                    "",
                    "Kommunen ska redovisa stadsdel, men hushållet saknar stadsdel.",
                )
            )
    return findings


def household_type(hh: HouseholdMonth, period: date) -> int:
    from lotsen.assistance.codes import household_type as code

    applicant = hh.applicant
    if applicant is None:
        return 9
    adult = True
    if applicant.birth_date:
        adult = (period.year - applicant.birth_date.year) - (
            (period.month, period.day) < (applicant.birth_date.month, applicant.birth_date.day)
        ) >= 18
    children = sum(1 for m in hh.members if m.role == "B")
    has_partner = any(m.role == "M" for m in hh.members)
    return code(applicant_sex=applicant.sex, has_partner=has_partner, children=children, applicant_adult=adult)


# --- file -------------------------------------------------------------------------------------------------


def build_file(households: list[HouseholdMonth], *, period: date, municipality_code: str, layout_: Layout) -> str:
    """One line per person; the household's amounts on the sökande's line (the household part), the person
    variables on every line (the person part)."""
    sep = layout_.separator
    lines = [sep.join(layout_.columns)]
    for hh in households:
        hh_type = household_type(hh, period.replace(day=1))
        for m in hh.members:
            is_applicant = m.role == "S"
            amounts = (
                [str(int(hh.total)), *(str(int(hh.amounts.get(c, Decimal(0)))) for c in CATEGORIES)]
                if is_applicant
                else ["", "", "", ""]
            )
            barrier = layout_.barrier_codes.get(m.barrier, "") if m.role in ("S", "M") else ""
            labour = "" if m.role == "B" or m.labour_market is None else ("1" if m.labour_market else "0")
            values = [
                municipality_code,
                f"{period:%Y%m}",
                hh.case_number,
                m.role,
                m.pnr or m.temp_id or "",
                str(hh_type) if is_applicant else "",
                *amounts,
                barrier,
                labour,
            ]
            lines.append(sep.join(values))
    return "\r\n".join(lines) + "\r\n"


def file_name(period: date, municipality_code: str) -> str:
    return f"EB_{municipality_code}_{period:%Y%m}.txt"


def sha256(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


# --- reconciliation (FU-S6) and the whole run -------------------------------------------------------------


def reconcile(period: date) -> tuple[Decimal, Decimal]:
    """(period basis, cash basis) for the month: the aid for the month versus the money paid in it."""
    from lotsen.payments.models import Payment

    start, end = month_bounds(period)
    executed = Payment.objects.filter(status__in=EXECUTED)
    period_total = executed.filter(period_month=start).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    cash_total = executed.filter(paid_on__gte=start, paid_on__lt=end).aggregate(total=Sum("amount"))["total"]
    return period_total, cash_total or Decimal(0)


def run(period: date, *, today: date, municipality_code: str | None = None) -> Report:
    code = municipality_code if municipality_code is not None else configured_municipality_code()
    start, _end = month_bounds(period)
    households = extract(start)
    report = Report(period=start, households=households)
    report.findings = validate(households, period=start, today=today, municipality_code=code, layout_=layout())
    report.period_total, report.cash_total = reconcile(start)
    return report
