"""Writing the audit trail. Every read or change of client data calls `audit`.

Each row's hash is an HMAC-SHA256 over its content and its predecessor's hash, under
a key from AUDIT_HMAC_KEYS (the environment, never the database): whoever owns the
database can delete or edit rows but cannot forge a chain that verifies. A periodic
task copies the chain's head out of the database (`audit_anchor_write`), so a trimmed
tail, which needs no key, shows too.
"""

import hashlib
import hmac
import json
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.clientip import client_address
from attachment_app.freshness import READS, records_changed
from attachment_app.models import AuditEvent, User

__all__ = [
    "AuditBreak",
    "audit",
    "audit_anchor_check",
    "audit_anchor_latest",
    "audit_anchor_write",
    "audit_key_id",
    "audit_keys",
    "audit_verify",
    "client_address",
]

anchor_log = logging.getLogger("attachment_app.audit.anchor")

# Serialises appends so that each row's hash chains to exactly one predecessor.
_CHAIN_LOCK_KEY = 7_200_431
# A key shorter than this could be guessed from one row and its hash.
_MIN_KEY_LENGTH = 32


def audit_key_id(key: str) -> str:
    """A short public fingerprint naming a key, stored on each row it signs."""
    return hashlib.sha256(b"attachment-audit-key-id:" + key.encode()).hexdigest()[:12]


def audit_keys() -> dict[str, bytes]:
    """AUDIT_HMAC_KEYS by key id, the signing (newest) key first."""
    keys = list(settings.AUDIT_HMAC_KEYS)
    if not keys:
        raise ImproperlyConfigured("AUDIT_HMAC_KEYS must be set: no audit row can be signed")
    if any(len(key) < _MIN_KEY_LENGTH for key in keys):
        raise ImproperlyConfigured(
            f"Each AUDIT_HMAC_KEYS entry must be at least {_MIN_KEY_LENGTH} characters"
        )
    return {audit_key_id(key): key.encode() for key in keys}


@transaction.atomic
def audit(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
    client_id: uuid.UUID | None = None,
    obj: object | None = None,
    summary: str = "",
    clinic_id: int | None = None,
) -> AuditEvent:
    """Append one event to the chained trail: the only way anything writes it.

    The actor is the request's user unless named (sign-in signals, tasks). The summary
    names the kind of record, never its content.
    """
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    event = AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=getattr(actor, "email", "") or "",
        clinic_id=clinic_id if clinic_id is not None else getattr(actor, "clinic_id", None),
        action=action,
        client_id=client_id,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or "") if obj is not None else "",
        summary=summary[:300],
        ip_address=client_address(request),
        previous_hash=last or "",
    )
    key_id, key = next(iter(audit_keys().items()))
    event.key_id = key_id
    event.hash = event.compute_hash(key)
    event.save()
    if action not in READS:
        records_changed()
    return event


@dataclass(frozen=True)
class AuditBreak:
    """The first event of the chain that cannot be trusted, and why."""

    event: AuditEvent
    reason: str


def audit_verify() -> AuditBreak | None:
    """Return the first event whose HMAC or link to its predecessor is broken."""
    keys = audit_keys()
    previous = ""
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous:
            return AuditBreak(event, "its link to the event before does not match")
        if not event.key_id:
            return AuditBreak(event, "it carries no key id, so no audit key signed it")
        key = keys.get(event.key_id)
        if key is None:
            return AuditBreak(
                event,
                f"it names key id {event.key_id}, which is not in AUDIT_HMAC_KEYS "
                "(an old key removed too early, or a forged row)",
            )
        if not hmac_equal(event.compute_hash(key), event.hash):
            return AuditBreak(event, "its HMAC does not match its content")
        previous = event.hash
    return None


def hmac_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def audit_anchor_write() -> dict:
    """Copy the chain's head (sequence, hash, time) out of the database.

    One JSON line appended to AUDIT_ANCHOR_PATH and the same line logged: the
    database's owner can touch neither.
    """
    head = AuditEvent.objects.order_by("-id").first()
    anchor = {
        "sequence": head.pk if head else 0,
        "hash": head.hash if head else "",
        "key_id": head.key_id if head else "",
        "event_at": head.created_at.isoformat() if head else None,
        "anchored_at": timezone.now().isoformat(),
    }
    line = json.dumps(anchor, sort_keys=True, separators=(",", ":"))
    path = Path(settings.AUDIT_ANCHOR_PATH)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Append only, readable by the app's user only; flushed to disk before we say so.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    anchor_log.info("audit anchor %s", line)
    return anchor


def audit_anchor_latest(path: str | Path | None = None) -> dict | None:
    """The last anchor in an anchor file, or in lines copied from the log."""
    path = Path(path or settings.AUDIT_ANCHOR_PATH)
    if not path.exists():
        return None
    latest = None
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            start = line.find("{")
            if start < 0:
                continue
            try:
                anchor = json.loads(line[start:])
            except ValueError:
                continue  # a line cut short by a crash; earlier anchors still count
            if isinstance(anchor, dict) and {"sequence", "hash"} <= anchor.keys():
                latest = anchor
    return latest


def audit_anchor_check(anchor: dict) -> str | None:
    """Why the trail does not reach the anchored head, or None when it does."""
    sequence = anchor["sequence"]
    if not sequence:
        return None  # anchored while the trail was empty
    when = anchor.get("anchored_at", "?")
    row = AuditEvent.objects.filter(pk=sequence).values_list("hash", flat=True).first()
    if row is None:
        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        return (
            f"The anchored head, event id={sequence} (anchored {when}), is missing: the "
            f"trail now ends at {f'id={last}' if last else 'no event at all'}. Events have "
            "been deleted from its end (a trimmed tail or TRUNCATE)."
        )
    if not hmac_equal(row, anchor["hash"]):
        return (
            f"Event id={sequence} no longer carries the hash anchored {when}: the chain up "
            "to it has been recomputed or rewritten."
        )
    return None
