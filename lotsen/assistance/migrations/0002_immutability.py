"""Norm calculations and automation assessments are immutable, decision links and notices append-only
(DOMAIN-MODEL invariants): the database refuses UPDATE and DELETE (``lotsen_refuse_change()`` from
audit 0002)."""

from django.db import migrations

TABLES = [
    "assistance_normcalculation",
    "assistance_automationassessment",
    "assistance_applicationdecision",
    "assistance_decisionnotice",
]


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_initial"), ("audit", "0002_append_only")]

    operations = [
        migrations.RunSQL(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION lotsen_refuse_change();",
            f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};",
        )
        for table in TABLES
    ]
