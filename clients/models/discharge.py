import uuid

from django.conf import settings
from django.db import models

from attachment_app.ids import url_by_ids
from clients.measures import MeasureRatings
from clients.models.clients import AttachmentStyle, Client
from clients.models.locking import LockedQuerySet, SignedLockMixin


class DischargeReason(models.TextChoices):
    GOALS_MET = "goals_met", "Treatment goals met"
    CLIENT_ENDED = "client_ended", "Client ended therapy"
    REFERRED = "referred", "Referred elsewhere"
    MOVED = "moved", "Moved away"
    NO_CONTACT = "no_contact", "No contact"
    OTHER = "other", "Other"


class DischargeSummary(SignedLockMixin):
    """The closing summary written at discharge: drafted from the record, signed like a note.

    What was drafted is a copy taken on the day of discharge, so the summary says what the
    record said then; the clinician edits it before signing, and it is locked after.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"

    # Fields the clinician may edit on the draft, in the form's order.
    EDITABLE_FIELDS = (
        "presenting_concerns",
        "goals_summary",
        "techniques_summary",
        "style_hypothesis",
        "referrals",
        "recommendations",
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="discharges")
    reason = models.CharField(max_length=12, choices=DischargeReason.choices)
    discharge_date = models.DateField()
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    first_session_date = models.DateField(null=True, blank=True)
    last_session_date = models.DateField(null=True, blank=True)
    sessions_attended = models.PositiveIntegerField(default=0)
    sessions_missed = models.PositiveIntegerField(
        default=0, help_text="No-shows, late cancels and cancellations by the client."
    )
    presenting_concerns = models.TextField(blank=True)
    goals_summary = models.TextField(
        blank=True, verbose_name="Goals and their last status", help_text="One goal a line."
    )
    techniques_summary = models.TextField(blank=True, verbose_name="Techniques used")
    style_hypothesis = models.CharField(
        max_length=16,
        choices=AttachmentStyle.choices,
        default=AttachmentStyle.NOT_YET_CLEAR,
        verbose_name="Working attachment-style hypothesis at discharge",
    )
    # Per measure, its first and last rating (clients.measures.MeasureRatings.as_dict):
    # a copy of the record on the day of discharge, not edited.
    measures = models.JSONField(default=list, blank=True)
    referrals = models.TextField(blank=True, verbose_name="Referrals made")
    recommendations = models.TextField(blank=True)

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LockedQuerySet.as_manager()

    class Meta:
        ordering = ["-discharge_date", "-created_at"]
        verbose_name_plural = "discharge summaries"

    def __str__(self) -> str:
        return f"Discharge summary of {self.discharge_date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return url_by_ids("clients:discharge_detail", self.client_id, self.pk)

    @property
    def measure_ratings(self) -> list[MeasureRatings]:
        return [MeasureRatings.from_dict(m) for m in self.measures]

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED


class ClientReopening(models.Model):
    """A discharged record opened again: who, when and why. Never changed."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="reopenings")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    reopened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reopened_at"]

    def __str__(self) -> str:
        return f"Reopened {self.reopened_at:%Y-%m-%d}"
