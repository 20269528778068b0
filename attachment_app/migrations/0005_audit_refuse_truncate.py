"""On PostgreSQL a TRUNCATE of the audit table is refused too (row triggers never see it).

The app's own role has no TRUNCATE privilege (`manage.py create_app_role`); this
trigger stops the owner's accidental TRUNCATE (a `flush`, a script on the wrong
database). Django's test runner empties tables with TRUNCATE between tests, so the
test settings, and only they, set attachment_app.audit_truncate=allow.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION attachment_app_audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('attachment_app.audit_truncate', true) = 'allow' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER attachment_app_auditevent_refuse_truncate
    BEFORE TRUNCATE ON attachment_app_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION attachment_app_audit_refuse_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS attachment_app_auditevent_refuse_truncate ON attachment_app_auditevent;
DROP FUNCTION IF EXISTS attachment_app_audit_refuse_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("attachment_app", "0004_audit_hmac_key_id")]
    operations = [migrations.RunPython(forwards, backwards)]
