"""The documents clients owns: treatment plan, session summary, caseload report (PDF).

The caseload as a spreadsheet is streamed from the caseload page
(clients/exports/spreadsheet.py), following the list's filters.

Each context builder reads only what its document shows, in a fixed number of
queries. Private process notes are a separate model that nothing here reads:
no select_related or prefetch names it, so no document can show one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from itertools import groupby

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Subquery

from attachment_app.models import User
from clients.exports.registry import (
    CASELOAD_PDF,
    CONSENT,
    DISCHARGE_SUMMARY,
    SESSION_SUMMARY,
    TREATMENT_PLAN,
    DocumentKind,
    InvalidParameters,
    register_document,
    sections_for,
    wants_drafts,
)
from clients.models import (
    Client,
    ClientAssignment,
    ClientConsent,
    DischargeSummary,
    ExportJob,
    PlanGoal,
    PlanRevision,
    SessionAddendum,
    TherapySession,
)


def base_context(job: ExportJob) -> dict:
    client = job.client
    return {
        "client": client,
        "clinic": job.clinic,
        "therapist": client.primary_therapist if client else None,
        # The job's own timestamp, not "now": a re-render gives the same bytes.
        "produced_at": job.requested_at,
        "draft": False,
    }


def _session_line(session: TherapySession, *, full: bool = False) -> dict:
    """One session as a document shows it; full adds the note, addenda, practice and risk check.

    With full, the session's addenda must be prefetched (see _sessions_with_addenda).
    """
    line = {
        "date": session.date,
        "start_time": session.start_time,
        "duration_minutes": session.duration_minutes,
        "modality": session.get_modality_display(),
        "attendance": session.get_attendance_display(),
        "therapist": session.therapist.full_name,
        # Anything not signed is not final: a draft, a note waiting for the supervisor's
        # review, or one the supervisor returned.
        "draft": not session.is_signed,
        "review_status": "" if session.is_signed else session.get_status_display(),
        "signed_at": session.signed_at,
        "signed_by": session.signed_by.full_name if session.signed_by else "",
        "cosigned_at": session.cosigned_at,
        "cosigned_by": session.cosigned_by.full_name if session.cosigned_by else "",
        "late_entry": session.late_entry,
        "techniques": session.technique_labels,
        "distress_before": session.distress_before,
        "distress_after": session.distress_after,
        "note": [],
        "addenda": [],
    }
    if full:
        line.update(
            note_format=session.get_note_format_display(),
            # The sections of the format it was written in, as written (empty ones skipped).
            note=[{"label": label, "text": text} for label, text in session.note_sections if text],
            homework=session.homework,
            risk_level=session.get_risk_level_display(),
            risk_note=session.risk_note,
            addenda=[
                {
                    "date": a.signed_at,
                    "author": a.author.full_name,
                    "reason": a.reason,
                    "text": a.text,
                }
                for a in session.addenda.all()
            ],
        )
    return line


def _sessions_with_addenda(client: Client):
    return (
        TherapySession.objects.filter(client=client)
        .select_related("therapist", "signed_by", "cosigned_by")
        .prefetch_related(
            Prefetch(
                "addenda",
                queryset=SessionAddendum.objects.select_related("author").order_by("signed_at"),
            )
        )
    )


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


# Treatment plan ------------------------------------------------------------


def _goals(revision: PlanRevision | None) -> list[dict]:
    if revision is None:
        return []
    goals = PlanGoal.objects.filter(revision=revision).prefetch_related(
        "objectives", "interventions"
    )
    return [
        {
            "title": goal.text,
            "objectives": [
                {
                    "text": o.text,
                    "target_date": o.target_date,
                    "status": o.get_status_display(),
                    "progress": o.progress,
                }
                for o in goal.objectives.all()
            ],
            "interventions": [
                {
                    "technique": i.get_technique_display(),
                    "description": i.description,
                    "frequency": i.frequency,
                    "sentence": i.sentence(),
                }
                for i in goal.interventions.all()
            ],
        }
        for goal in goals
    ]


def _formulation(client: Client, revision: PlanRevision | None) -> dict:
    if revision is None:
        return {
            "hypothesis": client.get_attachment_hypothesis_display(),
            "hypothesis_date": client.attachment_hypothesis_date,
            "presenting": [],
            "evidence": [],
            "patterns": [],
            "change_wishes": [],
        }
    return {
        "hypothesis": revision.get_style_hypothesis_display(),
        "hypothesis_date": (revision.signed_at or revision.created_at).date(),
        "presenting": _paragraphs(revision.presenting_problems),
        "evidence": _paragraphs(revision.hypothesis_evidence),
        "patterns": _paragraphs(revision.relationship_patterns),
        "change_wishes": _paragraphs(revision.change_wishes),
    }


def _participation(revision: PlanRevision | None) -> dict | None:
    if revision is None:
        return None
    return {
        "agreed": revision.client_participated,
        "date": revision.participation_date,
        "note": revision.participation_note,
    }


def include_drafts(job: ExportJob) -> bool:
    """Documents show signed content only, unless the clinician asked for a draft copy."""
    return bool(job.parameters.get("include_drafts"))


def treatment_plan_context(job: ExportJob) -> dict:
    client = job.client
    drafts = include_drafts(job)
    revisions = PlanRevision.objects.filter(plan__client=client)
    sessions = TherapySession.objects.filter(client=client).select_related(
        "therapist", "signed_by", "cosigned_by"
    )
    if not drafts:
        revisions = revisions.filter(status=PlanRevision.Status.SIGNED)
        sessions = sessions.filter(status=TherapySession.Status.SIGNED)
    revisions = list(revisions.select_related("signed_by").order_by("-number")[:2])
    revision = revisions[0] if revisions else None
    previous = revisions[1] if len(revisions) > 1 else None
    if previous is not None:
        since = previous.signed_at or previous.created_at
        sessions = sessions.filter(date__gte=since.date())
    lines = [_session_line(s) for s in sessions.order_by("date", "start_time")]
    return {
        **base_context(job),
        "draft": revision is None
        or revision.status == PlanRevision.Status.DRAFT
        or any(line["draft"] for line in lines),
        "revision": revision,
        "since": (previous.signed_at or previous.created_at) if previous else None,
        "formulation": _formulation(client, revision),
        "goals": _goals(revision),
        "strengths": _paragraphs(revision.strengths) if revision else [],
        "supports": _paragraphs(revision.supports) if revision else [],
        "participation": _participation(revision),
        "sessions": lines,
        "sections": [
            {"key": s.key, "template": s.template, "context": s.build_context(job)}
            for s in sections_for(TREATMENT_PLAN)
        ],
    }


def clean_session_summary(client: Client | None, by: User, params: dict) -> dict:
    """One session of this client, or a date range (inclusive)."""
    if params.get("session_id"):
        try:
            session_id = uuid.UUID(str(params["session_id"]))
        except ValueError as exc:
            raise InvalidParameters("Choose a session.") from exc
        session = TherapySession.objects.filter(client=client, pk=session_id).first()
        if session is None:
            raise InvalidParameters("Choose a session.")
        if not session.is_signed and not wants_drafts(params):
            raise InvalidParameters(
                "This note is not signed yet: sign it first, or choose a draft copy."
            )
        return {"session_id": str(session_id)}
    try:
        date_from = dt.date.fromisoformat(str(params.get("date_from") or ""))
        date_to = dt.date.fromisoformat(str(params.get("date_to") or ""))
    except ValueError as exc:
        raise InvalidParameters("Give a start and an end date.") from exc
    if date_from > date_to:
        raise InvalidParameters("The start date must come before the end date.")
    # Refused here, at request time: one summary over years of sessions would hold a
    # worker for minutes and gigabytes.
    limit = settings.EXPORT_MAX_SESSIONS_PER_SUMMARY
    count = TherapySession.objects.filter(client=client, date__range=(date_from, date_to)).count()
    if count > limit:
        raise InvalidParameters(
            f"These dates hold {count} sessions; one summary holds at most {limit}. "
            "Choose a shorter date range and prepare the rest as a second summary."
        )
    return {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}


def session_summary_context(job: ExportJob) -> dict:
    params = job.parameters
    sessions = _sessions_with_addenda(job.client)
    if not include_drafts(job):
        sessions = sessions.filter(status=TherapySession.Status.SIGNED)
    date_from = date_to = None
    if params.get("session_id"):
        sessions = sessions.filter(pk=params["session_id"])
    else:
        date_from = dt.date.fromisoformat(params["date_from"])
        date_to = dt.date.fromisoformat(params["date_to"])
        sessions = sessions.filter(date__range=(date_from, date_to))
    lines = [_session_line(s, full=True) for s in sessions.order_by("date", "start_time")]
    return {
        **base_context(job),
        "draft": any(line["draft"] for line in lines),
        "sessions": lines,
        "date_from": date_from,
        "date_to": date_to,
    }


# Caseload report (clinic admins) ------------------------------------------------


def caseload_rows(job: ExportJob) -> list[dict]:
    """Demographics and assignment only: nothing clinical."""
    current = ClientAssignment.objects.filter(client=OuterRef("pk"), ended_at__isnull=True)
    clients = (
        Client.objects.filter(clinic_id=job.clinic_id)
        .select_related("primary_therapist")
        .annotate(assigned_since=Subquery(current.order_by("-started_at").values("started_at")[:1]))
        .order_by("primary_therapist__full_name", "legal_last_name", "legal_first_name")
    )
    return [
        {
            "name": c.legal_name,
            "legal_last_name": c.legal_last_name,
            "legal_first_name": c.legal_first_name,
            "preferred_name": c.preferred_name,
            "pronouns": c.pronouns,
            "date_of_birth": c.date_of_birth,
            "status": c.get_status_display(),
            "intake_date": c.intake_date,
            "therapist": c.primary_therapist.full_name if c.primary_therapist else "",
            "assigned_since": c.assigned_since,
        }
        for c in clients
    ]


def caseload_context(job: ExportJob) -> dict:
    rows = caseload_rows(job)
    groups = [
        {"therapist": therapist, "clients": list(items)}
        for therapist, items in groupby(rows, key=lambda r: r["therapist"])
    ]
    return {**base_context(job), "groups": groups, "total": len(rows)}


# Signed consent (the exact version signed) ----------------------------------------


def clean_consent(client: Client | None, by: User, params: dict) -> dict:
    message = "Choose a signed consent of this client."
    try:
        consent_id = uuid.UUID(str(params.get("consent_id") or ""))
    except ValueError as exc:
        raise InvalidParameters(message) from exc
    if not ClientConsent.objects.filter(client=client, pk=consent_id).exists():
        raise InvalidParameters(message)
    return {"consent_id": str(consent_id)}


def consent_context(job: ExportJob) -> dict:
    consent = ClientConsent.objects.select_related("template", "witnessed_by").get(
        client=job.client, pk=job.parameters["consent_id"]
    )
    return {
        **base_context(job),
        "consent": consent,
        "template": consent.template,
        "paragraphs": _paragraphs(consent.template.body),
    }


# Signed discharge summary ---------------------------------------------------------


def clean_discharge_summary(client: Client | None, by: User, params: dict) -> dict:
    """Only a signed summary of this client is exported: a draft is not the record yet."""
    message = "Choose a signed discharge summary of this client."
    try:
        discharge_id = uuid.UUID(str(params.get("discharge_id") or ""))
    except ValueError as exc:
        raise InvalidParameters(message) from exc
    summaries = DischargeSummary.objects.filter(client=client, status="signed")
    if not summaries.filter(pk=discharge_id).exists():
        raise InvalidParameters(message)
    return {"discharge_id": str(discharge_id)}


def discharge_summary_context(job: ExportJob) -> dict:
    summary = DischargeSummary.objects.select_related("signed_by", "discharged_by").get(
        client=job.client, pk=job.parameters["discharge_id"], status="signed"
    )
    return {
        **base_context(job),
        "summary": summary,
        "concerns": _paragraphs(summary.presenting_concerns),
        "goals": [line for line in summary.goals_summary.splitlines() if line.strip()],
        "referrals": _paragraphs(summary.referrals),
        "recommendations": _paragraphs(summary.recommendations),
    }


def register_builtin_documents() -> None:
    register_document(
        DocumentKind(
            key=TREATMENT_PLAN,
            label="Treatment plan",
            filename="treatment-plan",
            template="pdf/treatment_plan.html",
            build_context=treatment_plan_context,
            description="The current revision with its formulation, goals and recent sessions.",
            has_drafts=True,
        )
    )
    register_document(
        DocumentKind(
            key=SESSION_SUMMARY,
            label="Session summary",
            filename="session-summary",
            template="pdf/session_summary.html",
            build_context=session_summary_context,
            clean_parameters=clean_session_summary,
            description="One session, or every session in a date range.",
            one_click=False,
            has_drafts=True,
        )
    )
    register_document(
        DocumentKind(
            key=CASELOAD_PDF,
            label="Caseload report (PDF)",
            filename="caseload",
            template="pdf/caseload.html",
            build_context=caseload_context,
            scope="clinic",
            description="Every client of the clinic: demographics and assignment only.",
        )
    )
    register_document(
        DocumentKind(
            key=CONSENT,
            label="Signed consent",
            filename="consent",
            template="pdf/consent.html",
            build_context=consent_context,
            clean_parameters=clean_consent,
            parameter_names=("consent_id",),
            description="A consent as the client signed it: the version, the name and date.",
            one_click=False,
        )
    )
    register_document(
        DocumentKind(
            key=DISCHARGE_SUMMARY,
            label="Discharge summary",
            filename="discharge-summary",
            template="pdf/discharge_summary.html",
            build_context=discharge_summary_context,
            clean_parameters=clean_discharge_summary,
            parameter_names=("discharge_id",),
            description="The signed closing summary written at discharge.",
            one_click=False,
        )
    )
