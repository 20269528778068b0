"""Exported PDFs read back: what they say, on which pages, and what they never say."""

import datetime as dt

import pytest
from django.utils import timezone

from clients.exports.registry import InvalidParameters
from clients.exports.services import export_request, export_run
from clients.models import ExportJob, PlanRevision, TherapySession
from tests.exports_helpers import files_of
from tests.factories import ClientFactory
from tests.factories_exports import (
    PlanRevisionFactory,
    TherapySessionFactory,
    TreatmentPlanFactory,
)
from tests.pdfcheck import assert_no_text_in_pdf, is_tagged, pdf_pages_text, pdf_text, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]

CANARY = "CANARY-private-process-note-7f3a"
DRAFT_COPY = {"include_drafts": True}  # the clinician's explicit choice of a draft copy


def produce(kind, client, by, params=None) -> ExportJob:
    job = export_request(kind=kind, client=client, by=by, params=params or {})
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    return job


def pdf_of(job) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def plan_with_sessions(client_record, ana):
    plan = TreatmentPlanFactory(client=client_record)
    PlanRevisionFactory(
        plan=plan,
        number=1,
        status=PlanRevision.Status.SIGNED,
        signed_by=ana,
        signed_at=timezone.make_aware(dt.datetime(2026, 1, 1, 12)),
    )
    revision = PlanRevisionFactory(plan=plan, number=2)
    TherapySessionFactory.create_batch(40, client=client_record)
    return revision


def test_a_treatment_plan_names_the_client_and_numbers_every_page(plan_with_sessions, ana):
    job = produce("treatment_plan", plan_with_sessions.plan.client, ana, DRAFT_COPY)
    pages = pdf_pages_text(pdf_of(job))
    assert len(pages) >= 2
    assert "Robin Example" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text
        assert "Confidential psychotherapy record" in text
        assert "Robin Example" in text  # running header (page 1: the title block)
    assert "Revision 2" in pages[0]
    assert "Ana Therapist" in pages[0]


def test_a_draft_copy_of_a_draft_revision_is_marked_draft_on_every_page(plan_with_sessions, ana):
    job = produce("treatment_plan", plan_with_sessions.plan.client, ana, DRAFT_COPY)
    pages = pdf_pages_text(pdf_of(job))
    assert len(pages) >= 2
    assert all("DRAFT" in text for text in pages)


def test_a_signed_revision_carries_its_signature_and_no_draft_mark(plan_with_sessions, ana):
    plan_with_sessions.status = PlanRevision.Status.SIGNED
    plan_with_sessions.signed_by = ana
    plan_with_sessions.signed_at = timezone.make_aware(dt.datetime(2026, 11, 2, 10, 30))
    plan_with_sessions.save()
    text = pdf_text(pdf_of(produce("treatment_plan", plan_with_sessions.plan.client, ana)))
    assert "DRAFT" not in text
    assert "SignedbyAnaTherapist" in squash(text)


def test_the_plan_lists_only_sessions_since_the_last_revision(client_record, ana):
    plan = TreatmentPlanFactory(client=client_record)
    PlanRevisionFactory(
        plan=plan,
        number=1,
        status=PlanRevision.Status.SIGNED,
        signed_at=timezone.make_aware(dt.datetime(2026, 6, 1, 9)),
        signed_by=ana,
    )
    PlanRevisionFactory(plan=plan, number=2)
    TherapySessionFactory(client=client_record, date=dt.date(2026, 5, 4))
    TherapySessionFactory(client=client_record, date=dt.date(2026, 6, 8))
    text = pdf_text(pdf_of(produce("treatment_plan", client_record, ana, DRAFT_COPY)))
    assert "8 Jun 2026" in text
    assert "4 May 2026" not in text


def test_the_pdf_is_tagged_and_the_same_job_gives_the_same_bytes(plan_with_sessions, ana):
    job = produce("treatment_plan", plan_with_sessions.plan.client, ana)
    first = pdf_of(job)
    assert is_tagged(first)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, attempts=1)
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert pdf_of(job) == first
    assert job.checksum and job.attempts == 2


def test_a_second_delivery_of_a_finished_job_changes_nothing(
    plan_with_sessions, ana, private_media
):
    job = produce("treatment_plan", plan_with_sessions.plan.client, ana)
    assert export_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.attempts == 1
    assert len(files_of(private_media, job)) == 1


def test_a_one_session_summary(client_record, ana):
    session = TherapySessionFactory(client=client_record, date=dt.date(2026, 3, 9))
    TherapySessionFactory(client=client_record, date=dt.date(2026, 3, 16))
    job = produce("session_summary", client_record, ana, {"session_id": str(session.pk)})
    text = pdf_text(pdf_of(job))
    assert "Monday, 9 Mar 2026" in text
    assert "16 Mar" not in text
    assert "Robin Example" in text and "page 1 of 1" in text
    assert "DRAFT" not in text


def test_a_summary_with_a_draft_note_is_marked_draft_on_every_page(client_record, ana):
    for week in range(12):
        TherapySessionFactory(
            client=client_record, date=dt.date(2026, 3, 2) + dt.timedelta(weeks=week)
        )
    TherapySessionFactory(
        client=client_record,
        date=dt.date(2026, 2, 3),
        status=TherapySession.Status.DRAFT,
        signed_at=None,
        signed_by=None,
    )
    job = produce(
        "session_summary",
        client_record,
        ana,
        {"date_from": "2026-01-01", "date_to": "2026-12-31", "include_drafts": True},
    )
    pages = pdf_pages_text(pdf_of(job))
    assert len(pages) >= 2
    assert all("DRAFT" in text for text in pages)
    assert all(f"of {len(pages)}" in text for text in pages)


def test_a_summary_of_another_clients_session_is_refused(client_record, ana, ben):
    other = ClientFactory(primary_therapist=ben)
    session = TherapySessionFactory(client=other)
    with pytest.raises(InvalidParameters):
        export_request(
            kind="session_summary",
            client=client_record,
            by=ana,
            params={"session_id": str(session.pk)},
        )
    assert not ExportJob.objects.exists()


def test_sensitive_record_text_never_reaches_clinical_or_clinic_pdfs(client_record, ana, dee):
    # There is no private process note yet; the sensitive record fields stand in for it.
    client_record.childhood_history = CANARY
    client_record.presenting_concerns = CANARY + "-presenting"
    client_record.suitability_notes = CANARY + "-suitability"
    client_record.save()
    TherapySessionFactory(client=client_record)
    for job in (
        produce("treatment_plan", client_record, ana),
        produce(
            "session_summary",
            client_record,
            ana,
            {"date_from": "2026-01-01", "date_to": "2026-12-31"},
        ),
        produce("caseload_pdf", None, dee),
    ):
        assert_no_text_in_pdf(pdf_of(job), CANARY)


def test_the_caseload_report_lists_every_client_of_the_clinic_by_therapist(
    client_record, ana, ben, dee, olivia
):
    ClientFactory(primary_therapist=ben, legal_first_name="Sky", legal_last_name="Colleague")
    ClientFactory(primary_therapist=olivia, legal_first_name="Far", legal_last_name="Away")
    text = pdf_text(pdf_of(produce("caseload_pdf", None, dee)))
    assert "Robin Example" in text and "Sky Colleague" in text
    assert "Ana Therapist" in text and "Ben Colleague" in text
    assert "Far Away" not in text
    assert "Demo Clinic" in text and "page 1 of 1" in text


def test_every_csv_cell_that_looks_like_a_formula_is_kept_as_text():
    from clients.exports.spreadsheet import csv_cell

    for start in ["=", "+", "-", "@", "\t", "\r"]:
        assert csv_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"
    assert csv_cell("Robin") == "Robin"
    assert csv_cell(None) == ""
    assert csv_cell(dt.date(2026, 3, 4)) == "2026-03-04"


def test_the_caseload_is_offered_as_a_job_only_as_a_pdf():
    from clients.exports.registry import documents

    assert [(d.key, d.format) for d in documents("clinic")] == [("caseload_pdf", "pdf")]


def test_a_kind_registered_by_another_app_renders_through_the_same_pipeline(client_record, ana):
    from clients.exports import registry

    # A scratch kind, so the kinds exercises registers stay as they are for other tests.
    registry.register_document(
        registry.DocumentKind(
            key="scratch_card",
            label="Scratch card",
            filename="scratch-card",
            template="pdf/_base.html",
            build_context=lambda job: {"client": job.client, "clinic": job.clinic},
        )
    )
    try:
        text = pdf_text(pdf_of(produce("scratch_card", client_record, ana)))
    finally:
        registry._DOCUMENTS.pop("scratch_card")
    assert "Scratch card" in text and "page 1 of 1" in text


def test_exercises_registers_its_documents_and_plan_sections():
    from clients.exports import registry

    assert registry.get_document(registry.SAFE_SPACE_CARD) is not None
    assert registry.get_document(registry.REPARENTING_LETTER) is not None
    keys = [s.key for s in registry.sections_for(registry.TREATMENT_PLAN)]
    assert keys == ["exploration_chart", "relationship_map", "safe_space_plan"]


def test_a_kind_not_registered_fails_in_plain_words(client_record, ana):
    job = ExportJob.objects.create(
        clinic=client_record.clinic,
        client=client_record,
        kind="a_kind_nobody_registered",
        requested_by=ana,
    )
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "This kind of document is not available yet."


def test_a_clinic_document_needs_no_client_and_a_client_document_needs_one(client_record, ana):
    from clients.exports.services import UnknownDocument

    with pytest.raises(UnknownDocument):
        export_request(kind="caseload_pdf", client=client_record, by=ana)
    with pytest.raises(UnknownDocument):
        export_request(kind="treatment_plan", client=None, by=ana)
