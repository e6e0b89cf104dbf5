"""`make bench`: benchmarks on generated data of a realistic municipality (never timing asserts in tests).

Uses its own database (`lotsen_bench` on the embedded PostgreSQL, or DATABASE_URL when set — then that
database is FLUSHED: point it at a scratch database). Prints one line per figure.

    BENCH_INHABITANTS=1000000 make bench     # the full-size municipality (default 100 000)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("LOTSEN_DB_NAME", "lotsen_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
sys.path.insert(0, str(ROOT))


def run_script(name: str) -> None:
    path = ROOT / "bench" / name
    if path.exists():
        print(f"\n== {name}")
        subprocess.run([sys.executable, str(path)], check=True, env=os.environ.copy())


def page_timings(samples: int = 30) -> None:
    """Server time per page (Django test client, in-process): median and p95 over `samples` requests."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    from lotsen.accounts.models import User
    from lotsen.people.models import Person, Protection

    setup_test_environment()
    client = Client()
    user = User.objects.get(username="anna")
    client.force_login(user)
    session = client.session
    session["demo_login"] = True
    session.save()
    persons = list(Person.objects.filter(protection=Protection.NONE).order_by("?")[:samples])
    pages = {
        "start page": lambda p: client.get("/"),
        "person search by name": lambda p: client.post("/personer/sok/", {"query": p.last_name}),
        "person search by number": lambda p: client.post("/personer/sok/", {"query": p.pnr or p.last_name}),
        "person page": lambda p: client.get(f"/personer/{p.pk}/"),
    }
    admin = Client()
    admin.force_login(User.objects.get(username="sofia"))
    s = admin.session
    s["demo_login"] = True
    s.save()
    pages["access log review"] = lambda p: admin.get("/loggranskning/")
    for name, call in pages.items():
        durations = []
        for person in persons:
            started = time.perf_counter()
            response = call(person)
            durations.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        durations.sort()
        p95 = durations[int(len(durations) * 0.95) - 1]
        print(f"{name:<26} median {statistics.median(durations):6.1f} ms   p95 {p95:6.1f} ms")


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    inhabitants = int(os.environ.get("BENCH_INHABITANTS", "100000"))
    print("== database:", os.environ.get("DATABASE_URL") or "embedded PostgreSQL, database lotsen_bench")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    print(f"== seed-demo --inhabitants {inhabitants}")
    call_command("seed_demo", inhabitants=inhabitants, years=3, seed=2026)
    print("\n== page server times (in-process)")
    page_timings()
    run_script("bench_norm.py")
    run_script("bench_assistance.py")
    run_script("bench_payments.py")


if __name__ == "__main__":
    main()
