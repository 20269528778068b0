"""Supervision: who supervises whom, and a note's review (send, return, co-sign).

A note of a clinician under the co-sign policy goes draft -> pending review ->
signed (co-signed) or returned -> pending review again. A pending note is
locked while the supervisor reads it; a returned one is editable; a co-signed
one is locked like every signed note, with both signatures on it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.models import SessionReview, SignedRecordLocked, Supervision, TherapySession
from clients.services.sessions import is_late_entry, session_ready_check


def supervision_of(user: User) -> Supervision | None:
    """The user's supervision, if any (one query; None for a clinician on their own)."""
    return Supervision.objects.select_related("supervisor").filter(supervisee=user).first()


def needs_cosign(user: User) -> bool:
    return Supervision.objects.filter(
        supervisee=user, policy=Supervision.Policy.COSIGN, supervisor__is_active=True
    ).exists()


@transaction.atomic
def supervision_set(
    *,
    by: User,
    supervisee: User,
    supervisor: User | None,
    policy: str,
    request: HttpRequest | None = None,
) -> Supervision | None:
    """Mark a clinician supervised (or no longer, with supervisor=None). Clinic admins only.

    Notes waiting for a review that will no longer come (supervision ended, or now read
    only) go back to their author as drafts, to be signed by them.
    """
    if not (by.is_clinic_admin and by.clinic_id and by.clinic_id == supervisee.clinic_id):
        raise PermissionError("Only a clinic admin of the clinician's clinic sets supervision")
    current = Supervision.objects.select_for_update().filter(supervisee=supervisee).first()
    if supervisor is None:
        if current is not None:
            current.delete()
        _release_waiting_notes(supervisee)
        if request is not None:
            audit(
                action=AuditEvent.Action.CHANGE,
                request=request,
                obj=supervisee,
                summary="Supervision ended",
            )
        return None
    errors = {}
    if supervisor.pk == supervisee.pk:
        errors["supervisor"] = "A clinician cannot supervise themselves."
    elif supervisor.clinic_id != supervisee.clinic_id:
        errors["supervisor"] = "Choose a supervisor of the same clinic."
    elif not (supervisor.is_therapist and supervisor.is_active):
        errors["supervisor"] = "The supervisor must be an active clinician."
    elif Supervision.objects.filter(supervisee=supervisor, supervisor=supervisee).exists():
        errors["supervisor"] = f"{supervisor} is supervised by {supervisee}: choose someone else."
    if policy not in Supervision.Policy.values:
        errors["policy"] = "Choose a policy."
    if errors:
        raise ValidationError(errors)
    if current is None:
        current = Supervision(supervisee=supervisee)
    current.supervisor = supervisor
    current.policy = policy
    current.save()
    if policy != Supervision.Policy.COSIGN:
        _release_waiting_notes(supervisee)
    if request is not None:
        audit(
            action=AuditEvent.Action.CHANGE,
            request=request,
            obj=supervisee,
            summary=f"Supervision set: {supervisor} ({current.get_policy_display().lower()})",
        )
    return current


def _release_waiting_notes(supervisee: User) -> int:
    return TherapySession.objects.filter(
        therapist=supervisee,
        status__in=[TherapySession.Status.PENDING_REVIEW, TherapySession.Status.RETURNED],
    ).update(status=TherapySession.Status.DRAFT)


def _locked_note(session: TherapySession) -> TherapySession:
    return (
        TherapySession.objects.select_for_update()
        .select_related("client__clinic", "therapist")
        .get(pk=session.pk)
    )


@transaction.atomic
def session_send_for_review(
    *, session: TherapySession, user: User, request: HttpRequest | None = None
) -> TherapySession:
    """The author sends a draft or returned note to their supervisor; it locks while it waits."""
    session = _locked_note(session)
    if session.therapist_id != user.pk:
        raise PermissionError("Only the note's author can send it for review")
    if session.is_signed:
        raise SignedRecordLocked("This note is already signed")
    if session.is_pending_review:
        raise ValidationError("This note is already waiting for review.")
    if not needs_cosign(user):
        raise ValidationError("Your notes are not co-signed: sign this note yourself.")
    session_ready_check(session)
    now = timezone.now()
    session.status = TherapySession.Status.PENDING_REVIEW
    session.sent_for_review_at = now
    session.save(update_fields=["status", "sent_for_review_at", "updated_at"])
    SessionReview.objects.create(session=session, action=SessionReview.Action.SENT, by=user, at=now)
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.SIGN,
            client_id=session.client_id,
            obj=session,
            summary="Session note sent for supervisor review",
        )
    return session


def _refuse_unless_reviewer(session: TherapySession, user: User) -> None:
    supervision = Supervision.objects.filter(supervisee_id=session.therapist_id).first()
    if (
        supervision is None
        or supervision.supervisor_id != user.pk
        or not supervision.cosigns
        or user.clinic_id != session.client.clinic_id
        or not user.is_active
    ):
        raise PermissionError("Only the clinician's supervisor can review this note")
    if session.is_signed:
        raise SignedRecordLocked("This note is already signed")
    if not (session.is_pending_review or (session.is_returned and not author_can_revise(session))):
        raise ValidationError("This note is not waiting for review.")


def author_can_revise(session: TherapySession) -> bool:
    """A returned note waits for its author only while they can still open it."""
    author = session.therapist
    return author.is_active and session.client.primary_therapist_id == author.pk


@transaction.atomic
def session_cosign(
    *, session: TherapySession, user: User, request: HttpRequest | None = None
) -> TherapySession:
    """The supervisor co-signs: the note becomes final and locks, with both signatures.

    The clinician's signature is the time they sent this version; the late-entry flag
    is judged on it, not on how long the review took.
    """
    session = _locked_note(session)
    _refuse_unless_reviewer(session, user)
    now = timezone.now()
    sent = session.sent_for_review_at or now
    session.status = TherapySession.Status.SIGNED
    session.signed_by_id = session.therapist_id
    session.signed_at = sent
    session.late_entry = is_late_entry(session, sent)
    session.cosigned_by = user
    session.cosigned_at = now
    session.save()
    SessionReview.objects.create(
        session=session, action=SessionReview.Action.COSIGNED, by=user, at=now
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.SIGN,
            client_id=session.client_id,
            obj=session,
            summary="Session note co-signed by supervisor",
        )
    return session


@transaction.atomic
def session_return(
    *,
    session: TherapySession,
    user: User,
    comment: str,
    request: HttpRequest | None = None,
) -> TherapySession:
    """The supervisor returns the note with a comment; the clinician revises and sends again."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say what should change before returning the note."})
    session = _locked_note(session)
    _refuse_unless_reviewer(session, user)
    author = session.therapist
    if not author_can_revise(session):
        # Returned, it would wait for someone who can no longer revise it.
        raise ValidationError(
            f"{author} can no longer revise this note (the client was reassigned or the "
            "account closed): co-sign it, or ask the clinic admin."
        )
    now = timezone.now()
    session.status = TherapySession.Status.RETURNED
    session.save(update_fields=["status", "updated_at"])
    SessionReview.objects.create(
        session=session, action=SessionReview.Action.RETURNED, by=user, comment=comment, at=now
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CHANGE,
            client_id=session.client_id,
            obj=session,
            summary="Session note returned to the clinician with a comment",
        )
    return session
