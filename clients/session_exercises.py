"""Which exercises were done in a session, chosen from the note.

clients never imports exercises: each exercise kind registers a source here
(exercises does so in its AppConfig.ready). A source gives the client's
exercises of its kind as a queryset of rows with a nullable `session` foreign
key; the note form offers them and links the chosen ones to the session.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from clients.models import Client, TherapySession


@dataclass(frozen=True)
class SessionExerciseSource:
    kind: str  # short key, part of the form's values ("map:<uuid>")
    label: str  # e.g. "Relationship map"
    of_client: Callable[[Client], QuerySet]


_SOURCES: dict[str, SessionExerciseSource] = {}


def register_session_exercise_source(*, kind: str, label: str, of_client: Callable) -> None:
    _SOURCES[kind] = SessionExerciseSource(kind=kind, label=label, of_client=of_client)


def session_exercise_sources() -> list[SessionExerciseSource]:
    return list(_SOURCES.values())


def session_exercise_choices(
    client: Client, session: TherapySession | None
) -> tuple[list[tuple[str, str]], list[str]]:
    """(value, label) for each exercise of the client, and the values linked to this session.

    Offered: exercises not yet linked to any session, and those linked to this one;
    one done in another session stays with it. One query per kind.
    """
    choices: list[tuple[str, str]] = []
    linked: list[str] = []
    session_id = session.pk if session else None
    for source in session_exercise_sources():
        for row in source.of_client(client):
            if row.session_id is not None and row.session_id != session_id:
                continue
            value = f"{source.kind}:{row.pk}"
            name = str(row)
            # Some exercises already name their kind ("Attachment style exploration, 2 Dec").
            choices.append(
                (value, name if name.startswith(source.label) else f"{source.label}: {name}")
            )
            if session_id and row.session_id == session_id:
                linked.append(value)
    return choices, linked


def session_exercises_link(*, session: TherapySession, values: list[str]) -> None:
    """Link the chosen exercises to the session and unlink the ones no longer chosen."""
    chosen: dict[str, list[str]] = {}
    for value in values:
        kind, _, pk = value.partition(":")
        chosen.setdefault(kind, []).append(pk)
    for source in session_exercise_sources():
        rows = source.of_client(session.client)
        rows.filter(session=session).exclude(pk__in=chosen.get(source.kind, [])).update(
            session=None
        )
        rows.filter(pk__in=chosen.get(source.kind, []), session__isnull=True).update(
            session=session
        )
