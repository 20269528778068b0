import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from attachment_app.fields import EncryptedTextField
from exercises.models.common import ClientExercise

LETTER_TEXT_FIELDS = ("experience", "letter", "client_reflection", "therapist_reflection")


class LetterKind(models.TextChoices):
    YOUNGER_SELF = "younger_self", "Letter to the younger self"
    REWRITE = "rewrite", "Compassionate rewrite of an early experience"


class ReparentingLetter(ClientExercise):
    kind = models.CharField(max_length=16, choices=LetterKind.choices)
    title = models.CharField(max_length=120, blank=True)
    younger_age = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name="Age of the younger self"
    )
    experience = EncryptedTextField(
        blank=True,
        verbose_name="The experience",
        help_text="Optional. Only what the client chooses to name.",
    )
    letter = EncryptedTextField(blank=True, verbose_name="The letter")
    client_reflection = EncryptedTextField(blank=True, verbose_name="Client's reflection")
    therapist_reflection = EncryptedTextField(blank=True, verbose_name="Therapist's reflection")
    client_keeps_copy = models.BooleanField(default=False, verbose_name="Client keeps a copy")

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    def get_absolute_url(self) -> str:
        return self.get_edit_url()

    def get_edit_url(self) -> str:
        return reverse("exercises:letter_edit", args=[self.client_id, self.pk])


class LetterRevision(models.Model):
    """A saved version. Autosaves refresh one working revision; each explicit save keeps one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    letter = models.ForeignKey(
        ReparentingLetter, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField()
    is_autosave = models.BooleanField(default=False)
    experience = EncryptedTextField(blank=True)
    letter_text = EncryptedTextField(blank=True)
    client_reflection = EncryptedTextField(blank=True)
    therapist_reflection = EncryptedTextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="unique_letter_revision")
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    def texts(self) -> dict[str, str]:
        return {
            "experience": self.experience,
            "letter": self.letter_text,
            "client_reflection": self.client_reflection,
            "therapist_reflection": self.therapist_reflection,
        }
