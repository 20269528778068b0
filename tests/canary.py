"""The private process note canary: a unique string that must appear nowhere else.

Reuse `assert_canary_absent` for every new output (export, PDF text, task
payload): pass the output's text and what it is, and the test fails naming it.
"""

import uuid

from django.apps import apps

from attachment_app.models import AuditEvent


def make_canary() -> str:
    return f"CANARY-process-note-{uuid.uuid4().hex}"


def assert_canary_absent(canary: str, text: str | bytes, where: str) -> None:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    assert canary not in text, f"the private process note leaked into {where}"


def assert_canary_not_in_audit(canary: str) -> None:
    for event in AuditEvent.objects.all():
        assert_canary_absent(canary, repr(event.chained_fields()), f"audit event {event.pk}")


def assert_canary_not_stored_in_clear(canary: str) -> None:
    """No table holds the canary in plain text (the process note is encrypted at rest)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            text_columns = [
                f.column
                for f in model._meta.concrete_fields
                if f.get_internal_type() in {"TextField", "CharField", "JSONField"}
            ]
            for column in text_columns:
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE %s',  # noqa: S608
                    [f"%{canary}%"],
                )
                assert cursor.fetchone()[0] == 0, f"{table}.{column} holds the canary in clear"
