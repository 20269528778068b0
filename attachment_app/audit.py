"""Writing the audit trail. Every read or change of client data calls `audit_record`."""

import uuid

from django.db import connection, transaction
from django.http import HttpRequest

from attachment_app.clientip import client_address
from attachment_app.models import AuditEvent, User

__all__ = ["audit_record", "audit_verify", "client_address"]

# Serialises appends so that each row's hash chains to exactly one predecessor.
_CHAIN_LOCK_KEY = 7_200_431


@transaction.atomic
def audit_record(
    *,
    actor: User | None,
    action: str,
    request: HttpRequest | None = None,
    client_id: uuid.UUID | None = None,
    obj: object | None = None,
    summary: str = "",
    clinic_id: int | None = None,
) -> AuditEvent:
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
    event.hash = event.compute_hash()
    event.save()
    return event


def audit_verify() -> AuditEvent | None:
    """Return the first event whose hash or link to its predecessor is broken."""
    previous = ""
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_hash != previous or event.compute_hash() != event.hash:
            return event
        previous = event.hash
    return None


def audit_request(
    request: HttpRequest,
    action: str,
    *,
    client_id: uuid.UUID | None = None,
    obj: object | None = None,
    summary: str = "",
) -> AuditEvent:
    """Audit what the signed-in user did in this request: the form every view uses."""
    return audit_record(
        actor=request.user,
        action=action,
        request=request,
        client_id=client_id,
        obj=obj,
        summary=summary,
    )
