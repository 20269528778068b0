"""The schedule: rooms, appointments and recurring series.

Times are stored in UTC. A series keeps its rule (an RFC 5545 RRULE) and the local
wall-clock time and zone it was booked in, so that a weekly 10:00 stays 10:00 across
daylight-saving changes; its near occurrences are rows of their own (`Appointment`),
so one can move or be cancelled without touching the rest.

On PostgreSQL an exclusion constraint (migration 0014) refuses two overlapping
appointments that hold a slot for the same clinician or the same room; the service
checks first so the person booking gets a clear message.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from attachment_app.ids import url_by_ids
from attachment_app.models import Clinic
from clients.models.clients import Client
from clients.models.sessions import TherapySession


class Room(models.Model):
    """A consulting room of the clinic."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="room_unique_name_per_clinic")
        ]

    def __str__(self) -> str:
        return self.name


class AppointmentKind(models.TextChoices):
    INTAKE = "intake", "Intake"
    SESSION = "session", "Session"
    REVIEW = "review", "Review"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every other week"
    MONTHLY = "monthly", "Every month (same date)"


RRULE_OF = {
    Frequency.WEEKLY: "FREQ=WEEKLY;INTERVAL=1",
    Frequency.FORTNIGHTLY: "FREQ=WEEKLY;INTERVAL=2",
    Frequency.MONTHLY: "FREQ=MONTHLY;INTERVAL=1",
}

LENGTH = [MinValueValidator(5), MaxValueValidator(8 * 60)]


class AppointmentSeries(models.Model):
    """A recurring booking: the rule, and where its first occurrence sits on the local clock."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="appointment_series")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointment_series"
    )
    rrule = models.CharField(max_length=200, help_text="RFC 5545 RRULE, without DTSTART.")
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    first_date = models.DateField()
    local_time = models.TimeField()
    time_zone = models.CharField(max_length=64)
    until = models.DateField(null=True, blank=True)
    length_minutes = models.PositiveSmallIntegerField(default=50, validators=LENGTH)
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        max_length=8, choices=AppointmentKind.choices, default=AppointmentKind.SESSION
    )
    # Occurrences exist as rows up to this date (the horizon moves on; `series_extend`).
    materialized_until = models.DateField()
    split_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "appointment series"

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} from {self.first_date:%Y-%m-%d}"

    @property
    def is_video(self) -> bool:
        return self.room_id is None


# Statuses that hold the slot: a cancelled appointment frees it for someone else.
HOLDS_SLOT = ("scheduled", "attended", "no_show")


class Appointment(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        ATTENDED = "attended", "Attended"
        CANCELLED_CLIENT = "client_cancel", "Cancelled by client"
        CANCELLED_CLINICIAN = "clinician_cancel", "Cancelled by clinician"
        LATE_CANCEL = "late_cancel", "Late cancellation"
        NO_SHOW = "no_show", "No-show"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="appointments")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    # Stored beside the length so PostgreSQL can index the time range (tstzrange).
    ends_at = models.DateTimeField(editable=False)
    length_minutes = models.PositiveSmallIntegerField(default=50, validators=LENGTH)
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    kind = models.CharField(
        max_length=8, choices=AppointmentKind.choices, default=AppointmentKind.SESSION
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    series = models.ForeignKey(
        AppointmentSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    # The slot the series' rule gave this occurrence (it stays when the row is moved),
    # so extending the series never brings back a moved or cancelled occurrence.
    occurrence_of = models.DateTimeField(null=True, blank=True)
    session = models.OneToOneField(
        TherapySession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["clinician", "starts_at"], name="appt_clinician_start_idx"),
            models.Index(fields=["client", "starts_at"], name="appt_client_start_idx"),
            models.Index(fields=["room", "starts_at"], name="appt_room_start_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence_of"], name="appt_one_row_per_occurrence"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="appt_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Appointment at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    def save(self, *args, **kwargs):
        self.ends_at = self.starts_at + dt.timedelta(minutes=self.length_minutes)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "ends_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.url_for(self.pk)

    @staticmethod
    def url_for(pk) -> str:
        """The appointment's page from its id alone (a week links every appointment)."""
        return url_by_ids("clients:appointment_detail", pk)

    @property
    def is_video(self) -> bool:
        return self.room_id is None

    @property
    def place_label(self) -> str:
        return "Video" if self.room_id is None else self.room.name

    @property
    def holds_slot(self) -> bool:
        return self.status in HOLDS_SLOT

    @property
    def is_cancelled(self) -> bool:
        return self.status in {
            self.Status.CANCELLED_CLIENT,
            self.Status.CANCELLED_CLINICIAN,
            self.Status.LATE_CANCEL,
        }


class AppointmentReminder(models.Model):
    """The marker that the reminder for one occurrence went out: unique, so never twice,
    whichever beat or retried task gets there first."""

    appointment = models.OneToOneField(
        Appointment, on_delete=models.CASCADE, related_name="reminder"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Reminder sent {self.sent_at:%Y-%m-%d %H:%M}"


class CalendarFeed(models.Model):
    """A clinician's private calendar feed (iCalendar). Only the token's SHA-256 is kept:
    the link is shown once when made; making a new one or turning it off revokes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed made {self.created_at:%Y-%m-%d}"


class UnsignedNotesDigest(models.Model):
    """The marker that a clinician's daily digest of unsigned notes went out that day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_unsigned_digest_a_day")
        ]

    def __str__(self) -> str:
        return f"Unsigned-notes digest of {self.day:%Y-%m-%d}"
