"""Shared set-up for the payments tests and the payments browser tests: an EB unit with a caseworker, two
finance officers, an assistance case and signed financial-assistance decisions (through the case services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lotsen.accounts.models import Role
from lotsen.cases import services as case_services
from lotsen.cases.models import Decision
from lotsen.core.models import UnitKind
from lotsen.payments import services
from tests.factories import MembershipFactory, PersonFactory, UnitFactory

# Valid test accounts (check digits computed by hand in test_accounts.py).
PERSONAL_ACCOUNT = ("3300", "8112189876")  # Nordea personkonto = the personnummer 811218-9876
LANDLORD_BANKGIRO = "5050-1055"


def eb_unit(name: str = "Ekonomiskt bistånd"):
    return UnitFactory(name=name, kind=UnitKind.ASSISTANCE)


def member(unit, role: str = Role.CASEWORKER, **kwargs: Any):
    return MembershipFactory(unit=unit, role=role, **kwargs).user


def finance_officer(first_name: str = "Johan"):
    unit = UnitFactory(name="Socialförvaltningen", kind=UnitKind.ADMINISTRATION)
    return MembershipFactory(unit=unit, role=Role.FINANCE_OFFICER, user__first_name=first_name).user


def assistance_case(actor, unit, *, person=None, opened_on: dt.date | None = None):
    person = person or PersonFactory(birth_date=dt.date(1985, 4, 12), legal_sex="F")
    return case_services.case_open(
        actor=actor, subject=person, process_code="assistance", unit=unit, opened_on=opened_on or dt.date.today()
    )


def signed_decision(case, actor, payload: dict[str, Any] | None = None, *, outcome: str = "granted") -> Decision:
    decision = case_services.decision_prepare(
        actor=actor,
        case=case,
        type="financial_assistance",
        outcome=outcome,
        decision_text="Socialnämnden beviljar ekonomiskt bistånd.",
        reasons="Hushållet saknar inkomster som täcker behovet.",
        person_view="Den sökande har lämnat sina synpunkter i ansökan.",
        payload=payload if payload is not None else {"granted_total": 9200, "period": "2026-03"},
    )
    return case_services.decision_sign(actor=actor, decision=decision)


def register_account(case, actor, on: dt.date):
    return services.payee_account_register(
        actor=actor,
        case=case,
        account_kind="bank_account",
        clearing=PERSONAL_ACCOUNT[0],
        account_number=PERSONAL_ACCOUNT[1],
        valid_from=on,
    )


def plan_one(decision, actor, amount: str, pay_on: dt.date, token: str = "t1", **line: Any):
    return services.payment_plan(
        actor=actor,
        decision=decision,
        line=services.PaymentLine(amount=Decimal(amount), pay_on=pay_on, **line),
        idempotency_token=token,
    )


def exported_batch(officer_a, officer_b, pay_on: dt.date):
    batch = services.batch_create(actor=officer_a, pay_on=pay_on)
    services.batch_approve(actor=officer_a, batch=batch)
    services.batch_approve(actor=officer_b, batch=batch)
    return services.batch_export(actor=officer_b, batch=batch)
