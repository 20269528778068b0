"""The client's companion account: an invitation from the clinician, then a sign-in of its own.

A client account is a User with no staff role, linked to exactly one Client through
ClientAccount. It reaches only the companion pages (clients/access.py decides).
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from clients.models.clients import Client

COMPANION_INVITATION_HOURS = 72
# Wrong dates of birth before the link stops working (a new invitation is needed).
COMPANION_DOB_ATTEMPTS = 5


class ClientAccount(models.Model):
    """The sign-in of one client, for their companion pages only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.OneToOneField(
        Client, on_delete=models.PROTECT, related_name="companion_account"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="companion_account"
    )
    created_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Companion account of client {self.client_id}"


class CompanionInvitation(models.Model):
    """A single-use link to create a client's companion account; only its digest is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, related_name="companion_invitations"
    )
    email = models.EmailField()
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    failed_checks = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Companion invitation for client {self.client_id}"

    @classmethod
    def expiry_from(cls, now=None):
        return (now or timezone.now()) + timedelta(hours=COMPANION_INVITATION_HOURS)

    @property
    def is_open(self) -> bool:
        return (
            self.used_at is None
            and self.withdrawn_at is None
            and self.failed_checks < COMPANION_DOB_ATTEMPTS
            and self.expires_at > timezone.now()
        )
