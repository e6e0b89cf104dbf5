"""Återkrav (R-AKRAV-1, R-TID-8, 33:5–6): the rules for 33:1/33:2/33:3, the three-year court deadline,
repayments as append-only rows."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import DatabaseError, transaction

from lotsen.core.errors import DomainError, PermissionDeniedError
from lotsen.payments import services
from lotsen.payments.models import RecoveryRepayment, RecoveryStatus
from tests.payments import helpers
from tests.payments.conftest import TODAY


def register(decision, actor, ground="33_1", amount="1000", **kwargs):
    args = {
        "actor": actor,
        "decision": decision,
        "legal_ground": ground,
        "amount": Decimal(amount),
        "reason": "Inkomst som inte redovisades i ansökan.",
        "cost_date": dt.date(2026, 3, 5),
        "decided_on": TODAY,
    } | kwargs
    return services.recovery_register(**args)


def test_wrongly_paid_aid_can_always_be_reclaimed(decision, eb_caseworker, eb_case):
    recovery = register(decision, eb_caseworker)
    assert recovery.law_reference == "33 kap. 1 § SoL (2025:400)"
    assert recovery.court_action_due_on == dt.date(2029, 3, 5)  # add_years(cost date, 3), 33:5
    assert recovery.status == RecoveryStatus.OPEN and recovery.person == eb_case.subject
    assert eb_case.events.filter(type="recovery_registered").exists()


def test_33_2_is_refused_without_repayment_terms_and_service(eb_case, eb_caseworker):
    plain = helpers.signed_decision(eb_case, eb_caseworker)
    with pytest.raises(DomainError, match="villkor om återbetalning och vara delgivet") as exc:
        register(plain, eb_caseworker, "33_2", circumstance="advance_on_benefit")
    assert exc.value.field == "legal_ground"
    # Repayment terms but not served: still refused.
    with_terms = helpers.signed_decision(
        eb_case, eb_caseworker,
        {"granted_total": 9200, "period": "2026-03",
         "repayment_terms": "Biståndet är ett förskott på sjukpenning och ska betalas tillbaka."},
    )  # fmt: skip
    with pytest.raises(DomainError, match="delgivet"):
        register(with_terms, eb_caseworker, "33_2", circumstance="advance_on_benefit")
    # Served but without terms: refused.
    services.decision_served_register(actor=eb_caseworker, decision=plain, served_on=TODAY, how="Vid besök")
    with pytest.raises(DomainError, match="villkor"):
        register(plain, eb_caseworker, "33_2", circumstance="advance_on_benefit")
    # Terms and served: accepted; the situation (33:2) is required.
    services.decision_served_register(actor=eb_caseworker, decision=with_terms, served_on=TODAY, how="Brev, kvitto")
    with pytest.raises(DomainError, match="situation"):
        register(with_terms, eb_caseworker, "33_2")
    recovery = register(with_terms, eb_caseworker, "33_2", circumstance="advance_on_benefit")
    assert recovery.law_reference == "33 kap. 2 § SoL (2025:400)"
    assert services.decision_served_on(with_terms) == TODAY
    with pytest.raises(DomainError, match="redan registrerad"):
        services.decision_served_register(actor=eb_caseworker, decision=with_terms, served_on=TODAY, how="igen")


def test_33_3_only_for_aid_beyond_the_right(eb_case, eb_caseworker):
    terms = {"repayment_terms": "Villkor: återbetalning när bostaden är såld.", "period": "2026-03"}
    ordinary = helpers.signed_decision(eb_case, eb_caseworker, {"granted_total": 5000, **terms})
    beyond = helpers.signed_decision(eb_case, eb_caseworker,
                                     {"granted_total": 5000, "category": "4_2", **terms})  # fmt: skip
    for d in (ordinary, beyond):
        services.decision_served_register(actor=eb_caseworker, decision=d, served_on=TODAY, how="Vid besök")
    with pytest.raises(DomainError, match="bara bistånd utöver rätten"):
        register(ordinary, eb_caseworker, "33_3")
    with pytest.raises(DomainError, match=r"33 kap\. 3 §"):
        register(beyond, eb_caseworker, "33_2", circumstance="assets_unavailable")
    assert register(beyond, eb_caseworker, "33_3").law_reference == "33 kap. 3 § SoL (2025:400)"


def test_aid_granted_before_july_2025_follows_the_old_act(eb_case, eb_caseworker):
    with time_machine.travel(dt.datetime(2025, 5, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        old = helpers.signed_decision(eb_case, eb_caseworker, {"granted_total": 4000, "period": "2025-05"})
    assert old.decided_on == dt.date(2025, 5, 2)
    recovery = register(old, eb_caseworker, cost_date=dt.date(2025, 5, 2))
    assert recovery.law_reference == "9 kap. 1 § SoL (2001:453)"


def test_amount_ceiling_is_what_was_paid(decision, eb_caseworker, account, officer, officer2):
    with pytest.raises(DomainError, match="högst 9\u202f200\u00a0kr"):
        register(decision, eb_caseworker, amount="9200.01")
    helpers.plan_one(decision, eb_caseworker, "5000", TODAY)
    helpers.exported_batch(officer, officer2, TODAY)
    with pytest.raises(DomainError, match="högst 5\u202f000\u00a0kr"):
        register(decision, eb_caseworker, amount="5001")
    register(decision, eb_caseworker, amount="3000")
    with pytest.raises(DomainError, match="högst 2\u202f000\u00a0kr"):
        register(decision, eb_caseworker, amount="2500")


def test_repayments_close_the_claim_and_are_append_only(decision, eb_caseworker, officer):
    recovery = register(decision, eb_caseworker, amount="1500")
    services.recovery_repayment_register(actor=officer, recovery=recovery, amount=Decimal("1000"), received_on=TODAY)
    with pytest.raises(DomainError, match="återstår 500"):
        services.recovery_repayment_register(actor=officer, recovery=recovery, amount=Decimal("600"),
                                             received_on=TODAY)  # fmt: skip
    row = services.recovery_repayment_register(actor=eb_caseworker, recovery=recovery, amount=Decimal("500"),
                                               received_on=TODAY)  # fmt: skip
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.REPAID and services.repaid_total(recovery) == Decimal("1500")
    with pytest.raises(DatabaseError), transaction.atomic():
        RecoveryRepayment.objects.filter(pk=row.pk).update(amount=Decimal("1"))
    with pytest.raises(DatabaseError), transaction.atomic():
        type(recovery).objects.filter(pk=recovery.pk).update(amount=Decimal("1"))


def test_court_action_within_three_years_and_waiver(decision, eb_caseworker, officer):
    recovery = register(decision, eb_caseworker, amount="1500", cost_date=dt.date(2023, 3, 1))
    assert recovery.court_action_due_on == dt.date(2026, 3, 1)
    with pytest.raises(DomainError, match="senast 2026-03-01"):
        services.recovery_court_action(actor=eb_caseworker, recovery=recovery, filed_on=TODAY,
                                       committee_decision="SU 2026-03-19 § 12")  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        services.recovery_waive(actor=officer, recovery=recovery, waived_on=TODAY, reason="x")
    services.recovery_waive(actor=eb_caseworker, recovery=recovery, waived_on=TODAY, reason="Synnerliga skäl")
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.WAIVED
    fresh = register(decision, eb_caseworker, amount="500", cost_date=dt.date(2026, 1, 10))
    with pytest.raises(DomainError, match="utskottets beslut"):
        services.recovery_court_action(actor=eb_caseworker, recovery=fresh, filed_on=TODAY, committee_decision=" ")
    services.recovery_court_action(actor=eb_caseworker, recovery=fresh, filed_on=TODAY,
                                   committee_decision="SU 2026-03-19 § 12")  # fmt: skip
    fresh.refresh_from_db()
    assert fresh.status == RecoveryStatus.COURT_ACTION and fresh.court_action_on == TODAY


def test_caseworker_of_another_unit_cannot_register(decision):
    stranger = helpers.member(helpers.eb_unit("Ekonomiskt bistånd väst"))
    with pytest.raises(PermissionDeniedError):
        register(decision, stranger)
