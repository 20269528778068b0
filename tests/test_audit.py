import importlib
import os
import pkgutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader

from attachment_app.audit import (
    audit,
    audit_anchor_latest,
    audit_key_id,
    audit_keys,
    audit_verify,
)
from attachment_app.models import AuditEvent
from tests.audit_helpers import owner_sql, rechain_from


@pytest.fixture
def event(ana):
    return audit(actor=ana, action=AuditEvent.Action.VIEW, summary="Client record")


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
    first = audit(actor=ana, action=AuditEvent.Action.VIEW)
    second = audit(actor=ana, action=AuditEvent.Action.CHANGE)
    assert second.previous_hash == first.hash
    assert audit_verify() is None


def test_verification_finds_a_tampered_row(ana):
    audit(actor=ana, action=AuditEvent.Action.VIEW)
    second = audit(actor=ana, action=AuditEvent.Action.CHANGE)
    audit(actor=ana, action=AuditEvent.Action.VIEW)
    # A database owner could do this; detect it.
    owner_sql("UPDATE attachment_app_auditevent SET summary = 'forged' WHERE id = %s", [second.pk])
    assert audit_verify().event.pk == second.pk


def test_each_row_is_signed_with_a_keyed_hmac_and_names_its_key(ana):
    event = audit(actor=ana, action=AuditEvent.Action.VIEW)
    key_id, key = next(iter(audit_keys().items()))
    assert event.key_id == key_id
    assert event.hash == event.compute_hash(key)
    assert event.hash != event.compute_hash(None)  # not the plain SHA-256 anyone can redo
    assert settings.AUDIT_HMAC_KEYS[0] not in repr(event.chained_fields())


def test_an_edited_row_whose_chain_is_recomputed_without_the_key_is_found(ana):
    audit(actor=ana, action=AuditEvent.Action.VIEW)
    second = audit(actor=ana, action=AuditEvent.Action.CHANGE)
    audit(actor=ana, action=AuditEvent.Action.VIEW)
    owner_sql("UPDATE attachment_app_auditevent SET summary = 'forged' WHERE id = %s", [second.pk])
    rechain_from(second.pk)  # every hash and link redone with SHA-256, key id kept
    broken = audit_verify()
    assert broken.event.pk == second.pk
    assert "HMAC does not match" in broken.reason


def test_a_chain_recomputed_as_unsigned_rows_is_found(ana):
    first = audit(actor=ana, action=AuditEvent.Action.VIEW)
    audit(actor=ana, action=AuditEvent.Action.CHANGE)
    rechain_from(first.pk, key_id="")  # passed off as the old unkeyed chain
    broken = audit_verify()
    assert broken.event.pk == first.pk
    assert "no key id" in broken.reason


def test_keys_rotate_old_rows_verify_while_their_key_is_listed(ana, settings):
    old_key, new_key = "o" * 40, "n" * 40
    settings.AUDIT_HMAC_KEYS = [old_key]
    old = audit(actor=ana, action=AuditEvent.Action.VIEW)
    settings.AUDIT_HMAC_KEYS = [new_key, old_key]
    new = audit(actor=ana, action=AuditEvent.Action.VIEW)
    assert new.key_id == audit_key_id(new_key) != old.key_id == audit_key_id(old_key)
    assert audit_verify() is None
    settings.AUDIT_HMAC_KEYS = [new_key]  # the old key dropped too early
    broken = audit_verify()
    assert broken.event.pk == old.pk
    assert "not in AUDIT_HMAC_KEYS" in broken.reason


def test_without_a_usable_key_no_audit_row_is_written(ana, settings):
    for keys, message in [([], "must be set"), (["short"], "at least 32")]:
        settings.AUDIT_HMAC_KEYS = keys
        with pytest.raises(ImproperlyConfigured, match=message):
            audit(actor=ana, action=AuditEvent.Action.VIEW)
    assert not AuditEvent.objects.exists()


def test_production_settings_have_no_default_audit_key():
    env = {k: v for k, v in os.environ.items() if k not in {"AUDIT_HMAC_KEYS", "DATABASE_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="attachment_app.settings.production", SECRET_KEY="x" * 50)
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.AUDIT_HMAC_KEYS)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_postgresql_refuses_to_truncate_the_audit_table(event):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    with (
        pytest.raises(DatabaseError, match="TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The test settings let Django's own between-test TRUNCATE through; a deployment never.
        cursor.execute("SET LOCAL attachment_app.audit_truncate = 'refuse'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE wants no checks pending
        cursor.execute("TRUNCATE attachment_app_auditevent CASCADE")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def _resign_with_the_migration() -> None:
    """Run the migration's data step with the models as they stand at that migration."""
    import attachment_app.migrations as package

    name = next(
        m.name
        for m in pkgutil.iter_modules(package.__path__)
        if m.name.endswith("_audit_hmac_key_id")
    )
    migration = importlib.import_module(f"attachment_app.migrations.{name}")
    state = MigrationLoader(connection).project_state(("attachment_app", name))
    migration.resign_legacy_chain(state.apps, _OwnerSchemaEditor())


class _OwnerSchemaEditor:
    """What the migration uses of a schema editor, on the test's own connection."""

    connection = connection

    def execute(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)


def _unkeyed_trail(ana, count: int = 3) -> list[AuditEvent]:
    """Rows as the app wrote them before the HMAC: key id empty, plain SHA-256."""
    events, previous = [], ""
    for n in range(count):
        event = AuditEvent(actor=ana, actor_label=ana.email, action="view", summary=f"old {n}")
        event.previous_hash = previous
        event.hash = previous = event.compute_hash(None)
        event.save()
        events.append(event)
    return events


def test_an_intact_unkeyed_trail_is_verified_then_re_signed_once_and_anchored(
    ana, settings, tmp_path
):
    settings.AUDIT_ANCHOR_PATH = str(tmp_path / "anchors.jsonl")
    old = _unkeyed_trail(ana)
    _resign_with_the_migration()
    assert audit_verify() is None
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {
        audit_key_id(settings.AUDIT_HMAC_KEYS[0])
    }
    record = audit_anchor_latest()
    head = AuditEvent.objects.get(pk=old[-1].pk)
    assert (record["sequence"], record["hash"]) == (head.pk, head.hash)
    assert record["resigned_from_unkeyed_hash"] == old[-1].hash
    assert record["resigned_events"] == 3
    if connection.vendor == "postgresql":  # the append-only trigger is back on
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE attachment_app_auditevent SET summary = 'x'")


def test_a_broken_unkeyed_trail_is_refused_not_re_signed(ana, settings, tmp_path):
    settings.AUDIT_ANCHOR_PATH = str(tmp_path / "anchors.jsonl")
    old = _unkeyed_trail(ana)
    owner_sql("UPDATE attachment_app_auditevent SET summary = 'forged' WHERE id = %s", [old[1].pk])
    with pytest.raises(RuntimeError, match=f"broken at event id={old[1].pk}:"):
        _resign_with_the_migration()
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {""}
    assert audit_anchor_latest() is None
