"""The clients app's own timeline sources: sessions, plan revisions, assignments, status.

Each source is one query. Titles are short labels, never clinical content.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from django.urls import reverse
from django.utils import timezone

from attachment_app.dates import format_date
from clients.future_entries import latest_allowed
from clients.models import (
    Client,
    ClientAssignment,
    ClientStatusChange,
    PlanRevision,
    TherapySession,
)
from clients.timeline import TimelineEntry, register_timeline_source


def session_entries(client: Client) -> Iterable[TimelineEntry]:
    # Plain rows and label lookups: the page lists every session of a long therapy.
    modality = dict(TherapySession.Modality.choices)
    attendance = dict(TherapySession.Attendance.choices)
    status = {k: v.lower() for k, v in TherapySession.Status.choices}
    zone = timezone.get_current_timezone()  # session_start's make_aware, looked up once
    noon = dt.time(12, 0)
    rows = TherapySession.objects.filter(client=client).values_list(
        "id", "date", "start_time", "status", "attendance", "modality", "late_entry"
    )
    for pk, date, start_time, state, attended, mode, late_entry in rows:
        detail = f"{modality.get(mode, mode)} · {attendance.get(attended, attended)}"
        if late_entry:
            detail += " · late entry"
        yield TimelineEntry(
            kind="sessions",
            when=dt.datetime.combine(date, start_time or noon, tzinfo=zone),
            title=f"Session ({status.get(state, state)})",
            url=TherapySession.url_for(client.pk, pk),
            detail=detail,
        )


def plan_entries(client: Client) -> Iterable[TimelineEntry]:
    revisions = PlanRevision.objects.filter(plan__client=client).only(
        "id", "number", "status", "created_at", "signed_at", "plan_id"
    )
    for r in revisions:
        yield TimelineEntry(
            kind="plan",
            when=r.signed_at or r.created_at,
            title=f"Treatment plan revision {r.number} ({r.get_status_display().lower()})",
            url=reverse("clients:revision_detail", args=[client.pk, r.pk]),
        )


def assignment_entries(client: Client) -> Iterable[TimelineEntry]:
    for a in ClientAssignment.objects.filter(client=client).select_related("therapist"):
        yield TimelineEntry(
            kind="assignments",
            when=a.started_at,
            title=f"Assigned to {a.therapist}",
            detail=f"Until {format_date(a.ended_at)}" if a.ended_at else "",
        )


def status_entries(client: Client) -> Iterable[TimelineEntry]:
    for c in ClientStatusChange.objects.filter(client=client):
        before = c.get_from_status_display() or "New"
        yield TimelineEntry(
            kind="status",
            when=c.changed_at,
            title=f"Status: {before} → {c.get_to_status_display()}",
        )


def register() -> None:
    register_timeline_source(kind="sessions", label="Sessions", entries=session_entries)
    register_timeline_source(kind="plan", label="Treatment plan", entries=plan_entries)
    register_timeline_source(kind="assignments", label="Assignments", entries=assignment_entries)
    register_timeline_source(kind="status", label="Status changes", entries=status_entries)


def timeline_for(client: Client, kinds: set[str] | None = None) -> list[TimelineEntry]:
    """Entries of the chosen kinds (all when None), newest first."""
    from clients.timeline import timeline_sources

    entries: list[TimelineEntry] = []
    for source in timeline_sources():
        if kinds is None or source.kind in kinds:
            entries.extend(source.entries(client))
    floor = timezone.make_aware(dt.datetime(1900, 1, 1))
    entries.sort(key=lambda e: e.when or floor, reverse=True)
    # An entry dated in the future (recorded before that was refused) never leads: it
    # follows the rest, flagged, so the top of the timeline is what happened last.
    limit = latest_allowed(client.clinic)
    future = [replace(e, future=True) for e in entries if e.when and e.when > limit]
    if not future:
        return entries
    return [e for e in entries if not (e.when and e.when > limit)] + future
