"""The Socialstyrelsen file for ekonomiskt bistånd (followup.md 3.1, 3.4): the worked example for August 2020
(period basis, validation errors V01 and V05, the rejected rows, the corrected file, the reconciliation)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lotsen.assistance import statistics
from lotsen.assistance.models import Application, ApplicationMember
from lotsen.cases.models import Decision
from lotsen.payments.models import Payment, PaymentBatch
from tests.factories import CaseFactory, PersonFactory

TODAY = dt.date(2020, 9, 10)
AUGUST = dt.date(2020, 8, 1)
_keys = iter(range(1, 10_000))


@pytest.fixture
def world(eb_unit, eb_caseworker, officer):
    batch = PaymentBatch.objects.create(reference="TEST-1", pay_on=AUGUST, payment_count=1, total_amount=1,
                                        created_by=officer)  # fmt: skip

    def household(applicant, *others, application=True, barrier="unemployed_no_benefit"):
        case = CaseFactory(subject=applicant, process="assistance", phase="decision", unit=eb_unit,
                           assignee=eb_caseworker)  # fmt: skip
        decision = Decision.objects.create(
            case=case, type="financial_assistance", outcome="granted", legal_basis="12 kap. 1 § SoL",
            decision_text="x", reasons="x", prepared_by=eb_caseworker, status="signed", delegate=eb_caseworker,
            signed_at=timezone.now(), decided_on=AUGUST,
        )  # fmt: skip
        if application:
            app = Application.objects.create(
                case=case, period=AUGUST, channel="caseworker", submitted_at=timezone.now(), received_on=AUGUST,
                household_snapshot={"members": []},
            )  # fmt: skip
            roles = [("applicant", applicant, barrier), *others]
            for i, (role, person, b) in enumerate(roles):
                ApplicationMember.objects.create(application=app, person=person, member_id=f"m{i}", role=role,
                                                 barrier_to_self_support=b)  # fmt: skip
        return case, decision

    def pay(case, decision, amount, paid_on, period, status="sent", category="forsorjningsstod", **kw):
        batched = status in ("sent", "paid", "returned")
        in_batch = batched and kw.get("kind", "payment") == "payment"
        return Payment.objects.create(
            decision=decision, case=case, person=case.subject, unit=case.unit, payee_kind="person",
            creditor_name="x", account_kind="bankgiro", account_number="50501055", amount=Decimal(amount),
            category=category, period_month=period, pay_on=paid_on, paid_on=paid_on if batched else None,
            status=status, batch=batch if in_batch else None, idempotency_key=f"k{next(_keys)}",
            created_by=officer, **kw,
        )  # fmt: skip

    anna = PersonFactory(first_name="Anna", birth_date=dt.date(1985, 1, 1), legal_sex="F")
    bo = PersonFactory(first_name="Bo", birth_date=dt.date(1981, 12, 18), legal_sex="M", pnr="198112189877")
    child = PersonFactory(first_name="Cid", birth_date=dt.date(2015, 5, 5))
    h1 = household(anna, ("partner", bo, "sick_no_benefit"), ("child", child, ""))
    h2 = household(PersonFactory(birth_date=dt.date(1970, 1, 1)))
    h3 = household(PersonFactory(birth_date=dt.date(1990, 1, 1)), application=False)
    h4 = household(PersonFactory(birth_date=dt.date(1960, 1, 1)))
    h5 = household(PersonFactory(birth_date=dt.date(1975, 1, 1)))
    pay(*h1, "8000", dt.date(2020, 8, 5), AUGUST)
    pay(*h2, "9500", dt.date(2020, 8, 25), dt.date(2020, 9, 1))
    pay(*h1, "1200", dt.date(2020, 8, 12), AUGUST, category="livsforing_ovrigt")
    pay(*h5, "3000", dt.date(2020, 8, 20), AUGUST, status="cancelled")
    pay(*h3, "7000", dt.date(2020, 7, 30), AUGUST)
    p7 = pay(*h4, "2000", dt.date(2020, 8, 10), AUGUST, status="returned", returned_on=dt.date(2020, 8, 18))
    pay(*h4, "-2000", dt.date(2020, 8, 18), AUGUST, status="paid", kind="return", reverses=p7)
    return {"h1": h1, "h3": h3, "bo": bo}


def test_extraction_validation_and_rejected_rows(world):
    report = statistics.run(AUGUST, today=TODAY)
    assert [hh.case_number for hh in report.households] == sorted(
        [world["h1"][0].number, world["h3"][0].number]
    )  # H4 nets 0 and H2's payment is for September: not reported
    h1 = next(hh for hh in report.households if hh.case_id == world["h1"][0].pk)
    assert h1.amounts == {"forsorjningsstod": Decimal("8000"), "livsforing_ovrigt": Decimal("1200"),
                          "4_2": Decimal("0")}  # fmt: skip
    assert [m.role for m in h1.members] == ["S", "M", "B"]
    errors = sorted((f.rule, f.case_id) for f in report.errors)
    assert errors == sorted([("V01", world["h1"][0].pk), ("V05", world["h3"][0].pk)])
    v01 = next(f for f in report.errors if f.rule == "V01")
    assert v01.value == "19811218-****" and v01.person_id == world["bo"].pk
    assert v01.message == "Personnumret stämmer inte. Kontrollera de fyra sista siffrorna"
    v05 = next(f for f in report.errors if f.rule == "V05")
    assert v05.message == "Försörjningshinder saknas för sökande."
    assert report.error_case_ids == {world["h1"][0].pk, world["h3"][0].pk}
    # FU-S6: period basis 16 200, cash basis 18 700, difference +2 500.
    assert (report.period_total, report.cash_total) == (Decimal("16200"), Decimal("18700"))
    assert report.reconciliation_difference == Decimal("2500")


def test_after_correction_the_file_has_both_households(world):
    world["bo"].pnr = "198112189876"
    world["bo"].save()
    ApplicationMember.objects.filter(person=world["h3"][0].subject).delete()
    app = Application.objects.create(case=world["h3"][0], period=AUGUST, channel="caseworker",
                                     submitted_at=timezone.now(), received_on=AUGUST,
                                     household_snapshot={"members": []})  # fmt: skip
    ApplicationMember.objects.create(application=app, person=world["h3"][0].subject, member_id="a1",
                                     role="applicant", barrier_to_self_support="social_reasons")  # fmt: skip
    report = statistics.run(AUGUST, today=TODAY)
    assert report.errors == []
    lay = statistics.layout()
    content = statistics.build_file(report.households, period=AUGUST, municipality_code="9998", layout_=lay)
    lines = content.strip().split("\r\n")
    assert lines[0] == ";".join(lay.columns)
    records = [line.split(";") for line in lines[1:]]
    assert len(records) == 4  # H1: S, M, B; H3: S
    applicants = [r for r in records if r[3] == "S"]
    assert sum(int(r[6]) for r in applicants) == 16200 == int(report.period_total)
    s1 = next(r for r in applicants if r[2] == world["h1"][0].number)
    assert s1[:2] == ["9998", "202008"] and s1[5] == "8"  # cohabiting couple with children
    assert s1[7:10] == ["8000", "1200", "0"]
    assert s1[10] == lay.barrier_codes["unemployed_no_benefit"]
    child_row = next(r for r in records if r[3] == "B")
    assert child_row[6:11] == ["", "", "", "", ""]
    assert "Anna" not in content  # no names (FU-P7)


def test_under_18_applicant_is_a_warning_and_wrong_municipality_an_error(eb_unit, eb_caseworker, officer):
    young = PersonFactory(birth_date=dt.date(2003, 1, 1))
    hh = statistics.HouseholdMonth(
        case_id=1, case_number="IFO-1", unit="EB", caseworker="", municipality_code="0180",
        members=[statistics.Member(young.pk, "S", young.pnr, None, dt.date(2003, 1, 1), "F", "none", None)],
        amounts={"forsorjningsstod": Decimal("500"), "livsforing_ovrigt": Decimal(0), "4_2": Decimal(0)},
    )  # fmt: skip
    findings = statistics.validate([hh], period=AUGUST, today=TODAY, municipality_code="0180",
                                   layout_=statistics.layout())  # fmt: skip
    assert {(f.rule, f.severity) for f in findings} == {("V07", "varning"), ("V08", "fel")}
    findings = statistics.validate([hh], period=AUGUST, today=TODAY, municipality_code="9998",
                                   layout_=statistics.layout())  # fmt: skip
    assert {f.rule for f in findings} == {"V07", "V08"}
    assert statistics.household_type(hh, AUGUST) == 1


def test_due_date_is_the_15th_of_the_next_month():
    assert statistics.due_on(dt.date(2026, 3, 1)) == dt.date(2026, 4, 15)
    assert statistics.due_on(dt.date(2025, 12, 1)) == dt.date(2026, 1, 15)
