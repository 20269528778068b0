"""What counts as a draft its author may delete, fed by every app that keeps unsigned work.

clients registers its notes and plan revisions here; exercises registers explorations,
maps and letters in its AppConfig.ready (clients never imports exercises). The service
(clients/services/drafts.py) deletes, keeps an undo copy, and restores through it; one
view (clients/views/drafts.py) serves every kind's confirmation page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.http import Http404

from clients.models import Client


def _nothing(obj: models.Model) -> None:
    return None


@dataclass(frozen=True)
class DraftKind:
    key: str
    model: type[models.Model]
    noun: str  # "session note": "Delete this draft session note?"
    url_kwarg: str  # the id's name in the kind's own URL ("session_id")
    of_client: Callable[[Client], models.QuerySet]  # the kind's rows of one client
    client_id: Callable[[models.Model], int]
    author_id: Callable[[models.Model], int]
    # Why it may not be deleted now ("" when it may): signed, sent for review, referred to.
    refusal: Callable[[models.Model], str]
    label: Callable[[models.Model], str]  # names it in the undo offer, without content
    back_to: Callable[[Client], str]  # where its author lands after deleting it
    # Work the rows' own save signals would do, skipped by a raw restore.
    after_restore: Callable[[models.Model], None] = field(default=_nothing)

    def find(self, client: Client, object_id) -> models.Model:
        obj = self.of_client(client).filter(pk=object_id).first()
        if obj is None:
            raise Http404
        return obj


_KINDS: dict[str, DraftKind] = {}


def register_draft_kind(kind: DraftKind) -> None:
    _KINDS[kind.key] = kind


def draft_kind(key: str) -> DraftKind:
    return _KINDS[key]


def register_own_kinds() -> None:
    """clients' own drafts: session notes and plan revisions (from ClientsConfig.ready)."""
    from django.urls import reverse

    from attachment_app.dates import format_date
    from clients.models import PlanRevision, TherapySession
    from clients.models.sessions import last_session_refresh

    def note_refusal(session: TherapySession) -> str:
        if session.is_signed:
            return "A signed note is never deleted: correct it with an addendum."
        if session.is_pending_review:
            return "This note is waiting for your supervisor's review and is kept."
        if session.reviews.exists():
            return "A note your supervisor has reviewed is kept: revise it instead."
        return ""

    register_draft_kind(
        DraftKind(
            key="session",
            model=TherapySession,
            noun="session note",
            url_kwarg="session_id",
            of_client=lambda client: TherapySession.objects.filter(client=client),
            client_id=lambda session: session.client_id,
            author_id=lambda session: session.therapist_id,
            refusal=note_refusal,
            label=lambda session: f"Draft session note of {format_date(session.date)}",
            back_to=lambda client: reverse("clients:session_list", args=[client.pk]),
            after_restore=lambda session: last_session_refresh(client_ids={session.client_id}),
        )
    )

    def revision_refusal(revision: PlanRevision) -> str:
        if revision.is_signed:
            return "A signed plan revision is never deleted: start a new revision instead."
        if TherapySession.objects.filter(
            goals_addressed__revision=revision, status=TherapySession.Status.SIGNED
        ).exists():
            return "A signed note names goals of this draft, so the draft is kept."
        return ""

    register_draft_kind(
        DraftKind(
            key="plan_revision",
            model=PlanRevision,
            noun="plan revision",
            url_kwarg="revision_id",
            of_client=lambda client: PlanRevision.objects.filter(plan__client=client),
            client_id=lambda revision: revision.plan.client_id,
            author_id=lambda revision: revision.author_id,
            refusal=revision_refusal,
            label=lambda revision: f"Draft plan revision {revision.number}",
            back_to=lambda client: reverse("clients:plan_detail", args=[client.pk]),
        )
    )
