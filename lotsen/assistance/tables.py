"""The yearly riksnorm rate tables: loading and load-time validation (riksnorm.md section 2).

A table is one JSON document per calendar year (schema ``lotsen.riksnorm.table/1``), shipped in
``lotsen/assistance/data/riksnorm/riksnorm-YYYY.json``. Tables are read and validated once per directory
(:func:`load_tables` is cached); the norm engine only ever looks values up in memory.

Pure module: no Django, no database, no network.
"""

from __future__ import annotations

import copy
import functools
import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lotsen.core.errors import DomainError

logger = logging.getLogger(__name__)

TABLE_SCHEMA = "lotsen.riksnorm.table/1"
KNOWN_CALCULATION_MODELS = frozenset({"riksnorm-classic-1"})
DEFAULT_TABLE_DIR = Path(__file__).resolve().parent / "data" / "riksnorm"
TABLE_FILE_PATTERN = re.compile(r"^riksnorm-(\d{4})\.json$")

# The age groups of the ordinance, in order (2.2); their keys are part of every `table_ref`.
CHILD_GROUP_KEYS = ("age_0", "age_1_2", "age_3", "age_4_6", "age_7_10", "age_11_14", "age_15_18", "age_19_20")
MAX_CHILD_AGE = 20
MAX_TABLE_SIZE = 7  # by_size has the amounts for 1..7 persons; above that the statutory step applies (RN-A6)
LUNCH_AWAY_MAX_AGE = 6

TOP_LEVEL_KEYS = (
    "schema",
    "year",
    "valid_from",
    "valid_to",
    "table_version",
    "calculation_model",
    "currency",
    "unit",
    "legal_basis",
    "personal_costs",
    "household_common_costs",
    "prisbasbelopp",
    "verified",
    "verification",
    "sources",
    "notes",
)
VERIFICATION_KEYS = ("two_sources", "one_source", "derived", "missing")
SOURCE_KINDS = frozenset({"statute", "official_publication", "municipal_publication", "secondary"})
GROUP_KEYS = ("min_age", "max_age", "label_sv", "amount", "lunch_away_applies", "amount_lunch_away")


class TableError(DomainError):
    """A table is absent (``TABLE_NOT_FOUND``) or fails load validation (``TABLE_INVALID``)."""

    status = 422

    def __init__(self, code: str, message: str, *, year: int | None, detail: str | None = None) -> None:
        super().__init__(message, code=code)
        self.year = year
        self.detail = detail


@dataclass(frozen=True, slots=True)
class AgeGroup:
    key: str
    min_age: int
    max_age: int
    label_sv: str
    amount: int
    lunch_away_applies: bool
    amount_lunch_away: int | None

    @property
    def amount_ref(self) -> str:
        return f"personal_costs.children.{self.key}.amount"

    @property
    def lunch_away_ref(self) -> str:
        return f"personal_costs.children.{self.key}.amount_lunch_away"


@dataclass(frozen=True, slots=True)
class RateTable:
    """One validated year. ``document`` is a private deep copy of the JSON as loaded."""

    year: int
    table_version: str
    calculation_model: str
    legal_basis: str
    age_groups: tuple[AgeGroup, ...]
    group_by_age: tuple[AgeGroup, ...]  # index = age 0..20
    single_adult: int
    couple: int
    by_size: tuple[int, ...]  # index = household size; index 0 is unused (0)
    each_additional_person: int
    prisbasbelopp: int
    verified: bool
    two_sources: frozenset[str]
    missing: frozenset[str]
    load_warnings: tuple[str, ...]
    document: Mapping[str, Any]
    source: str

    def is_unverified(self, path: str) -> bool:
        """RN-T1: an amount is unverified unless it is confirmed in two sources."""
        return path not in self.two_sources

    def value_at(self, path: str) -> Any:
        """The value at a dotted amount path, e.g. ``household_common_costs.by_size.3``."""
        return _value_at(self.document, path)

    def common_costs(self, persons: int) -> int:
        """RN-A6: C(N) = by_size[N] for N <= 7, else by_size[7] + (N - 7) * each_additional_person."""
        if persons <= MAX_TABLE_SIZE:
            return self.by_size[persons]
        return self.by_size[MAX_TABLE_SIZE] + (persons - MAX_TABLE_SIZE) * self.each_additional_person


class TableSet:
    """The tables available to the engine, by year, plus the years whose file failed validation."""

    def __init__(self, tables: Iterable[RateTable] = (), errors: Mapping[int, TableError] | None = None):
        self._tables = {table.year: table for table in tables}
        self._errors = dict(errors or {})

    @classmethod
    def from_documents(cls, documents: Iterable[Mapping[str, Any]]) -> TableSet:
        """Validate in-memory documents (tests, uploads); raises ``TableError`` on the first invalid one."""
        return cls(validate_table(doc, expected_year=None, source="<memory>") for doc in documents)

    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self._tables))

    def errors(self) -> Mapping[int, TableError]:
        return dict(self._errors)

    def get(self, year: int) -> RateTable:
        """RN-C4: the table of the calendar year, never another year's."""
        table = self._tables.get(year)
        if table is not None:
            return table
        error = self._errors.get(year)
        if error is not None:
            raise error
        raise TableError("TABLE_NOT_FOUND", f"Lotsen har ingen riksnormstabell för {year}", year=year)


@functools.lru_cache(maxsize=16)
def _load_directory(directory: str) -> TableSet:
    tables: list[RateTable] = []
    errors: dict[int, TableError] = {}
    base = Path(directory)
    files = sorted(base.iterdir()) if base.is_dir() else []
    for file in files:
        match = TABLE_FILE_PATTERN.match(file.name)
        if match is None:
            continue
        year = int(match.group(1))
        try:
            tables.append(load_table_file(file, expected_year=year))
        except TableError as exc:
            logger.error("riksnorm table %s rejected: %s", file, exc.message)
            errors[year] = exc
    return TableSet(tables, errors)


def load_tables(directory: str | Path | None = None) -> TableSet:
    """All ``riksnorm-YYYY.json`` files of a directory (default: the shipped tables), validated once."""
    if directory is None:
        return _default_tables()  # the engine's hot path: no path resolution, no file system access
    return _load_directory(str(Path(directory).resolve()))


@functools.cache
def _default_tables() -> TableSet:
    return _load_directory(str(DEFAULT_TABLE_DIR))


def load_table_file(path: Path, *, expected_year: int) -> RateTable:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise _invalid(expected_year, f"filen kan inte läsas som JSON ({exc})") from exc
    return validate_table(document, expected_year=expected_year, source=str(path))


def amount_paths(document: Mapping[str, Any]) -> set[str]:
    """Every amount path of a (structurally valid) table: the set the verification lists partition."""
    paths = {"personal_costs.single_adult", "personal_costs.couple"}
    for key, group in document["personal_costs"]["children"].items():
        paths.add(f"personal_costs.children.{key}.amount")
        if group["lunch_away_applies"]:
            paths.add(f"personal_costs.children.{key}.amount_lunch_away")
    paths.update(f"household_common_costs.by_size.{size}" for size in range(1, MAX_TABLE_SIZE + 1))
    paths.add("household_common_costs.each_additional_person")
    paths.add("prisbasbelopp.amount")
    return paths


def validate_table(document: Any, *, expected_year: int | None, source: str) -> RateTable:
    """Check every load rule of section 2.5 and build the in-memory table; raises ``TableError``."""
    year = expected_year
    if year is None and isinstance(document, Mapping) and _is_int(document.get("year")):
        year = document["year"]
    return _Validator(document, year, expected_year, source).run()


def _value_at(document: Mapping[str, Any], path: str) -> Any:
    node: Any = document
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _invalid(year: int | None, detail: str) -> TableError:
    label = str(year) if year is not None else "okänt år"
    return TableError("TABLE_INVALID", f"Riksnormstabellen för {label} är ogiltig: {detail}", year=year, detail=detail)


class _Validator:
    def __init__(self, document: Any, year: int | None, expected_year: int | None, source: str) -> None:
        self.doc = document
        self.year = year
        self.expected_year = expected_year
        self.source = source
        self.warnings: list[str] = []

    def fail(self, detail: str) -> TableError:
        return _invalid(self.year, detail)

    def obj(self, value: Any, path: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(f"{path} måste vara ett objekt")
        if set(value) != set(keys):
            raise self.fail(f"{path} måste ha exakt fälten {', '.join(keys)}")
        return value

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(f"{path} måste vara en icke-tom text")
        return value

    def amount(self, value: Any, path: str) -> int:
        # Load rule 3: every amount is a positive integer; a non-multiple of 10 only warns.
        if not _is_int(value) or value <= 0:
            raise self.fail(f"{path} måste vara ett positivt heltal")
        if value % 10:
            self.warnings.append(f"{path} = {value} är inte jämnt tiotal")
        return int(value)

    def run(self) -> RateTable:
        doc = self.obj(self.doc, "tabellen", TOP_LEVEL_KEYS)
        # Load rule 1: schema, model, year and validity period.
        if doc["schema"] != TABLE_SCHEMA:
            raise self.fail(f"okänt schema {doc['schema']!r}")
        if doc["calculation_model"] not in KNOWN_CALCULATION_MODELS:
            raise self.fail(f"okänd beräkningsmodell {doc['calculation_model']!r}")
        year = doc["year"]
        if not _is_int(year) or not 1900 <= year <= 9999:
            raise self.fail("year måste vara ett årtal")
        if self.expected_year is not None and year != self.expected_year:
            raise self.fail(f"year {year} stämmer inte med filnamnets år {self.expected_year}")
        if doc["valid_from"] != f"{year}-01-01" or doc["valid_to"] != f"{year}-12-31":
            raise self.fail("valid_from/valid_to måste vara 1 januari och 31 december samma år")
        version = self.string(doc["table_version"], "table_version")
        if not re.fullmatch(rf"{year}\.[1-9][0-9]*", version):
            raise self.fail(f"table_version {version!r} måste ha formen {year}.n")
        if doc["currency"] != "SEK" or doc["unit"] != "kronor per month":
            raise self.fail("currency/unit måste vara SEK och kronor per month")
        legal = self.obj(doc["legal_basis"], "legal_basis", ("ordinance", "amending_sfs", "law"))
        ordinance = self.string(legal["ordinance"], "legal_basis.ordinance")
        self.string(legal["law"], "legal_basis.law")
        amending = legal["amending_sfs"]
        if amending is not None:
            self.string(amending, "legal_basis.amending_sfs")

        personal = self.obj(doc["personal_costs"], "personal_costs", ("children", "single_adult", "couple"))
        groups = self.age_groups(personal["children"])
        single_adult = self.amount(personal["single_adult"], "personal_costs.single_adult")
        couple = self.amount(personal["couple"], "personal_costs.couple")
        by_size, each_additional = self.common_costs(doc["household_common_costs"])
        pbb = self.obj(doc["prisbasbelopp"], "prisbasbelopp", ("amount", "source_ids"))
        prisbasbelopp = self.amount(pbb["amount"], "prisbasbelopp.amount")
        source_ids = self.sources(doc["sources"])
        if not isinstance(pbb["source_ids"], list) or not set(pbb["source_ids"]) <= source_ids:
            raise self.fail("prisbasbelopp.source_ids måste hänvisa till källor i sources")
        if not isinstance(doc["notes"], str):
            raise self.fail("notes måste vara en text")
        lists = self.verification(doc)

        return RateTable(
            year=year,
            table_version=version,
            calculation_model=doc["calculation_model"],
            legal_basis=f"{ordinance} i lydelse enligt {amending}" if amending else ordinance,
            age_groups=groups,
            group_by_age=tuple(
                next(g for g in groups if g.min_age <= age <= g.max_age) for age in range(MAX_CHILD_AGE + 1)
            ),
            single_adult=single_adult,
            couple=couple,
            by_size=by_size,
            each_additional_person=each_additional,
            prisbasbelopp=prisbasbelopp,
            verified=doc["verified"],
            two_sources=frozenset(lists["two_sources"]),
            missing=frozenset(lists["missing"]),
            load_warnings=tuple(self.warnings),
            document=copy.deepcopy(dict(doc)),
            source=self.source,
        )

    def age_groups(self, children: Any) -> tuple[AgeGroup, ...]:
        # Load rule 2: the age groups cover 0-20 exactly once, in order.
        if not isinstance(children, Mapping) or tuple(children) != CHILD_GROUP_KEYS:
            raise self.fail(f"personal_costs.children måste ha grupperna {', '.join(CHILD_GROUP_KEYS)} i ordning")
        groups: list[AgeGroup] = []
        next_age = 0
        for key, raw in children.items():
            path = f"personal_costs.children.{key}"
            group = self.obj(raw, path, GROUP_KEYS)
            min_age, max_age = group["min_age"], group["max_age"]
            if not (_is_int(min_age) and _is_int(max_age)) or min_age != next_age or max_age < min_age:
                raise self.fail(f"{path}: åldersgrupperna måste täcka 0–20 år utan luckor eller överlapp")
            expected_key = f"age_{min_age}" if min_age == max_age else f"age_{min_age}_{max_age}"
            if key != expected_key:
                raise self.fail(f"{path}: nyckeln stämmer inte med åldrarna {min_age}–{max_age}")
            next_age = max_age + 1
            amount = self.amount(group["amount"], f"{path}.amount")
            applies = group["lunch_away_applies"]
            # Load rule 6: the "utan lunch" amount exists exactly for the groups up to 6 years.
            if applies is not (max_age <= LUNCH_AWAY_MAX_AGE):
                raise self.fail(f"{path}.lunch_away_applies måste vara sant exakt för grupper till och med 6 år")
            lunch_away = group["amount_lunch_away"]
            if lunch_away is not None:
                if not applies:
                    raise self.fail(f"{path}.amount_lunch_away måste vara null när lunch_away_applies är falskt")
                lunch_away = self.amount(lunch_away, f"{path}.amount_lunch_away")
                if lunch_away >= amount:
                    raise self.fail(f"{path}.amount_lunch_away måste vara lägre än amount")
            label = self.string(group["label_sv"], f"{path}.label_sv")
            groups.append(AgeGroup(key, min_age, max_age, label, amount, applies, lunch_away))
        # The fixed keys in order, each matching its own range, make the groups end exactly at 20.
        return tuple(groups)

    def common_costs(self, raw: Any) -> tuple[tuple[int, ...], int]:
        costs = self.obj(raw, "household_common_costs", ("by_size", "each_additional_person"))
        sizes = tuple(str(n) for n in range(1, MAX_TABLE_SIZE + 1))
        by_size_raw = self.obj(costs["by_size"], "household_common_costs.by_size", sizes)
        by_size = (0, *(self.amount(by_size_raw[s], f"household_common_costs.by_size.{s}") for s in sizes))
        # Load rule 4: non-decreasing in size, and the per-person amount C(n)/n non-increasing
        # (compared by cross-multiplication so that no fraction is ever formed).
        for n in range(1, MAX_TABLE_SIZE):
            if by_size[n + 1] < by_size[n]:
                raise self.fail(f"household_common_costs.by_size.{n + 1} är lägre än för {n} personer")
            if by_size[n + 1] * n > by_size[n] * (n + 1):
                raise self.fail(f"household_common_costs.by_size.{n + 1}: beloppet per person ökar")
        each_additional = self.amount(costs["each_additional_person"], "household_common_costs.each_additional_person")
        # Load rule 5: the statutory step above seven persons.
        if each_additional != by_size[7] - by_size[6]:
            raise self.fail("each_additional_person måste vara by_size.7 − by_size.6")
        return by_size, each_additional

    def sources(self, raw: Any) -> set[str]:
        if not isinstance(raw, list) or not raw:
            raise self.fail("sources måste vara en icke-tom lista")
        ids: set[str] = set()
        for index, item in enumerate(raw):
            source = self.obj(item, f"sources[{index}]", ("id", "kind", "title", "url", "covers"))
            for key in ("id", "title", "url", "covers"):
                self.string(source[key], f"sources[{index}].{key}")
            if source["kind"] not in SOURCE_KINDS:
                raise self.fail(f"sources[{index}].kind {source['kind']!r} är okänd")
            if source["id"] in ids:
                raise self.fail(f"sources[{index}].id {source['id']!r} förekommer två gånger")
            ids.add(source["id"])
        return ids

    def verification(self, doc: Mapping[str, Any]) -> dict[str, list[str]]:
        # Load rule 7: the four lists partition the amount paths; `verified` follows from them;
        # a path is `missing` exactly when its value is null (RN-T2).
        raw = self.obj(doc["verification"], "verification", VERIFICATION_KEYS)
        lists: dict[str, list[str]] = {}
        seen: set[str] = set()
        for key in VERIFICATION_KEYS:
            paths = raw[key]
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise self.fail(f"verification.{key} måste vara en lista med sökvägar")
            for path in paths:
                if path in seen:
                    raise self.fail(f"{path} står i mer än en verifieringslista")
                seen.add(path)
            lists[key] = paths
        expected = amount_paths(doc)
        if seen != expected:
            extra, absent = sorted(seen - expected), sorted(expected - seen)
            raise self.fail(f"verifieringslistorna täcker inte beloppen (okända: {extra}, saknas: {absent})")
        missing = set(lists["missing"])
        for path in sorted(expected):
            if (_value_at(doc, path) is None) != (path in missing):
                raise self.fail(f"{path} ska vara null om och endast om den står i verification.missing")
        verified = doc["verified"]
        if not isinstance(verified, bool):
            raise self.fail("verified måste vara sant eller falskt")
        if verified != (not (lists["one_source"] or lists["derived"] or lists["missing"])):
            raise self.fail("verified stämmer inte med verifieringslistorna")
        return lists
