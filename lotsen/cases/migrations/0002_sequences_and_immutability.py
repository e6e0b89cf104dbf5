"""Number sequences; CaseEvent append-only; signed decisions immutable (DOMAIN-MODEL invariants)."""

from django.db import migrations

SQL = """
CREATE SEQUENCE IF NOT EXISTS cases_case_number_seq;
CREATE SEQUENCE IF NOT EXISTS cases_decision_number_seq;

CREATE TRIGGER cases_caseevent_append_only BEFORE UPDATE OR DELETE ON cases_caseevent
    FOR EACH ROW EXECUTE FUNCTION lotsen_refuse_change();

CREATE OR REPLACE FUNCTION lotsen_signed_decision_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'signed' THEN
        RAISE EXCEPTION 'lotsen: a signed decision cannot be changed or deleted (decision %)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_decision_signed_immutable BEFORE UPDATE OR DELETE ON cases_decision
    FOR EACH ROW EXECUTE FUNCTION lotsen_signed_decision_immutable();
"""

REVERSE = """
DROP TRIGGER IF EXISTS cases_decision_signed_immutable ON cases_decision;
DROP FUNCTION IF EXISTS lotsen_signed_decision_immutable();
DROP TRIGGER IF EXISTS cases_caseevent_append_only ON cases_caseevent;
DROP SEQUENCE IF EXISTS cases_decision_number_seq;
DROP SEQUENCE IF EXISTS cases_case_number_seq;
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("audit", "0002_append_only")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
