"""The database cache table that stands in for Redis while it is unreachable.

Made by migrate, so no deployment can forget `createcachetable`.
"""

from django.core.management import call_command
from django.db import migrations


def create_table(apps, schema_editor):
    call_command(
        "createcachetable", "cache_fallback", database=schema_editor.connection.alias, verbosity=0
    )


def drop_table(apps, schema_editor):
    schema_editor.execute(
        "DROP TABLE IF EXISTS %s" % schema_editor.quote_name("cache_fallback")  # noqa: S608
    )


class Migration(migrations.Migration):
    dependencies = [("attachment_app", "0008_clinic_future_entry_grace")]

    operations = [migrations.RunPython(create_table, drop_table)]
