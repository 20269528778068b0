import pytest
from django.db import DatabaseError, connection, transaction

from attachment_app.audit import audit_record, audit_verify
from attachment_app.models import AuditEvent


@pytest.fixture
def event(ana):
    return audit_record(actor=ana, action=AuditEvent.Action.VIEW, summary="Client record")


def test_an_event_cannot_be_changed_through_the_model(event):
    event.summary = "edited"
    with pytest.raises(PermissionError):
        event.save()


def test_events_cannot_be_updated_or_deleted_in_bulk(event):
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="edited")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        event.delete()


def test_postgresql_itself_refuses_to_change_an_event(event):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE attachment_app_auditevent SET summary = 'x'")


def test_each_event_chains_to_the_one_before(ana):
    first = audit_record(actor=ana, action=AuditEvent.Action.VIEW)
    second = audit_record(actor=ana, action=AuditEvent.Action.CHANGE)
    assert second.previous_hash == first.hash
    assert audit_verify() is None


def test_verification_finds_a_tampered_row(ana):
    audit_record(actor=ana, action=AuditEvent.Action.VIEW)
    second = audit_record(actor=ana, action=AuditEvent.Action.CHANGE)
    audit_record(actor=ana, action=AuditEvent.Action.VIEW)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a database owner could do this; detect it
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE attachment_app_auditevent SET summary = 'forged' WHERE id = %s", [second.pk]
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
    assert audit_verify().pk == second.pk
