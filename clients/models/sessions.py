import uuid

from django.conf import settings
from django.db import models

from clients.models.clients import Client


class TherapySession(models.Model):
    """One meeting with a client and its progress note. A signed note is locked."""

    class Modality(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        TELEHEALTH = "telehealth", "Telehealth"
        PHONE = "phone", "Phone"

    class Attendance(models.TextChoices):
        ATTENDED = "attended", "Attended"
        LATE_CANCEL = "late_cancel", "Late cancel"
        NO_SHOW = "no_show", "No-show"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="sessions")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="therapy_sessions"
    )
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=50)
    modality = models.CharField(max_length=12, choices=Modality.choices, default=Modality.IN_PERSON)
    attendance = models.CharField(
        max_length=12, choices=Attendance.choices, default=Attendance.ATTENDED
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-start_time"]
        indexes = [
            models.Index(fields=["client", "-date"]),
            models.Index(fields=["therapist", "status"]),
        ]

    def __str__(self) -> str:
        return f"Session on {self.date:%Y-%m-%d}"
