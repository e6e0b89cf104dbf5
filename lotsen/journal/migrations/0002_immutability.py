"""Signed journal entries and documents are immutable (R-JOUR-1, DOMAIN-MODEL invariants).

- A signed journal entry refuses UPDATE and DELETE. A draft may be updated (the services check that only its
  author does so) and deleted.
- A document refuses UPDATE and DELETE from the moment it is stored.
- The gallring run (R-GALL-7) is the only exception: it deletes in a transaction that has run
  `SET LOCAL lotsen.gallring = 'on'`; nothing in a request does so. It never allows UPDATE.
"""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION lotsen_journal_entry_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'signed' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' AND current_setting('lotsen.gallring', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'lotsen: a signed journal entry cannot be changed or deleted (entry %)', OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER journal_journalentry_signed_immutable BEFORE UPDATE OR DELETE ON journal_journalentry
    FOR EACH ROW EXECUTE FUNCTION lotsen_journal_entry_immutable();

CREATE OR REPLACE FUNCTION lotsen_journal_document_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('lotsen.gallring', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'lotsen: a document cannot be changed or deleted (document %)', OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER journal_document_immutable BEFORE UPDATE OR DELETE ON journal_document
    FOR EACH ROW EXECUTE FUNCTION lotsen_journal_document_immutable();
"""

REVERSE = """
DROP TRIGGER IF EXISTS journal_document_immutable ON journal_document;
DROP FUNCTION IF EXISTS lotsen_journal_document_immutable();
DROP TRIGGER IF EXISTS journal_journalentry_signed_immutable ON journal_journalentry;
DROP FUNCTION IF EXISTS lotsen_journal_entry_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
