"""A deleted draft, kept for a short while so its author can undo the deletion.

Unsigned work (a draft note, plan revision, exploration, map or letter) may be deleted by
its author. The rows go at once, so nothing else in the app ever has to skip them; a copy
is kept here, encrypted, for `DRAFT_UNDO_MINUTES`, then purged by a periodic task.
Signed work never gets here: it is superseded or addended, never deleted.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from attachment_app.fields import EncryptedJSONField, EncryptedTextField
from clients.models.clients import Client


class DeletedDraft(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24)
    object_id = models.UUIDField()  # the draft itself, among the rows
    # What the undo offer names ("Draft session note, 2 Dec 2026"): no clinical content.
    label = models.CharField(max_length=200)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    deleted_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The rows as Django's JSON serializer wrote them, and the links to them that the
    # deletion set to null (model, pk, field, value; ids as text).
    rows = EncryptedTextField()
    links = EncryptedJSONField(default=list)

    class Meta:
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def undo_until(self):
        return self.deleted_at + timezone.timedelta(minutes=settings.DRAFT_UNDO_MINUTES)
