import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from lotsen.accounts.models import Membership, Role, User
from lotsen.demo.generator import Generator, seed_demo
from lotsen.people.models import Household, Person, Protection
from lotsen.people.personnummer import parse

TODAY = dt.date(2026, 11, 23)


def _sample(seed: int, n: int = 2000):
    gen = Generator(seed=seed, today=TODAY)
    return [p for persons, _r, _roles in gen.households(n) for p in persons]


def test_generator_is_deterministic_for_a_seed():
    a, b, c = _sample(7), _sample(7), _sample(8)
    assert [p.pnr for p in a] == [p.pnr for p in b]
    assert [p.pnr for p in a] != [p.pnr for p in c]


def test_generated_numbers_are_valid_and_unique_with_realistic_mix():
    persons = _sample(3, 6000)
    numbers = [p.pnr for p in persons if p.pnr]
    assert len(numbers) == len(set(numbers))
    for p in persons[:2000]:
        parsed = parse(p.pnr, today=TODAY)
        assert parsed.birth_date == p.birth_date
        assert parsed.sex == p.legal_sex
    ages = [p.age_on(TODAY) for p in persons]
    children = sum(1 for a in ages if a < 18) / len(ages)
    elderly = sum(1 for a in ages if a >= 65) / len(ages)
    assert 0.15 < children < 0.28, children
    assert 0.12 < elderly < 0.30, elderly
    protected = Counter(p.protection for p in persons)
    assert 0 < protected[Protection.SECRECY_MARKING] < len(persons) * 0.01


@pytest.mark.django_db
def test_seed_demo_creates_units_users_for_every_role_and_households():
    report = seed_demo(inhabitants=600, years=2, seed=1, today=TODAY, municipality_name="Testby kommun")
    assert report.persons >= 600 and report.households > 200
    assert Person.objects.count() == report.persons
    assert Household.objects.count() == report.households
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert User.objects.filter(username="anna", demo_account=True).exists()


@pytest.mark.django_db
def test_seed_command_if_empty_keeps_existing_data(capsys):
    call_command("seed_demo", inhabitants=300, years=1, seed=2)
    count = Person.objects.count()
    call_command("seed_demo", inhabitants=300, years=1, seed=2, if_empty=True)
    assert Person.objects.count() == count
    out = capsys.readouterr().out
    assert "Demo logins" in out and "lotsen-demo" in out
