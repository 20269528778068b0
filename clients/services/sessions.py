"""Changing therapy sessions: drafts, signing, addenda. Views and tasks call these."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.future_entries import refuse_future_date
from clients.models import (
    Client,
    PlanGoal,
    ProcessNote,
    RiskLevel,
    SessionAddendum,
    SignedRecordLocked,
    Supervision,
    Technique,
    TherapySession,
)
from clients.session_exercises import session_exercises_link


def completeness_errors(values: dict) -> dict[str, str]:
    """What a note needs before it can be saved in full or signed (drafts may be partial)."""
    errors = {}
    if (
        values.get("risk_level", RiskLevel.NONE) != RiskLevel.NONE
        and not (values.get("risk_note") or "").strip()
    ):
        errors["risk_note"] = "Please describe the risk assessed and the plan."
    if (
        Technique.OTHER in (values.get("techniques") or [])
        and not (values.get("technique_other") or "").strip()
    ):
        errors["technique_other"] = "Please name the other technique."
    return errors


@transaction.atomic
def session_draft_save(
    *,
    session: TherapySession | None,
    client: Client,
    therapist: User,
    values: dict,
    goals: list[PlanGoal] | None = None,
    process_note: str | None = None,
    exercises: list[str] | None = None,
    request: HttpRequest | None = None,
) -> TherapySession:
    """Create or update a draft note. A signed note is refused.

    `exercises` are values of the note form's "exercises done" choices. Audited when a
    person saves it (a request).
    """
    created = session is None
    if session is None:
        session = TherapySession(client=client, therapist=therapist)
    elif session.is_signed:
        raise SignedRecordLocked("A signed note cannot be edited; add an addendum instead")
    elif session.is_pending_review:
        raise SignedRecordLocked("This note is waiting for your supervisor's review")
    for name, value in values.items():
        setattr(session, name, value)
    refuse_future_date(
        clinic=client.clinic, date=session.date, start_time=session.start_time, field="date"
    )
    session.save()
    if goals is not None:
        session.goals_addressed.set(goals)
    if process_note is not None:
        process_note_save(session=session, author=therapist, text=process_note)
    if exercises is not None:
        session_exercises_link(session=session, values=exercises)
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.CHANGE,
            client_id=client.pk,
            obj=session,
            summary="Session note draft saved",
        )
    return session


@transaction.atomic
def process_note_save(*, session: TherapySession, author: User, text: str) -> None:
    """Only the session's author writes its private process note, signed or not."""
    if session.therapist_id != author.pk:
        raise PermissionError("Only the session's author may write its private process note")
    note = ProcessNote.objects.filter(session=session).first()
    if note is None:
        if text:
            ProcessNote.objects.create(session=session, author=author, text=text)
        return
    if note.author_id != author.pk:
        raise PermissionError("Only the author may change a private process note")
    if note.text != text:
        note.text = text
        note.save(update_fields=["text", "updated_at"])


def is_late_entry(session: TherapySession, signed_at: dt.datetime) -> bool:
    ended = session.starts_at + dt.timedelta(minutes=session.duration_minutes or 0)
    window = dt.timedelta(hours=session.client.clinic.late_entry_hours)
    return signed_at - ended > window


def session_ready_check(session: TherapySession) -> None:
    """What a note needs before it is signed or sent for review (refused with the field)."""
    errors = completeness_errors(
        {
            "risk_level": session.risk_level,
            "risk_note": session.risk_note,
            "techniques": session.techniques,
            "technique_other": session.technique_other,
        }
    )
    if errors:
        raise ValidationError(errors)
    refuse_future_date(
        clinic=session.client.clinic,
        date=session.date,
        start_time=session.start_time,
        field="date",
    )


@transaction.atomic
def session_sign(
    *, session: TherapySession, user: User, request: HttpRequest | None = None
) -> TherapySession:
    """Lock the note: who signed, when, and whether it was a late entry.

    A clinician whose supervisor co-signs does not sign alone: their notes are sent for
    review (clients/services/supervision.py).
    """
    session = (
        TherapySession.objects.select_for_update()
        .select_related("client__clinic")
        .get(pk=session.pk)
    )
    if session.is_signed:
        raise SignedRecordLocked("This note is already signed")
    if session.therapist_id != user.pk:
        raise PermissionError("Only the note's author can sign it")
    if Supervision.objects.filter(
        supervisee=user, policy=Supervision.Policy.COSIGN, supervisor__is_active=True
    ).exists():
        raise ValidationError("Your supervisor co-signs your notes: send this note for review.")
    if session.is_pending_review:
        raise ValidationError("This note is waiting for review.")
    session_ready_check(session)
    now = timezone.now()
    session.status = TherapySession.Status.SIGNED
    session.signed_at = now
    session.signed_by = user
    session.late_entry = is_late_entry(session, now)
    session.save()
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.SIGN,
            client_id=session.client_id,
            obj=session,
            summary="Session note signed",
        )
    return session


@transaction.atomic
def addendum_add(
    *,
    session: TherapySession,
    author: User,
    reason: str,
    text: str,
    request: HttpRequest | None = None,
) -> SessionAddendum:
    """An addendum is signed by its author as it is written; the original stays as it was."""
    if not session.is_signed:
        raise ValidationError("A draft is edited directly; addenda are for signed notes")
    addendum = SessionAddendum.objects.create(
        session=session, author=author, reason=reason, text=text, signed_at=timezone.now()
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.SIGN,
            client_id=session.client_id,
            obj=addendum,
            summary="Session note addendum signed",
        )
    return addendum
