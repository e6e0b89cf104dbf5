"""The monthly batch of ekonomiskt bistånd: N re-applying households → automated decisions, on the database.

    python bench/bench_assistance.py [--households 20000] [--seed 2026]

Generates N households (persons, one assistance case each, last month's application decided by a
caseworker) and this month's re-applications, then times ``services.automation_batch_run`` — one norm
calculation, one assessment and (when every rule passes) one signed decision per application, with its
event and audit rows — and prints the figure. The goal is under 60 seconds for 20 000 households (the
payment file of the month is timed by bench_payments.py). Uses the benchmark database of `make bench`
(LOTSEN_DB_NAME=lotsen_bench) unless DATABASE_URL is set.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOTSEN_DB_NAME", "lotsen_bench")

GOAL_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true", help="print where the batch spends its time")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from lotsen.accounts.models import Membership, Role, User
    from lotsen.assistance import calc, services
    from lotsen.assistance.automation import default_rules
    from lotsen.assistance.demo import _manual
    from lotsen.assistance.models import Application, ApplicationMember, ApplicationStatus, AutomationRuleSet
    from lotsen.assistance.periods import add_months, month_start
    from lotsen.cases.delegation import install_default_scheme, rule_for
    from lotsen.cases.models import Case, DecisionType
    from lotsen.core.models import Municipality, Unit, UnitKind
    from lotsen.people.models import Person

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(args.seed)
    today = timezone.localdate()
    years = calc.current_tables().years()
    period = month_start(today) if today.year in years else date(max(years), 12, 1)
    previous = add_months(period, -1)
    started = time.perf_counter()

    # --- setup (not timed) ------------------------------------------------------------------------------------
    municipality, _ = Municipality.objects.get_or_create(code="9990", defaults={"name": "Benchby kommun"})
    unit, _ = Unit.objects.get_or_create(
        code="bench-ekonomiskt-bistand",
        defaults={"municipality": municipality, "name": "Ekonomiskt bistånd (bench)", "kind": UnitKind.ASSISTANCE},
    )
    delegate, _ = User.objects.get_or_create(
        username="bench-delegate", defaults={"first_name": "Bench", "last_name": "Delegat"}
    )
    Membership.objects.get_or_create(
        user=delegate, unit=unit, role=Role.CASEWORKER, defaults={"valid_from": date(2000, 1, 1)}
    )
    install_default_scheme(valid_from=date(2000, 1, 1))
    AutomationRuleSet.objects.filter(active=True).update(active=False)
    AutomationRuleSet.objects.create(
        version=f"bench.{int(time.time())}",
        rules=default_rules(),
        valid_from=date(2000, 1, 1),
        active=True,
        accountable_delegate=delegate,
    )
    rule = rule_for(DecisionType.FINANCIAL_ASSISTANCE, today)
    # Old benchmark applications of these months would block the new ones (one per case and month): the
    # households are new persons and cases each run, so only this run's rows are measured.
    n = args.households
    run = f"{int(time.time()) % 100_000:05d}"  # reservnummer unique per run (no personnummer needed)
    persons = [
        Person(
            pnr=None,
            temp_id=f"EB{run}{i:07d}",
            birth_date=date(1960, 1, 1) + timedelta(days=rng.randrange(14600)),
            legal_sex=rng.choice("MF"),
            first_name="Bench",
            last_name=f"Hushåll {i}",
        )
        for i in range(n)
    ]
    with transaction.atomic():
        Person.objects.bulk_create(persons, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval('cases_case_number_seq') FROM generate_series(1, %s)", [n])
            numbers = [row[0] for row in cursor.fetchall()]
        cases = [
            Case(
                number=f"IFO-{previous.year}-B{v:07d}",
                subject=p,
                process="assistance",
                phase="investigation",
                unit=unit,
                opened_on=previous,
            )
            for p, v in zip(persons, numbers, strict=True)
        ]
        Case.objects.bulk_create(cases, batch_size=5000)

    def applications(month: date, before: dict[int, Application] | None) -> list[Application]:
        apps = []
        for i, case in enumerate(cases):
            local = random.Random(args.seed * 100_003 + i)  # the same household every month
            costs = [
                {"type": "housing", "amount": local.randrange(4200, 9000, 50)},
                {"type": "household_electricity", "amount": local.randrange(200, 600, 10)},
            ]
            incomes = []
            if local.random() < 0.3:
                incomes.append(
                    {"member_id": "a1", "type": "unemployment_benefit", "amount": local.randrange(2000, 7000, 100)}
                )
            for line in incomes:
                line["verified"] = before is not None
                line["verified_by"] = "previous_month" if before is not None else ""
            submitted = datetime.combine(
                add_months(month, -1).replace(day=25), datetime.min.time(), tzinfo=timezone.get_current_timezone()
            )
            apps.append(
                Application(
                    case=case,
                    period=month,
                    channel="e_service",
                    submitted_at=submitted,
                    received_on=submitted.date(),
                    household_snapshot={
                        "members": [
                            {"id": "a1", "role": "applicant", "person_id": case.subject_id, "birth_date": None}
                        ],
                        "shared_household": None,
                    },
                    costs={"reasonable_costs": costs, "other_needs": []},
                    incomes=incomes,
                    changed_circumstances={}
                    if before is None
                    else {"household": False, "costs": False, "incomes": False, "other": False},
                    previous=before.get(case.pk) if before else None,
                    declaration_accepted_at=submitted,
                )
            )
        with transaction.atomic():
            Application.objects.bulk_create(apps, batch_size=2000)
            ApplicationMember.objects.bulk_create(
                [
                    ApplicationMember(
                        application=a,
                        person_id=a.case.subject_id,
                        member_id="a1",
                        role="applicant",
                        barrier_to_self_support="unemployed_no_benefit",
                    )
                    for a in apps
                ],
                batch_size=5000,
            )
        return apps

    last_month = applications(previous, None)
    Application.objects.filter(pk__in=[a.pk for a in last_month]).update(status=ApplicationStatus.READY)
    for start in range(0, n, 2000):
        chunk = list(
            Application.objects.filter(pk__in=[a.pk for a in last_month[start : start + 2000]]).select_related(
                "case", "case__subject", "latest_assessment"
            )
        )
        with transaction.atomic():
            _manual(chunk, delegate, rule, timezone.now() - timedelta(days=20), rng)
    decided_before = {a.case_id: a for a in Application.objects.filter(pk__in=[a.pk for a in last_month])}
    applications(period, decided_before)
    setup = time.perf_counter() - started
    print(f"setup: {n} households with last month decided, {n} re-applications for {period:%Y-%m} in {setup:.1f} s")

    # --- the timed batch --------------------------------------------------------------------------------------
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        report = profiler.runcall(services.automation_batch_run, period=period)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    else:
        report = services.automation_batch_run(period=period)
    ok = "OK" if report.seconds < GOAL_SECONDS else "SLOW"
    print(
        f"automated-decision batch: {report.applications} applications → {report.decided} decided, "
        f"{report.queued} to the queue in {report.seconds:.1f} s "
        f"({report.applications / report.seconds:,.0f}/s; goal < {GOAL_SECONDS:.0f} s for 20 000) {ok}"
    )
    if report.reasons:
        print("  queue reasons:", ", ".join(f"{k} {v}" for k, v in sorted(report.reasons.items())))


if __name__ == "__main__":
    main()
