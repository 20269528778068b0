"""The exercises a therapist may delete while they are drafts (registered in clients.drafts).

An exercise has no signature of its own: it is part of the signed record once it was done
in a session whose note is signed, and is then kept.
"""

from django.urls import reverse

from attachment_app.dates import format_date
from clients.drafts import DraftKind, register_draft_kind
from clients.models import TherapySession
from exercises.models import Exploration, RelationshipMap, ReparentingLetter


def _refusal(exercise) -> str:
    if (
        exercise.session_id
        and TherapySession.objects.filter(
            pk=exercise.session_id, status=TherapySession.Status.SIGNED
        ).exists()
    ):
        return "It was done in a session whose note is signed, so it is part of that record."
    return ""


def _exercise_kind(key: str, model, noun: str, url_kwarg: str, label) -> DraftKind:
    return DraftKind(
        key=key,
        model=model,
        noun=noun,
        url_kwarg=url_kwarg,
        of_client=lambda client: model.objects.filter(client=client),
        client_id=lambda exercise: exercise.client_id,
        author_id=lambda exercise: exercise.therapist_id,
        refusal=_refusal,
        label=label,
        back_to=lambda client: reverse("exercises:client_home", args=[client.pk]),
    )


def register() -> None:
    register_draft_kind(
        _exercise_kind(
            "exploration",
            Exploration,
            "exploration",
            "exploration_id",
            lambda e: f"Attachment style exploration of {format_date(e.date)}",
        )
    )
    register_draft_kind(
        _exercise_kind(
            "map",
            RelationshipMap,
            "relationship map",
            "map_id",
            lambda m: f"Relationship map of {format_date(m.date)}",
        )
    )
    register_draft_kind(
        _exercise_kind(
            "letter",
            ReparentingLetter,
            "letter",
            "letter_id",
            lambda letter: f"Letter started {format_date(letter.created_at)}",
        )
    )
