"""What the clinician shared with the client's companion, and what the client recorded there.

A shared item is a read-only copy of what the clinician released (its content is a
snapshot, encrypted like letters), never the live record: editing the plan, letter or
map later changes nothing the client sees until the clinician shares again. The
client's own entries are marked client-reported wherever the clinician sees them.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from attachment_app.fields import EncryptedJSONField, EncryptedTextField
from clients.models import Client


class SharedKind(models.TextChoices):
    SAFE_SPACE = "safe_space", "Safe-space plan and grounding card"
    LETTER = "letter", "Reparenting letter"
    MAP_PEOPLE = "map_people", "People on the relationship map"


class SharedItemQuerySet(models.QuerySet):
    def current(self):
        return self.filter(withdrawn_at__isnull=True)


class SharedItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=SharedKind.choices)
    # The record it was copied from (for "share again"); never followed for the client.
    source_id = models.UUIDField()
    title = models.CharField(max_length=200)
    content = EncryptedJSONField(default=dict)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = SharedItemQuerySet.as_manager()

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind", "source_id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_share_per_source",
            )
        ]

    def __str__(self) -> str:
        return self.title


def distress_0_10(name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name=name, validators=[MaxValueValidator(10)], help_text="0 (none) to 10 (most)."
    )


class CompanionPractice(models.Model):
    """A practice the client recorded themselves between sessions (client-reported)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    technique = models.CharField(max_length=40)
    distress_before = distress_0_10("Distress before")
    distress_after = distress_0_10("Distress after")
    note = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Practice recorded by the client ({self.technique})"


class CompanionLetter(models.Model):
    """The client's own reply to a shared letter, or a new letter draft of theirs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    in_reply_to = models.ForeignKey(
        SharedItem, null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    body = EncryptedTextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return "Letter written by the client"


class ClosenessRating(models.Model):
    """How close and how safe the client feels with one person of their shared map, now."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    shared_item = models.ForeignKey(SharedItem, on_delete=models.PROTECT, related_name="ratings")
    # The person as the shared copy names them (its key stays when the map is shared again).
    person_key = models.CharField(max_length=64)
    person_label = models.CharField(max_length=60)
    closeness = distress_0_10("How close")
    safety = distress_0_10("How safe")
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-rated_at"]

    def __str__(self) -> str:
        return f"Closeness rated by the client ({self.person_label})"


class CheckInQuerySet(models.QuerySet):
    def pending(self):
        """Waiting for the client: neither completed nor cancelled."""
        return self.filter(completed_at__isnull=True, cancelled_at__isnull=True)

    def open_to_client(self):
        """What the client may reach: every check-in the clinician has not cancelled."""
        return self.filter(cancelled_at__isnull=True)

    def needing_attention(self):
        return self.filter(risk_flagged=True, acknowledged_at__isnull=True)


class CheckIn(models.Model):
    """A measure the clinician scheduled for the client to complete on the companion.

    Completing it stores a client-reported ScaleAdministration; a PHQ-9 item-9 answer
    above zero sets risk_flagged, shown on the clinician's home until acknowledged.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    scale = models.ForeignKey("exercises.RatingScale", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(default=timezone.now)
    administration = models.OneToOneField(
        "exercises.ScaleAdministration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="check_in",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    risk_flagged = models.BooleanField(default=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # A waiting check-in the clinician took back: gone from the client's companion.
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "scheduled_at"]

    def __str__(self) -> str:
        return f"Check-in: {self.scale}"
