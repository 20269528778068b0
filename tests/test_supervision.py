"""Supervision: a supervised clinician's notes go through their supervisor's review.

draft -> pending review -> co-signed (signed, locked, both signatures)
                        -> returned (editable, with the comment) -> pending review ...
Tested through the services, then the pages; the PDFs are read back.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attachment_app.models import AuditEvent
from clients.drafts import draft_kind
from clients.exports.services import export_request, export_run
from clients.models import (
    ExportJob,
    ProcessNote,
    SessionReview,
    SignedRecordLocked,
    Supervision,
    TherapySession,
)
from clients.services.drafts import draft_delete
from clients.services.sessions import session_draft_save, session_sign
from clients.services.supervision import (
    session_cosign,
    session_return,
    session_send_for_review,
    supervision_set,
)
from tests.factories import UserFactory
from tests.factories_sessions import TherapySessionFactory
from tests.pdfcheck import pdf_pages_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(clinic):
    return UserFactory(email="sam@test.example", full_name="Sam Supervisor", clinic=clinic)


@pytest.fixture
def supervised(ana, sam, mara):
    return supervision_set(by=mara, supervisee=ana, supervisor=sam, policy="cosign")


@pytest.fixture
def note(client_record, supervised):
    return TherapySessionFactory(client=client_record, note_data="First version")


def fresh(session):
    return TherapySession.objects.get(pk=session.pk)


# Setting supervision -------------------------------------------------------------


def test_only_a_clinic_admin_of_the_clinic_sets_supervision(ana, ben, sam, olivia):
    with pytest.raises(PermissionError):
        supervision_set(by=ben, supervisee=ana, supervisor=sam, policy="cosign")
    with pytest.raises(PermissionError):
        supervision_set(by=olivia, supervisee=ana, supervisor=sam, policy="cosign")
    assert not Supervision.objects.exists()


@pytest.mark.parametrize("who", ["self", "other_clinic", "not_clinician", "inactive", "cycle"])
def test_the_supervisor_must_be_an_active_clinician_of_the_same_clinic(
    ana, sam, mara, olivia, dee, who
):
    if who == "cycle":
        supervision_set(by=mara, supervisee=sam, supervisor=ana, policy="read")
    supervisor = {
        "self": ana,
        "other_clinic": olivia,
        "not_clinician": dee,
        "inactive": UserFactory(clinic=ana.clinic, is_active=False),
        "cycle": sam,
    }[who]
    with pytest.raises(ValidationError) as refused:
        supervision_set(by=mara, supervisee=ana, supervisor=supervisor, policy="cosign")
    assert "supervisor" in refused.value.error_dict
    assert not Supervision.objects.filter(supervisee=ana).exists()


def test_ending_supervision_gives_waiting_notes_back_as_drafts(ana, mara, note):
    session_send_for_review(session=note, user=ana)
    assert supervision_set(by=mara, supervisee=ana, supervisor=None, policy="cosign") is None
    assert fresh(note).status == TherapySession.Status.DRAFT
    session_sign(session=note, user=ana)  # on her own again
    assert fresh(note).is_signed


# The state machine -----------------------------------------------------------------


def test_a_supervised_clinician_cannot_sign_alone(ana, note):
    with pytest.raises(ValidationError, match="send this note for review"):
        session_sign(session=note, user=ana)
    assert fresh(note).status == TherapySession.Status.DRAFT


def test_a_read_only_supervision_leaves_signing_to_the_clinician(ana, sam, mara, client_record):
    supervision_set(by=mara, supervisee=ana, supervisor=sam, policy="read")
    session = TherapySessionFactory(client=client_record)
    with pytest.raises(ValidationError):
        session_send_for_review(session=session, user=ana)
    session_sign(session=session, user=ana)
    assert fresh(session).is_signed and fresh(session).cosigned_by is None


def test_send_cosign_locks_with_both_signatures(ana, sam, note):
    session_send_for_review(session=note, user=ana)
    pending = fresh(note)
    assert pending.status == TherapySession.Status.PENDING_REVIEW
    assert pending.signed_at is None and not pending.is_signed
    session_cosign(session=note, user=sam)
    done = fresh(note)
    assert done.is_signed
    assert done.signed_by == ana and done.signed_at == pending.sent_for_review_at
    assert done.cosigned_by == sam and done.cosigned_at >= done.signed_at
    with pytest.raises(SignedRecordLocked):
        session_draft_save(
            session=done, client=done.client, therapist=ana, values={"note_data": "x"}
        )
    with pytest.raises(SignedRecordLocked):
        session_cosign(session=note, user=sam)
    assert [r.action for r in SessionReview.objects.filter(session=note)] == ["sent", "cosigned"]


def test_a_pending_note_is_locked_for_its_author(ana, note):
    session_send_for_review(session=note, user=ana)
    with pytest.raises(SignedRecordLocked):
        session_draft_save(
            session=fresh(note), client=note.client, therapist=ana, values={"note_data": "x"}
        )
    with pytest.raises(ValidationError):
        session_send_for_review(session=note, user=ana)
    assert fresh(note).note_data == "First version"


def test_return_revise_send_again_then_cosign(ana, sam, note):
    session_send_for_review(session=note, user=ana)
    with pytest.raises(ValidationError) as refused:
        session_return(session=note, user=sam, comment="   ")
    assert "comment" in refused.value.error_dict
    session_return(session=note, user=sam, comment="Name the technique you used.")
    returned = fresh(note)
    assert returned.status == TherapySession.Status.RETURNED and returned.is_editable
    session_draft_save(
        session=returned, client=note.client, therapist=ana, values={"note_data": "Revised"}
    )
    assert fresh(note).status == TherapySession.Status.RETURNED  # still with its comment
    with pytest.raises(ValidationError):
        session_cosign(session=note, user=sam)  # not sent again yet
    session_send_for_review(session=note, user=ana)
    session_cosign(session=note, user=sam)
    final = fresh(note)
    assert final.is_signed and final.note_data == "Revised"
    steps = list(SessionReview.objects.filter(session=note).values_list("action", "comment"))
    assert steps == [
        ("sent", ""),
        ("returned", "Name the technique you used."),
        ("sent", ""),
        ("cosigned", ""),
    ]


def test_a_reviewed_note_is_kept_not_deleted(ana, sam, note):
    session_send_for_review(session=note, user=ana)
    session_return(session=note, user=sam, comment="Please add the risk plan.")
    with pytest.raises(ValidationError):
        draft_delete(kind=draft_kind("session"), obj=fresh(note), by=ana)
    assert TherapySession.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize("who", ["ben", "mara", "olivia", "author"])
def test_only_the_supervisor_reviews(request, ana, note, who):
    session_send_for_review(session=note, user=ana)
    user = ana if who == "author" else request.getfixturevalue(who)
    with pytest.raises(PermissionError):
        session_cosign(session=note, user=user)
    with pytest.raises(PermissionError):
        session_return(session=note, user=user, comment="x")
    assert fresh(note).status == TherapySession.Status.PENDING_REVIEW


def test_a_read_only_supervisor_cannot_cosign(ana, sam, mara, note):
    session_send_for_review(session=note, user=ana)
    supervision_set(by=mara, supervisee=ana, supervisor=sam, policy="read")
    with pytest.raises(PermissionError):
        session_cosign(session=note, user=sam)


def test_only_the_author_sends_for_review(sam, ben, note):
    for user in (sam, ben):
        with pytest.raises(PermissionError):
            session_send_for_review(session=note, user=user)


def test_sending_needs_a_complete_note(ana, note):
    note.risk_level = "moderate"
    note.risk_note = ""
    note.save()
    with pytest.raises(ValidationError) as refused:
        session_send_for_review(session=note, user=ana)
    assert "risk_note" in refused.value.error_dict


# Exports: nothing returned or pending is final -------------------------------------


@pytest.mark.usefixtures("private_media")
def test_pending_and_returned_notes_stay_out_of_documents_and_the_cosigned_one_has_both_names(
    ana, sam, client_record, supervised
):
    day = dt.date(2026, 3, 2)
    pending = TherapySessionFactory(client=client_record, date=day, note_data="PENDINGWORDS")
    returned = TherapySessionFactory(
        client=client_record, date=day + dt.timedelta(days=1), note_data="RETURNEDWORDS"
    )
    cosigned = TherapySessionFactory(
        client=client_record, date=day + dt.timedelta(days=2), note_data="COSIGNEDWORDS"
    )
    for s in (pending, returned, cosigned):
        session_send_for_review(session=s, user=ana)
    session_return(session=returned, user=sam, comment="Revise")
    session_cosign(session=cosigned, user=sam)
    params = {"date_from": day.isoformat(), "date_to": (day + dt.timedelta(days=5)).isoformat()}
    job = export_request(kind="session_summary", client=client_record, by=ana, params=params)
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    with job.file.open("rb") as handle:
        text = " ".join(pdf_pages_text(handle.read()))
    assert "COSIGNEDWORDS" in text
    assert "PENDINGWORDS" not in text and "RETURNEDWORDS" not in text
    assert "Signed by Ana Therapist" in text and "Co-signed by Sam Supervisor" in text
    # A draft copy shows them, marked as not final.
    job = export_request(
        kind="session_summary",
        client=client_record,
        by=ana,
        params={**params, "include_drafts": "1"},
    )
    export_run(job_id=job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        text = " ".join(pdf_pages_text(handle.read()))
    assert "PENDINGWORDS" in text and "pending review" in text
    assert "returned for revision" in text


# Pages ------------------------------------------------------------------------------


def detail(s):
    return reverse("clients:session_detail", args=[s.client_id, s.pk])


def edit(s):
    return reverse("clients:session_edit", args=[s.client_id, s.pk])


def form_data(session, **extra):
    return {
        "date": session.date.isoformat(),
        "start_time": "10:00",
        "duration_minutes": "50",
        "modality": "in_person",
        "attendance": "attended",
        "note_format": "dap",
        "note_data": "Written on the page",
        "risk_level": "none",
        **extra,
    }


def test_the_note_form_offers_send_for_review_and_the_post_sends_it(client, ana, note):
    client.force_login(ana)
    page = client.get(edit(note)).content.decode()
    assert "Save and send for review" in page and "Save and sign" not in page
    response = client.post(edit(note), form_data(note, sign="1"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert fresh(note).status == TherapySession.Status.PENDING_REVIEW
    assert AuditEvent.objects.filter(
        summary="Session note sent for supervisor review", client_id=note.client_id
    ).exists()
    # Locked while it waits: the edit page sends the author back to the note.
    assert client.get(edit(note)).status_code == 302


def test_the_supervisor_queue_review_and_return_then_cosign(client, ana, sam, note):
    session_send_for_review(session=note, user=ana)
    client.force_login(sam)
    queue = client.get(reverse("clients:review_queue")).content.decode()
    assert detail(note) in queue
    page = client.get(detail(note)).content.decode()
    assert "Co-sign the note" in page and "Return with comment" in page
    url = reverse("clients:note_return", args=[note.client_id, note.pk])
    refused = client.post(url, {"comment": ""})
    assert refused.status_code == 400 and "Comment for the clinician" in refused.content.decode()
    assert client.post(url, {"comment": "Add what the client said."}).status_code == 302
    assert AuditEvent.objects.filter(
        summary="Session note returned to the clinician with a comment"
    ).exists()
    assert detail(note) not in client.get(reverse("clients:review_queue")).content.decode()

    client.force_login(ana)
    form = client.get(edit(note)).content.decode()
    assert "Add what the client said." in form
    client.post(edit(note), form_data(note, sign="1"))

    client.force_login(sam)
    cosign = reverse("clients:note_cosign", args=[note.client_id, note.pk])
    assert client.post(cosign).status_code == 302
    assert AuditEvent.objects.filter(summary="Session note co-signed by supervisor").exists()
    page = client.get(detail(note)).content.decode()
    assert "Signed by Ana Therapist" in page and "Co-signed by Sam Supervisor" in page
    assert "Add an addendum" not in page  # the supervisor reads only


def test_someone_else_cannot_reach_the_review_actions(client, ana, ben, mara, note):
    session_send_for_review(session=note, user=ana)
    for user in (ben, mara, ana):
        client.force_login(user)
        url = reverse("clients:note_cosign", args=[note.client_id, note.pk])
        assert client.post(url).status_code == 404
    assert fresh(note).status == TherapySession.Status.PENDING_REVIEW


def test_the_supervisor_never_sees_the_private_process_note(client, ana, sam, note):
    ProcessNote.objects.create(session=note, author=ana, text="PRIVATECANARY")
    session_send_for_review(session=note, user=ana)
    client.force_login(sam)
    for url in (
        detail(note),
        reverse("clients:session_list", args=[note.client_id]),
        reverse("clients:timeline", args=[note.client_id]),
        reverse("clients:client_detail", args=[note.client_id]),
    ):
        assert "PRIVATECANARY" not in client.get(url).content.decode()


def test_the_admin_sets_supervision_on_the_therapist_page(client, mara, ana, sam):
    client.force_login(mara)
    url = reverse("clients:therapist_supervision", args=[ana.pk])
    assert client.post(url, {"supervisor": ana.pk, "policy": "cosign"}).status_code == 400
    assert client.post(url, {"supervisor": sam.pk, "policy": "cosign"}).status_code == 302
    assert Supervision.objects.get(supervisee=ana).supervisor == sam
    page = client.get(reverse("clients:therapist_edit", args=[ana.pk])).content.decode()
    assert "Supervised by Sam Supervisor" in page
    assert AuditEvent.objects.filter(summary__startswith="Supervision set: Sam Supervisor").exists()
    assert client.post(url, {"supervisor": "", "policy": "cosign"}).status_code == 302
    assert not Supervision.objects.filter(supervisee=ana).exists()


def test_the_record_page_says_the_supervisor_reads_only_and_offers_no_edits(
    client, client_record, sam, supervised
):
    client.force_login(sam)
    page = client.get(reverse("clients:client_detail", args=[client_record.pk])).content.decode()
    assert "You are reading this record as Ana Therapist" in page
    for write in ("Edit record", "Log a session", "Edit clinical background", "Prepare treatment"):
        assert write not in page


def test_deactivating_the_supervisor_gives_waiting_notes_back_to_their_author(ana, sam, mara, note):
    from clients.services.caseload import therapist_deactivate

    session_send_for_review(session=note, user=ana)
    therapist_deactivate(therapist=sam, by=mara, reason="Left the clinic")
    assert not Supervision.objects.filter(supervisee=ana).exists()
    assert fresh(note).status == TherapySession.Status.DRAFT
    session_sign(session=note, user=ana)
    assert fresh(note).is_signed
