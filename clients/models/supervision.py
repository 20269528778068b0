"""Supervision: a pre-licensed clinician works under a named supervisor of the same clinic.

With the co-sign policy the clinician's notes are not final until the supervisor
co-signs them; with the read-only policy the supervisor reads the supervisee's
clients' records (never the private process notes) but signs nothing.
"""

from django.conf import settings
from django.db import models


class Supervision(models.Model):
    class Policy(models.TextChoices):
        COSIGN = "cosign", "Supervisor co-signs every note"
        READ = "read", "Supervisor may read only"

    supervisee = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervision"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervisees"
    )
    policy = models.CharField(max_length=8, choices=Policy.choices, default=Policy.COSIGN)
    since = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(supervisee=models.F("supervisor")),
                name="supervision_not_self",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supervisee} supervised by {self.supervisor}"

    @property
    def cosigns(self) -> bool:
        return self.policy == self.Policy.COSIGN


class SessionReview(models.Model):
    """One step of a note's review: sent, returned with a comment, or co-signed. Never changed."""

    class Action(models.TextChoices):
        SENT = "sent", "Sent for review"
        RETURNED = "returned", "Returned with a comment"
        COSIGNED = "cosigned", "Co-signed"

    session = models.ForeignKey(
        "clients.TherapySession", on_delete=models.PROTECT, related_name="reviews"
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} on {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        from clients.models.locking import SignedRecordLocked

        if not self._state.adding:
            raise SignedRecordLocked("A review step is recorded once and never changed")
        super().save(*args, **kwargs)
