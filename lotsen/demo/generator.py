"""Synthetic municipality: deterministic for a seed, realistic in shape, bulk-inserted so that it scales
to 1 000 000 inhabitants for benchmarks. All persons are fictitious; personnummer have valid check digits.

Shape (approximations of a Swedish town, SCB 2024 orders of magnitude): age pyramid in 5-year bands;
households ~39 % one person, ~28 % couples without children, ~21 % couples with children, ~7 % single
parents, ~5 % other multi-adult households; ~1 % samordningsnummer; ~0.3 % protected identities.
"""

from __future__ import annotations

import itertools
import random
import time
from bisect import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from faker.providers.person.sv_SE import Provider as NameProvider

from lotsen.accounts.models import Membership, Role, User
from lotsen.core.models import Municipality, Unit, UnitKind
from lotsen.people.models import (
    HouseholdRole,
    LegalSex,
    Person,
    Protection,
    RelationKind,
)
from lotsen.people.personnummer import SERIALS_PER_DATE_AND_SEX, generate

DEMO_PASSWORD = "lotsen-demo"  # noqa: S105 - demo accounts only; refused in production (config.env)
MUNICIPALITY_CODE = "9999"
BATCH = 5000

UNITS: list[tuple[str, str, str]] = [
    # code, name, kind
    ("mottagning-bou", "Mottagning barn och unga", UnitKind.RECEPTION),
    ("utredning-bou", "Utredning barn och unga", UnitKind.CHILD_INVESTIGATION),
    ("vuxenenheten", "Vuxenenheten", UnitKind.ADULT),
    ("ekonomiskt-bistand", "Ekonomiskt bistånd", UnitKind.ASSISTANCE),
    ("placeringsenheten", "Placeringsenheten", UnitKind.PLACEMENT),
    ("oppenvarden", "Öppenvården", UnitKind.OPEN_CARE),
    ("familjecentralen", "Familjecentralen", UnitKind.FAMILY_CENTRE),
    ("namndadministration", "Nämndadministration", UnitKind.BOARD_ADMIN),
    ("hvb-solrosen", "HVB Solrosen (utförare)", UnitKind.PROVIDER),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    title: str
    memberships: tuple[tuple[str, str, bool], ...]  # (unit code, role, can_view_protected)


DEMO_USERS: list[DemoUser] = [
    DemoUser("anna", "Anna", "Berg", "Socialsekreterare", (("mottagning-bou", Role.CASEWORKER, False),)),
    DemoUser("erik", "Erik", "Lind", "Socialsekreterare", (("utredning-bou", Role.CASEWORKER, False),)),
    DemoUser("omar", "Omar", "Haddad", "Socialsekreterare", (("vuxenenheten", Role.CASEWORKER, False),)),
    DemoUser("sara", "Sara", "Nyström", "Socialsekreterare", (("ekonomiskt-bistand", Role.CASEWORKER, False),)),
    DemoUser("mats", "Mats", "Berglund", "1:e socialsekreterare", (("vuxenenheten", Role.TEAM_LEAD, True),)),
    DemoUser("eva", "Eva", "Sandberg", "1:e socialsekreterare", (("ekonomiskt-bistand", Role.TEAM_LEAD, False),)),
    DemoUser(
        "lena", "Lena", "Holm", "1:e socialsekreterare",
        (("mottagning-bou", Role.TEAM_LEAD, True), ("utredning-bou", Role.TEAM_LEAD, True)),
    ),
    DemoUser(
        "karin", "Karin", "Ek", "Enhetschef",
        (("mottagning-bou", Role.UNIT_MANAGER, True), ("utredning-bou", Role.UNIT_MANAGER, True)),
    ),
    DemoUser("peter", "Peter", "Sjöberg", "Socialchef", (("socialforvaltningen", Role.HEAD_OF_SOCIAL_SERVICES, True),)),
    DemoUser("maria", "Maria", "Forsberg", "Nämndsekreterare", (("namndadministration", Role.BOARD_SECRETARY, False),)),
    DemoUser("johan", "Johan", "Wikström", "Ekonom", (("socialforvaltningen", Role.FINANCE_OFFICER, False),)),
    DemoUser("malin", "Malin", "Strand", "Ekonom", (("socialforvaltningen", Role.FINANCE_OFFICER, False),)),
    DemoUser("sofia", "Sofia", "Lundqvist", "Systemförvaltare", (("socialforvaltningen", Role.SYSTEM_ADMIN, False),)),
    DemoUser("nils", "Nils", "Åberg", "Behandlingsassistent", (("hvb-solrosen", Role.PROVIDER_STAFF, False),)),
    DemoUser("rut", "Rut", "Dahl", "Revisor", (("socialforvaltningen", Role.AUDITOR, False),)),
]  # fmt: skip

# Share of the population per 5-year age band 0–4 … 95–99 (Swedish town, rounded).
AGE_BANDS = [
    5.6,
    6.0,
    6.2,
    5.9,
    5.8,
    6.4,
    6.6,
    6.5,
    6.3,
    6.4,
    6.6,
    6.4,
    5.9,
    5.7,
    5.6,
    4.9,
    3.4,
    2.0,
    0.9,
    0.3,
]

STREETS = [
    "Storgatan", "Kyrkogatan", "Skolgatan", "Järnvägsgatan", "Parkvägen", "Björkvägen", "Ekvägen", "Tallstigen",
    "Granvägen", "Lönngatan", "Ängsvägen", "Åkervägen", "Backgatan", "Strandvägen", "Sjögatan", "Industrigatan",
    "Hantverkargatan", "Prästgårdsvägen", "Solvägen", "Lärkstigen", "Vallgatan", "Bruksgatan", "Torggatan",
]  # fmt: skip


@dataclass
class SeedReport:
    persons: int = 0
    households: int = 0
    relations: int = 0
    members: int = 0
    users: int = 0
    seconds: float = 0.0
    units: list[str] = field(default_factory=list)
    population_seconds: float = 0.0
    details: list[str] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        rows = self.persons + self.households + self.relations + self.members
        return rows / self.population_seconds if self.population_seconds else 0.0


class _Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.female, self.female_cum = self._cum(NameProvider.first_names_female)
        self.male, self.male_cum = self._cum(NameProvider.first_names_male)
        self.last, self.last_cum = self._cum(NameProvider.last_names)

    @staticmethod
    def _cum(weighted: dict[str, float]) -> tuple[list[str], list[float]]:
        names = list(weighted)
        return names, list(itertools.accumulate(float(weighted[n]) for n in names))

    def first(self, sex: str) -> str:
        names, cum = (self.male, self.male_cum) if sex == "M" else (self.female, self.female_cum)
        return names[bisect(cum, self.rng.random() * cum[-1])]

    def last_name(self) -> str:
        return self.last[bisect(self.last_cum, self.rng.random() * self.last_cum[-1])]


class Generator:
    def __init__(self, *, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.names = _Names(self.rng)
        self.serials: dict[tuple[date, str], int] = {}
        self.band_cum = list(itertools.accumulate(AGE_BANDS))
        self.temp_counter = itertools.count(1)

    def birth_date_for_age(self, age: int) -> date:
        latest = date(self.today.year - age, self.today.month, min(self.today.day, 28))
        return latest - timedelta(days=self.rng.randrange(365))

    def random_adult_age(self, low: int = 20, high: int = 99) -> int:
        while True:
            band = bisect(self.band_cum, self.rng.random() * self.band_cum[-1])
            age = band * 5 + self.rng.randrange(5)
            if low <= age <= high:
                return age

    def pnr(self, birth: date, sex: str, coordination: bool) -> str | None:
        key = (birth, sex)
        serial = self.serials.get(key, 0)
        if serial >= SERIALS_PER_DATE_AND_SEX:
            return None
        self.serials[key] = serial + 1
        # Spread serials so that numbers do not all start at 000.
        spread = (serial * 37 + 11) % SERIALS_PER_DATE_AND_SEX
        return generate(birth, sex, spread, coordination_number=coordination)  # type: ignore[arg-type]

    def person(self, age: int, *, last_name: str, address: tuple[str, str], sex: str | None = None) -> Person:
        sex = sex or self.rng.choice("MF")
        birth = self.birth_date_for_age(age)
        coordination = self.rng.random() < 0.01
        pnr = self.pnr(birth, sex, coordination)
        roll = self.rng.random()
        protection = Protection.NONE
        if roll < 0.0025:
            protection = Protection.SECRECY_MARKING
        elif roll < 0.003:
            protection = Protection.PROTECTED_REGISTRATION
        return Person(
            pnr=pnr,
            temp_id=None if pnr else f"R{next(self.temp_counter):07d}",
            is_coordination_number=coordination and pnr is not None,
            birth_date=birth,
            legal_sex=LegalSex.MALE if sex == "M" else LegalSex.FEMALE,
            first_name=self.names.first(sex),
            last_name=last_name,
            street_address=address[0],
            postal_code=address[1],
            city="Exempelby",
            phone=f"07{self.rng.randrange(0, 10)}-{self.rng.randrange(100, 1000)} {self.rng.randrange(10, 100)} "
            f"{self.rng.randrange(10, 100)}",
            protection=protection,
        )

    def address(self) -> tuple[str, str]:
        street = self.rng.choice(STREETS)
        return (
            f"{street} {self.rng.randrange(1, 80)}",
            f"{self.rng.randrange(123, 129)}{self.rng.randrange(10, 100)}",
        )

    def households(self, inhabitants: int) -> Iterator[tuple[list[Person], list[tuple[int, int, str]], list[str]]]:
        """Yields (persons, relations as index pairs, household roles) per household."""
        made = 0
        while made < inhabitants:
            kind = self.rng.random()
            last = self.names.last_name()
            addr = self.address()
            persons: list[Person] = []
            relations: list[tuple[int, int, str]] = []
            roles: list[str] = []
            if kind < 0.39:
                persons.append(self.person(self.random_adult_age(), last_name=last, address=addr))
                roles.append(HouseholdRole.APPLICANT)
            elif kind < 0.67:
                age = self.random_adult_age(22, 95)
                persons.append(self.person(age, last_name=last, address=addr, sex="F"))
                partner_age = max(20, min(99, age + self.rng.randrange(-6, 7)))
                partner_last = last if self.rng.random() < 0.6 else self.names.last_name()
                persons.append(self.person(partner_age, last_name=partner_last, address=addr, sex="M"))
                roles += [HouseholdRole.APPLICANT, HouseholdRole.PARTNER]
                relations.append((0, 1, RelationKind.PARTNER_OF))
            elif kind < 0.95:
                couple = kind < 0.88
                age = self.random_adult_age(24, 55)
                persons.append(self.person(age, last_name=last, address=addr, sex="F" if couple else None))
                roles.append(HouseholdRole.APPLICANT)
                if couple:
                    partner_age = max(20, min(70, age + self.rng.randrange(-5, 6)))
                    persons.append(self.person(partner_age, last_name=last, address=addr, sex="M"))
                    roles.append(HouseholdRole.PARTNER)
                    relations.append((0, 1, RelationKind.PARTNER_OF))
                parents = len(persons)
                children = self.rng.choices([1, 2, 3, 4, 5], weights=[40, 40, 14, 4, 2])[0]
                for _ in range(children):
                    child_age = min(17, max(0, age - 20 - self.rng.randrange(0, 20)))
                    persons.append(self.person(child_age, last_name=last, address=addr))
                    roles.append(HouseholdRole.CHILD)
                    for p in range(parents):
                        relations.append((p, len(persons) - 1, RelationKind.GUARDIAN_OF))
                        relations.append((p, len(persons) - 1, RelationKind.PARENT_OF))
            else:
                for _ in range(self.rng.choice([2, 2, 3])):
                    persons.append(
                        self.person(self.random_adult_age(18, 40), last_name=self.names.last_name(), address=addr)
                    )
                    roles.append(HouseholdRole.OTHER_ADULT)
            made += len(persons)
            yield persons, relations, roles


def seed_organisation(name: str) -> tuple[Municipality, dict[str, Unit]]:
    municipality, _ = Municipality.objects.get_or_create(
        code=MUNICIPALITY_CODE, defaults={"name": name, "kolada_id": MUNICIPALITY_CODE}
    )
    root, _ = Unit.objects.get_or_create(
        code="socialforvaltningen",
        defaults={
            "municipality": municipality,
            "name": "Socialförvaltningen",
            "kind": UnitKind.ADMINISTRATION,
        },
    )
    units = {"socialforvaltningen": root}
    for code, unit_name, kind in UNITS:
        units[code], _ = Unit.objects.get_or_create(
            code=code,
            defaults={"municipality": municipality, "parent": root, "name": unit_name, "kind": kind},
        )
    return municipality, units


def seed_users(units: dict[str, Unit], *, rng: random.Random, extra_per_unit: int, valid_from: date) -> int:
    password = make_password(DEMO_PASSWORD)
    count = 0
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={"first_name": demo.first_name, "last_name": demo.last_name, "title": demo.title,
                      "password": password, "demo_account": True},
        )  # fmt: skip
        count += created
        for unit_code, role, protected in demo.memberships:
            Membership.objects.get_or_create(
                user=user, unit=units[unit_code], role=role,
                defaults={"valid_from": valid_from, "can_view_protected": protected},
            )  # fmt: skip
    names = _Names(rng)
    for code in (
        "mottagning-bou",
        "utredning-bou",
        "vuxenenheten",
        "ekonomiskt-bistand",
        "placeringsenheten",
    ):
        for i in range(1, extra_per_unit + 1):
            sex = rng.choice("MF")
            user, created = User.objects.get_or_create(
                username=f"{code}-{i}",
                defaults={"first_name": names.first(sex), "last_name": names.last_name(),
                          "title": "Socialsekreterare", "password": password, "demo_account": True},
            )  # fmt: skip
            count += created
            Membership.objects.get_or_create(
                user=user, unit=units[code], role=Role.CASEWORKER, defaults={"valid_from": valid_from}
            )
    return count


def _reserve_ids(cursor: Any, table: str, count: int) -> int:
    """Reserve a block of `count` ids from the table's sequence; returns the first."""
    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
    (first,) = cursor.fetchone()
    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count - 1])
    return int(first)


def _copy(cursor: Any, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert with PostgreSQL COPY (an order of magnitude faster than INSERT for a million rows)."""
    with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


PERSON_COLUMNS = (
    "id", "pnr", "temp_id", "is_coordination_number", "birth_date", "legal_sex", "first_name",
    "last_name", "street_address", "postal_code", "city", "phone", "protection", "created_at",
)  # fmt: skip


def seed_population(generator: Generator, inhabitants: int, report: SeedReport) -> None:
    persons_buf: list[Person] = []
    pending: list[tuple[int, list[tuple[int, int, str]], list[str], int]] = []  # (start, rels, roles, size)
    now = timezone.now()

    def flush() -> None:
        if not persons_buf:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            first_person = _reserve_ids(cursor, "people_person", len(persons_buf))
            for offset, person in enumerate(persons_buf):
                person.pk = first_person + offset
            _copy(cursor, "people_person", PERSON_COLUMNS, [
                (p.pk, p.pnr, p.temp_id, p.is_coordination_number, p.birth_date, p.legal_sex, p.first_name,
                 p.last_name, p.street_address, p.postal_code, p.city, p.phone, p.protection, now)
                for p in persons_buf
            ])  # fmt: skip
            first_household = _reserve_ids(cursor, "people_household", len(pending))
            _copy(cursor, "people_household", ("id", "valid_from", "street_address"), [
                (first_household + i, generator.today, persons_buf[start].street_address)
                for i, (start, _r, _roles, _n) in enumerate(pending)
            ])  # fmt: skip
            members: list[tuple[int, int, str]] = []
            relations: list[tuple[int, int, str]] = []
            for i, (start, rels, roles, size) in enumerate(pending):
                for offset in range(size):
                    members.append((first_household + i, persons_buf[start + offset].pk, roles[offset]))
                for a, b, kind in rels:
                    relations.append((persons_buf[start + a].pk, persons_buf[start + b].pk, kind))
            _copy(cursor, "people_householdmember", ("household_id", "person_id", "role"), members)
            _copy(cursor, "people_relation", ("from_person_id", "to_person_id", "kind"), relations)
        report.persons += len(persons_buf)
        report.households += len(pending)
        report.relations += len(relations)
        report.members += len(members)
        persons_buf.clear()
        pending.clear()

    for persons, rels, roles in generator.households(inhabitants):
        pending.append((len(persons_buf), rels, roles, len(persons)))
        persons_buf.extend(persons)
        if len(persons_buf) >= BATCH * 4:
            flush()
    flush()


def seed_demo(
    *, inhabitants: int, years: int, seed: int, today: date, municipality_name: str, with_activity: bool = True
) -> SeedReport:
    """Creates the synthetic municipality. `years` is the history later modules generate (cases,
    applications, placements); it is recorded on the municipality."""
    started = time.perf_counter()
    rng = random.Random(seed)
    report = SeedReport()
    with transaction.atomic():
        municipality, units = seed_organisation(municipality_name)
        municipality.settings = {**municipality.settings, "demo": {"inhabitants": inhabitants, "years": years,
                                                                   "seed": seed}}  # fmt: skip
        municipality.save(update_fields=["settings"])
        staff_per_unit = max(2, min(40, inhabitants // 6000))
        report.users = seed_users(units, rng=rng, extra_per_unit=staff_per_unit,
                                  valid_from=date(today.year - years, 1, 1))  # fmt: skip
    report.units = [u.name for u in units.values()]
    step = time.perf_counter()
    seed_population(Generator(seed=seed, today=today), inhabitants, report)
    report.population_seconds = time.perf_counter() - step
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
    if with_activity:
        seed_activity(seed=seed, today=today, years=years, units=units, report=report)
    report.seconds = time.perf_counter() - started
    return report


def seed_activity(*, seed: int, today: date, years: int, units: dict[str, Unit], report: SeedReport) -> None:
    """The municipality's history over `years`: cases, journals, decisions, board meetings, reminders."""
    from lotsen.assistance.demo import seed_assistance
    from lotsen.board.demo import seed_board
    from lotsen.interventions.demo import seed_cases
    from lotsen.journal.demo import seed_journal
    from lotsen.payments.demo import seed_payments
    from lotsen.reminders.demo import seed_reminders

    users = {u.username: u for u in User.objects.filter(username__in=[d.username for d in DEMO_USERS])}
    step = time.perf_counter()
    cases = seed_cases(rng=random.Random(seed + 1), today=today, years=years, units=units, users=users)
    report.details.append(f"cases: {cases} ({time.perf_counter() - step:.1f} s)")
    step = time.perf_counter()
    entries = seed_journal(rng=random.Random(seed + 2), today=today)
    report.details.append(f"journal entries: {entries} ({time.perf_counter() - step:.1f} s)")
    board = seed_board(rng=random.Random(seed + 3), today=today, years=years)
    report.details.append(f"board: {board}")
    step = time.perf_counter()
    assistance = seed_assistance(rng=random.Random(seed + 5), today=today, years=years, units=units, users=users)
    report.details.append(f"ekonomiskt bistånd: {assistance} ({time.perf_counter() - step:.1f} s)")
    step = time.perf_counter()
    officers = [users[name] for name in ("johan", "malin") if name in users]
    payments = seed_payments(rng=random.Random(seed + 6), today=today, years=years, officers=officers)
    report.details.append(f"payments: {payments} ({time.perf_counter() - step:.1f} s)")
    reminders = seed_reminders(rng=random.Random(seed + 4), today=today, years=years)
    report.details.append(f"reminders: {reminders}")


def is_seeded() -> bool:
    return Municipality.objects.filter(code=MUNICIPALITY_CODE).exists() and Person.objects.exists()
