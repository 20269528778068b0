"""Keeping a closed record, holding it, and destroying it: the legal hold and the tombstone.

A discharged record is kept until its destruction date (clients/services/retention.py
computes it from the clinic's retention years). A legal hold stops destruction while it
is set. Destruction is asked for by one clinic admin and confirmed by a second person;
the row then stays as the tombstone: what the clinic must still be able to say about a
record it no longer holds, and nothing clinical.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from attachment_app.models import Clinic, User
from clients.models.clients import Client

# The age at which a client's own retention clock starts, whatever the clinic: a minor's
# record is kept until this birthday plus the clinic's retention years for minors.
AGE_OF_MAJORITY = 18


def add_years(date: dt.date, years: int) -> dt.date:
    """The same day so many years on; 29 February becomes 28 February in a common year."""
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


def destruction_date(client: Client, discharge_date: dt.date) -> dt.date:
    """The first day a closed record may be destroyed.

    The discharge date plus the clinic's retention years for adults. A client who was a
    minor at any time in care (the 18th birthday after the intake date) is also kept
    until the age of majority plus the retention years for minors: whichever is later.
    """
    clinic = client.clinic
    due = add_years(discharge_date, clinic.retention_years_adult)
    if client.date_of_birth:
        majority = add_years(client.date_of_birth, AGE_OF_MAJORITY)
        if majority > client.intake_date:
            due = max(due, add_years(majority, clinic.retention_years_minor))
    return due


class LegalHold(models.Model):
    """A hold on a record: it is not destroyed while the hold is set."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.CharField(max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(lifted_at__isnull=True),
                name="one_active_legal_hold_per_client",
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold from {self.set_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RecordDestruction(models.Model):
    """A request to destroy a closed record and, once confirmed, its tombstone.

    The client row goes with the record (the link is then empty); client_uuid keeps its
    id, so the audit trail, which names clients by id, still reads against the tombstone.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        DESTROYED = "destroyed", "Destroyed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="destructions"
    )
    client_uuid = models.UUIDField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    reason = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The tombstone, filled in when the record is destroyed.
    initials = models.CharField(max_length=8, blank=True)
    intake_date = models.DateField(null=True, blank=True)
    first_service_date = models.DateField(null=True, blank=True)
    last_service_date = models.DateField(null=True, blank=True)
    discharge_date = models.DateField(null=True, blank=True)
    destruction_due = models.DateField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client_uuid"],
                condition=Q(status="requested"),
                name="one_open_destruction_request_per_client",
            )
        ]

    def __str__(self) -> str:
        return f"Record destruction ({self.get_status_display()})"


def record_destruction_date(client: Client) -> dt.date | None:
    """The closed record's destruction date; None while the record is open."""
    if client.status != Client.Status.DISCHARGED:
        return None
    discharged = client.discharges.aggregate(last=Max("discharge_date"))["last"]
    if discharged is None:
        discharged = timezone.localdate(client.status_changed_at)
    return destruction_date(client, discharged)


def active_legal_hold(client: Client) -> LegalHold | None:
    holds = LegalHold.objects.filter(client=client, lifted_at__isnull=True)
    return holds.select_related("set_by").first()


def open_destruction_request(client: Client) -> RecordDestruction | None:
    return (
        RecordDestruction.objects.filter(client=client, status=RecordDestruction.Status.REQUESTED)
        .select_related("requested_by")
        .first()
    )


def may_confirm_destruction(user: User, destruction: RecordDestruction) -> bool:
    """The second person: another clinic admin, or the client's clinician, never the asker."""
    client = destruction.client
    if client is None or not user.is_authenticated or user.pk == destruction.requested_by_id:
        return False
    admin = user.is_clinic_admin and user.clinic_id == client.clinic_id
    return admin or (user.is_therapist and client.primary_therapist_id == user.pk)
