"""Changes to clients and caseloads. Each runs in one transaction and writes its history.

Views call these; they never change a client's status or therapist directly, so
the dated history (ClientStatusChange, ClientAssignment) is always complete.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.models import Client, ClientAssignment, ClientStatusChange, Supervision
from clients.services.notifications import assignment_notify
from clients.services.supervision import supervision_set


@dataclass(frozen=True)
class CapacityLoad:
    therapist: User
    active: int  # active clients now
    adding: int  # active clients this change would add
    capacity: int

    @property
    def after(self) -> int:
        return self.active + self.adding

    @property
    def over_by(self) -> int:
        return max(0, self.after - self.capacity)


class CapacityExceeded(Exception):  # noqa: N818 - reads as the situation, like DoesNotExist
    """Assigning would take a therapist past their capacity; the caller must confirm."""

    def __init__(self, load: CapacityLoad) -> None:
        self.load = load
        super().__init__(
            f"{load.therapist} would have {load.after} active clients; capacity {load.capacity}."
        )


def _check_capacity(
    *, therapist: User, clients: list[Client], allow_over_capacity: bool
) -> CapacityLoad:
    # Lock the therapist's row so two admins assigning at once both see the other's change.
    User.objects.select_for_update(of=("self",)).filter(pk=therapist.pk).first()
    moving = {c.pk for c in clients}
    active = (
        Client.objects.filter(primary_therapist=therapist, status=Client.Status.ACTIVE)
        .exclude(pk__in=moving)
        .count()
    )
    adding = sum(1 for c in clients if c.status in {Client.Status.ACTIVE, Client.Status.WAITLIST})
    load = CapacityLoad(
        therapist=therapist, active=active, adding=adding, capacity=therapist.caseload_capacity
    )
    if load.over_by and not allow_over_capacity:
        raise CapacityExceeded(load)
    return load


def _record_status(*, client: Client, status: str, by: User | None, reason: str) -> None:
    now = timezone.now()
    ClientStatusChange.objects.create(
        client=client,
        from_status=client.status,
        to_status=status,
        reason=reason,
        changed_by=by,
        changed_at=now,
    )
    client.status = status
    client.status_changed_at = now


@transaction.atomic
def client_change_status(*, client: Client, status: str, by: User | None, reason: str) -> Client:
    """Move a client to another status, keeping the dated reason."""
    if status not in Client.Status.values:
        raise ValueError(f"unknown status {status!r}")
    if status == client.status:
        return client
    fields = ["status", "status_changed_at", "updated_at"]
    if status == Client.Status.WAITLIST and client.primary_therapist_id:
        # Back on the waitlist means waiting for a therapist: the assignment ends.
        ClientAssignment.objects.filter(client=client, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_by=by, end_reason=reason
        )
        client.primary_therapist = None
        fields.append("primary_therapist")
    _record_status(client=client, status=status, by=by, reason=reason)
    client.save(update_fields=fields)
    return client


def _assign_one(*, client: Client, therapist: User, by: User | None, reason: str) -> None:
    now = timezone.now()
    previous = client.primary_therapist
    ClientAssignment.objects.filter(client=client, ended_at__isnull=True).update(
        ended_at=now, ended_by=by, end_reason=reason
    )
    ClientAssignment.objects.create(
        client=client, therapist=therapist, assigned_by=by, reason=reason, started_at=now
    )
    client.primary_therapist = therapist
    fields = ["primary_therapist", "updated_at"]
    if client.status == Client.Status.WAITLIST:
        # Taking someone off the waitlist means they start with their therapist.
        _record_status(
            client=client,
            status=Client.Status.ACTIVE,
            by=by,
            reason=reason or "Assigned from the waitlist",
        )
        fields += ["status", "status_changed_at"]
    client.save(update_fields=fields)
    assignment_notify(client=client, therapist=therapist, previous=previous, by=by)


@transaction.atomic
def client_assign(
    *,
    client: Client,
    therapist: User,
    by: User | None,
    reason: str,
    allow_over_capacity: bool = False,
    request: HttpRequest | None = None,
) -> Client:
    """Make `therapist` the client's primary therapist; the previous period is closed.

    A client on the waitlist becomes active. Raises CapacityExceeded when the
    therapist would pass their capacity, unless allow_over_capacity. Audited when a
    person assigns (a request).
    """
    if therapist.clinic_id != client.clinic_id or not therapist.is_therapist:
        raise ValueError("a client can only be assigned to a therapist of their clinic")
    if client.primary_therapist_id == therapist.pk:
        return client
    previous = client.primary_therapist if request is not None else None
    _check_capacity(therapist=therapist, clients=[client], allow_over_capacity=allow_over_capacity)
    _assign_one(client=client, therapist=therapist, by=by, reason=reason)
    if request is not None:
        verb = f"Reassigned from {previous} to" if previous else "Assigned to"
        audit(
            request=request,
            action=AuditEvent.Action.ASSIGN,
            client_id=client.pk,
            obj=client,
            summary=f"{verb} {therapist}",
        )
    return client


@transaction.atomic
def clients_bulk_assign(
    *,
    clients: Iterable[Client],
    therapist: User,
    by: User | None,
    reason: str,
    allow_over_capacity: bool = False,
) -> int:
    """Assign several clients at once; the capacity check counts them all together."""
    moving = [c for c in clients if c.primary_therapist_id != therapist.pk]
    if any(c.clinic_id != therapist.clinic_id for c in moving) or not therapist.is_therapist:
        raise ValueError("a client can only be assigned to a therapist of their clinic")
    if not moving:
        return 0
    _check_capacity(therapist=therapist, clients=moving, allow_over_capacity=allow_over_capacity)
    for client in moving:
        _assign_one(client=client, therapist=therapist, by=by, reason=reason)
    return len(moving)


@transaction.atomic
def client_unassign(*, client: Client, by: User | None, reason: str) -> Client:
    """Close the current assignment; the client shows as unassigned on the caseload."""
    if client.primary_therapist_id is None:
        return client
    ClientAssignment.objects.filter(client=client, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=by, end_reason=reason
    )
    client.primary_therapist = None
    client.save(update_fields=["primary_therapist", "updated_at"])
    return client


@transaction.atomic
def clients_bulk_change_status(
    *, clients: Iterable[Client], status: str, by: User | None, reason: str
) -> int:
    changed = 0
    for client in clients:
        if client.status != status:
            client_change_status(client=client, status=status, by=by, reason=reason)
            changed += 1
    return changed


@transaction.atomic
def clients_bulk_act(
    *,
    action: str,
    clients: list[Client],
    by: User,
    reason: str,
    therapist: User | None = None,
    status: str = "",
    allow_over_capacity: bool = False,
    request: HttpRequest | None = None,
) -> str:
    """The caseload's bulk action: assign the clients to a therapist ("assign") or move them
    to a status ("status"), with an audit row per client; what to tell the admin.

    Raises CapacityExceeded (nothing changed) when the therapist would go over capacity.
    """
    if action == "assign":
        done = clients_bulk_assign(
            clients=clients,
            therapist=therapist,
            by=by,
            reason=reason,
            allow_over_capacity=allow_over_capacity,
        )
        summary, message = (
            f"Assigned to {therapist} (bulk)",
            f"{done} clients assigned to {therapist}.",
        )
        kind = AuditEvent.Action.ASSIGN
    else:
        done = clients_bulk_change_status(clients=clients, status=status, by=by, reason=reason)
        label = dict(Client.Status.choices)[status]
        summary, message = f"Status → {label} (bulk)", f"{done} clients moved to {label}."
        kind = AuditEvent.Action.CHANGE
    for client in clients:
        audit(
            actor=by, action=kind, request=request, client_id=client.pk, obj=client, summary=summary
        )
    return message


@transaction.atomic
def client_create(
    *,
    client: Client,
    by: User,
    therapist: User | None = None,
    reason: str = "",
    allow_over_capacity: bool = False,
    request: HttpRequest | None = None,
) -> Client:
    """Save a new client (unsaved instance from the form) with its first history rows.

    Without a therapist the client joins the waitlist; with one, they start active.
    Audited (the record, then its assignment) when a person adds them (a request).
    """
    client.clinic_id = by.clinic_id
    client.status = Client.Status.WAITLIST
    client.primary_therapist = None
    client.status_changed_at = timezone.now()
    client.save()
    ClientStatusChange.objects.create(
        client=client,
        to_status=Client.Status.WAITLIST,
        reason=reason or "Referral received",
        changed_by=by,
        changed_at=client.status_changed_at,
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=client.pk,
            obj=client,
            summary="Client record created",
        )
    if therapist is not None:
        client_assign(
            client=client,
            therapist=therapist,
            by=by,
            reason=reason or "Initial assignment",
            allow_over_capacity=allow_over_capacity,
            request=request,
        )
    return client


@transaction.atomic
def client_update(
    *, client: Client, fields: list[str], summary: str = "", request: HttpRequest | None = None
) -> Client:
    """Save edited record or clinical fields (a bound ModelForm's instance); audited with
    `summary` when a person changed something (a request and fields)."""
    if "attachment_hypothesis" in fields:
        # A changed hypothesis is always dated: the form's date, or today.
        client.attachment_hypothesis_date = (
            client.attachment_hypothesis_date or timezone.localdate()
        )
        fields = [*fields, "attachment_hypothesis_date"]
    client.save(update_fields=[*dict.fromkeys(fields), "updated_at"])
    if request is not None and fields:
        audit(
            request=request,
            action=AuditEvent.Action.CHANGE,
            client_id=client.pk,
            obj=client,
            summary=summary,
        )
    return client


@transaction.atomic
def therapist_create(
    *,
    clinic_id: int,
    email: str,
    full_name: str,
    credentials: str = "",
    capacity: int = 25,
    is_clinic_admin: bool = False,
) -> User:
    """A therapist account with no usable password: they choose one through the reset link."""
    return User.objects.create_user(
        email=email,
        password=None,
        full_name=full_name,
        credentials=credentials,
        clinic_id=clinic_id,
        is_therapist=True,
        is_clinic_admin=is_clinic_admin,
        caseload_capacity=capacity,
    )


@transaction.atomic
def therapist_deactivate(*, therapist: User, by: User, reason: str) -> int:
    """Stop an account signing in; their current clients become unassigned for reassignment.

    Discharged clients keep the therapist on their record, as the author of it. Whom they
    supervised is no longer supervised by them: notes waiting for their review go back to
    their authors as drafts (clients/services/supervision.py).
    """
    therapist.is_active = False
    therapist.save(update_fields=["is_active"])
    for supervision in Supervision.objects.filter(supervisor=therapist).select_related(
        "supervisee"
    ):
        supervision_set(by=by, supervisee=supervision.supervisee, supervisor=None, policy="")
    current = list(
        Client.objects.filter(primary_therapist=therapist).exclude(status=Client.Status.DISCHARGED)
    )
    for client in current:
        client_unassign(client=client, by=by, reason=reason or "Therapist account deactivated")
    return len(current)


@transaction.atomic
def therapist_reactivate(*, therapist: User) -> User:
    therapist.is_active = True
    therapist.save(update_fields=["is_active"])
    return therapist


def therapist_counts(therapist: User) -> dict[str, int]:
    return Client.objects.filter(primary_therapist=therapist).aggregate(
        active=Count("pk", filter=Q(status=Client.Status.ACTIVE)),
        paused=Count("pk", filter=Q(status=Client.Status.PAUSED)),
    )
