import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from attachment_app.dates import format_date
from exercises.models.common import ClientExercise

# Guards against a runaway editor or a pasted payload; far above any real map.
MAX_FIGURES = 200
MAX_TIES = 600
CANVAS_WIDTH = 800
CANVAS_HEIGHT = 560
# A figure's centre stays this far inside the drawing, so its circle, its name plate
# (up to 22 characters, below it) and a "new" mark (above it) are never cut off.
FIGURE_INSET_X = 84
FIGURE_INSET_TOP = 44
FIGURE_INSET_BOTTOM = 60


def clamp_position(x: float, y: float) -> tuple[int, int]:
    """The nearest point where a whole figure fits inside the drawing."""
    return (
        int(round(min(max(x, FIGURE_INSET_X), CANVAS_WIDTH - FIGURE_INSET_X))),
        int(round(min(max(y, FIGURE_INSET_TOP), CANVAS_HEIGHT - FIGURE_INSET_BOTTOM))),
    )


class FigureRole(models.TextChoices):
    CLIENT = "client", "Client"
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    CAREGIVER = "caregiver", "Other caregiver"
    PARTNER = "partner", "Partner"
    EX_PARTNER = "ex_partner", "Ex-partner"
    SIBLING = "sibling", "Sibling"
    CHILD = "child", "Child"
    FRIEND = "friend", "Friend"
    COLLEAGUE = "colleague", "Colleague"
    THERAPIST = "therapist", "Therapist"
    OTHER = "other", "Other"


class TieKind(models.TextChoices):
    """Genogram/ecomap relationship lines."""

    CLOSE = "close", "Close"
    FUSED = "fused", "Fused"
    DISTANT = "distant", "Distant"
    CUT_OFF = "cut_off", "Cut off"
    CONFLICT = "conflict", "Conflict"
    CLOSE_CONFLICTED = "close_conflicted", "Close but conflicted"
    FOCUSED_ON = "focused_on", "Focused on"


class TieDirection(models.TextChoices):
    MUTUAL = "mutual", "Mutual"
    ONE_WAY = "one_way", "One way (from → to)"


class RelationshipMap(ClientExercise):
    title = models.CharField(max_length=120, default="Relationship map")
    date = models.DateField(default=timezone.localdate, verbose_name="Map as of")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exercises:map_detail", args=[self.client_id, self.pk])


class Figure(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    map = models.ForeignKey(RelationshipMap, on_delete=models.CASCADE, related_name="figures")
    role = models.CharField(max_length=12, choices=FigureRole.choices, default=FigureRole.OTHER)
    label = models.CharField(max_length=60)
    deceased = models.BooleanField(default=False)
    x = models.PositiveSmallIntegerField(default=CANVAS_WIDTH // 2)
    y = models.PositiveSmallIntegerField(default=CANVAS_HEIGHT // 2)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["role", "label", "id"]

    def __str__(self) -> str:
        return self.label


class Tie(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    map = models.ForeignKey(RelationshipMap, on_delete=models.CASCADE, related_name="ties")
    source = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Figure, on_delete=models.CASCADE, related_name="+")
    closeness = models.PositiveSmallIntegerField(default=3, validators=[MaxValueValidator(5)])
    trust = models.PositiveSmallIntegerField(default=3, validators=[MaxValueValidator(5)])
    tension = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(5)])
    direction = models.CharField(
        max_length=8, choices=TieDirection.choices, default=TieDirection.MUTUAL
    )
    kind = models.CharField(max_length=16, choices=TieKind.choices, default=TieKind.CLOSE)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="tie_joins_two_figures"
            )
        ]

    def __str__(self) -> str:
        return f"Tie {self.source_id} → {self.target_id}"


class MapTheme(models.Model):
    map = models.ForeignKey(RelationshipMap, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    note = models.TextField(blank=True)
    figures = models.ManyToManyField(Figure, blank=True, related_name="themes")

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class MapSnapshot(models.Model):
    """The map as it was on a date, kept as the renderer's own data so it never changes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    map = models.ForeignKey(RelationshipMap, on_delete=models.CASCADE, related_name="snapshots")
    taken_on = models.DateField(default=timezone.localdate)
    label = models.CharField(max_length=120, blank=True)
    data = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-created_at"]

    def __str__(self) -> str:
        return self.label or f"Snapshot of {format_date(self.taken_on)}"
