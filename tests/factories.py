"""factory-boy factories for every model."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.utils import timezone

from lotsen.accounts.models import Membership, Role, User
from lotsen.audit.models import AccessLogEntry
from lotsen.core.models import Municipality, Unit, UnitKind
from lotsen.people.models import (
    Household,
    HouseholdMember,
    HouseholdRole,
    Person,
    Protection,
    Relation,
    RelationKind,
)
from lotsen.people.personnummer import generate
from lotsen.policies.models import EmergencyAccess

_serial = itertools.count()


def _pnr(birth_date: dt.date, sex: str) -> str:
    return generate(birth_date, sex, next(_serial) % 500)  # type: ignore[arg-type]


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    name = "Testby kommun"
    code = "9998"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Enhet {n}")
    code = factory.Sequence(lambda n: f"enhet-{n}")
    kind = UnitKind.RECEPTION


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    demo_account = True
    password = factory.PostGenerationMethodCall("set_password", "test-password-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.CASEWORKER
    valid_from = dt.date(2020, 1, 1)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    birth_date = factory.Faker("date_between", start_date=dt.date(1940, 1, 1), end_date=dt.date(2020, 12, 31))
    legal_sex = factory.Iterator(["M", "F"])
    pnr = factory.LazyAttribute(lambda o: _pnr(o.birth_date, o.legal_sex))
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    street_address = factory.Faker("street_address", locale="sv_SE")
    postal_code = "12345"
    city = "Testby"
    protection = Protection.NONE


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relation

    from_person = factory.SubFactory(PersonFactory)
    to_person = factory.SubFactory(PersonFactory)
    kind = RelationKind.GUARDIAN_OF


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    valid_from = dt.date(2024, 1, 1)


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)
    role = HouseholdRole.APPLICANT


class EmergencyAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmergencyAccess

    user = factory.SubFactory(UserFactory)
    person = factory.SubFactory(PersonFactory)
    reason = "Akut placering på kvällen, jourärende"
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(hours=12))


class AccessLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLogEntry

    user = factory.SubFactory(UserFactory)
    person = factory.SubFactory(PersonFactory)
    view = "people:detail"
    purpose = "Visa personuppgifter"


# --- cases ----------------------------------------------------------------------------------------------

from lotsen.cases.models import Case, CaseEvent, Intake  # noqa: E402

_case_no = itertools.count(1)


class CaseFactory(factory.django.DjangoModelFactory):
    """A bare case row. Tests of behaviour should open cases through `lotsen.cases.services`."""

    class Meta:
        model = Case

    number = factory.LazyFunction(lambda: f"TEST-{next(_case_no):06d}")
    subject = factory.SubFactory(PersonFactory)
    process = "child"
    phase = "reception"
    unit = factory.SubFactory(UnitFactory)
    opened_on = factory.LazyFunction(lambda: timezone.localdate())


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intake

    case = factory.SubFactory(CaseFactory)
    kind = "orosanmalan"
    received_at = factory.LazyFunction(timezone.now)
    received_on = factory.LazyAttribute(lambda o: timezone.localtime(o.received_at).date())
    channel = "phone"
    reporter_category = "school"
    reporter_name = "Rektor Ek"
    content = "Barnet har berättat om slag hemma."
    registered_by = factory.SubFactory(UserFactory)


class CaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEvent

    case = factory.SubFactory(CaseFactory)
    type = "case_opened"
    occurred_on = factory.LazyFunction(lambda: timezone.localdate())


# --- ekonomiskt bistånd (assistance) -------------------------------------------------------------------------

from lotsen.assistance.automation import default_rules  # noqa: E402
from lotsen.assistance.models import AutomationRuleSet  # noqa: E402


class AssistanceUnitFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"Ekonomiskt bistånd {n}")
    kind = UnitKind.ASSISTANCE


class AutomationRuleSetFactory(factory.django.DjangoModelFactory):
    """An active rule set with every rule on (``automation.default_rules``)."""

    class Meta:
        model = AutomationRuleSet

    version = factory.Sequence(lambda n: f"test.{n}")
    rules = factory.LazyFunction(default_rules)
    valid_from = dt.date(2020, 1, 1)
    active = True
    accountable_delegate = None


def adult(birth_year: int = 1985, **kwargs):
    return PersonFactory(birth_date=dt.date(birth_year, 5, 17), **kwargs)


def child(birth_date: dt.date, **kwargs):
    return PersonFactory(birth_date=birth_date, **kwargs)


def registered_household(applicant, partner=None, children=()):
    """The population register's household (people.Household) with guardian relations for the children."""
    household = HouseholdFactory()
    HouseholdMemberFactory(household=household, person=applicant, role=HouseholdRole.APPLICANT)
    if partner is not None:
        HouseholdMemberFactory(household=household, person=partner, role=HouseholdRole.PARTNER)
        RelationFactory(from_person=applicant, to_person=partner, kind=RelationKind.PARTNER_OF)
    for c in children:
        HouseholdMemberFactory(household=household, person=c, role=HouseholdRole.CHILD)
        RelationFactory(from_person=applicant, to_person=c, kind=RelationKind.GUARDIAN_OF)
        if partner is not None:
            RelationFactory(from_person=partner, to_person=c, kind=RelationKind.GUARDIAN_OF)
    return household


# --- interventions ----------------------------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from lotsen.interventions.models import PriceAgreement, Provider  # noqa: E402


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Utförare {n} AB")
    kind = "external"
    org_number = factory.Sequence(lambda n: f"556{n % 1000:03d}-{n % 10000:04d}")


class PriceAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceAgreement

    provider = factory.SubFactory(ProviderFactory)
    service = "hvb"
    price_unit = "day"
    price = Decimal("4200.00")
    valid_from = dt.date(2020, 1, 1)
