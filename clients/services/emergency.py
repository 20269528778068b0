"""Emergency access: granting and ending it, audited."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.models import Client, EmergencyAccessGrant


@transaction.atomic
def emergency_access_grant(
    *, user: User, client: Client, reason: str, request: HttpRequest | None = None
) -> EmergencyAccessGrant:
    now = timezone.now()
    grant = EmergencyAccessGrant.objects.create(
        client=client,
        user=user,
        reason=reason,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.EMERGENCY_ACCESS_MINUTES),
    )
    audit(
        actor=user,
        action=AuditEvent.Action.EMERGENCY_ACCESS,
        request=request,
        client_id=client.pk,
        obj=grant,
        summary=f"Emergency access for {settings.EMERGENCY_ACCESS_MINUTES} minutes",
    )
    return grant


@transaction.atomic
def emergency_access_end(
    *, user: User, grant: EmergencyAccessGrant, request: HttpRequest | None = None
) -> EmergencyAccessGrant:
    if grant.ended_at is None:
        grant.ended_at = timezone.now()
        grant.save(update_fields=["ended_at"])
        audit(
            actor=user,
            action=AuditEvent.Action.EMERGENCY_ACCESS,
            request=request,
            client_id=grant.client_id,
            obj=grant,
            summary="Emergency access ended",
        )
    return grant
