"""Discharging a client, the closing summary drafted from the record, and reopening."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent, User
from clients.future_entries import refuse_future_date
from clients.measures import client_measures
from clients.models import (
    Client,
    ClientReopening,
    DischargeReason,
    DischargeSummary,
    PlanRevision,
    SignedRecordLocked,
    TherapySession,
)
from clients.services.caseload import client_change_status

MISSED = (
    TherapySession.Attendance.NO_SHOW,
    TherapySession.Attendance.LATE_CANCEL,
    TherapySession.Attendance.CANCELLED_CLIENT,
)


def _latest_revision(client: Client) -> PlanRevision | None:
    revisions = PlanRevision.objects.filter(plan__client=client)
    return revisions.filter(status="signed").first() or revisions.first()


def _goal_lines(revision: PlanRevision | None) -> str:
    lines = []
    for goal in revision.goals.prefetch_related("objectives") if revision else []:
        parts = [f"{o.text}: {o.get_status_display()}" for o in goal.objectives.all()]
        lines.append(f"{goal.text}" + (f" ({'; '.join(parts)})" if parts else ""))
    return "\n".join(lines)


def discharge_draft_values(client: Client) -> dict:
    """What the record says at discharge: the summary's first draft."""
    sessions = list(TherapySession.objects.filter(client=client).order_by("date"))
    attended = [s for s in sessions if s.attendance == TherapySession.Attendance.ATTENDED]
    techniques: list[str] = []
    for session in attended:
        techniques += [t for t in session.technique_labels if t not in techniques]
    revision = _latest_revision(client)
    concerns = client.presenting_concerns or (revision.presenting_problems if revision else "")
    return {
        "first_session_date": attended[0].date if attended else None,
        "last_session_date": attended[-1].date if attended else None,
        "sessions_attended": len(attended),
        "sessions_missed": sum(s.attendance in MISSED for s in sessions),
        "presenting_concerns": concerns,
        "goals_summary": _goal_lines(revision),
        "techniques_summary": ", ".join(techniques),
        "style_hypothesis": client.attachment_hypothesis,
        "measures": [m.as_dict() for m in client_measures(client)],
    }


@transaction.atomic
def client_discharge(
    *,
    client: Client,
    by: User,
    reason: str,
    date: dt.date,
    request: HttpRequest | None = None,
) -> DischargeSummary:
    """Close the record: status discharged, and a closing summary drafted from it."""
    client = Client.objects.select_for_update().select_related("clinic").get(pk=client.pk)
    if client.status == Client.Status.DISCHARGED:
        raise ValidationError("This client is already discharged.")
    if reason not in DischargeReason.values:
        raise ValidationError({"reason": "Choose a reason from the list."})
    refuse_future_date(clinic=client.clinic, date=date, field="date")
    # A closed record takes no signatures: its notes are finished first.
    unfinished = client.sessions.exclude(status=TherapySession.Status.SIGNED).count()
    if unfinished:
        raise ValidationError(
            f"{unfinished} session note{'s are' if unfinished > 1 else ' is'} not yet signed "
            "(draft, waiting for review or returned). Sign or delete "
            f"{'them' if unfinished > 1 else 'it'} before discharging."
        )
    summary = DischargeSummary.objects.create(
        client=client,
        reason=reason,
        discharge_date=date,
        discharged_by=by,
        **discharge_draft_values(client),
    )
    client_change_status(
        client=client,
        status=Client.Status.DISCHARGED,
        by=by,
        reason=f"Discharged: {DischargeReason(reason).label}",
    )
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.CHANGE,
        client_id=client.pk,
        obj=summary,
        summary=f"Client discharged ({DischargeReason(reason).label}); summary drafted",
    )
    return summary


@transaction.atomic
def discharge_summary_save(
    *, summary: DischargeSummary, by: User, values: dict, request: HttpRequest | None = None
) -> DischargeSummary:
    """Save the clinician's edits to a draft summary; a signed one is refused."""
    summary = DischargeSummary.objects.select_for_update().get(pk=summary.pk)
    if summary.is_signed:
        raise SignedRecordLocked("This discharge summary is signed and locked")
    for field in DischargeSummary.EDITABLE_FIELDS:
        if field in values:
            setattr(summary, field, values[field])
    summary.save()
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.CHANGE,
        client_id=summary.client_id,
        obj=summary,
        summary="Discharge summary draft saved",
    )
    return summary


@transaction.atomic
def discharge_summary_sign(
    *, summary: DischargeSummary, by: User, request: HttpRequest | None = None
) -> DischargeSummary:
    """Sign the summary: who and when; locked from then on."""
    summary = DischargeSummary.objects.select_for_update().get(pk=summary.pk)
    if summary.is_signed:
        raise SignedRecordLocked("This discharge summary is already signed")
    summary.status = DischargeSummary.Status.SIGNED
    summary.signed_at = timezone.now()
    summary.signed_by = by
    summary.save()
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.SIGN,
        client_id=summary.client_id,
        obj=summary,
        summary="Discharge summary signed",
    )
    return summary


@transaction.atomic
def client_reopen(
    *, client: Client, by: User, reason: str, request: HttpRequest | None = None
) -> ClientReopening:
    """Open a discharged record again, with the reason kept and audited."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.status != Client.Status.DISCHARGED:
        raise ValidationError("Only a discharged record is reopened.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Please give the reason for reopening."})
    reopening = ClientReopening.objects.create(client=client, by=by, reason=reason)
    status = Client.Status.ACTIVE if client.primary_therapist_id else Client.Status.WAITLIST
    client_change_status(client=client, status=status, by=by, reason=f"Reopened: {reason}")
    audit(
        request=request,
        actor=by,
        action=AuditEvent.Action.CHANGE,
        client_id=client.pk,
        obj=reopening,
        summary="Discharged record reopened",
    )
    return reopening
