"""Documents show only signed content unless the clinician asks for a draft copy.

A draft copy is an explicit choice (a checkbox, or the "draft copy" button), and then
every page says DRAFT. Read back from the PDFs with pypdf.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.exports.registry import InvalidParameters, documents
from clients.exports.services import export_request, export_run
from clients.models import ExportJob, PlanGoal, PlanRevision, TherapySession
from tests.factories_exports import (
    PlanRevisionFactory,
    TherapySessionFactory,
    TreatmentPlanFactory,
)
from tests.pdfcheck import pdf_pages_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_media")]


def pages_of(kind, client, by, params=None) -> list[str]:
    job = export_request(kind=kind, client=client, by=by, params=params or {})
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    with job.file.open("rb") as handle:
        return pdf_pages_text(handle.read())


def draft_session(client, date):
    return TherapySessionFactory(
        client=client, date=date, status=TherapySession.Status.DRAFT, signed_at=None, signed_by=None
    )


@pytest.fixture
def plan_and_draft(client_record, ana):
    """Signed revision 1, a draft revision 2, a signed session and a draft one since."""
    plan = TreatmentPlanFactory(client=client_record)
    signed = PlanRevisionFactory(plan=plan, number=1, review_date=dt.date(2027, 3, 1))
    PlanGoal.objects.create(revision=signed, text="Feel steadier when apart")
    signed.status = PlanRevision.Status.SIGNED
    signed.signed_by = ana
    signed.signed_at = timezone.make_aware(dt.datetime(2026, 1, 1, 12))
    signed.save()
    draft = PlanRevisionFactory(plan=plan, number=2, review_date=dt.date(2027, 6, 1))
    PlanGoal.objects.create(revision=draft, text="Unsigned draft goal wording")
    TherapySessionFactory(client=client_record, date=dt.date(2026, 3, 9))
    draft_session(client_record, dt.date(2026, 3, 16))
    return plan


def test_the_treatment_plan_shows_the_signed_revision_and_signed_sessions_only(
    plan_and_draft, client_record, ana
):
    pages = pages_of("treatment_plan", client_record, ana)
    text = "\n".join(pages)
    assert "Revision 1" in pages[0] and "Revision 2" not in text
    assert "Feel steadier when apart" in text
    assert "Unsigned draft goal wording" not in text
    assert "9 Mar 2026" in text
    assert "16 Mar 2026" not in text  # the draft session note is not listed
    assert "DRAFT" not in text and "draft" not in text.lower().replace("drafts", "")


def test_a_draft_copy_of_the_plan_includes_drafts_and_says_so_on_every_page(
    plan_and_draft, client_record, ana
):
    pages = pages_of("treatment_plan", client_record, ana, {"include_drafts": True})
    text = "\n".join(pages)
    assert "Revision 2" in pages[0] and "Unsigned draft goal wording" in text
    assert "16 Mar 2026" in text
    assert all("DRAFT" in page for page in pages)


def test_a_signed_plan_with_a_draft_note_since_is_marked_when_the_draft_copy_is_asked(
    client_record, ana
):
    plan = TreatmentPlanFactory(client=client_record)
    PlanRevisionFactory(
        plan=plan,
        number=1,
        status=PlanRevision.Status.SIGNED,
        signed_by=ana,
        signed_at=timezone.make_aware(dt.datetime(2026, 1, 1, 12)),
    )
    draft_session(client_record, dt.date(2026, 3, 16))
    assert "DRAFT" not in "\n".join(pages_of("treatment_plan", client_record, ana))
    pages = pages_of("treatment_plan", client_record, ana, {"include_drafts": True})
    assert all("DRAFT" in page for page in pages) and "16 Mar 2026" in pages[0]


def test_a_session_summary_of_a_range_leaves_out_draft_notes(client_record, ana):
    TherapySessionFactory(client=client_record, date=dt.date(2026, 3, 9), note_data="Signed words")
    session = draft_session(client_record, dt.date(2026, 3, 16))
    session.note_data = "Unsigned words"
    session.save()
    dates = {"date_from": "2026-01-01", "date_to": "2026-12-31"}
    text = "\n".join(pages_of("session_summary", client_record, ana, dates))
    assert "Signed words" in text and "Unsigned words" not in text and "DRAFT" not in text
    pages = pages_of("session_summary", client_record, ana, {**dates, "include_drafts": True})
    assert "Unsigned words" in "\n".join(pages)
    assert all("DRAFT" in page for page in pages)


def test_a_summary_of_one_draft_note_is_refused_unless_a_draft_copy_is_chosen(client_record, ana):
    session = draft_session(client_record, dt.date(2026, 3, 16))
    with pytest.raises(InvalidParameters, match="not signed yet"):
        export_request(
            kind="session_summary", client=client_record, by=ana, params={"session_id": session.pk}
        )
    pages = pages_of(
        "session_summary",
        client_record,
        ana,
        {"session_id": str(session.pk), "include_drafts": True},
    )
    assert all("DRAFT" in page for page in pages)


def test_the_one_click_button_asks_for_signed_content_and_the_checkbox_for_a_draft_copy(
    as_ana, client_record, plan_and_draft
):
    url = reverse("clients:export_create", args=[client_record.pk])
    as_ana.post(url, {"kind": "treatment_plan"})
    as_ana.post(url, {"kind": "treatment_plan", "include_drafts": "on"})
    first, second = ExportJob.objects.order_by("requested_at")
    assert "include_drafts" not in first.parameters
    assert second.parameters["include_drafts"] is True
    page = as_ana.get(reverse("clients:client_detail", args=[client_record.pk])).content.decode()
    assert "Prepare a draft copy of the treatment plan (PDF)" in page
    assert "They show signed content only" in page


def test_only_documents_with_signed_records_offer_a_draft_copy():
    # Exercise documents (safe-space card, letter) have no signing: nothing to leak.
    assert {d.key for d in documents("client") if d.has_drafts} == {
        "treatment_plan",
        "session_summary",
    }
