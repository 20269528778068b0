"""Careful reads for sessions: scoped, and a constant number of queries."""

import datetime as dt

from django.db.models import QuerySet

from attachment_app.models import User
from clients.access import clients_in_care_of
from clients.distress_sources import DistressRow, client_reported_distress
from clients.measures import MeasureRatings, Rating, first_and_last
from clients.models import (
    Client,
    ProcessNote,
    TherapySession,
)

# Columns a session list shows. The note itself is not needed to list sessions.
LIST_FIELDS = [
    "id",
    "client_id",
    "therapist_id",
    "date",
    "start_time",
    "duration_minutes",
    "modality",
    "attendance",
    "status",
    "signed_at",
    "cosigned_at",
    "late_entry",
    "risk_level",
    "distress_before",
    "distress_after",
    "note_format",
]


def sessions_of(client: Client) -> QuerySet[TherapySession]:
    """A client's sessions, newest first."""
    return (
        TherapySession.objects.filter(client=client)
        .only(*LIST_FIELDS)
        .order_by("-date", "-start_time", "-created_at")
    )


def unsigned_notes_of(user: User) -> QuerySet[TherapySession]:
    """The user's own draft notes (and those their supervisor returned), for clients still
    in their care."""
    return (
        TherapySession.objects.filter(
            therapist=user,
            status__in=[TherapySession.Status.DRAFT, TherapySession.Status.RETURNED],
            client__in=clients_in_care_of(user),
        )
        .select_related("client__clinic")
        .only(
            *LIST_FIELDS,
            "updated_at",
            "client__clinic__late_entry_hours",
            "client__legal_first_name",
            "client__legal_last_name",
            "client__preferred_name",
        )
        .order_by("date", "start_time")
    )


def previous_session(
    client: Client, *, before: TherapySession | None = None
) -> TherapySession | None:
    """The latest signed session before this one (or before now), for context while writing."""
    sessions = TherapySession.objects.filter(client=client, status=TherapySession.Status.SIGNED)
    if before is not None:
        sessions = sessions.filter(date__lte=before.date).exclude(pk=before.pk)
    return (
        sessions.only("id", "client_id", "date", "homework", "note_plan")
        .order_by("-date", "-start_time")
        .first()
    )


def process_note_for(session: TherapySession, user: User) -> ProcessNote | None:
    """The private process note, for its author only; anyone else gets None."""
    if session.therapist_id != user.pk:
        return None
    return ProcessNote.objects.filter(session=session, author=user).first()


def distress_series(client: Client) -> list[TherapySession]:
    """Sessions with any distress rating, oldest first."""
    return list(
        TherapySession.objects.filter(client=client)
        .exclude(distress_before=None, distress_after=None)
        .only(
            "id", "client_id", "date", "start_time", "distress_before", "distress_after", "status"
        )
        .order_by("date", "start_time")
    )


def _session_row(session: TherapySession) -> DistressRow:
    return DistressRow(
        when=dt.datetime.combine(session.date, session.start_time or dt.time()),
        distress_before=session.distress_before,
        distress_after=session.distress_after,
        url=session.get_absolute_url(),
    )


def distress_rows(
    client: Client, *, chart_sessions: int, client_limit: int = 200
) -> tuple[list[DistressRow], list[DistressRow]]:
    """Every rated session and the client's own practice ratings (client-reported), oldest
    first, for the table; and what the chart shows: the latest `chart_sessions` sessions
    with the client's ratings since the first of them (or their latest alone)."""
    sessions = [_session_row(s) for s in distress_series(client)]
    reported = client_reported_distress(client, since=None, limit=client_limit)
    rows = sorted(sessions + reported, key=lambda row: row.when)
    charted_sessions = sessions[-chart_sessions:]
    if charted_sessions:
        start = charted_sessions[0].when
        charted = [row for row in rows if row.when >= start]
    else:
        charted = reported[-chart_sessions:]
    return rows, charted


def session_distress_measures(client: Client) -> list[MeasureRatings | None]:
    """Distress before and after sessions (0–10), first and last of each: one query."""
    rows = list(
        TherapySession.objects.filter(client=client)
        .order_by("date", "created_at")
        .values_list("date", "distress_before", "distress_after")
    )
    return [
        first_and_last(label, [Rating(row[0], row[i], 10) for row in rows if row[i] is not None])
        for i, label in ((1, "Distress before sessions"), (2, "Distress after sessions"))
    ]
