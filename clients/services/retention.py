"""Retention of closed records: the legal hold, and destruction by two people.

Destruction removes the clinical content of one client (every app's, through the
registry in clients/destruction.py), the client row with it, and the prepared export
files; it keeps a tombstone (RecordDestruction) and the audit trail, which is never
touched. It is refused before the record's destruction date and while a legal hold is
set, and it needs two people: a clinic admin asks, a second clinic admin or the
client's clinician confirms.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.destruction import clinical_content_destroyers
from clients.models import (
    Appointment,
    AppointmentSeries,
    Client,
    ClientAccount,
    ClientConsent,
    ClientReopening,
    CompanionInvitation,
    DeletedDraft,
    DischargeSummary,
    Disclosure,
    EmergencyAccessGrant,
    ExportJob,
    LegalHold,
    PlanRevision,
    ProcessNote,
    RecordDestruction,
    ReleaseRequest,
    SessionAddendum,
    SessionReview,
    TherapySession,
    TreatmentPlan,
)
from clients.models.retention import (
    active_legal_hold,
    may_confirm_destruction,
    open_destruction_request,
    record_destruction_date,
)


def _is_admin_of(user: User, client: Client) -> bool:
    return bool(
        user.is_authenticated and user.is_clinic_admin and user.clinic_id == client.clinic_id
    )


@transaction.atomic
def legal_hold_set(
    *, client: Client, by: User, reason: str, request: HttpRequest | None = None
) -> LegalHold:
    """A clinic admin holds the record: nothing destroys it until the hold is lifted."""
    if not _is_admin_of(by, client):
        raise PermissionDenied("Only a clinic admin sets a legal hold")
    client = Client.objects.select_for_update().get(pk=client.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Please give the reason for the hold."})
    if active_legal_hold(client):
        raise ValidationError("A legal hold is already set on this record.")
    hold = LegalHold.objects.create(client=client, reason=reason, set_by=by)
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.CHANGE,
        client_id=client.pk,
        obj=hold,
        summary="Legal hold set",
    )
    return hold


@transaction.atomic
def legal_hold_lift(
    *, client: Client, by: User, reason: str, request: HttpRequest | None = None
) -> LegalHold:
    """A clinic admin lifts the record's hold, with the reason kept."""
    if not _is_admin_of(by, client):
        raise PermissionDenied("Only a clinic admin lifts a legal hold")
    client = Client.objects.select_for_update().get(pk=client.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Please give the reason for lifting the hold."})
    hold = active_legal_hold(client)
    if hold is None:
        raise ValidationError("No legal hold is set on this record.")
    hold.lifted_by, hold.lifted_at, hold.lift_reason = by, timezone.now(), reason
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.CHANGE,
        client_id=client.pk,
        obj=hold,
        summary="Legal hold lifted",
    )
    return hold


def _refuse_destruction(client: Client, today: dt.date) -> dt.date:
    """The rules a destruction must pass at the request and again at the confirmation."""
    if client.status != Client.Status.DISCHARGED:
        raise ValidationError("Only a closed (discharged) record is destroyed.")
    due = record_destruction_date(client)
    if today < due:
        raise ValidationError(
            f"This record is kept until {due:%Y-%m-%d}: it cannot be destroyed before then."
        )
    if active_legal_hold(client):
        raise ValidationError("A legal hold is set on this record: it cannot be destroyed.")
    return due


@transaction.atomic
def record_destruction_request(
    *,
    client: Client,
    by: User,
    reason: str = "",
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> RecordDestruction:
    """A clinic admin asks for the record's destruction; a second person confirms it."""
    if not _is_admin_of(by, client):
        raise PermissionDenied("Only a clinic admin asks for a record's destruction")
    client = Client.objects.select_for_update().select_related("clinic").get(pk=client.pk)
    _refuse_destruction(client, today or timezone.localdate())
    if open_destruction_request(client):
        raise ValidationError("Destruction of this record is already waiting for confirmation.")
    destruction = RecordDestruction.objects.create(
        clinic_id=client.clinic_id,
        client=client,
        client_uuid=client.pk,
        reason=(reason or "").strip()[:300],
        requested_by=by,
    )
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.CHANGE,
        client_id=client.pk,
        obj=destruction,
        summary="Record destruction requested",
    )
    return destruction


@transaction.atomic
def record_destruction_withdraw(
    *, destruction: RecordDestruction, by: User, request: HttpRequest | None = None
) -> RecordDestruction:
    """A clinic admin withdraws a request not yet confirmed."""
    destruction = RecordDestruction.objects.select_for_update().get(pk=destruction.pk)
    client = destruction.client
    if client is None or destruction.status != RecordDestruction.Status.REQUESTED:
        raise ValidationError("This request is no longer waiting.")
    if not _is_admin_of(by, client):
        raise PermissionDenied("Only a clinic admin withdraws a destruction request")
    destruction.status, destruction.withdrawn_by = RecordDestruction.Status.WITHDRAWN, by
    destruction.save(update_fields=["status", "withdrawn_by"])
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.CHANGE,
        client_id=client.pk,
        obj=destruction,
        summary="Record destruction request withdrawn",
    )
    return destruction


@transaction.atomic
def record_destruction_confirm(
    *,
    destruction: RecordDestruction,
    by: User,
    today: dt.date | None = None,
    request: HttpRequest | None = None,
) -> RecordDestruction:
    """The second person confirms: the clinical content goes, the tombstone stays."""
    destruction = RecordDestruction.objects.select_for_update().get(pk=destruction.pk)
    if destruction.status != RecordDestruction.Status.REQUESTED or destruction.client_id is None:
        raise ValidationError("This request is no longer waiting.")
    if by.pk == destruction.requested_by_id:
        raise ValidationError("A second person confirms: the one who asked cannot.")
    client = (
        Client.objects.select_for_update().select_related("clinic").get(pk=destruction.client_id)
    )
    destruction.client = client
    if not may_confirm_destruction(by, destruction):
        raise PermissionDenied("Only another clinic admin or the client's clinician confirms")
    due = _refuse_destruction(client, today or timezone.localdate())
    _fill_tombstone(destruction, client, due=due, by=by)
    _destroy_record(client)
    destruction.save()
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.DELETE,
        client_id=destruction.client_uuid,
        obj=destruction,
        summary="Record destroyed (clinical content removed; tombstone kept)",
        clinic_id=destruction.clinic_id,
    )
    return destruction


def _initials(client: Client) -> str:
    names = (client.legal_first_name, client.legal_last_name)
    return "".join(name.strip()[:1].upper() for name in names if name.strip())


def _fill_tombstone(destruction: RecordDestruction, client: Client, *, due, by: User) -> None:
    served = TherapySession._base_manager.filter(
        client=client, attendance=TherapySession.Attendance.ATTENDED
    ).aggregate(first=Min("date"), last=Max("date"))
    destruction.initials = _initials(client)
    destruction.intake_date = client.intake_date
    destruction.first_service_date = served["first"]
    destruction.last_service_date = served["last"]
    destruction.discharge_date = client.discharges.aggregate(last=Max("discharge_date"))["last"]
    destruction.destruction_due = due
    destruction.status = RecordDestruction.Status.DESTROYED
    destruction.confirmed_by = by
    destruction.destroyed_at = timezone.now()
    destruction.client = None


def _destroy_record(client: Client) -> None:
    """Every app's content, then the clinic's own, then the client row itself.

    The client's foreign keys protect it: a row left behind fails the delete below and
    the whole destruction rolls back.
    """
    for _key, destroy in clinical_content_destroyers():
        destroy(client)
    _delete_export_files(client)
    _close_companion_account(client)
    of_client = (
        DeletedDraft,
        Disclosure,  # before the request it records, and that before its authorization
        ReleaseRequest,
        CompanionInvitation,
        EmergencyAccessGrant,
        ClientConsent,
        ClientReopening,
        DischargeSummary,
        LegalHold,
        Appointment,
        AppointmentSeries,
    )
    for model in of_client:
        model._base_manager.filter(client=client).delete()
    for model in (SessionAddendum, SessionReview, ProcessNote):
        model._base_manager.filter(session__client=client).delete()
    TherapySession._base_manager.filter(client=client).delete()
    PlanRevision._base_manager.filter(plan__client=client).delete()
    TreatmentPlan._base_manager.filter(client=client).delete()
    Client._base_manager.filter(pk=client.pk).delete()


def _delete_export_files(client: Client) -> None:
    """The rows now; the files once the destruction is committed (a rollback keeps them)."""
    jobs = ExportJob._base_manager.filter(client=client)
    files = [(job.file.storage, job.file.name) for job in jobs if job.file]
    jobs.delete()

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)  # a missing file is not an error

    transaction.on_commit(delete_files)


def _close_companion_account(client: Client) -> None:
    """The client's own sign-in goes with the record: no name, no address, no password."""
    account = ClientAccount._base_manager.filter(client=client).select_related("user").first()
    if account is None:
        return
    user = account.user
    account.delete()
    # What the sign-in keeps about the person: addresses, second factors, sessions.
    for model in (EmailAddress, Authenticator, UserSession):
        model.objects.filter(user=user).delete()
    user.email = f"destroyed-{user.pk}@invalid.example"
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
