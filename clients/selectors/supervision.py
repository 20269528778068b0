"""Reads for supervision: the review queue, a note's review history, who reviews what."""

from django.db.models import QuerySet

from attachment_app.models import User
from clients.access import AWAITING_REVIEW, notes_reviewable_by, supervisees_of
from clients.models import SessionReview, Supervision, TherapySession


def review_queue(user: User) -> QuerySet[TherapySession]:
    """Notes waiting for the user's co-signature, oldest sent first (a constant query count)."""
    return (
        notes_reviewable_by(user)
        .filter(AWAITING_REVIEW)
        .select_related("client", "therapist")
        .only(
            "id",
            "date",
            "status",
            "sent_for_review_at",
            "risk_level",
            "client_id",
            "client__legal_first_name",
            "client__legal_last_name",
            "client__preferred_name",
            "therapist_id",
            "therapist__full_name",
            "therapist__email",
        )
        .order_by("sent_for_review_at", "date")
    )


def returned_to(user: User) -> QuerySet[TherapySession]:
    """The user's own notes their supervisor returned, waiting to be revised."""
    return TherapySession.objects.filter(
        therapist=user, status=TherapySession.Status.RETURNED
    ).select_related("client")


def supervisees_with_counts(user: User) -> list[Supervision]:
    return list(supervisees_of(user).select_related("supervisee").order_by("supervisee__full_name"))


def is_reviewer(user: User, session: TherapySession) -> bool:
    return notes_reviewable_by(user).filter(pk=session.pk).exists()


def awaits_review_by(user: User, session: TherapySession) -> bool:
    """The note is the user's to co-sign (or return) now."""
    return notes_reviewable_by(user).filter(AWAITING_REVIEW, pk=session.pk).exists()


def has_reviews(session: TherapySession) -> bool:
    return SessionReview.objects.filter(session=session).exists()


def last_return_of(session: TherapySession) -> SessionReview | None:
    if not session.is_returned:
        return None
    return (
        SessionReview.objects.filter(session=session, action=SessionReview.Action.RETURNED)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )
