from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from attachment_app.dates import format_date
from attachment_app.ids import url_by_ids
from exercises.models.common import ClientExercise

# The grounding techniques offered as choices; the client's own go in a free-text list.
GROUNDING_TECHNIQUES: dict[str, tuple[str, str]] = {
    "54321": (
        "5-4-3-2-1 senses",
        "Name five things you can see, four you can hear, three you can touch, two you can "
        "smell, one you can taste.",
    ),
    "paced_breathing": (
        "Paced breathing",
        "Breathe in for a count of four, out for a count of six; let the out-breath be longer.",
    ),
    "feet_on_floor": (
        "Feet on the floor",
        "Press both feet into the floor and notice the ground holding you up.",
    ),
    "name_the_room": (
        "Naming the room",
        "Say out loud where you are, today's date, and three objects in the room.",
    ),
    "hand_on_heart": (
        "Hand on heart",
        "Rest a hand on your chest or cheek; notice its warmth and weight.",
    ),
    "cold_water": (
        "Cool water",
        "Hold something cool, or run cool water over your wrists, and notice the temperature.",
    ),
    "orienting": (
        "Orienting",
        "Let your eyes move slowly around the room and rest on something pleasant or neutral.",
    ),
    "object_in_hand": (
        "Grounding object",
        "Hold a small object (a stone, a key) and describe its texture, weight and colour.",
    ),
    "categories": (
        "Categories",
        "Name things in a category, for example colours, cities or animals, one for each letter.",
    ),
    "safe_space_cue": (
        "Cue word",
        "Say the cue word slowly and let the safe space come back to mind.",
    ),
}

SENSES = ("seen", "heard", "smelled", "felt", "tasted")


class SafeSpaceKind(models.TextChoices):
    PLACE = "place", "A place"
    PERSON = "person", "A person"
    MEMORY = "memory", "A memory"


class SafeSpacePlan(ClientExercise):
    kind = models.CharField(max_length=8, choices=SafeSpaceKind.choices)
    name = models.CharField(max_length=120, help_text="What the client calls it.")
    description = models.TextField(blank=True)
    seen = models.TextField(blank=True, verbose_name="What is seen")
    heard = models.TextField(blank=True, verbose_name="What is heard")
    smelled = models.TextField(blank=True, verbose_name="What is smelled")
    felt = models.TextField(blank=True, verbose_name="What is felt")
    tasted = models.TextField(blank=True, verbose_name="What is tasted")
    cue_word = models.CharField(max_length=60, blank=True)
    techniques = models.JSONField(default=list, blank=True, verbose_name="Grounding techniques")
    own_techniques = models.TextField(
        blank=True, verbose_name="The client's own techniques", help_text="One per line."
    )
    people_to_call = models.TextField(
        blank=True,
        verbose_name="People I can call",
        help_text="Optional. The client's own people, with a number if they wish; one per line. "
        "Printed on the take-home card under the clinic's crisis line.",
    )

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.url_for(self.client_id, self.pk)

    @staticmethod
    def url_for(client_id, pk) -> str:
        """The plan's page from its ids alone (a practice on the timeline links its plan)."""
        return url_by_ids("exercises:safe_space_detail", client_id, pk)

    def technique_list(self) -> list[tuple[str, str]]:
        chosen = [GROUNDING_TECHNIQUES[k] for k in self.techniques if k in GROUNDING_TECHNIQUES]
        own = [(line.strip(), "") for line in self.own_techniques.splitlines() if line.strip()]
        return chosen + own

    def people_list(self) -> list[str]:
        return [line.strip() for line in self.people_to_call.splitlines() if line.strip()]

    def has_card_content(self) -> bool:
        """Whether a take-home card would say anything beyond its name."""
        return bool(
            self.cue_word
            or self.description
            or self.anchors()
            or self.technique_list()
            or self.people_list()
        )

    def anchors(self) -> list[tuple[str, str]]:
        return [
            (self._meta.get_field(s).verbose_name, getattr(self, s))
            for s in SENSES
            if getattr(self, s)
        ]


def distress_field(name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name=name, validators=[MaxValueValidator(10)], help_text="0 (none) to 10 (most)."
    )


class SafeSpacePractice(models.Model):
    plan = models.ForeignKey(SafeSpacePlan, on_delete=models.CASCADE, related_name="practices")
    date = models.DateField(default=timezone.localdate)
    distress_before = distress_field("Distress before")
    distress_after = distress_field("Distress after")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"Practice on {format_date(self.date)}"
