"""The release bundle: the designated record of one release request.

One PDF (the parts the request names, over its dates) and the same content as a FHIR
R4B Bundle in JSON: Patient, an Encounter per signed session, a CarePlan per signed plan
revision, and what other apps add for their parts (exercises: QuestionnaireResponse and
Observation for measures and ratings, DocumentReference for letters and maps).

Only final items: signed notes (a note pending review or returned is not final), signed
plan revisions. Private process notes are a separate model that nothing here reads.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import uuid

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from attachment_app.models import User
from clients.exports.documents import (
    _formulation,
    _goals,
    _paragraphs,
    _session_line,
    _sessions_with_addenda,
    base_context,
)
from clients.exports.registry import (
    RELEASE_BUNDLE,
    RELEASE_FHIR,
    DocumentKind,
    InvalidParameters,
    fhir_parts,
    register_document,
    sections_for,
)
from clients.models import (
    Client,
    ExportJob,
    PlanRevision,
    ReleasePart,
    ReleaseRequest,
    TherapySession,
)

NOT_IN_BUNDLE = "Private process notes are never part of a release."


def clean_release(client: Client | None, by: User, params: dict) -> dict:
    """A release request of this client that was not refused."""
    message = "Choose a release request of this client."
    try:
        release_id = uuid.UUID(str(params.get("release_id") or ""))
    except ValueError as exc:
        raise InvalidParameters(message) from exc
    requests = ReleaseRequest.objects.filter(client=client).exclude(
        status=ReleaseRequest.Status.REFUSED
    )
    if not requests.filter(pk=release_id).exists():
        raise InvalidParameters(message)
    return {"release_id": str(release_id)}


def release_for(job: ExportJob) -> ReleaseRequest:
    return ReleaseRequest.objects.get(client=job.client, pk=job.parameters["release_id"])


def in_range(release: ReleaseRequest, day: dt.date) -> bool:
    return release.date_from <= day <= release.date_to


def release_sessions(release: ReleaseRequest) -> list[TherapySession]:
    if ReleasePart.SESSION_NOTES not in release.parts:
        return []
    return list(
        _sessions_with_addenda(release.client)
        .filter(
            status=TherapySession.Status.SIGNED,
            date__range=(release.date_from, release.date_to),
        )
        .order_by("date", "start_time")
    )


def release_revisions(release: ReleaseRequest) -> list[PlanRevision]:
    if ReleasePart.PLANS not in release.parts:
        return []
    revisions = (
        PlanRevision.objects.filter(plan__client=release.client, status=PlanRevision.Status.SIGNED)
        .select_related("signed_by")
        .order_by("number")
    )
    return [r for r in revisions if in_range(release, r.signed_at.date())]


def release_plans(release: ReleaseRequest) -> list[dict]:
    return [
        {
            "revision": r,
            "formulation": _formulation(release.client, r),
            "goals": _goals(r),
            "strengths": _paragraphs(r.strengths),
            "supports": _paragraphs(r.supports),
        }
        for r in release_revisions(release)
    ]


def release_bundle_context(job: ExportJob) -> dict:
    release = release_for(job)
    return {
        **base_context(job),
        "release": release,
        "parts": release.part_labels,
        "not_in_bundle": NOT_IN_BUNDLE,
        "sessions": [_session_line(s, full=True) for s in release_sessions(release)],
        "plans": release_plans(release),
        "sections": [
            {"key": s.key, "template": s.template, "context": s.build_context(job)}
            for s in sections_for(RELEASE_BUNDLE)
            if s.key in release.parts
        ],
    }


# FHIR -------------------------------------------------------------------------------


def narrative(lines: list[str]) -> dict:
    """FHIR's human-readable text: escaped paragraphs in an XHTML div."""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line) or "<p>-</p>"
    return {
        "status": "additional",
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>',
    }


def entry(resource: dict) -> dict:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _patient(client: Client) -> dict:
    patient = {
        "resourceType": "Patient",
        "id": str(client.pk),
        "name": [
            {
                "use": "official",
                "family": client.legal_last_name,
                "given": [client.legal_first_name],
            }
        ],
    }
    if client.preferred_name:
        patient["name"].append({"use": "usual", "given": [client.preferred_name]})
    if client.date_of_birth:
        patient["birthDate"] = client.date_of_birth.isoformat()
    return patient


ENCOUNTER_CLASS = {
    "telehealth": ("VR", "virtual"),
    "phone": ("VR", "virtual"),
}


def _encounter(session: TherapySession, patient: str) -> dict:
    # In the clinic's time zone (export_produce activates it): FHIR times carry an offset.
    start = timezone.make_aware(dt.datetime.combine(session.date, session.start_time or dt.time(0)))
    end = start + dt.timedelta(minutes=session.duration_minutes or 0)
    code, display = ENCOUNTER_CLASS.get(session.modality, ("AMB", "ambulatory"))
    line = _session_line(session, full=True)
    text = [f"{n['label']}: {n['text']}" for n in line["note"]]
    text += [f"Homework: {line['homework']}"] if line["homework"] else []
    text += [f"Addendum ({a['reason']}): {a['text']}" for a in line["addenda"]]
    return {
        "resourceType": "Encounter",
        "id": str(session.pk),
        "status": "finished",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": code,
            "display": display,
        },
        "type": [{"text": f"Psychotherapy session ({line['modality']})"}],
        "subject": {"reference": patient},
        "participant": [{"individual": {"display": line["therapist"]}}],
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "text": narrative(text),
    }


def _care_plan(plan: dict, patient: str, latest: bool) -> dict:
    revision = plan["revision"]
    goals = [
        f"Goal: {g['title']}"
        + "".join(f"; objective: {o['text']} ({o['status']})" for o in g["objectives"])
        for g in plan["goals"]
    ]
    formulation = plan["formulation"]
    return {
        "resourceType": "CarePlan",
        "id": str(revision.pk),
        "status": "active" if latest else "revoked",
        "intent": "plan",
        "title": f"Treatment plan, revision {revision.number}",
        "description": f"Working attachment-style hypothesis: {formulation['hypothesis']}",
        "subject": {"reference": patient},
        "created": revision.signed_at.isoformat(),
        "author": {"display": revision.signed_by.full_name if revision.signed_by else ""},
        "activity": [
            {"detail": {"status": "in-progress", "description": i["sentence"]}}
            for g in plan["goals"]
            for i in g["interventions"]
        ],
        "note": [{"text": line} for line in goals + formulation["presenting"]],
        "text": narrative(goals + formulation["presenting"] + formulation["patterns"]),
    }


def release_fhir_bundle(job: ExportJob) -> Bundle:
    """The bundle, built and validated by fhir.resources (an invalid one raises)."""
    release = release_for(job)
    patient = _patient(job.client)
    ref = f"urn:uuid:{patient['id']}"
    resources = [patient]
    resources += [_encounter(s, ref) for s in release_sessions(release)]
    plans = release_plans(release)
    resources += [_care_plan(p, ref, n == len(plans) - 1) for n, p in enumerate(plans)]
    for part, build in fhir_parts().items():
        if part in release.parts:
            resources += build(job, ref)
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "id": str(release.pk),
            "type": "collection",
            "timestamp": job.requested_at.isoformat(),
            "entry": [entry(r) for r in resources],
        }
    )


def release_fhir_json(job: ExportJob) -> bytes:
    data = release_fhir_bundle(job).model_dump(mode="json", by_alias=True, exclude_none=True)
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True).encode()


def register_release_documents() -> None:
    register_document(
        DocumentKind(
            key=RELEASE_BUNDLE,
            label="Release bundle (PDF)",
            filename="release",
            template="pdf/release_bundle.html",
            build_context=release_bundle_context,
            clean_parameters=clean_release,
            parameter_names=("release_id",),
            description="The designated record of a release request: signed and final items.",
            one_click=False,
        )
    )
    register_document(
        DocumentKind(
            key=RELEASE_FHIR,
            label="Release bundle (FHIR JSON)",
            filename="release-fhir",
            produce=release_fhir_json,
            format="json",
            clean_parameters=clean_release,
            parameter_names=("release_id",),
            description="The same release as a FHIR R4B Bundle, for another system.",
            one_click=False,
        )
    )
