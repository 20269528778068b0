"""Audit rows carry the id of the HMAC key that signed them; existing rows are re-signed once.

Before this migration each row's hash was a plain SHA-256, which anyone with the
database can recompute. The app was not yet in production, so the existing chain is
re-signed once with the current AUDIT_HMAC_KEYS key, but only after the old chain
has been verified end to end: a broken chain is refused (re-signing it would hide the
break). The re-signing is recorded outside the database, as an anchor line with the
old head's hash (see README, "The audit trail").
"""

import hashlib
import hmac
import json
import os
import sys
from pathlib import Path

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

TRIGGER = "attachment_app_auditevent_append_only"


def _payload(row, key_id: str) -> bytes:
    # The row's content as AuditEvent.chained_fields gave it when this migration was written.
    fields = {
        "uuid": str(row.uuid),
        "created_at": row.created_at.isoformat(),
        "clinic": row.clinic_id,
        "actor": row.actor_id,
        "actor_label": row.actor_label,
        "action": row.action,
        "client_id": str(row.client_id) if row.client_id else None,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "summary": row.summary,
        "ip_address": row.ip_address,
        "previous_hash": row.previous_hash,
    }
    if key_id:
        fields["key_id"] = key_id
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def resign_legacy_chain(apps, schema_editor):
    AuditEvent = apps.get_model("attachment_app", "AuditEvent")
    rows = AuditEvent.objects.using(schema_editor.connection.alias).order_by("id")
    if not rows.filter(key_id="").exists():
        return
    keys = list(settings.AUDIT_HMAC_KEYS)
    if not keys or len(keys[0]) < 32:
        raise RuntimeError(
            "AUDIT_HMAC_KEYS (at least 32 characters) must be set to re-sign the existing "
            "audit trail; run migrate again with it set."
        )
    key = keys[0].encode()
    key_id = hashlib.sha256(b"attachment-audit-key-id:" + key).hexdigest()[:12]

    previous = ""
    for row in rows.iterator(chunk_size=2000):
        if row.previous_hash != previous or hashlib.sha256(_payload(row, "")).hexdigest() != row.hash:
            raise RuntimeError(
                f"The existing audit trail is broken at event id={row.pk}: refusing to re-sign "
                "it, which would hide the break. Keep a copy of the database, investigate, "
                "and decide with the clinic's security officer before migrating."
            )
        previous = row.hash
    old_head_id, old_head = rows.last().pk, previous

    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:  # the owner lifts its own append-only trigger for this one pass
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER needs none pending
        schema_editor.execute(f"ALTER TABLE attachment_app_auditevent DISABLE TRIGGER {TRIGGER}")
    previous, count = "", 0
    for row in rows.iterator(chunk_size=2000):
        row.previous_hash = previous
        new_hash = hmac.new(key, _payload(row, key_id), hashlib.sha256).hexdigest()
        rows.filter(pk=row.pk).update(previous_hash=previous, key_id=key_id, hash=new_hash)
        previous, count = new_hash, count + 1
    if postgres:
        schema_editor.execute(f"ALTER TABLE attachment_app_auditevent ENABLE TRIGGER {TRIGGER}")

    record = {
        "sequence": old_head_id,
        "hash": previous,
        "key_id": key_id,
        "resigned_events": count,
        "resigned_from_unkeyed_hash": old_head,
        "anchored_at": timezone.now().isoformat(),
    }
    line = json.dumps(record, sort_keys=True, separators=(",", ":"))
    path = Path(settings.AUDIT_ANCHOR_PATH)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    sys.stdout.write(
        f"\n  Re-signed {count} audit events with key id {key_id} after verifying the old "
        f"chain; old unkeyed head id={old_head_id} {old_head}. Anchored in {path}.\n"
    )


def refuse_unsigning(apps, schema_editor):
    AuditEvent = apps.get_model("attachment_app", "AuditEvent")
    if AuditEvent.objects.using(schema_editor.connection.alias).exclude(key_id="").exists():
        raise RuntimeError("Signed audit events cannot be turned back into an unkeyed chain.")


class Migration(migrations.Migration):
    dependencies = [
        ("attachment_app", "0003_clinic_mfa_default"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, editable=False, max_length=16),
        ),
        migrations.RunPython(resign_legacy_chain, refuse_unsigning),
    ]
