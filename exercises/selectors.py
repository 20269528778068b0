"""Careful reads: each returns what a page needs in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from attachment_app.dates import format_date
from clients.models import AttachmentStyle, Client, TherapySession
from clients.word_diff import diff_html, word_diff
from exercises.models import (
    CompanionPractice,
    Exploration,
    LetterRevision,
    Prompt,
    RatingScale,
    RelationshipMap,
    ReparentingLetter,
    SafeSpacePlan,
    SafeSpacePractice,
    ScaleAdministration,
    ScaleItem,
)
from exercises.scoring import severity_band, subscale_means, total_score
from exercises.services.companion import practice_technique_choices
from exercises.svg.charts import PlanePoint, Series


def retired_prompt_ids(clinic_id: int, prompt_ids: list[int]) -> set[int]:
    """Which of these prompts the clinic no longer offers (its own retired, or shipped ones)."""
    own = Prompt.objects.filter(pk__in=prompt_ids, is_retired=True).values_list("pk", flat=True)
    shipped = Prompt.retired_in.through.objects.filter(
        prompt_id__in=prompt_ids, clinic_id=clinic_id
    ).values_list("prompt_id", flat=True)
    return set(own) | set(shipped)


@dataclass(frozen=True)
class HypothesisChange:
    """What saving an exploration would do to the working hypothesis on the record."""

    before: str  # the record's hypothesis as read, or "" when none is recorded yet
    since: object  # its date, or None
    after: str


def hypothesis_change(*, client: Client, hypothesis: str, on) -> HypothesisChange | None:
    """The change to the record's hypothesis that saving would make, if any (the same rule
    as services.client_hypothesis_update: the newest dated hypothesis is the record's)."""
    recorded_on = client.attachment_hypothesis_date
    if recorded_on and recorded_on > on:
        return None
    if hypothesis == AttachmentStyle.NOT_YET_CLEAR and recorded_on is None:
        return None
    if recorded_on is not None and hypothesis == client.attachment_hypothesis:
        return None
    labels = dict(AttachmentStyle.choices)
    return HypothesisChange(
        before=labels.get(client.attachment_hypothesis, "") if recorded_on else "",
        since=recorded_on,
        after=labels.get(hypothesis, hypothesis),
    )


def exploration_plane_points(explorations: list[Exploration]) -> list[PlanePoint]:
    """Rated explorations, oldest first, as points on the anxiety/avoidance plane."""
    rated = [
        e
        for e in sorted(explorations, key=lambda e: (e.date, e.created_at))
        if e.anxiety_rating and e.avoidance_rating
    ]
    return [
        PlanePoint(
            label=format_date(e.date), anxiety=e.anxiety_rating, avoidance=e.avoidance_rating
        )
        for e in rated
    ]


@dataclass
class ClientExercises:
    explorations: list[Exploration]
    maps: list[RelationshipMap]
    letters: list[ReparentingLetter]
    plans: list[SafeSpacePlan]
    scales: list[RatingScale]

    @property
    def empty(self) -> bool:
        return not (self.explorations or self.maps or self.letters or self.plans)


def client_exercises(client: Client) -> ClientExercises:
    """Everything on the client page's exercises panel: five queries."""
    return ClientExercises(
        explorations=list(Exploration.objects.filter(client=client).order_by("-date")[:5]),
        maps=list(
            RelationshipMap.objects.filter(client=client)
            .annotate(figure_count=Count("figures", distinct=True))
            .annotate(snapshot_count=Count("snapshots", distinct=True))
            .order_by("-date")[:5]
        ),
        letters=list(
            ReparentingLetter.objects.filter(client=client)
            .defer("experience", "letter", "client_reflection", "therapist_reflection")
            .order_by("-updated_at")[:5]
        ),
        plans=list(
            SafeSpacePlan.objects.filter(client=client)
            .annotate(practice_count=Count("practices"))
            .order_by("-updated_at")[:5]
        ),
        scales=list(clinic_scales(client.clinic_id)),
    )


def clinic_scales(clinic_id: int) -> QuerySet[RatingScale]:
    """The clinic's own current scales and the built-in public-domain measures."""
    return RatingScale.objects.filter(
        Q(clinic_id=clinic_id) | Q(clinic__isnull=True), is_retired=False
    ).order_by("name")


def session_exercises(session: TherapySession) -> list[tuple[str, object]]:
    """Exercises linked to one session, as (kind label, exercise) pairs: five queries."""
    letters = ReparentingLetter.objects.defer(
        "experience", "letter", "client_reflection", "therapist_reflection"
    )
    rows: list[tuple[str, object]] = []
    rows += [
        ("Attachment style exploration", e) for e in Exploration.objects.filter(session=session)
    ]
    rows += [("Relationship map", m) for m in RelationshipMap.objects.filter(session=session)]
    rows += [("Reparenting letter", r) for r in letters.filter(session=session)]
    rows += [("Safe-space plan", p) for p in SafeSpacePlan.objects.filter(session=session)]
    rows += [
        ("Rating scale", a)
        for a in ScaleAdministration.objects.filter(session=session).select_related("scale")
    ]
    return rows


def current_safe_space_plan(client: Client) -> SafeSpacePlan | None:
    return SafeSpacePlan.objects.filter(client=client).order_by("-updated_at").first()


def practice_series(plan: SafeSpacePlan) -> tuple[list[SafeSpacePractice], list[str], list[Series]]:
    practices = list(plan.practices.order_by("date", "created_at"))
    labels = [f"{p.date:%d %b}" for p in practices]
    series = [
        Series("Distress before", [p.distress_before for p in practices]),
        Series("Distress after", [p.distress_after for p in practices]),
    ]
    return practices, labels, series


@dataclass
class ScoredAdministration:
    administration: ScaleAdministration
    means: dict[str, float | None]
    total: int | None = None
    band: str = ""


def scale_results(
    client: Client, scale: RatingScale
) -> tuple[list[ScaleItem], list[ScoredAdministration], list[str]]:
    items = list(scale.items.all())
    subscales = sorted({i.subscale for i in items})
    administrations = ScaleAdministration.objects.filter(client=client, scale=scale).order_by(
        "date", "created_at"
    )
    scored = []
    for a in administrations:
        means = subscale_means(
            items, a.responses, min_value=scale.min_value, max_value=scale.max_value
        )
        total = total_score(items, a.responses) if scale.builtin else None
        scored.append(ScoredAdministration(a, means, total, severity_band(scale.builtin, total)))
    return items, scored, subscales


LETTER_FIELD_LABELS = {
    "experience": "The experience",
    "letter": "The letter",
    "client_reflection": "Client's reflection",
    "therapist_reflection": "Therapist's reflection",
}


def letter_version_changes(revision: LetterRevision) -> dict:
    """A letter version against the one before it: the version before, each part with its
    word diff and whether it changed, and whether this is the latest version."""
    versions = LetterRevision.objects.filter(letter_id=revision.letter_id)
    previous = versions.filter(number__lt=revision.number).order_by("-number").first()
    before = previous.texts() if previous else dict.fromkeys(LETTER_FIELD_LABELS, "")
    after = revision.texts()
    sections = [
        (
            label,
            diff_html(word_diff(before[field], after[field], keep_spacing=True)),
            before[field] != after[field],
        )
        for field, label in LETTER_FIELD_LABELS.items()
    ]
    return {
        "previous": previous,
        "sections": sections,
        "is_latest": not versions.filter(number__gt=revision.number).exists(),
    }


def companion_practice_entries(client: Client, limit: int = 30) -> list[CompanionPractice]:
    """The client's latest practice entries, each with its technique's label."""
    techniques = dict(practice_technique_choices())
    entries = list(CompanionPractice.objects.filter(client=client)[:limit])
    for entry in entries:
        entry.technique_label = techniques.get(entry.technique, entry.technique)
    return entries
