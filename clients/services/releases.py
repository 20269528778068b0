"""Release requests (right of access, release of information) and their disclosures.

A request from a third party needs the client's current release authorization naming
that party, checked when it is logged and again when it is fulfilled (it may have been
withdrawn or have run out meanwhile). The 30-day clock runs from the day received.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.models import Client, Disclosure, ReleasePart, ReleaseRequest
from clients.services.consents import ReleaseNotAuthorized, release_authorization_current

CLOSED = "This release request is already closed."


def _authorization(request_row: ReleaseRequest, *, on: dt.date):
    if request_row.requester == ReleaseRequest.Requester.CLIENT:
        return None
    try:
        return release_authorization_current(
            client=request_row.client, recipient=request_row.recipient, on=on
        )
    except ReleaseNotAuthorized as exc:
        raise ValidationError({"recipient": exc.messages}) from exc


@transaction.atomic
def release_request_log(
    *,
    client: Client,
    by: User,
    requester: str,
    recipient: str = "",
    parts: list[str],
    date_from: dt.date,
    date_to: dt.date,
    received_on: dt.date,
    request: HttpRequest | None = None,
) -> ReleaseRequest:
    """Log a request; a third party without a current authorization on file is refused."""
    recipient = " ".join((recipient or "").split())
    errors: dict[str, str] = {}
    if requester not in ReleaseRequest.Requester.values:
        errors["requester"] = "Choose who asked."
    elif requester == ReleaseRequest.Requester.THIRD_PARTY and not recipient:
        errors["recipient"] = "Name the third party as on the client's authorization."
    parts = [p for p in ReleasePart.values if p in set(parts or [])]
    if not parts:
        errors["parts"] = "Choose at least one part of the record."
    if date_from > date_to:
        errors["date_to"] = "The end of the range must come after its start."
    today = timezone.localdate()
    if received_on > today:
        errors["received_on"] = "The day received cannot be in the future."
    if errors:
        raise ValidationError(errors)
    row = ReleaseRequest(
        client=client,
        requester=requester,
        recipient="" if requester == ReleaseRequest.Requester.CLIENT else recipient,
        parts=parts,
        date_from=date_from,
        date_to=date_to,
        received_on=received_on,
        due_on=ReleaseRequest.due_for(received_on),
        logged_by=by,
    )
    row.authorization = _authorization(row, on=today)
    row.save()
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.CREATE,
        client_id=client.pk,
        obj=row,
        summary="Release request logged",
    )
    return row


def _locked_open(release: ReleaseRequest) -> ReleaseRequest:
    row = ReleaseRequest.objects.select_for_update().select_related("client").get(pk=release.pk)
    if not row.is_open:
        raise ValidationError(CLOSED)
    return row


@transaction.atomic
def release_request_fulfil(
    *, release: ReleaseRequest, by: User, request: HttpRequest | None = None
) -> Disclosure:
    """Record the release as made: the request closes and a disclosure is kept."""
    row = _locked_open(release)
    _authorization(row, on=timezone.localdate())
    row.status = ReleaseRequest.Status.FULFILLED
    row.closed_by, row.closed_at = by, timezone.now()
    row.save()
    disclosure = Disclosure.objects.create(
        client=row.client,
        release_request=row,
        recipient=row.requested_by,
        parts=row.parts,
        date_from=row.date_from,
        date_to=row.date_to,
        disclosed_at=row.closed_at,
        disclosed_by=by,
    )
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.CHANGE,
        client_id=row.client_id,
        obj=disclosure,
        summary="Release request fulfilled; disclosure recorded",
    )
    return disclosure


@transaction.atomic
def release_request_refuse(
    *, release: ReleaseRequest, by: User, reason: str, request: HttpRequest | None = None
) -> ReleaseRequest:
    """Close the request without releasing anything, with the reason kept."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Please give the reason for refusing."})
    row = _locked_open(release)
    row.status = ReleaseRequest.Status.REFUSED
    row.refusal_reason = reason[:500]
    row.closed_by, row.closed_at = by, timezone.now()
    row.save()
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.CHANGE,
        client_id=row.client_id,
        obj=row,
        summary="Release request refused",
    )
    return row
