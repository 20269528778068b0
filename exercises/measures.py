"""The exercises' measures for the discharge summary (clients/measures.py): rating scales
(PHQ-9 and GAD-7 check-ins among them), exploration ratings and practice distress."""

from collections import defaultdict

from django.utils import timezone

from clients.measures import MeasureRatings, Rating, first_and_last, register_measure_source
from clients.models import Client
from exercises.models import (
    CompanionPractice,
    Exploration,
    RatingScale,
    SafeSpacePractice,
    ScaleAdministration,
)
from exercises.scoring import severity_band, subscale_means, total_score

Spans = list[MeasureRatings | None]


def _scale_ratings(scale: RatingScale, administrations: list) -> Spans:
    """A built-in measure by its total; a clinic scale by the mean of each subscale."""
    items = list(scale.items.all())
    reported = all(a.client_reported for a in administrations)
    if scale.builtin:
        ratings = []
        for a in administrations:
            total = total_score(items, a.responses)
            if total is not None:
                band = severity_band(scale.builtin, total)
                ratings.append(Rating(a.date, total, scale.max_value * len(items), band))
        return [first_and_last(scale.name, ratings, client_reported=reported)]
    by_subscale = defaultdict(list)
    for a in administrations:
        means = subscale_means(
            items, a.responses, min_value=scale.min_value, max_value=scale.max_value
        )
        for key, mean in means.items():
            if mean is not None:
                by_subscale[key].append(Rating(a.date, mean, scale.max_value))
    return [
        first_and_last(f"{scale.name}: {key} (mean)", ratings, client_reported=reported)
        for key, ratings in sorted(by_subscale.items())
    ]


def scale_measures(client: Client) -> Spans:
    administrations = (
        ScaleAdministration.objects.filter(client=client)
        .select_related("scale")
        .prefetch_related("scale__items")
        .order_by("scale__name", "date", "created_at")
    )
    by_scale: dict[int, list] = defaultdict(list)
    for a in administrations:
        by_scale[a.scale_id].append(a)
    return [m for group in by_scale.values() for m in _scale_ratings(group[0].scale, group)]


def exploration_measures(client: Client) -> Spans:
    rows = list(
        Exploration.objects.filter(client=client).values_list(
            "date", "anxiety_rating", "avoidance_rating"
        )
    )
    return [
        first_and_last(label, [Rating(r[0], r[i], 7) for r in rows if r[i] is not None])
        for i, label in ((1, "Exploration: anxiety rating"), (2, "Exploration: avoidance rating"))
    ]


def practice_measures(client: Client) -> Spans:
    """Distress before and after safe-space practice, in session and client-reported."""
    safe_space = list(
        SafeSpacePractice.objects.filter(plan__client=client).values_list(
            "date", "distress_before", "distress_after"
        )
    )
    own = [
        (timezone.localdate(p.recorded_at), p.distress_before, p.distress_after)
        for p in CompanionPractice.objects.filter(client=client).only(
            "recorded_at", "distress_before", "distress_after"
        )
    ]
    spans = []
    for rows, label, reported in (
        (safe_space, "Safe-space practice", False),
        (own, "Practice between sessions", True),
    ):
        for i, when in ((1, "before"), (2, "after")):
            ratings = [Rating(r[0], r[i], 10) for r in rows if r[i] is not None]
            measure = f"{label}: distress {when}"
            spans.append(first_and_last(measure, ratings, client_reported=reported))
    return spans


def register() -> None:
    register_measure_source(key="scales", measures=scale_measures)
    register_measure_source(key="explorations", measures=exploration_measures)
    register_measure_source(key="practice", measures=practice_measures)
