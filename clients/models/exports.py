import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import Clinic
from clients.exports.storage import exports_storage
from clients.models.clients import Client


def export_file_path(job: "ExportJob", filename: str) -> str:
    # No names in paths: the file is found by its job id alone.
    return f"exports/{job.clinic_id}/{job.pk}{filename[filename.rfind('.') :]}"


class ExportJob(models.Model):
    """One requested document: a database row first, a queue message second.

    `parameters` say what to render (a session id, a date range), never
    clinical text. `kind` names an entry of the document registry
    (clients.exports.registry), so another app can add kinds without a
    migration here.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being prepared"
        DONE = "done", "Ready"
        FAILED = "failed", "Could not be prepared"
        # The file was deleted after the clinic's retention period; the row stays.
        EXPIRED = "expired", "Expired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    # Empty for clinic-level documents such as the caseload report.
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.PROTECT, related_name="export_jobs"
    )
    kind = models.CharField(max_length=40)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    parameters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Through the "exports" storage: a local folder, or S3-compatible when scaled out.
    file = models.FileField(
        upload_to=export_file_path, storage=exports_storage, blank=True, max_length=200
    )
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the file.")
    error = models.CharField(max_length=300, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written by the worker while it renders: a stale heartbeat means the worker died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["client", "-requested_at"]),
            models.Index(fields=["status", "enqueued_at"]),
            models.Index(fields=["clinic", "client", "-requested_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} export ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return self.page_url("detail")

    def page_url(self, page: str = "detail") -> str:
        """The job's "detail", "retry" or "download" page: under its client, or clinic-wide."""
        if self.client_id:
            return reverse(f"clients:export_{page}", args=[self.client_id, self.pk])
        return reverse(f"clients:clinic_export_{page}", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED}

    @property
    def expires_at(self) -> dt.datetime | None:
        """When the prepared file is deleted (the clinic's retention period)."""
        if self.finished_at is None:
            return None
        return self.finished_at + dt.timedelta(days=self.clinic.export_retention_days)
