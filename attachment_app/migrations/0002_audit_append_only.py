"""On PostgreSQL the database itself refuses to change or delete audit rows."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION attachment_app_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER attachment_app_auditevent_append_only
    BEFORE UPDATE OR DELETE ON attachment_app_auditevent
    FOR EACH ROW EXECUTE FUNCTION attachment_app_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS attachment_app_auditevent_append_only ON attachment_app_auditevent;
DROP FUNCTION IF EXISTS attachment_app_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("attachment_app", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
