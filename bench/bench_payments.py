"""The monthly payment run for N households (default 20 000): time to plan the payments, to build the batch,
and to generate + validate (XSD) + store the pain.001.001.09 file.

    python bench/bench_payments.py [--households N] [--seed S] [--keep]

Runs against a throw-away database (`bench_payments` on the embedded PostgreSQL, or on the server of
DATABASE_URL), created and migrated first and dropped afterwards (unless --keep). The set-up (persons, cases,
signed decisions, payout accounts) is bulk-inserted and not timed. Timed, each through the real services:

1. `payments_plan_bulk` — one payment per household from its decision (idempotency keys, validation, audit rows);
2. `batch_create` — all planned payments into one draft batch (row locks, totals); two approvals;
3. `batch_export` — pain.001 generation, XSD validation (xmlschema, the XSD from sepaxml), file + sha256 stored,
   payments marked sent — split into generation and validation by timing the pure functions separately too.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    creation = connection.creation
    original = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"] = {**connection.settings_dict.get("TEST", {}), "NAME": "bench_payments"}
    started = time.perf_counter()
    name = creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"database {name} created and migrated in {time.perf_counter() - started:.1f} s")
    try:
        run(args.households, args.seed)
    finally:
        if not args.keep:
            creation.destroy_test_db(original, verbosity=0)


def seed(n: int, rng: random.Random):  # type: ignore[no-untyped-def]
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from lotsen.accounts.models import Membership, Role, User
    from lotsen.cases.models import Case, Decision, DecisionStatus, DecisionType
    from lotsen.core.models import Municipality, Unit, UnitKind
    from lotsen.payments.accounts import bankgiro_with_check_digit
    from lotsen.payments.models import PayeeAccount
    from lotsen.people.models import LegalSex, Person
    from lotsen.people.personnummer import generate

    today = timezone.localdate()
    municipality = Municipality.objects.create(name="Benchby kommun", code="9997")
    eb = Unit.objects.create(municipality=municipality, name="Ekonomiskt bistånd", kind=UnitKind.ASSISTANCE, code="eb")
    admin = Unit.objects.create(municipality=municipality, name="Förvaltningen", kind=UnitKind.ADMINISTRATION,
                                code="adm")  # fmt: skip
    password = make_password(None)
    worker, officer_a, officer_b = (
        User.objects.create(username=u, password=password, first_name=u.title()) for u in ("sara", "johan", "malin")
    )
    Membership.objects.create(user=worker, unit=eb, role=Role.CASEWORKER, valid_from=date(2020, 1, 1))
    for officer in (officer_a, officer_b):
        Membership.objects.create(user=officer, unit=admin, role=Role.FINANCE_OFFICER, valid_from=date(2020, 1, 1))
    persons = []
    for i in range(n):
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
        sex = rng.choice("MF")
        persons.append(Person(pnr=generate(birth, sex, i % 500), birth_date=birth,  # type: ignore[arg-type]
                              legal_sex=LegalSex.MALE if sex == "M" else LegalSex.FEMALE,
                              first_name="Bench", last_name=f"Person{i}"))  # fmt: skip
    # Birth numbers repeat across persons with the same birth date: keep the first of each pnr.
    unique = {p.pnr: p for p in persons}
    persons = Person.objects.bulk_create(list(unique.values()), batch_size=5000)
    cases = Case.objects.bulk_create(
        [Case(number=f"B-{i:06d}", subject=p, process="assistance", phase="decision", unit=eb, opened_on=today)
         for i, p in enumerate(persons)], batch_size=5000,
    )  # fmt: skip
    now = timezone.now()
    period = f"{today:%Y-%m}"
    Decision.objects.bulk_create(
        [
            Decision(case=c, number=f"BB-{i:06d}", type=DecisionType.FINANCIAL_ASSISTANCE, outcome="granted",
                     legal_basis="12 kap. 1 § SoL", decision_text="x", reasons="x", prepared_by=worker,
                     status=DecisionStatus.SIGNED, delegate=worker, signed_at=now, decided_on=today,
                     payload={"granted_total": rng.randint(1500, 25000), "period": period})
            for i, c in enumerate(cases)
        ],
        batch_size=5000,
    )  # fmt: skip
    accounts = []
    for p in persons:
        if rng.random() < 0.5:
            accounts.append(PayeeAccount(person=p, account_kind="bank_account", clearing="3300",
                                         account_number=p.pnr[2:], bank="Nordea", valid_from=today,
                                         registered_by=worker))  # fmt: skip
        else:
            number = bankgiro_with_check_digit(str(rng.randint(1_000_000, 9_999_999)))
            accounts.append(PayeeAccount(person=p, account_kind="bankgiro", account_number=number, bank="Bankgiro",
                                         valid_from=today, registered_by=worker))  # fmt: skip
    PayeeAccount.objects.bulk_create(accounts, batch_size=5000)
    return Decision.objects.filter(type=DecisionType.FINANCIAL_ASSISTANCE), officer_a, officer_b, today


def run(n: int, seed_value: int) -> None:
    from django.utils import timezone

    from lotsen.payments import pain001, services
    from lotsen.payments.models import Payment

    rng = random.Random(seed_value)
    t = time.perf_counter()
    decisions, officer_a, officer_b, today = seed(n, rng)
    households = decisions.count()
    print(
        f"set-up: {households} households with signed decisions and payout accounts in {time.perf_counter() - t:.1f} s"
    )

    t = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        result = profile.runcall(services.payments_plan_bulk, actor=officer_a, decisions=decisions)
        pstats.Stats(profile).sort_stats(os.environ.get("BENCH_PROFILE", "cumulative")).print_stats(25)
    else:
        result = services.payments_plan_bulk(actor=officer_a, decisions=decisions)
    plan_s = time.perf_counter() - t
    assert result.created == households and not result.errors, (result.created, result.errors[:3])
    print(f"1. plan payments:           {plan_s:7.2f} s  ({households / plan_s:,.0f} payments/s)")

    t = time.perf_counter()
    again = services.payments_plan_bulk(actor=officer_a, decisions=decisions)
    print(f"   re-run (idempotent):     {time.perf_counter() - t:7.2f} s  (created {again.created})")

    t = time.perf_counter()
    batch = services.batch_create(actor=officer_a, pay_on=today)
    batch_s = time.perf_counter() - t
    services.batch_approve(actor=officer_a, batch=batch)
    services.batch_approve(actor=officer_b, batch=batch)
    print(f"2. create batch:            {batch_s:7.2f} s  ({batch.payment_count} payments, {batch.total_amount} kr)")

    transfers = services.batch_transfers(batch)
    t = time.perf_counter()
    xml = pain001.build_document(message_id=batch.reference, created_at=timezone.localtime(),
                                 execution_date=today, debtor=services.debtor(), transfers=transfers)  # fmt: skip
    gen_s = time.perf_counter() - t
    pain001.schema()  # loaded once per process
    t = time.perf_counter()
    errors = pain001.validation_errors(xml)
    val_s = time.perf_counter() - t
    assert not errors, errors[:3]
    print(f"3a. generate pain.001:      {gen_s:7.2f} s  ({len(xml) / 1e6:.1f} MB)")
    print(f"3b. validate against XSD:   {val_s:7.2f} s  (xmlschema)")

    t = time.perf_counter()
    services.batch_export(actor=officer_b, batch=batch)
    export_s = time.perf_counter() - t
    sent = Payment.objects.filter(batch=batch, status="sent").count()
    assert sent == households
    print(f"3. export (generate + validate + store + mark sent, one transaction): {export_s:7.2f} s")
    total = plan_s + batch_s + export_s
    print(f"total for {households} households → payment file: {total:.1f} s")
    assert sum((t.amount for t in transfers), Decimal(0)) == batch.total_amount


if __name__ == "__main__":
    main()
