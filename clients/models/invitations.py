import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

INVITATION_DAYS = 7


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TherapistInvitation(models.Model):
    """A clinic admin's invitation to join the clinic as a therapist.

    The account is made only when the invitee accepts and chooses a password. An
    address that already has an account (in any clinic) gets a neutral e-mail and
    no link, but the invitation looks the same to the admin: whether an address
    exists elsewhere is never revealed, and no account is moved between clinics.
    """

    clinic = models.ForeignKey(
        "attachment_app.Clinic", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    full_name = models.CharField(max_length=200)
    credentials = models.CharField(max_length=100, blank=True)
    caseload_capacity = models.PositiveSmallIntegerField(default=25)
    is_clinic_admin = models.BooleanField(default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Only a digest: the link itself is in the invitee's mailbox alone.
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation to {self.email}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @classmethod
    def expiry_from(cls, now=None):
        return (now or timezone.now()) + timedelta(days=INVITATION_DAYS)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()
