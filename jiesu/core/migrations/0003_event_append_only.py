"""Events are append-only in the database too.

PostgreSQL refuses UPDATE and DELETE on core_event. SQLite refuses UPDATE only, because Django's test
framework empties tables with DELETE there (PostgreSQL uses TRUNCATE, which row triggers do not see).
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION jiesu_refuse_event_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'core_event is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_event_no_update BEFORE UPDATE ON core_event
  FOR EACH ROW EXECUTE FUNCTION jiesu_refuse_event_change();
CREATE TRIGGER core_event_no_delete BEFORE DELETE ON core_event
  FOR EACH ROW EXECUTE FUNCTION jiesu_refuse_event_change();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS core_event_no_update ON core_event;
DROP TRIGGER IF EXISTS core_event_no_delete ON core_event;
DROP FUNCTION IF EXISTS jiesu_refuse_event_change();
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER core_event_no_update BEFORE UPDATE ON core_event "
    "BEGIN SELECT RAISE(ABORT, 'core_event is append-only'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS core_event_no_update;", "DROP TRIGGER IF EXISTS core_event_no_delete;"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REVERSE)
    elif vendor == "sqlite":
        for statement in SQLITE_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(forward, reverse)]
