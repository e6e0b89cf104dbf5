"""Database invariants of the payments app (DOMAIN-MODEL "Invariants worth a database constraint or trigger").

- Payments are never edited or deleted: the columns that say who is paid what, where and why are frozen;
  only the lifecycle moves, and only along planned → in_batch → sent → paid → returned (plus in_batch →
  planned when a draft batch is discarded, and planned → cancelled). Corrections are new negative rows.
- A batch is never deleted; its reference, date and totals never change; an approval once given stays; an
  exported or discarded batch is frozen (its file and sha256 with it). Two distinct approvers before export
  are CHECK constraints (0001).
- Recoveries keep their decided content; repayments, payee accounts are append-only; a statistics
  submission only moves its status.
"""

from django.db import migrations

SQL = r"""
CREATE SEQUENCE IF NOT EXISTS payments_batch_number_seq;

CREATE OR REPLACE FUNCTION lotsen_payment_guard() RETURNS trigger AS $$
DECLARE
    step text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'lotsen: payment % cannot be deleted', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.decision_id, NEW.case_id, NEW.person_id, NEW.unit_id, NEW.line, NEW.kind, NEW.payee_kind,
        NEW.creditor_name, NEW.account_kind, NEW.clearing, NEW.account_number, NEW.reference, NEW.amount,
        NEW.category, NEW.purpose, NEW.period_month, NEW.pay_on, NEW.idempotency_key, NEW.reverses_id,
        NEW.reason, NEW.created_by_id, NEW.created_at)
       IS DISTINCT FROM
       (OLD.decision_id, OLD.case_id, OLD.person_id, OLD.unit_id, OLD.line, OLD.kind, OLD.payee_kind,
        OLD.creditor_name, OLD.account_kind, OLD.clearing, OLD.account_number, OLD.reference, OLD.amount,
        OLD.category, OLD.purpose, OLD.period_month, OLD.pay_on, OLD.idempotency_key, OLD.reverses_id,
        OLD.reason, OLD.created_by_id, OLD.created_at) THEN
        RAISE EXCEPTION 'lotsen: payment % is never edited; register a correction instead', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    step := OLD.status || '>' || NEW.status;
    IF OLD.status <> NEW.status AND step NOT IN (
        'planned>in_batch', 'in_batch>planned', 'in_batch>sent', 'sent>paid', 'sent>returned',
        'paid>returned', 'planned>cancelled') THEN
        RAISE EXCEPTION 'lotsen: payment % cannot go from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.batch_id IS DISTINCT FROM OLD.batch_id AND step NOT IN ('planned>in_batch', 'in_batch>planned') THEN
        RAISE EXCEPTION 'lotsen: payment % cannot change batch', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.paid_on IS DISTINCT FROM OLD.paid_on AND step NOT IN ('in_batch>sent', 'sent>paid') THEN
        RAISE EXCEPTION 'lotsen: payment % cannot change its payment date', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.returned_on IS DISTINCT FROM OLD.returned_on OR NEW.status_reason IS DISTINCT FROM OLD.status_reason)
       AND step NOT IN ('sent>returned', 'paid>returned', 'planned>cancelled') THEN
        RAISE EXCEPTION 'lotsen: payment % cannot change its return or cancellation', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER payments_payment_guard BEFORE UPDATE OR DELETE ON payments_payment
    FOR EACH ROW EXECUTE FUNCTION lotsen_payment_guard();

CREATE OR REPLACE FUNCTION lotsen_payment_batch_guard() RETURNS trigger AS $$
DECLARE
    step text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'lotsen: batch % cannot be deleted', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.status IN ('exported', 'discarded') THEN
        RAISE EXCEPTION 'lotsen: batch % is % and cannot change', OLD.id, OLD.status
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.reference, NEW.pay_on, NEW.payment_count, NEW.total_amount, NEW.created_by_id, NEW.created_at)
       IS DISTINCT FROM
       (OLD.reference, OLD.pay_on, OLD.payment_count, OLD.total_amount, OLD.created_by_id, OLD.created_at) THEN
        RAISE EXCEPTION 'lotsen: the content of batch % cannot change', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (OLD.approved_by_1_id IS NOT NULL AND NEW.approved_by_1_id IS DISTINCT FROM OLD.approved_by_1_id)
       OR (OLD.approved_by_2_id IS NOT NULL AND NEW.approved_by_2_id IS DISTINCT FROM OLD.approved_by_2_id) THEN
        RAISE EXCEPTION 'lotsen: an approval of batch % cannot be withdrawn', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    step := OLD.status || '>' || NEW.status;
    IF OLD.status <> NEW.status AND step NOT IN ('draft>approved', 'approved>exported', 'draft>discarded',
                                                 'approved>discarded') THEN
        RAISE EXCEPTION 'lotsen: batch % cannot go from % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.status = 'exported' AND (NEW.approved_by_1_id IS NULL OR NEW.approved_by_2_id IS NULL
                                    OR NEW.approved_by_1_id = NEW.approved_by_2_id) THEN
        RAISE EXCEPTION 'lotsen: batch % needs two distinct approvers before export', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER payments_paymentbatch_guard BEFORE UPDATE OR DELETE ON payments_paymentbatch
    FOR EACH ROW EXECUTE FUNCTION lotsen_payment_batch_guard();

CREATE OR REPLACE FUNCTION lotsen_recovery_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'lotsen: recovery % cannot be deleted', OLD.id USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.decision_id, NEW.case_id, NEW.person_id, NEW.legal_ground, NEW.circumstance, NEW.law_reference,
        NEW.amount, NEW.reason, NEW.cost_date, NEW.decided_on, NEW.court_action_due_on, NEW.created_by_id,
        NEW.created_at)
       IS DISTINCT FROM
       (OLD.decision_id, OLD.case_id, OLD.person_id, OLD.legal_ground, OLD.circumstance, OLD.law_reference,
        OLD.amount, OLD.reason, OLD.cost_date, OLD.decided_on, OLD.court_action_due_on, OLD.created_by_id,
        OLD.created_at) THEN
        RAISE EXCEPTION 'lotsen: the decided content of recovery % cannot change', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER payments_recovery_guard BEFORE UPDATE OR DELETE ON payments_recovery
    FOR EACH ROW EXECUTE FUNCTION lotsen_recovery_guard();

CREATE TRIGGER payments_recoveryrepayment_append_only BEFORE UPDATE OR DELETE ON payments_recoveryrepayment
    FOR EACH ROW EXECUTE FUNCTION lotsen_refuse_change();

CREATE TRIGGER payments_payeeaccount_append_only BEFORE UPDATE OR DELETE ON payments_payeeaccount
    FOR EACH ROW EXECUTE FUNCTION lotsen_refuse_change();

CREATE OR REPLACE FUNCTION lotsen_submission_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR (to_jsonb(NEW) - 'status') IS DISTINCT FROM (to_jsonb(OLD) - 'status') THEN
        RAISE EXCEPTION 'lotsen: statistics submission % cannot change', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER payments_statisticssubmission_guard BEFORE UPDATE OR DELETE ON payments_statisticssubmission
    FOR EACH ROW EXECUTE FUNCTION lotsen_submission_guard();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS payments_statisticssubmission_guard ON payments_statisticssubmission;
DROP FUNCTION IF EXISTS lotsen_submission_guard();
DROP TRIGGER IF EXISTS payments_payeeaccount_append_only ON payments_payeeaccount;
DROP TRIGGER IF EXISTS payments_recoveryrepayment_append_only ON payments_recoveryrepayment;
DROP TRIGGER IF EXISTS payments_recovery_guard ON payments_recovery;
DROP FUNCTION IF EXISTS lotsen_recovery_guard();
DROP TRIGGER IF EXISTS payments_paymentbatch_guard ON payments_paymentbatch;
DROP FUNCTION IF EXISTS lotsen_payment_batch_guard();
DROP TRIGGER IF EXISTS payments_payment_guard ON payments_payment;
DROP FUNCTION IF EXISTS lotsen_payment_guard();
DROP SEQUENCE IF EXISTS payments_batch_number_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial"), ("audit", "0002_append_only")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
