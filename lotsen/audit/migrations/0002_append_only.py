"""AccessLogEntry and AuditEvent are append-only (R-SEK-4, DOMAIN-MODEL invariants): the database refuses
UPDATE and DELETE. A log-retention purge (a separate, reviewed job) must `SET LOCAL lotsen.allow_log_purge =
'on'` in its transaction; nothing in the application does so for a request. TRUNCATE is a table owner's privilege: the
production role of the application does not own the tables (docs/operations.md); the test suite flushes
with TRUNCATE, so no statement trigger is installed for it."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION lotsen_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('lotsen.allow_log_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'lotsen: % on % is not allowed (append-only table)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

TABLES = ["audit_accesslogentry", "audit_auditevent", "audit_accesslogreview"]


def _trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION lotsen_refuse_change();"
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS lotsen_refuse_change() CASCADE;"),
        *[
            migrations.RunSQL(
                _trigger(t),
                f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};",
            )
            for t in TABLES
        ],
    ]
