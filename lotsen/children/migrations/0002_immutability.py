"""Signed protection assessments and sent reporter feedback are final (DOMAIN-MODEL invariants): the database
refuses UPDATE always and DELETE except in the gallring run (R-GALL-7), which deletes in a transaction that
has run `SET LOCAL lotsen.gallring = 'on'` (the same convention as the journal); nothing in a request does so."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION lotsen_children_signed_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('lotsen.gallring', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'lotsen: % on % is not allowed (signed rows are final)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER children_protectionassessment_signed_immutable BEFORE UPDATE OR DELETE
    ON children_protectionassessment FOR EACH ROW EXECUTE FUNCTION lotsen_children_signed_immutable();
CREATE TRIGGER children_reporterfeedback_immutable BEFORE UPDATE OR DELETE
    ON children_reporterfeedback FOR EACH ROW EXECUTE FUNCTION lotsen_children_signed_immutable();
"""

REVERSE = """
DROP TRIGGER IF EXISTS children_reporterfeedback_immutable ON children_reporterfeedback;
DROP TRIGGER IF EXISTS children_protectionassessment_signed_immutable ON children_protectionassessment;
DROP FUNCTION IF EXISTS lotsen_children_signed_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("children", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
