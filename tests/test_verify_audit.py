import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from attachment_app.audit import audit_record
from attachment_app.models import AuditEvent


def test_an_intact_trail_is_reported_ok_with_its_count(ana, capsys):
    for _ in range(3):
        audit_record(actor=ana, action=AuditEvent.Action.VIEW, summary="Client record")
    call_command("verify_audit")
    assert "OK: 3 audit events" in capsys.readouterr().out


def test_the_first_broken_link_is_reported_and_the_command_fails(ana):
    audit_record(actor=ana, action=AuditEvent.Action.VIEW)
    second = audit_record(actor=ana, action=AuditEvent.Action.CHANGE)
    audit_record(actor=ana, action=AuditEvent.Action.VIEW)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a database owner could do this; detect it
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE attachment_app_auditevent SET actor_label = 'someone-else' WHERE id = %s",
            [second.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    with pytest.raises(CommandError, match=f"id={second.pk} "):
        call_command("verify_audit")


def test_a_deleted_row_breaks_the_chain_too(ana):
    audit_record(actor=ana, action=AuditEvent.Action.VIEW)
    second = audit_record(actor=ana, action=AuditEvent.Action.CHANGE)
    third = audit_record(actor=ana, action=AuditEvent.Action.VIEW)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM attachment_app_auditevent WHERE id = %s", [second.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    with pytest.raises(CommandError, match=f"id={third.pk} "):
        call_command("verify_audit")
