"""Discharge: a closing summary drafted from the record, signed like a note; a closed
record is read-only except addenda; reopening needs a reason. Through the services and
the pages."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import AuditEvent
from clients.models import (
    Client,
    ClientReopening,
    DischargeSummary,
    PlanObjective,
    ProcessNote,
    SessionAddendum,
    SignedRecordLocked,
    TherapySession,
)
from clients.services.discharge import (
    client_discharge,
    client_reopen,
    discharge_summary_save,
    discharge_summary_sign,
)
from tests.factories_sessions import TherapySessionFactory, plan_with_revision, signed_session

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days_ago(n: int) -> dt.date:
    return TODAY() - dt.timedelta(days=n)


@pytest.fixture
def record(client_record):
    """Ana's client with a record to summarise: three attended sessions, two missed."""
    client_record.presenting_concerns = "Fear of being left when a partner travels."
    client_record.attachment_hypothesis = "anxious"
    client_record.save()
    signed_session(client_record, date=days_ago(60), techniques=["inner_child"])
    signed_session(client_record, date=days_ago(30), techniques=["mindfulness", "inner_child"])
    signed_session(client_record, date=days_ago(10), techniques=["corrective"])
    signed_session(client_record, date=days_ago(20), attendance="no_show")
    signed_session(client_record, date=days_ago(15), attendance="client_cancel")
    signed_session(client_record, date=days_ago(16), attendance="clinician_cancel")
    _, revision = plan_with_revision(client_record)
    PlanObjective.objects.filter(goal__revision=revision).update(status="achieved")
    return client_record


def discharge(client, by, **kwargs) -> DischargeSummary:
    values = {"reason": "goals_met", "date": TODAY(), **kwargs}
    return client_discharge(client=client, by=by, **values)


# The service


def test_discharge_closes_the_record_and_drafts_the_summary_from_it(record, ana):
    summary = discharge(record, ana, reason="referred", date=days_ago(1))
    record.refresh_from_db()
    assert record.status == Client.Status.DISCHARGED
    assert record.status_changes.last().to_status == "discharged"
    assert (summary.status, summary.reason, summary.discharge_date) == (
        "draft",
        "referred",
        days_ago(1),
    )
    assert (summary.first_session_date, summary.last_session_date) == (days_ago(60), days_ago(10))
    # The clinician's own cancellation is not the client missing a session.
    assert (summary.sessions_attended, summary.sessions_missed) == (3, 2)
    assert summary.presenting_concerns == "Fear of being left when a partner travels."
    assert summary.goals_summary == (
        "Feel steadier when apart (Use a soothing practice weekly: Achieved)"
    )
    assert summary.techniques_summary == (
        "Inner child work, Mindfulness and body awareness, Corrective emotional experiences"
    )
    assert summary.style_hypothesis == "anxious"
    event = AuditEvent.objects.get(object_type="DischargeSummary")
    assert (event.client_id, event.actor, event.action) == (record.pk, ana, "change")


def test_a_discharge_date_in_the_future_is_refused(record, ana):
    with pytest.raises(ValidationError) as exc:
        discharge(record, ana, date=TODAY() + dt.timedelta(days=3))
    assert "date" in exc.value.message_dict
    record.refresh_from_db()
    assert record.status == "active" and not DischargeSummary.objects.exists()


def test_a_reason_off_the_list_and_a_second_discharge_are_refused(record, ana):
    with pytest.raises(ValidationError):
        discharge(record, ana, reason="bored")
    discharge(record, ana)
    with pytest.raises(ValidationError):
        discharge(record, ana)
    assert DischargeSummary.objects.count() == 1


def test_the_summary_is_edited_then_signed_and_locked(record, ana):
    summary = discharge(record, ana)
    discharge_summary_save(
        summary=summary, by=ana, values={"referrals": "Couples group", "recommendations": "Rest"}
    )
    signed = discharge_summary_sign(summary=summary, by=ana)
    assert (signed.status, signed.signed_by, signed.referrals) == ("signed", ana, "Couples group")
    with pytest.raises(SignedRecordLocked):
        discharge_summary_save(summary=summary, by=ana, values={"referrals": "Changed"})
    with pytest.raises(SignedRecordLocked):
        signed.recommendations = "Changed"
        signed.save()
    with pytest.raises(SignedRecordLocked):
        discharge_summary_sign(summary=summary, by=ana)
    assert DischargeSummary.objects.get().referrals == "Couples group"


def test_reopening_needs_a_reason_and_is_kept_and_audited(record, ana):
    discharge(record, ana)
    with pytest.raises(ValidationError):
        client_reopen(client=record, by=ana, reason="  ")
    client_reopen(client=record, by=ana, reason="Returned after a move fell through")
    record.refresh_from_db()
    assert record.status == "active"
    assert ClientReopening.objects.get().reason == "Returned after a move fell through"
    assert AuditEvent.objects.filter(object_type="ClientReopening", client_id=record.pk).exists()
    with pytest.raises(ValidationError):
        client_reopen(client=record, by=ana, reason="Again")


# The pages


def url(name: str, client, *ids) -> str:
    return reverse(f"clients:{name}", args=[client.pk, *ids])


def test_the_clinician_discharges_from_the_page_and_lands_on_the_draft(as_ana, record):
    response = as_ana.post(
        url("client_discharge", record), {"reason": "client_ended", "date": days_ago(2)}
    )
    summary = DischargeSummary.objects.get()
    assert response.status_code == 302 and response["Location"] == summary.get_absolute_url()
    page = as_ana.get(summary.get_absolute_url()).content.decode()
    assert "Fear of being left" in page and "3 attended, 2 missed" in page


def test_a_record_with_an_unsigned_note_is_not_discharged_until_it_is_signed(as_ana, record):
    draft = TherapySessionFactory(client=record, date=days_ago(3))
    response = as_ana.post(url("client_discharge", record), {"reason": "moved", "date": TODAY()})
    assert response.status_code == 400
    assert "1 session note is not yet signed" in response.content.decode()
    record.refresh_from_db()
    assert record.status == "active" and not DischargeSummary.objects.exists()
    draft.delete()
    assert discharge(record, record.primary_therapist).client == record


def test_bad_discharge_input_is_shown_beside_the_field(as_ana, record):
    future = TODAY() + dt.timedelta(days=5)
    response = as_ana.post(url("client_discharge", record), {"reason": "moved", "date": future})
    assert response.status_code == 400
    assert "date" in response.context["form"].errors
    assert "in the future" in response.content.decode()
    response = as_ana.post(url("client_discharge", record), {"reason": "nope", "date": TODAY()})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    record.refresh_from_db()
    assert record.status == "active"


def test_a_clinic_admin_discharges_but_does_not_read_the_summary(client, dee, record):
    client.force_login(dee)
    response = client.post(
        url("client_discharge", record), {"reason": "no_contact", "date": TODAY()}
    )
    assert response["Location"] == record.get_absolute_url()
    summary = DischargeSummary.objects.get()
    assert client.get(summary.get_absolute_url()).status_code == 404


def test_a_colleague_cannot_discharge(client, ben, record):
    client.force_login(ben)
    response = client.post(url("client_discharge", record), {"reason": "moved", "date": TODAY()})
    assert response.status_code in (403, 404)
    assert not DischargeSummary.objects.exists()


def test_a_discharged_record_is_read_only_except_addenda(as_ana, ana, record):
    note = TherapySession.objects.filter(status="signed").first()
    discharge(record, ana)
    response = as_ana.post(url("client_edit", record), {"legal_first_name": "Changed"})
    assert response.status_code == 303 and response["Location"] == record.get_absolute_url()
    followed = as_ana.get(response["Location"]).content.decode()
    assert "client was discharged" in followed
    before = TherapySession.objects.count()
    as_ana.post(url("session_new", record), {"date": TODAY(), "note_data": "x"})
    assert TherapySession.objects.count() == before
    record.refresh_from_db()
    assert record.legal_first_name == "Robin"
    response = as_ana.post(
        url("addendum_new", record, note.pk),
        {"reason": "Late detail", "text": "Added after discharge.", "confirm": "on"},
    )
    assert response.status_code == 302
    assert SessionAddendum.objects.get().text == "Added after discharge."


def test_the_summary_is_edited_and_signed_on_its_page(as_ana, ana, record):
    summary = discharge(record, ana)
    edit, sign = (
        url("discharge_edit", record, summary.pk),
        url("discharge_sign", record, summary.pk),
    )
    fields = {f: getattr(summary, f) for f in DischargeSummary.EDITABLE_FIELDS}
    as_ana.post(edit, {**fields, "referrals": "Community group", "style_hypothesis": "nope"})
    assert DischargeSummary.objects.get().referrals == ""  # the bad choice kept nothing
    as_ana.post(edit, {**fields, "referrals": "Community group"})
    assert as_ana.post(sign, {}).status_code == 400  # the signature box is required
    as_ana.post(sign, {"confirm": "on"})
    summary.refresh_from_db()
    assert (summary.status, summary.referrals) == ("signed", "Community group")
    response = as_ana.post(edit, {**fields, "referrals": "Changed"})
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.referrals == "Community group"
    page = as_ana.get(summary.get_absolute_url()).content.decode()
    assert "Community group" in page and "Sign summary" not in page


def test_reopening_from_the_page(as_ana, ana, record):
    discharge(record, ana)
    response = as_ana.post(url("client_reopen", record), {"reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    response = as_ana.post(url("client_reopen", record), {"reason": "Client asked to resume"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "active"
    assert ClientReopening.objects.get().by == ana


def test_the_summary_page_holds_no_private_process_note(as_ana, ana, record):
    note = TherapySession.objects.filter(status="signed").first()
    ProcessNote.objects.create(session=note, author=ana, text="PRIVATE-CANARY-1234")
    summary = discharge(record, ana)
    assert "PRIVATE-CANARY-1234" not in as_ana.get(summary.get_absolute_url()).content.decode()


# The signed summary as a PDF, through the export registry


@pytest.mark.usefixtures("private_media")
def test_the_signed_summary_exports_as_a_pdf_without_process_notes(ana, record):
    from clients.exports.registry import InvalidParameters
    from clients.exports.services import export_request, export_run
    from clients.models import ExportJob
    from tests.pdfcheck import assert_no_text_in_pdf, pdf_text, squash

    canary = "CANARY-private-process-note-d19"
    ProcessNote.objects.create(
        session=TherapySession.objects.filter(status="signed").first(), author=ana, text=canary
    )
    summary = discharge(record, ana, reason="referred")
    params = {"discharge_id": str(summary.pk)}
    with pytest.raises(InvalidParameters):  # a draft is not exported
        export_request(kind="discharge_summary", client=record, by=ana, params=params)
    discharge_summary_save(
        summary=summary,
        by=ana,
        values={"referrals": "Weekly couples group", "recommendations": "Keep the grounding walk"},
    )
    discharge_summary_sign(summary=summary, by=ana)
    job = export_request(kind="discharge_summary", client=record, by=ana, params=params)
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    with job.file.open("rb") as handle:
        pdf = handle.read()
    text = squash(pdf_text(pdf))
    for expected in (
        "Robin Example",
        "Discharge summary",
        "Referred elsewhere",
        "Fear of being left when a partner travels.",
        "Feel steadier when apart (Use a soothing practice weekly: Achieved)",
        "Inner child work, Mindfulness and body awareness",
        "Anxious",
        "Weekly couples group",
        "Keep the grounding walk",
        "Ana Therapist",
    ):
        assert squash(expected) in text, expected
    assert_no_text_in_pdf(pdf, canary)


def test_the_signed_summary_page_offers_the_pdf(as_ana, ana, record):
    summary = discharge_summary_sign(summary=discharge(record, ana), by=ana)
    response = as_ana.post(
        reverse("clients:export_create", args=[record.pk]),
        {"kind": "discharge_summary", "discharge_id": str(summary.pk)},
    )
    assert response.status_code == 302
    assert b"Prepare the PDF" in as_ana.get(summary.get_absolute_url()).content


def test_the_clients_companion_can_still_be_paused_after_discharge(as_ana, ana, record, robin):
    from clients.models import ClientAccount

    discharge(record, ana)
    response = as_ana.post(reverse("exercises:companion_access", args=[record.pk]), {"active": "0"})
    assert response.status_code == 302
    assert not ClientAccount.objects.get(client=record).user.is_active
