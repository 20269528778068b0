"""Right of access and release of information: the request, its 30-day clock, and the
disclosure each fulfilled release leaves behind (the accounting of disclosures)."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from attachment_app.ids import url_by_ids
from clients.models.clients import Client

RELEASE_DAYS = 30


class ReleasePart(models.TextChoices):
    """What a release may hold. Private process notes are never one of them."""

    SESSION_NOTES = "session_notes", "Signed session notes"
    PLANS = "plans", "Treatment plans (signed revisions)"
    MEASURES = "measures", "Measures and ratings"
    LETTERS = "letters", "Reparenting letters"
    MAPS = "maps", "Relationship maps"


class ReleaseRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReleaseRequest.Status.OPEN)


class ReleaseRequest(models.Model):
    class Requester(models.TextChoices):
        CLIENT = "client", "The client"
        THIRD_PARTY = "third_party", "A third party, with the client's authorization"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        FULFILLED = "fulfilled", "Fulfilled"
        REFUSED = "refused", "Refused"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="release_requests")
    requester = models.CharField(max_length=12, choices=Requester.choices)
    recipient = models.CharField(
        max_length=200,
        blank=True,
        verbose_name="Third party",
        help_text="As named on the client's release authorization.",
    )
    authorization = models.ForeignKey(
        "clients.ClientConsent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parts = models.JSONField(default=list)
    date_from = models.DateField(verbose_name="Records from")
    date_to = models.DateField(verbose_name="Records to")
    received_on = models.DateField(verbose_name="Request received")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    refusal_reason = models.CharField(max_length=500, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ReleaseRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "logged_at"]
        indexes = [models.Index(fields=["status", "due_on"], name="release_open_due")]

    def __str__(self) -> str:
        return f"Release request received {self.received_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return url_by_ids("clients:release_detail", self.client_id, self.pk)

    @staticmethod
    def due_for(received_on: dt.date) -> dt.date:
        return received_on + dt.timedelta(days=RELEASE_DAYS)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def requested_by(self) -> str:
        return "The client" if self.requester == self.Requester.CLIENT else self.recipient

    @property
    def part_labels(self) -> list[str]:
        return [ReleasePart(p).label for p in ReleasePart.values if p in self.parts]

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days

    @property
    def overdue(self) -> bool:
        return self.is_open and self.days_left() < 0


class Disclosure(models.Model):
    """One release of information: to whom, what, when and by whom. Never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="disclosures")
    release_request = models.OneToOneField(
        ReleaseRequest, on_delete=models.PROTECT, related_name="disclosure"
    )
    recipient = models.CharField(max_length=200)
    parts = models.JSONField(default=list)
    date_from = models.DateField()
    date_to = models.DateField()
    disclosed_at = models.DateTimeField(default=timezone.now)
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-disclosed_at"]

    def __str__(self) -> str:
        return f"Disclosure of {self.disclosed_at:%Y-%m-%d}"

    @property
    def part_labels(self) -> list[str]:
        return [ReleasePart(p).label for p in ReleasePart.values if p in self.parts]
