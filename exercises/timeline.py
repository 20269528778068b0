"""The exercises' entries on the client timeline: one query per source."""

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from clients.timeline import TimelineEntry, register_timeline_source
from exercises.models import (
    Exploration,
    MapSnapshot,
    RelationshipMap,
    ReparentingLetter,
    SafeSpacePlan,
    SafeSpacePractice,
)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def exploration_entries(client: Client) -> Iterable[TimelineEntry]:
    for e in Exploration.objects.filter(client=client).order_by("-date", "-created_at"):
        yield TimelineEntry(
            kind="explorations",
            when=_at(e.date),
            title="Attachment style exploration",
            url=e.get_absolute_url(),
        )


def map_entries(client: Client) -> Iterable[TimelineEntry]:
    maps = list(RelationshipMap.objects.filter(client=client).order_by("-date"))
    snapshots = list(
        MapSnapshot.objects.filter(map__client=client).select_related("map").order_by("-taken_on")
    )
    entries = [
        TimelineEntry(
            kind="maps",
            when=_at(m.date),
            title="Relationship map",
            url=m.get_absolute_url(),
        )
        for m in maps
    ] + [
        TimelineEntry(
            kind="maps",
            when=_at(s.taken_on),
            title="Relationship map snapshot",
            url=reverse("exercises:snapshot_detail", args=[client.pk, s.map_id, s.pk]),
        )
        for s in snapshots
    ]
    return sorted(entries, key=lambda e: e.when, reverse=True)


def letter_entries(client: Client) -> Iterable[TimelineEntry]:
    letters = ReparentingLetter.objects.filter(client=client).only(
        "id", "client_id", "kind", "created_at", "updated_at"
    )
    for letter in letters.order_by("-created_at"):
        yield TimelineEntry(
            kind="letters",
            when=letter.created_at,
            title="Reparenting letter",
            url=letter.get_absolute_url(),
            detail=letter.get_kind_display(),
        )


def safe_space_entries(client: Client) -> Iterable[TimelineEntry]:
    plans = list(SafeSpacePlan.objects.filter(client=client).order_by("-created_at"))
    practices = list(
        SafeSpacePractice.objects.filter(plan__client=client).order_by("-date", "-created_at")
    )
    entries = [
        TimelineEntry(
            kind="safe_space",
            when=p.created_at,
            title="Safe-space plan",
            url=p.get_absolute_url(),
        )
        for p in plans
    ] + [
        TimelineEntry(
            kind="safe_space",
            when=_at(p.date),
            title="Safe-space practice",
            url=SafeSpacePlan.url_for(client.pk, p.plan_id),
            detail=f"Distress {p.distress_before} → {p.distress_after}",
        )
        for p in practices
    ]
    return sorted(entries, key=lambda e: e.when, reverse=True)


def register() -> None:
    register_timeline_source(
        kind="explorations", label="Style explorations", entries=exploration_entries
    )
    register_timeline_source(kind="maps", label="Relationship maps", entries=map_entries)
    register_timeline_source(kind="letters", label="Reparenting letters", entries=letter_entries)
    register_timeline_source(
        kind="safe_space", label="Safe-space plans", entries=safe_space_entries
    )
