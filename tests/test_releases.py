"""Right of access and release of information: requests with their 30-day clock, the
release bundle (one PDF and the same content as FHIR R4B), and the disclosures."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from attachment_app.models import AuditEvent
from clients.exports.registry import RELEASE_BUNDLE, RELEASE_FHIR
from clients.exports.release import release_fhir_json
from clients.exports.services import export_request, export_run
from clients.models import (
    ConsentKind,
    Disclosure,
    ExportJob,
    ProcessNote,
    ReleasePart,
    ReleaseRequest,
    TherapySession,
)
from clients.services.releases import (
    release_request_fulfil,
    release_request_log,
    release_request_refuse,
)
from exercises.models import ScaleAdministration
from tests import factories_exercises as fx
from tests.canary import assert_canary_absent, make_canary
from tests.factories_consents import signed_consent
from tests.factories_documents import full_record
from tests.factories_exports import TherapySessionFactory
from tests.factories_releases import release_request
from tests.pdfcheck import pdf_text

pytestmark = pytest.mark.django_db
PRACTICE = "Dr. Lee, Riverside Family Practice"


def log(client_record, by, **extra):
    values = {
        "client": client_record,
        "by": by,
        "requester": "client",
        "parts": ["session_notes", "plans"],
        "date_from": dt.date(2026, 1, 1),
        "date_to": dt.date(2026, 6, 30),
        "received_on": timezone.localdate() - dt.timedelta(days=2),
        **extra,
    }
    return release_request_log(**values)


# The service --------------------------------------------------------------------------


def test_a_request_from_the_client_is_due_thirty_days_after_it_was_received(client_record, dee):
    release = log(client_record, dee)
    assert release.due_on == release.received_on + dt.timedelta(days=30)
    assert release.days_left() == 28
    assert release.status == ReleaseRequest.Status.OPEN
    assert release.parts == ["session_notes", "plans"]
    event = AuditEvent.objects.filter(summary="Release request logged").get()
    assert event.client_id == client_record.pk


def test_a_third_party_without_a_current_authorization_is_refused(client_record, ana):
    with pytest.raises(ValidationError) as refused:
        log(client_record, ana, requester="third_party", recipient=PRACTICE)
    assert "no current authorization" in refused.value.message_dict["recipient"][0]
    assert not ReleaseRequest.objects.exists()
    # Another recipient's authorization does not count either.
    signed_consent(client_record, ConsentKind.RELEASE, recipient="Someone Else")
    with pytest.raises(ValidationError):
        log(client_record, ana, requester="third_party", recipient=PRACTICE)


def test_a_third_party_named_on_a_current_authorization_is_logged(client_record, ana):
    consent = signed_consent(client_record, ConsentKind.RELEASE)
    release = log(
        client_record,
        ana,
        requester="third_party",
        recipient="  dr. lee, RIVERSIDE family practice ",
    )
    assert release.authorization == consent
    assert release.requested_by == "dr. lee, RIVERSIDE family practice"


def test_what_was_asked_is_checked(client_record, ana):
    with pytest.raises(ValidationError) as bad:
        log(
            client_record,
            ana,
            parts=["process_notes"],
            date_from=dt.date(2026, 2, 1),
            date_to=dt.date(2026, 1, 1),
            received_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert set(bad.value.message_dict) == {"parts", "date_to", "received_on"}


def test_fulfilling_records_a_disclosure_once(client_record, ana, dee):
    consent = signed_consent(client_record, ConsentKind.RELEASE)
    release = log(client_record, ana, requester="third_party", recipient=PRACTICE)
    disclosure = release_request_fulfil(release=release, by=dee)
    release.refresh_from_db()
    assert release.status == ReleaseRequest.Status.FULFILLED
    assert (disclosure.recipient, disclosure.disclosed_by, disclosure.parts) == (
        consent.recipient,
        dee,
        ["session_notes", "plans"],
    )
    assert AuditEvent.objects.filter(summary__startswith="Release request fulfilled").count() == 1
    with pytest.raises(ValidationError):
        release_request_fulfil(release=release, by=dee)
    with pytest.raises(ValidationError):
        release_request_refuse(release=release, by=dee, reason="Too late")
    assert Disclosure.objects.count() == 1


def test_a_withdrawn_authorization_stops_the_release(client_record, ana):
    consent = signed_consent(client_record, ConsentKind.RELEASE)
    release = log(client_record, ana, requester="third_party", recipient=PRACTICE)
    consent.revoked_at = timezone.now()
    consent.save()
    with pytest.raises(ValidationError):
        release_request_fulfil(release=release, by=ana)
    release.refresh_from_db()
    assert release.is_open and not Disclosure.objects.exists()


def test_refusing_needs_a_reason_and_keeps_it(client_record, ana):
    release = log(client_record, ana)
    with pytest.raises(ValidationError):
        release_request_refuse(release=release, by=ana, reason="  ")
    release_request_refuse(release=release, by=ana, reason="Not the client's handwriting")
    release.refresh_from_db()
    assert release.status == ReleaseRequest.Status.REFUSED
    assert release.refusal_reason == "Not the client's handwriting"
    assert not Disclosure.objects.exists()


# The pages ----------------------------------------------------------------------------


def form(**extra) -> dict:
    return {
        "requester": "client",
        "parts": ["session_notes", "measures"],
        "date_from": "2026-01-01",
        "date_to": "2026-06-30",
        "received_on": timezone.localdate().isoformat(),
        **extra,
    }


def test_the_page_refuses_a_third_party_beside_the_field_and_keeps_the_input(
    client, client_record, dee
):
    client.force_login(dee)
    url = reverse("clients:release_list", args=[client_record.pk])
    response = client.post(url, form(requester="third_party", recipient="Acme Insurance"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error_1_id_recipient"' in page or "is-invalid" in page
    assert "no current authorization" in page
    assert 'value="Acme Insurance"' in page
    assert not ReleaseRequest.objects.exists()


def test_the_request_page_says_process_notes_are_never_released(client, client_record, ana):
    client.force_login(ana)
    response = client.post(
        reverse("clients:release_list", args=[client_record.pk]), form(), follow=True
    )
    assert response.status_code == 200
    release = ReleaseRequest.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == release.get_absolute_url()
    assert "Private process notes are never part of a release." in page
    assert "30 days left" in page
    assert "Prepare the PDF" in page


def test_the_clinic_admin_logs_and_fulfils_but_the_bundle_is_the_therapists(
    client, client_record, dee
):
    release = release_request(client_record, logged_by=dee)
    client.force_login(dee)
    page = client.get(release.get_absolute_url()).content.decode()
    assert "Prepare the PDF" not in page
    assert "the client's therapist prepares it" in page
    url = reverse("clients:release_fulfil", args=[client_record.pk, release.pk])
    assert client.post(url, {}).status_code == 400  # the confirmation is required
    assert client.post(url, {"confirm": "on"}).status_code == 302
    page = client.get(reverse("clients:disclosures", args=[client_record.pk])).content.decode()
    assert "The client" in page and "Signed session notes" in page and str(dee) in page


def test_the_clock_is_on_the_caseload_and_the_therapists_home(client, client_record, ana, ben, dee):
    today = timezone.localdate()
    release_request(client_record, received_on=today - dt.timedelta(days=35))
    release_request(client_record, received_on=today - dt.timedelta(days=10))
    client.force_login(dee)
    page = client.get(reverse("clients:caseload")).content.decode()
    assert "2 open" in page and "1 overdue" in page
    assert "5 days past due" in page and "20 days left" in page
    client.force_login(ana)
    page = client.get(reverse("clients:home")).content.decode()
    assert "5 days past due" in page and client_record.display_name in page
    client.force_login(ben)
    assert "past due" not in client.get(reverse("clients:home")).content.decode()


# The bundle ---------------------------------------------------------------------------


def bundle_record(client_record, ana, canary: str):
    """The full record, a completed scale, and notes that are not final (pending review,
    returned), each with the private process note canary."""
    record = full_record(client_record, ana, private_text=canary)
    scale = fx.clinic_scale(client_record)
    ScaleAdministration.objects.create(
        client=client_record,
        therapist=ana,
        scale=scale,
        date=dt.date(2026, 2, 9),
        responses={str(scale.items.get().pk): 5},
    )
    for status in (TherapySession.Status.PENDING_REVIEW, TherapySession.Status.RETURNED):
        session = TherapySessionFactory(
            client=client_record,
            date=dt.date(2026, 3, 2),
            status=status,
            signed_at=None,
            note_data=f"NOT-FINAL-{status}",
        )
        ProcessNote.objects.create(session=session, author=ana, text=canary)
    return record


def run(kind: str, client_record, ana, release) -> bytes:
    job = export_request(
        kind=kind, client=client_record, by=ana, params={"release_id": str(release.pk)}
    )
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    with job.file.open("rb") as handle:
        return handle.read()


def test_the_bundle_pdf_and_fhir_hold_the_same_final_items_and_no_process_note(client_record, ana):
    canary = make_canary()
    record = bundle_record(client_record, ana, canary)
    release = record.release
    pdf, fhir = (run(k, client_record, ana, release) for k in (RELEASE_BUNDLE, RELEASE_FHIR))

    text = pdf_text(pdf)
    assert_canary_absent(canary, pdf, "the release PDF's bytes")
    assert_canary_absent(canary, text, "the release PDF's text")
    assert_canary_absent(canary, fhir, "the release FHIR JSON")
    for content in (text, fhir.decode()):
        assert "NOT-FINAL" not in content
        assert "THERAPIST-REFLECTION-NOT-FOR-THE-COPY" not in content
    assert "Talked about a fictional week number 2." in text
    assert "Treatment plan, revision 1" in text and "revision 2" not in text  # 2 is a draft
    assert "Our scale" in text and "Dear little me" in text and "Mum" in text

    bundle = Bundle.model_validate_json(fhir)  # parsed back by fhir.resources: valid R4B
    resources = [e.resource for e in bundle.entry]
    kinds = [r.get_resource_type() for r in resources]
    assert kinds[0] == "Patient" and kinds.count("Patient") == 1
    encounters = {r.id for r in resources if r.get_resource_type() == "Encounter"}
    assert encounters == {str(s.pk) for s in record.sessions}
    assert kinds.count("CarePlan") == 1
    assert kinds.count("QuestionnaireResponse") == 1
    observations = [r for r in resources if r.get_resource_type() == "Observation"]
    assert {o.valueQuantity.value for o in observations} >= {5, 6, 4, 3}
    assert kinds.count("DocumentReference") == 2  # the letter and the map
    first = next(r for r in resources if r.id == str(record.sessions[0].pk))
    assert "Talked about a fictional week number 0." in first.text.div
    assert "The walk was with a sibling" in first.text.div  # the addendum
    # The same job rendered twice gives the same bytes.
    job = ExportJob.objects.filter(kind=RELEASE_FHIR).get()
    assert release_fhir_json(job) == release_fhir_json(job) == fhir


def test_a_bundle_holds_only_the_parts_and_dates_asked_for(client_record, ana):
    record = full_record(client_record, ana)
    release = release_request(
        client_record,
        parts=[ReleasePart.SESSION_NOTES],
        date_from=dt.date(2026, 2, 9),
        date_to=dt.date(2026, 2, 9),
    )
    bundle = json.loads(run(RELEASE_FHIR, client_record, ana, release))
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == ["Patient", "Encounter"]
    assert bundle["entry"][1]["resource"]["id"] == str(record.sessions[1].pk)
    text = pdf_text(run(RELEASE_BUNDLE, client_record, ana, release))
    assert "week number 1" in text and "week number 0" not in text
    assert "Relationship maps" not in text


def test_a_refused_request_gives_no_bundle(client_record, ana):
    from clients.exports.registry import InvalidParameters

    release = release_request(client_record, status=ReleaseRequest.Status.REFUSED)
    with pytest.raises(InvalidParameters):
        export_request(
            kind=RELEASE_BUNDLE,
            client=client_record,
            by=ana,
            params={"release_id": str(release.pk)},
        )
