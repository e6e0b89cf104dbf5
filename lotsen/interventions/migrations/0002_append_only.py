"""Care reviews, visits and delay reasons are append-only (DOMAIN-MODEL invariants): the database refuses UPDATE
and DELETE; a correction is a new row. Uses lotsen_refuse_change() from audit 0002."""

from django.db import migrations

TABLES = ["interventions_carereview", "interventions_visit", "interventions_delayreason"]


class Migration(migrations.Migration):
    dependencies = [("interventions", "0001_initial"), ("audit", "0002_append_only")]

    operations = [
        migrations.RunSQL(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION lotsen_refuse_change();",
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
        )
        for table in TABLES
    ]
