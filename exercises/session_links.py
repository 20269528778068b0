"""The exercises a session note can name as done in it (clients/session_exercises.py)."""

from clients.session_exercises import register_session_exercise_source
from exercises.models import Exploration, RelationshipMap, ReparentingLetter, SafeSpacePlan


def register() -> None:
    register_session_exercise_source(
        kind="exploration",
        label="Attachment style exploration",
        of_client=lambda client: Exploration.objects.filter(client=client).order_by("-date"),
    )
    register_session_exercise_source(
        kind="map",
        label="Relationship map",
        of_client=lambda client: RelationshipMap.objects.filter(client=client).order_by("-date"),
    )
    register_session_exercise_source(
        kind="letter",
        label="Reparenting letter",
        of_client=lambda client: (
            ReparentingLetter.objects.filter(client=client)
            .only("id", "title", "kind", "session_id", "client_id")
            .order_by("-updated_at")
        ),
    )
    register_session_exercise_source(
        kind="safe_space",
        label="Safe-space plan",
        of_client=lambda client: SafeSpacePlan.objects.filter(client=client).order_by(
            "-updated_at"
        ),
    )
