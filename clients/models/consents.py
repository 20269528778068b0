"""Intake consents: the clinic's consent documents, versioned, and what each client signed.

A ConsentTemplate row is one version of one kind of document; editing makes a new row
and the old ones stay, because a signed consent points at the exact version signed.
A ClientConsent is one signature: the typed name, the date written, the "I have read
this" check, who witnessed it on whose screen; an authorization to release information
also says to whom, what, and until when.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import Clinic
from clients.models.clients import Client


class ConsentKind(models.TextChoices):
    TREATMENT = "treatment", "Consent to treatment"
    TELEHEALTH = "telehealth", "Telehealth consent"
    CONFIDENTIALITY = "confidentiality", "Limits of confidentiality"
    RELEASE = "release", "Authorization to release information"


class ConsentTemplate(models.Model):
    """One version of one of the clinic's consent documents. Never changed once saved."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="consent_templates")
    kind = models.CharField(max_length=16, choices=ConsentKind.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "kind", "version"], name="consent_template_one_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, version {self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("A consent document version is never changed: save a new one")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("clients:consent_template_edit", args=[self.pk])


class ClientConsent(models.Model):
    class Method(models.TextChoices):
        IN_PERSON = "in_person", "In person, on the clinician's screen"
        CLIENT_PAGES = "client_pages", "On the client's own pages"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents")
    # The exact version signed (PROTECT: a signed version can never be removed).
    template = models.ForeignKey(ConsentTemplate, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=ConsentKind.choices)
    signed_name = models.CharField(max_length=200)
    signed_on = models.DateField()
    read_confirmed = models.BooleanField(default=False)
    method = models.CharField(max_length=16, choices=Method.choices, default=Method.IN_PERSON)
    signed_at = models.DateTimeField(default=timezone.now)
    witnessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Authorization to release information only.
    recipient = models.CharField(max_length=200, blank=True)
    information = models.TextField(blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-signed_at"]
        indexes = [
            models.Index(fields=["client", "kind", "-signed_at"]),
            # "Has a current consent to treatment / telehealth" is asked of every client a
            # list shows: without these PostgreSQL hashed the whole table for each list.
            models.Index(
                fields=["client"],
                name="consent_treatment_current_idx",
                condition=Q(kind=ConsentKind.TREATMENT, revoked_at__isnull=True),
            ),
            models.Index(
                fields=["client"],
                name="consent_telehealth_current_idx",
                condition=Q(kind=ConsentKind.TELEHEALTH, revoked_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} signed {self.signed_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("clients:consent_detail", args=[self.client_id, self.pk])

    def is_current(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        if self.revoked_at is not None:
            return False
        return self.expires_on is None or on <= self.expires_on
