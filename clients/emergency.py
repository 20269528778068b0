"""Emergency access ("break the glass"): the form, the service and the admins' list."""

import datetime as dt

from django import forms
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.models import Client, EmergencyAccessGrant


class EmergencyAccessForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need this record now?",
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "For example: the client's therapist is unavailable and the client is in crisis. "
            "Your clinic's admins see this reason; every page you open is recorded."
        ),
    )


@transaction.atomic
def grant_emergency_access(
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
def end_emergency_access(
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


def grants_of_clinic(clinic_id: int) -> QuerySet[EmergencyAccessGrant]:
    """Every grant in the clinic, newest first, for its admins to review."""
    return EmergencyAccessGrant.objects.filter(client__clinic_id=clinic_id).select_related(
        "client", "user"
    )
