"""Check-ins: measures the clinician schedules for the client's companion.

The client completes one on their phone; the answers become a client-reported
ScaleAdministration (scored like every scale, charted on the clinician's results page).
A PHQ-9 item-9 answer above zero flags the check-in: it stays on the clinician's home
page until the clinician acknowledges it.
"""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.models import Client
from exercises.models import CheckIn, RatingScale, ScaleAdministration
from exercises.scoring import PHQ9_RISK_POSITION


class CheckInClosed(Exception):
    """The check-in was already completed or cancelled (a late submission changes nothing)."""


def phq9_risk(scale: RatingScale, responses: dict[str, int]) -> bool:
    """True when a PHQ-9's item 9 (thoughts of being better off dead or of self-harm) > 0."""
    if scale.builtin != "phq9":
        return False
    item = scale.items.filter(position=PHQ9_RISK_POSITION).first()
    return item is not None and int(responses.get(str(item.pk), 0) or 0) > 0


@transaction.atomic
def check_in_schedule(
    *,
    by: User,
    client: Client,
    scale: RatingScale,
    due_date: dt.date,
    request: HttpRequest | None = None,
) -> CheckIn:
    """A check-in for the client's companion; audited when a clinician schedules it."""
    check_in = CheckIn.objects.create(
        client=client, scale=scale, due_date=due_date, scheduled_by=by
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=client.pk,
            obj=check_in,
            summary=f"Check-in scheduled: {scale.name}",
        )
    return check_in


@transaction.atomic
def check_in_complete(
    *,
    by: User,
    check_in: CheckIn,
    responses: dict[str, int],
    difficulty: int | None = None,
    request: HttpRequest | None = None,
) -> CheckIn:
    """The client's answers, stored as a client-reported administration; flags PHQ-9 item 9.

    difficulty is the PHQ-9's unscored closing question: stored beside the answers, never
    in them, so no total counts it."""
    check_in = CheckIn.objects.select_for_update().select_related("scale").get(pk=check_in.pk)
    if check_in.completed_at is not None or check_in.cancelled_at is not None:
        raise CheckInClosed
    check_in.administration = ScaleAdministration.objects.create(
        client_id=check_in.client_id,
        therapist_id=check_in.scheduled_by_id,
        scale=check_in.scale,
        date=timezone.localdate(),
        responses=responses,
        difficulty=difficulty if check_in.scale.builtin == "phq9" else None,
        client_reported=True,
    )
    check_in.completed_at = timezone.now()
    check_in.risk_flagged = phq9_risk(check_in.scale, responses)
    check_in.save(update_fields=["administration", "completed_at", "risk_flagged"])
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=check_in.client_id,
            obj=check_in.administration,
            summary=f"Companion: the client completed a check-in ({check_in.scale.name})",
        )
    return check_in


@transaction.atomic
def check_in_acknowledge(
    *, by: User, check_in: CheckIn, request: HttpRequest | None = None
) -> CheckIn:
    """The clinician has seen a flagged answer: it leaves their home page; audited."""
    check_in = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    if check_in.risk_flagged and check_in.acknowledged_at is None:
        check_in.acknowledged_by = by
        check_in.acknowledged_at = timezone.now()
        check_in.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit(
            request=request,
            actor=by,
            action=AuditEvent.Action.CHANGE,
            client_id=check_in.client_id,
            obj=check_in,
            summary="Check-in flag acknowledged (PHQ-9 item 9)",
        )
    return check_in


@transaction.atomic
def check_in_cancel(*, check_in: CheckIn, by: User, request: HttpRequest | None = None) -> bool:
    """Take back a waiting check-in: the client no longer sees it; audited. False (and
    nothing changes) when the client already answered it or it was cancelled before."""
    check_in = CheckIn.objects.select_for_update().select_related("scale").get(pk=check_in.pk)
    if check_in.completed_at is not None or check_in.cancelled_at is not None:
        return False
    check_in.cancelled_by = by
    check_in.cancelled_at = timezone.now()
    check_in.save(update_fields=["cancelled_by", "cancelled_at"])
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.CHANGE,
        client_id=check_in.client_id,
        obj=check_in,
        summary=f"Check-in cancelled: {check_in.scale.name}",
    )
    return True
