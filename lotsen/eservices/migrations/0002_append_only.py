"""The citizens' access log is append-only, like audit.AccessLogEntry (R-SEK-4)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("eservices", "0001_initial"), ("audit", "0002_append_only")]

    operations = [
        migrations.RunSQL(
            "CREATE TRIGGER eservices_citizenaccesslog_append_only BEFORE UPDATE OR DELETE ON "
            "eservices_citizenaccesslog FOR EACH ROW EXECUTE FUNCTION lotsen_refuse_change();",
            "DROP TRIGGER IF EXISTS eservices_citizenaccesslog_append_only ON eservices_citizenaccesslog;",
        )
    ]
