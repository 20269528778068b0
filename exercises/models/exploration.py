from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from attachment_app.dates import format_date
from attachment_app.models import Clinic
from clients.models import AttachmentStyle
from exercises.models.common import ClientExercise


class PromptTheme(models.TextChoices):
    CLOSENESS = "closeness", "Closeness"
    DEPENDENCE = "dependence", "Dependence"
    TRUST = "trust", "Trust"
    CONFLICT = "conflict", "Conflict"
    SEPARATION = "separation", "Separation"
    SELF_WORTH = "self_worth", "Self-worth"
    REASSURANCE = "reassurance", "Reassurance"
    EMOTION = "emotion", "Feelings and distress"
    CAREGIVERS = "caregivers", "Early caregivers"


class PromptDimension(models.TextChoices):
    ANXIETY = "anxiety", "Anxiety"
    AVOIDANCE = "avoidance", "Avoidance"
    BOTH = "both", "Both"


class Prompt(models.Model):
    """A sentence stem. Shipped prompts have no clinic; a clinic's own prompts belong to it."""

    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(max_length=300)
    theme = models.CharField(max_length=16, choices=PromptTheme.choices)
    dimension = models.CharField(max_length=10, choices=PromptDimension.choices)
    # A clinic's own prompt is retired with this flag ...
    is_retired = models.BooleanField(default=False)
    # ... and a shipped prompt is retired for one clinic at a time.
    retired_in = models.ManyToManyField(Clinic, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["theme", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_shipped(self) -> bool:
        return self.clinic_id is None


def rating_field(verbose_name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=verbose_name,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )


class Exploration(ClientExercise):
    """One attachment style exploration: prompts, the client's answers, the therapist's view."""

    date = models.DateField(default=timezone.localdate)
    observations = models.TextField(blank=True, verbose_name="Therapist's observations")
    hypothesis = models.CharField(
        max_length=16,
        choices=AttachmentStyle.choices,
        default=AttachmentStyle.NOT_YET_CLEAR,
        verbose_name="Working style hypothesis",
    )
    anxiety_rating = rating_field("Anxiety (1–7)")
    avoidance_rating = rating_field("Avoidance (1–7)")

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["client", "-date"])]

    def __str__(self) -> str:
        return f"Attachment style exploration, {format_date(self.date)}"

    def get_absolute_url(self) -> str:
        return reverse("exercises:exploration_detail", args=[self.client_id, self.pk])


class ExplorationAnswer(models.Model):
    exploration = models.ForeignKey(Exploration, on_delete=models.CASCADE, related_name="answers")
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    answer = models.TextField(blank=True, verbose_name="In the client's words")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exploration", "prompt"], name="one_answer_per_prompt")
        ]

    def __str__(self) -> str:
        return f"Answer to prompt {self.prompt_id}"


class RatingScale(models.Model):
    """A scale the clinic defines itself (its own items, or a licensed instrument it holds),
    or a built-in public-domain measure (PHQ-9, GAD-7: no clinic, scored as a total)."""

    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=120)
    instructions = models.TextField(blank=True)
    min_value = models.SmallIntegerField(default=1)
    max_value = models.SmallIntegerField(default=7)
    min_label = models.CharField(max_length=60, blank=True, help_text="e.g. Not at all true")
    max_label = models.CharField(max_length=60, blank=True, help_text="e.g. Very true")
    is_retired = models.BooleanField(default=False)
    # Built-in measures only: their key (see exercises.scoring.SEVERITY_BANDS), the
    # instrument's response options from min_value up, and its attribution.
    builtin = models.CharField(max_length=10, blank=True)
    option_labels = models.JSONField(default=list, blank=True)
    attribution = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScaleItem(models.Model):
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    subscale = models.SlugField(max_length=40, help_text="A short key, e.g. anxiety.")
    reverse_keyed = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class Phq9Difficulty(models.IntegerChoices):
    """The PHQ-9's closing question, as the public form prints it: recorded, never scored."""

    NOT_DIFFICULT = 0, "Not difficult at all"
    SOMEWHAT = 1, "Somewhat difficult"
    VERY = 2, "Very difficult"
    EXTREMELY = 3, "Extremely difficult"


PHQ9_DIFFICULTY_QUESTION = (
    "If you checked off any problems, how difficult have these problems made it for you to "
    "do your work, take care of things at home, or get along with other people?"
)


class ScaleAdministration(ClientExercise):
    """One completion of a clinic scale by a client. Responses: {item id: value}."""

    scale = models.ForeignKey(RatingScale, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(default=timezone.localdate)
    responses = models.JSONField(default=dict)
    client_reported = models.BooleanField(default=False)
    # The PHQ-9's unscored tenth question (None: not asked, or left unanswered).
    difficulty = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=Phq9Difficulty.choices
    )

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.scale} on {format_date(self.date)}"

    def get_absolute_url(self) -> str:
        return reverse("exercises:scale_results", args=[self.client_id, self.scale_id])
