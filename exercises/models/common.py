import uuid

from django.conf import settings
from django.db import models

from clients.models import Client, TherapySession


class ClientExercise(models.Model):
    """What every exercise shares: whose it is, who ran it, and the session it was done in."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Nullable: many exercises are continued between sessions or started as homework.
    session = models.ForeignKey(
        TherapySession,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Done in session",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
