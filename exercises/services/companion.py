"""Sharing with the client's companion, and the client's own entries.

Only what is named here is copied: a safe-space plan's card (no distress ratings, no
session), a letter's text (never the experience notes or the therapist's reflection),
a map's people (names and roles, never ties, notes or themes). Nothing else of the
record can reach the client, because nothing else is ever copied.
"""

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.models import Client
from exercises.models import (
    GROUNDING_TECHNIQUES,
    ClosenessRating,
    CompanionLetter,
    CompanionPractice,
    FigureRole,
    RelationshipMap,
    ReparentingLetter,
    SafeSpacePlan,
    SharedItem,
    SharedKind,
)


class NothingToShare(Exception):
    """The record is not the client's, or not of a kind that can be shared."""


def _safe_space_copy(plan: SafeSpacePlan) -> tuple[str, dict]:
    return plan.name, {
        "name": plan.name,
        "kind": plan.get_kind_display(),
        "description": plan.description,
        "anchors": [[str(label), text] for label, text in plan.anchors()],
        "cue_word": plan.cue_word,
        "techniques": [[name, how] for name, how in plan.technique_list()],
        "people": plan.people_list(),
    }


def _letter_copy(letter: ReparentingLetter) -> tuple[str, dict]:
    return str(letter), {
        "title": str(letter),
        "kind": letter.get_kind_display(),
        "younger_age": letter.younger_age,
        "letter": letter.letter,
    }


def _map_people_copy(relationship_map: RelationshipMap) -> tuple[str, dict]:
    people = [
        {"key": str(f.pk), "label": f.label, "role": f.get_role_display()}
        for f in relationship_map.figures.exclude(role=FigureRole.CLIENT).order_by("label")
    ]
    return "People on your relationship map", {"people": people}


SOURCES = {
    SharedKind.SAFE_SPACE: (SafeSpacePlan, _safe_space_copy),
    SharedKind.LETTER: (ReparentingLetter, _letter_copy),
    SharedKind.MAP_PEOPLE: (RelationshipMap, _map_people_copy),
}


@transaction.atomic
def shared_item_share(*, by: User, client: Client, kind: str, source_id) -> SharedItem:
    """Copy the record as it is now to the client's companion (replacing an earlier copy)."""
    if kind not in SOURCES:
        raise NothingToShare
    model, copy = SOURCES[SharedKind(kind)]
    source = model.objects.filter(client=client, pk=source_id).first()
    if source is None:
        raise NothingToShare
    title, content = copy(source)
    now = timezone.now()
    SharedItem.objects.current().filter(client=client, kind=kind, source_id=source.pk).update(
        withdrawn_at=now
    )
    return SharedItem.objects.create(
        client=client,
        kind=kind,
        source_id=source.pk,
        title=title[:200],
        content=content,
        shared_by=by,
        shared_at=now,
    )


@transaction.atomic
def shared_item_withdraw(*, item: SharedItem) -> None:
    if item.withdrawn_at is None:
        item.withdrawn_at = timezone.now()
        item.save(update_fields=["withdrawn_at"])


def practice_technique_choices() -> list[tuple[str, str]]:
    return [
        ("safe_space", "Safe-space visualization"),
        *[(key, name) for key, (name, _how) in GROUNDING_TECHNIQUES.items()],
        ("other", "Something else"),
    ]


@transaction.atomic
def companion_practice_record(
    *,
    by: User,
    client: Client,
    technique: str,
    distress_before: int,
    distress_after: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> CompanionPractice:
    """The client's own practice entry; audited when the client records it (a request)."""
    entry = CompanionPractice.objects.create(
        client=client,
        technique=technique,
        distress_before=distress_before,
        distress_after=distress_after,
        note=note,
        recorded_by=by,
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=client.pk,
            obj=entry,
            summary="Companion: the client recorded a practice",
        )
    return entry


@transaction.atomic
def companion_letter_write(
    *,
    by: User,
    client: Client,
    body: str,
    in_reply_to: SharedItem | None = None,
    request: HttpRequest | None = None,
) -> CompanionLetter:
    """The client's letter: a reply to a shared one, or (no in_reply_to) a new letter draft
    of their own; audited when the client writes it."""
    letter = CompanionLetter.objects.create(
        client=client, in_reply_to=in_reply_to, body=body, written_by=by
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=client.pk,
            obj=letter,
            summary=(
                "Companion: the client wrote a reply to a letter"
                if in_reply_to is not None
                else "Companion: the client wrote a letter draft of their own"
            ),
        )
    return letter


@transaction.atomic
def closeness_rate(
    *,
    by: User,
    client: Client,
    item: SharedItem,
    ratings: dict[str, tuple[int, int]],
    request: HttpRequest | None = None,
) -> list[ClosenessRating]:
    """The client's ratings (closeness, safety) of people on their shared map, by person key.

    Only people of that shared copy can be rated; others are ignored. Audited when the
    client rates (a request), naming the first rating saved.
    """
    people = {p["key"]: p["label"] for p in item.content.get("people", [])}
    now = timezone.now()
    saved = ClosenessRating.objects.bulk_create(
        [
            ClosenessRating(
                client=client,
                shared_item=item,
                person_key=key,
                person_label=people[key][:60],
                closeness=closeness,
                safety=safety,
                rated_by=by,
                rated_at=now,
            )
            for key, (closeness, safety) in ratings.items()
            if key in people
        ]
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=client.pk,
            obj=saved[0] if saved else None,
            summary="Companion: the client rated closeness and safety",
        )
    return saved
