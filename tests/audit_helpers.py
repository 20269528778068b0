"""What someone who owns the database can do to the audit table, for the audit tests."""

from django.db import connection

from attachment_app.models import AuditEvent


def owner_sql(sql: str, params: list | None = None) -> None:
    """Run SQL as the owner would, past the append-only triggers (PostgreSQL: replica mode)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def rechain_from(first_pk: int, *, key: bytes | None = None, key_id: str | None = None) -> None:
    """Recompute every hash from `first_pk` on, as a forger does after editing a row.

    Without `key` the forger has only the plain SHA-256 the chain used to be.
    """
    events = list(AuditEvent.objects.order_by("id"))
    previous = ""
    for event in events:
        if event.pk >= first_pk:
            event.previous_hash = previous
            if key_id is not None:
                event.key_id = key_id
            event.hash = event.compute_hash(key)
            owner_sql(
                "UPDATE attachment_app_auditevent SET previous_hash = %s, key_id = %s, hash = %s "
                "WHERE id = %s",
                [event.previous_hash, event.key_id, event.hash, event.pk],
            )
        previous = event.hash
