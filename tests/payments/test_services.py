"""Payment services: planning from decisions, idempotency, corrections as negative rows, batches with two-person
approval, the pain.001 export in one transaction, and the database invariants behind them."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
import time_machine
from django.db import DatabaseError, IntegrityError, transaction

from lotsen.audit.models import AuditEvent
from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.payments import access, pain001, services
from lotsen.payments.models import Payment, PaymentBatch, PaymentStatus
from tests.payments import helpers
from tests.payments.conftest import TODAY

PAY_ON = dt.date(2026, 3, 25)
LATER = dt.date(2026, 3, 27)


def _later():
    return time_machine.travel(dt.datetime(2026, 3, 27, 9, 0, tzinfo=dt.UTC), tick=False)


def _rows(decision):
    return list(Payment.objects.filter(decision=decision).order_by("id"))


# --- planning ---------------------------------------------------------------------------------------------


def test_plan_from_decision_splits_by_category_and_is_idempotent(eb_case, eb_caseworker, account):
    decision = helpers.signed_decision(
        eb_case,
        eb_caseworker,
        {"granted_total": 9200, "period": "2026-03",
         "category_totals": {"forsorjningsstod": 8000, "livsforing_ovrigt": 1200}},
    )  # fmt: skip
    created = services.payments_plan_from_decision(actor=eb_caseworker, decision=decision)
    assert [(p.category, p.amount) for p in created] == [
        ("forsorjningsstod", Decimal("8000.00")),
        ("livsforing_ovrigt", Decimal("1200.00")),
    ]
    first = created[0]
    assert first.idempotency_key == f"d{decision.pk}:l1:p202603"
    assert first.period_month == dt.date(2026, 3, 1)
    assert first.pay_on == TODAY
    assert (first.clearing, first.account_number, first.creditor_name) == (
        "3300", "8112189876", eb_case.subject.full_name,
    )  # fmt: skip
    assert first.status == PaymentStatus.PLANNED and first.unit_id == eb_case.unit_id
    # Running it again plans nothing new.
    again = services.payments_plan_from_decision(actor=eb_caseworker, decision=decision)
    assert [p.pk for p in again] == [p.pk for p in created]
    assert Payment.objects.filter(decision=decision).count() == 2
    assert AuditEvent.objects.filter(action="payment.planned").count() == 2
    assert eb_case.events.filter(type="payments_planned").count() == 1


def test_manual_plan_with_the_same_token_plans_once(decision, eb_caseworker, account):
    one = helpers.plan_one(decision, eb_caseworker, "6000", PAY_ON, token="abc")
    two = helpers.plan_one(decision, eb_caseworker, "6000", PAY_ON, token="abc")
    assert one.pk == two.pk
    assert Payment.objects.count() == 1


def test_payments_never_exceed_the_decision(decision, eb_caseworker, account):
    helpers.plan_one(decision, eb_caseworker, "6000", PAY_ON, token="a")
    with pytest.raises(DomainError, match="beslutet gäller 9\u202f200\u00a0kr") as exc:
        helpers.plan_one(decision, eb_caseworker, "3200.50", PAY_ON, token="b")
    assert exc.value.field == "amount"
    helpers.plan_one(decision, eb_caseworker, "3200", PAY_ON, token="c")
    assert services.net_planned(decision) == Decimal("9200")


def test_landlord_payment_to_bankgiro(decision, eb_caseworker):
    payment = helpers.plan_one(
        decision, eb_caseworker, "6500", PAY_ON, payee_kind="landlord", creditor_name="Bostads AB Ängen",
        account_kind="bankgiro", account_number=helpers.LANDLORD_BANKGIRO, reference="Hyra april 2026",
    )  # fmt: skip
    assert (payment.account_kind, payment.clearing, payment.account_number) == ("bankgiro", "", "50501055")
    assert payment.account_display() == "Bankgiro 5050-1055"


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({}, "account_kind"),  # no registered account
        ({"account_kind": "bank_account", "clearing": "5000", "account_number": "1234561"}, "account_number"),
        ({"account_kind": "bankgiro", "account_number": "5050-1056"}, "account_number"),
        ({"payee_kind": "landlord", "account_kind": "bankgiro", "account_number": "50501055"}, "creditor_name"),
    ],
)
def test_planning_refuses_bad_payees(decision, eb_caseworker, line, field):
    with pytest.raises(DomainError) as exc:
        helpers.plan_one(decision, eb_caseworker, "100", PAY_ON, **line)
    assert exc.value.field == field


def test_planning_refuses_past_dates_unsigned_decisions_and_other_units(decision, eb_caseworker, account, eb_case):
    with pytest.raises(DomainError, match="tidigare än i dag"):
        helpers.plan_one(decision, eb_caseworker, "100", TODAY - dt.timedelta(days=1))
    stranger = helpers.member(helpers.eb_unit("Ekonomiskt bistånd väst"))
    with pytest.raises(PermissionDeniedError):
        helpers.plan_one(decision, stranger, "100", PAY_ON)
    assert not access.visible_payments(stranger).exists()
    draft = services.Decision.objects.create(
        case=eb_case, type="financial_assistance", outcome="granted", legal_basis="12 kap. 1 § SoL",
        decision_text="x", reasons="x", prepared_by=eb_caseworker, payload={"granted_total": 100},
    )  # fmt: skip
    with pytest.raises(DomainError, match="inte fattat"):
        helpers.plan_one(draft, eb_caseworker, "100", PAY_ON)


def test_cancel_a_planned_payment(decision, eb_caseworker, account, officer):
    payment = helpers.plan_one(decision, eb_caseworker, "6000", PAY_ON)
    with pytest.raises(DomainError, match="varför"):
        services.payment_cancel(actor=eb_caseworker, payment=payment, reason=" ")
    services.payment_cancel(actor=eb_caseworker, payment=payment, reason="Personen har fått lön")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELLED
    assert services.net_planned(decision) == 0  # the decision's money can be planned again
    with pytest.raises(DomainError, match="inga planerade"):
        services.batch_create(actor=officer, pay_on=PAY_ON)


# --- batches ----------------------------------------------------------------------------------------------


@pytest.fixture
def planned(decision, eb_caseworker, account):
    a = helpers.plan_one(decision, eb_caseworker, "6000", PAY_ON, token="a")
    b = helpers.plan_one(
        decision, eb_caseworker, "3200", dt.date(2026, 3, 24), token="b", payee_kind="landlord",
        creditor_name="Bostads AB Ängen", account_kind="bankgiro", account_number="5050-1055",
    )  # fmt: skip
    return a, b


def test_batch_create_takes_due_payments_and_a_rerun_takes_nothing(planned, officer, eb_case, eb_caseworker):
    april = helpers.signed_decision(eb_case, eb_caseworker, {"granted_total": 9000, "period": "2026-04"})
    later = helpers.plan_one(april, eb_caseworker, "0.50", dt.date(2026, 4, 2), token="later")
    batch = services.batch_create(actor=officer, pay_on=PAY_ON)
    assert batch.payment_count == 2 and batch.total_amount == Decimal("9200.00")
    assert batch.reference.startswith("LOTSEN-20260325-")
    assert set(batch.payments.values_list("status", flat=True)) == {PaymentStatus.IN_BATCH}
    later.refresh_from_db()
    assert later.status == PaymentStatus.PLANNED
    with pytest.raises(DomainError, match="inga planerade"):
        services.batch_create(actor=officer, pay_on=PAY_ON)
    assert PaymentBatch.objects.count() == 1


def test_only_finance_officers_handle_batches(planned, eb_caseworker):
    with pytest.raises(PermissionDeniedError):
        services.batch_create(actor=eb_caseworker, pay_on=PAY_ON)


def test_two_person_approval(planned, officer, officer2):
    batch = services.batch_create(actor=officer, pay_on=PAY_ON)
    with pytest.raises(DomainError, match="två personer"):
        services.batch_export(actor=officer, batch=batch)
    services.batch_approve(actor=officer, batch=batch)
    with pytest.raises(DomainError, match="redan godkänt"):
        services.batch_approve(actor=officer, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "draft" and batch.approvers == [officer.pk]
    with pytest.raises(DomainError, match="två personer"):
        services.batch_export(actor=officer, batch=batch)
    services.batch_approve(actor=officer2, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "approved" and batch.approvers == [officer.pk, officer2.pk]


def test_the_database_refuses_one_person_approving_twice(planned, officer):
    batch = services.batch_create(actor=officer, pay_on=PAY_ON)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(approved_by_1=officer, approved_by_2=officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(approved_by_1=officer, status="approved")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(
            approved_by_1=officer, status="exported", file_content="<x/>", sha256="0" * 64
        )


def test_export_writes_a_valid_file_and_marks_payments_sent(planned, officer, officer2):
    batch = helpers.exported_batch(officer, officer2, PAY_ON)
    assert batch.status == "exported" and batch.exported_by == officer2
    xml = batch.file_content.encode("utf-8")
    assert pain001.validation_errors(xml) == []
    assert hashlib.sha256(xml).hexdigest() == batch.sha256
    assert xml.count(b"<CdtTrfTxInf>") == 2 and b"<CtrlSum>9200.00</CtrlSum>" in xml
    assert set(batch.payments.values_list("status", "paid_on")) == {(PaymentStatus.SENT, PAY_ON)}
    with pytest.raises(DomainError, match="redan skapad"):
        services.batch_export(actor=officer, batch=batch)
    after = AuditEvent.objects.get(action="payment_batch.exported")
    assert "file_content" not in after.after and after.after["sha256"] == batch.sha256
    # Nothing is ever paid twice: a new run finds no payments.
    with pytest.raises(DomainError, match="inga planerade"):
        services.batch_create(actor=officer, pay_on=PAY_ON)


def test_an_exported_batch_and_its_payments_never_change(planned, officer, officer2):
    batch = helpers.exported_batch(officer, officer2, PAY_ON)
    with pytest.raises(DatabaseError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(file_content="<changed/>")
    with pytest.raises(DatabaseError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).delete()
    payment = batch.payments.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(amount=Decimal("1"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(status="planned", batch=None)
    with pytest.raises(DatabaseError), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).delete()


def test_a_file_that_fails_the_xsd_is_not_stored(planned, officer, officer2, settings):
    batch = services.batch_create(actor=officer, pay_on=PAY_ON)
    services.batch_approve(actor=officer, batch=batch)
    services.batch_approve(actor=officer2, batch=batch)
    settings.LOTSEN_PAYMENTS_DEBTOR_BIC = "not a BIC"
    with pytest.raises(DomainError, match="ISO 20022"):
        services.batch_export(actor=officer, batch=batch)
    batch.refresh_from_db()
    assert batch.status == "approved" and batch.file_content == "" and batch.sha256 == ""
    assert set(batch.payments.values_list("status", flat=True)) == {PaymentStatus.IN_BATCH}


def test_discarding_a_batch_returns_its_payments_to_planned(planned, officer):
    batch = services.batch_create(actor=officer, pay_on=PAY_ON)
    services.batch_discard(actor=officer, batch=batch, reason="Fel datum")
    batch.refresh_from_db()
    assert batch.status == "discarded"
    assert set(Payment.objects.values_list("status", "batch")) == {(PaymentStatus.PLANNED, None)}
    again = services.batch_create(actor=officer, pay_on=PAY_ON)
    assert again.payment_count == 2
    with pytest.raises(DatabaseError), transaction.atomic():
        PaymentBatch.objects.filter(pk=batch.pk).update(status="draft")


def test_confirm_paid(planned, officer, officer2):
    batch = helpers.exported_batch(officer, officer2, PAY_ON)
    with _later():
        with pytest.raises(DomainError, match="senare än i dag"):
            services.batch_confirm_paid(actor=officer, batch=batch, paid_on=dt.date(2026, 3, 28))
        with pytest.raises(DomainError, match="före omgångens"):
            services.batch_confirm_paid(actor=officer, batch=batch, paid_on=dt.date(2026, 3, 24))
        assert services.batch_confirm_paid(actor=officer, batch=batch, paid_on=LATER) == 2
    assert set(batch.payments.values_list("status", flat=True)) == {PaymentStatus.PAID}


# --- corrections and returns: new negative rows -------------------------------------------------------------


@pytest.fixture
def sent(planned, officer, officer2):
    helpers.exported_batch(officer, officer2, PAY_ON)
    with _later():
        yield [Payment.objects.get(pk=p.pk) for p in planned]


def test_correction_is_a_new_negative_row(sent, eb_caseworker, decision):
    original = sent[0]
    row = services.payment_correct(
        actor=eb_caseworker, payment=original, amount=Decimal("1000"), reason="Inkomst kom efter beslutet",
        corrected_on=LATER, idempotency_token="k1",
    )  # fmt: skip
    assert (row.kind, row.amount, row.reverses_id, row.status) == (
        "correction",
        Decimal("-1000.00"),
        original.pk,
        "paid",
    )
    assert row.period_month == original.period_month and row.paid_on == LATER
    original.refresh_from_db()
    assert original.amount == Decimal("6000.00") and original.status == PaymentStatus.SENT
    assert services.net_executed(decision) == Decimal("8200")
    # The same form twice: one row.
    again = services.payment_correct(
        actor=eb_caseworker, payment=original, amount=Decimal("1000"), reason="x", corrected_on=LATER,
        idempotency_token="k1",
    )  # fmt: skip
    assert again.pk == row.pk
    with pytest.raises(DomainError, match="högst 5\u202f000\u00a0kr"):
        services.payment_correct(
            actor=eb_caseworker, payment=original, amount=Decimal("5000.01"), reason="x", corrected_on=LATER,
            idempotency_token="k2",
        )  # fmt: skip


def test_bank_return_books_a_negative_row_and_the_money_can_be_paid_again(sent, officer, decision, eb_caseworker):
    original = sent[1]
    with pytest.raises(PermissionDeniedError):
        services.payment_return(actor=eb_caseworker, payment=original, returned_on=LATER, reason="Stängt konto")
    row = services.payment_return(actor=officer, payment=original, returned_on=LATER, reason="Kontot är avslutat")
    original.refresh_from_db()
    assert original.status == PaymentStatus.RETURNED and original.returned_on == LATER
    assert (row.kind, row.amount, row.reverses_id) == ("return", Decimal("-3200.00"), original.pk)
    assert services.net_executed(decision) == Decimal("6000")
    assert services.net_planned(decision) == Decimal("6000")
    with pytest.raises(DomainError):
        services.payment_return(actor=officer, payment=original, returned_on=LATER, reason="igen")
    # The returned amount can be planned again to a new account.
    helpers.plan_one(decision, eb_caseworker, "3200", LATER, token="new", account_kind="bankgiro",
                     account_number="5050-1055", payee_kind="landlord", creditor_name="Bostads AB Ängen")  # fmt: skip


def test_negative_rows_are_checked_by_the_database(sent, eb_caseworker):
    original = sent[0]
    fields = {f.name: getattr(original, f.name) for f in Payment._meta.concrete_fields if f.name != "id"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(**{**fields, "idempotency_key": "x1", "amount": Decimal("-5"), "kind": "payment"})
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(**{**fields, "idempotency_key": "x2", "amount": Decimal("5"), "kind": "correction",
                                  "reverses": original, "status": "paid", "batch": None})  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(**{**fields, "idempotency_key": original.idempotency_key})


# --- bulk (the monthly run) --------------------------------------------------------------------------------


def test_bulk_plan_is_idempotent_and_reports_failures(eb_unit, eb_caseworker, delegation, officer):
    cases = [helpers.assistance_case(eb_caseworker, eb_unit) for _ in range(3)]
    decisions = [helpers.signed_decision(c, eb_caseworker, {"granted_total": 1000 + i, "period": "2026-04"})
                 for i, c in enumerate(cases)]  # fmt: skip
    for c in cases[:2]:
        helpers.register_account(c, eb_caseworker, TODAY)
    with pytest.raises(PermissionDeniedError):
        services.payments_plan_bulk(actor=eb_caseworker, decisions=decisions)
    result = services.payments_plan_bulk(actor=officer, decisions=decisions)
    assert (result.created, result.skipped) == (2, 0)
    assert result.errors == [(decisions[2].pk, "Personen har inget utbetalningskonto.")]
    again = services.payments_plan_bulk(actor=officer, decisions=decisions)
    assert (again.created, again.skipped) == (0, 2)
    assert Payment.objects.count() == 2
    assert set(Payment.objects.values_list("period_month", flat=True)) == {dt.date(2026, 4, 1)}


# --- tasks and forms ---------------------------------------------------------------------------------------


def test_monthly_tasks(eb_case, eb_caseworker, account, officer):
    from lotsen.payments import tasks

    april = helpers.signed_decision(eb_case, eb_caseworker, {"granted_total": 7000, "period": "2026-04"})
    helpers.signed_decision(eb_case, eb_caseworker, {"granted_total": 5000, "period": "2026-05"})
    assert [d.pk for d in tasks.decisions_for_period("2026-04")] == [april.pk]
    result = tasks.plan_month_payments.call("2026-04", officer.pk)
    assert result == {"created": 1, "skipped": 0, "errors": []}
    assert not tasks.decisions_for_period("2026-04").exists()
    batch_id = tasks.create_payment_batch.call(TODAY.isoformat(), officer.pk)
    assert PaymentBatch.objects.get(pk=batch_id).payment_count == 1
    assert tasks.create_payment_batch.call(TODAY.isoformat(), officer.pk) is None  # nothing new: no empty batch


def test_date_field_accepts_parts_and_a_pasted_iso_date():
    from lotsen.payments.forms import BatchCreateForm

    parts = BatchCreateForm({"pay_on-year": "2026", "pay_on-month": "3", "pay_on-day": "25"})
    assert parts.is_valid() and parts.cleaned_data["pay_on"] == PAY_ON
    pasted = BatchCreateForm({"pay_on-year": "2026-03-25", "pay_on-month": "", "pay_on-day": ""})
    assert pasted.is_valid() and pasted.cleaned_data["pay_on"] == PAY_ON
    wrong = BatchCreateForm({"pay_on-year": "2026", "pay_on-month": "2", "pay_on-day": "30"})
    assert not wrong.is_valid() and wrong.errors["pay_on"] == ["Utbetalningsdag måste vara ett riktigt datum"]
    empty = BatchCreateForm({})
    assert not empty.is_valid() and empty.errors["pay_on"] == ["Ange utbetalningsdag"]
