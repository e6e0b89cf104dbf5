"""Reports, recorded utskott decisions and notifications are append-only (DOMAIN-MODEL invariants): a
correction is a new row. Uses `lotsen_refuse_change()` from audit 0002."""

from django.db import migrations

TABLES = ["board_delegationreport", "board_committeedecision", "board_decisionnotification"]


def _trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION lotsen_refuse_change();"
    )


class Migration(migrations.Migration):
    dependencies = [("board", "0001_initial"), ("audit", "0002_append_only")]

    operations = [migrations.RunSQL(_trigger(t), f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};") for t in TABLES]
