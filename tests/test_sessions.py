"""The session log: autosaved drafts, signing and its lock, addenda, lists, chart."""

import datetime as dt
import json

import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import (
    ProcessNote,
    SessionAddendum,
    SignedRecordLocked,
    TherapySession,
)
from tests.factories import ClientFactory
from tests.factories_sessions import TherapySessionFactory, plan_with_revision, signed_session

AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


def note_form(**overrides) -> dict:
    data = {
        "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "start_time": "10:00",
        "duration_minutes": "50",
        "modality": "in_person",
        "attendance": "attended",
        "note_format": "dap",
        "note_data": "Talked about a fictional weekend.",
        "note_assessment": "",
        "note_plan": "",
        "risk_level": "none",
        "risk_note": "",
        "distress_before": "7",
        "distress_after": "4",
    }
    data.update(overrides)
    return data


def new_url(client_record) -> str:
    return reverse("clients:session_new", args=[client_record.pk])


def edit_url(session) -> str:
    return reverse("clients:session_edit", args=[session.client_id, session.pk])


# Drafts and autosave


def test_the_first_autosave_creates_a_draft_and_moves_to_its_edit_page(as_ana, client_record):
    response = as_ana.post(new_url(client_record), note_form(), **AUTOSAVE)
    assert response.status_code == 200
    session = TherapySession.objects.get()
    assert session.status == TherapySession.Status.DRAFT
    assert json.loads(response.content)["url"] == edit_url(session)
    as_ana.post(edit_url(session), note_form(note_data="More detail."), **AUTOSAVE)
    assert TherapySession.objects.count() == 1
    session.refresh_from_db()
    assert session.note_data == "More detail."


def test_the_beacon_flush_with_a_form_field_also_saves(as_ana, client_record):
    as_ana.post(new_url(client_record), {**note_form(), "_autosave": "1"})
    assert TherapySession.objects.count() == 1


def test_an_autosave_with_a_bad_value_is_refused_with_the_field_named(as_ana, client_record):
    response = as_ana.post(new_url(client_record), note_form(distress_before="11"), **AUTOSAVE)
    assert response.status_code == 400
    assert "distress_before" in json.loads(response.content)["errors"]
    assert not TherapySession.objects.exists()


def test_a_draft_may_be_saved_before_the_risk_note_is_written(as_ana, client_record):
    response = as_ana.post(new_url(client_record), note_form(risk_level="moderate"), **AUTOSAVE)
    assert response.status_code == 200
    assert TherapySession.objects.get().risk_level == "moderate"


def test_saving_a_draft_with_risk_noted_reminds_that_a_note_is_needed(as_ana, client_record):
    response = as_ana.post(
        new_url(client_record), {**note_form(risk_level="high"), "save": "1"}, follow=True
    )
    assert TherapySession.objects.get().status == TherapySession.Status.DRAFT
    assert b"Before signing: please describe the risk" in response.content


def test_the_form_shows_the_last_sessions_plan_and_practice(as_ana, client_record):
    signed_session(
        client_record,
        date=timezone.localdate() - dt.timedelta(days=7),
        homework="Notice one soothing moment",
        note_plan="Return to the school memory",
    )
    page = as_ana.get(new_url(client_record)).content.decode()
    assert "From the last session" in page
    assert "Notice one soothing moment" in page and "Return to the school memory" in page


def test_a_draft_can_be_deleted(as_ana, client_record, ana):
    session = TherapySessionFactory(client=client_record)
    url = reverse("clients:session_delete", args=[client_record.pk, session.pk])
    assert as_ana.get(url).status_code == 200
    response = as_ana.post(url)
    assert response.status_code == 302
    assert not TherapySession.objects.filter(pk=session.pk).exists()


def test_the_note_form_shows_only_goals_of_this_clients_signed_plan(as_ana, client_record, ana):
    _, revision = plan_with_revision(client_record, goals=("Our goal",))
    other = ClientFactory(primary_therapist=ana)
    _, other_revision = plan_with_revision(other, goals=("Another client's goal",))
    response = as_ana.get(new_url(client_record))
    assert b"Our goal" in response.content
    assert b"Another client&#x27;s goal" not in response.content
    foreign = other_revision.goals.get()
    response = as_ana.post(
        new_url(client_record), note_form(goals_addressed=[str(foreign.pk)]), **AUTOSAVE
    )
    assert response.status_code == 400
    assert not TherapySession.objects.exists()


# Signing


def test_signing_locks_the_note_with_who_and_when(as_ana, client_record, ana):
    response = as_ana.post(new_url(client_record), {**note_form(), "sign": "1"})
    session = TherapySession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "clients:session_detail", args=[client_record.pk, session.pk]
    )
    assert session.status == TherapySession.Status.SIGNED
    assert session.signed_by == ana
    assert abs(session.signed_at - timezone.now()) < dt.timedelta(minutes=1)
    assert session.late_entry is False


def test_a_note_signed_after_the_clinics_window_is_a_late_entry(as_ana, client_record, clinic):
    clinic.late_entry_hours = 24
    clinic.save()
    old = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    as_ana.post(new_url(client_record), {**note_form(date=old), "sign": "1"})
    session = TherapySession.objects.get()
    assert session.late_entry is True
    page = as_ana.get(reverse("clients:session_detail", args=[client_record.pk, session.pk]))
    assert b"Late entry" in page.content


def test_a_note_signed_within_the_window_is_not_late(as_ana, client_record, clinic):
    clinic.late_entry_hours = 96
    clinic.save()
    old = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    as_ana.post(new_url(client_record), {**note_form(date=old), "sign": "1"})
    assert TherapySession.objects.get().late_entry is False


@pytest.mark.parametrize("level", ["low", "moderate", "high"])
def test_signing_needs_a_risk_note_above_none(as_ana, client_record, level):
    response = as_ana.post(
        new_url(client_record), {**note_form(risk_level=level, note_data="Kept text"), "sign": "1"}
    )
    assert response.status_code == 400
    assert b"Please describe the risk assessed" in response.content
    assert b"Kept text" in response.content  # what was typed is still there
    assert not TherapySession.objects.filter(status=TherapySession.Status.SIGNED).exists()


def test_signing_with_a_risk_note_succeeds(as_ana, client_record):
    as_ana.post(
        new_url(client_record),
        {
            **note_form(risk_level="low", risk_note="Passing thoughts; safety plan reviewed."),
            "sign": "1",
        },
    )
    assert TherapySession.objects.get().is_signed


def test_an_other_technique_must_be_named_before_signing(as_ana, client_record):
    response = as_ana.post(new_url(client_record), {**note_form(techniques=["other"]), "sign": "1"})
    assert response.status_code == 400
    assert b"Please name the other technique" in response.content
    as_ana.post(
        new_url(client_record),
        {**note_form(techniques=["other", "mindfulness"], technique_other="Sandtray"), "sign": "1"},
    )
    session = TherapySession.objects.get(status="signed")
    assert session.technique_labels == ["Sandtray", "Mindfulness and body awareness"]


def test_switching_format_keeps_what_was_written(as_ana, client_record):
    as_ana.post(
        new_url(client_record),
        note_form(note_data="DAP data text", note_plan="Shared plan"),
        **AUTOSAVE,
    )
    session = TherapySession.objects.get()
    as_ana.post(
        edit_url(session),
        note_form(
            note_format="soap",
            note_data="DAP data text",
            note_subjective="In their words",
            note_plan="Shared plan",
        ),
        **AUTOSAVE,
    )
    session.refresh_from_db()
    assert session.note_format == "soap"
    assert session.note_data == "DAP data text"
    assert [label for label, _ in session.note_sections] == [
        "Subjective",
        "Objective",
        "Assessment",
        "Plan",
    ]
    assert dict(session.note_sections)["Plan"] == "Shared plan"
    page = as_ana.get(edit_url(session))
    assert b"DAP data text" in page.content  # still in the form, kept for switching back


# The lock, by every path


@pytest.fixture
def signed(client_record):
    return signed_session(client_record, note_data="As signed")


def test_a_signed_note_cannot_be_edited_through_the_form(as_ana, signed):
    response = as_ana.post(edit_url(signed), {**note_form(note_data="Changed"), "save": "1"})
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.note_data == "As signed"
    assert as_ana.get(edit_url(signed)).status_code == 302  # sent to the read-only page


def test_a_signed_note_cannot_be_changed_by_an_autosave(as_ana, signed):
    response = as_ana.post(edit_url(signed), note_form(note_data="Changed"), **AUTOSAVE)
    assert response.status_code == 409
    signed.refresh_from_db()
    assert signed.note_data == "As signed"


def test_a_signed_note_cannot_be_deleted_by_a_crafted_post(as_ana, signed):
    as_ana.post(reverse("clients:session_delete", args=[signed.client_id, signed.pk]))
    assert TherapySession.objects.filter(pk=signed.pk).exists()


def test_a_crafted_post_cannot_resign_or_change_the_status(as_ana, signed, client_record):
    as_ana.post(
        edit_url(signed), {**note_form(note_data="Changed"), "sign": "1", "status": "draft"}
    )
    signed.refresh_from_db()
    assert signed.is_signed and signed.note_data == "As signed"


def test_a_signed_note_cannot_be_changed_in_the_admin(client, signed, django_user_model):
    admin = django_user_model.objects.create_superuser("root@test.example", "a-long-password-1")
    client.force_login(admin)
    url = reverse("admin:clients_therapysession_change", args=[signed.pk])
    response = client.post(
        url,
        {
            "date": "2020-01-01",
            "duration_minutes": "10",
            "modality": "phone",
            "attendance": "no_show",
        },
    )
    assert response.status_code == 403
    delete = client.post(
        reverse("admin:clients_therapysession_delete", args=[signed.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    signed.refresh_from_db()
    assert signed.date != dt.date(2020, 1, 1) and signed.duration_minutes == 50


def test_the_admin_shows_no_clinical_text(client, signed, django_user_model):
    admin = django_user_model.objects.create_superuser("root@test.example", "a-long-password-1")
    client.force_login(admin)
    page = client.get(reverse("admin:clients_therapysession_change", args=[signed.pk]))
    assert page.status_code == 200
    assert b"As signed" not in page.content
    assert admin_site.is_registered(TherapySession)
    assert not admin_site.is_registered(ProcessNote)


def test_the_model_refuses_to_save_or_delete_a_signed_note(signed):
    signed.note_data = "Changed"
    with pytest.raises(SignedRecordLocked):
        signed.save()
    with pytest.raises(SignedRecordLocked):
        signed.delete()
    with pytest.raises(SignedRecordLocked):
        TherapySession.objects.filter(pk=signed.pk).update(note_data="Changed")
    with pytest.raises(SignedRecordLocked):
        TherapySession.objects.filter(pk=signed.pk).delete()
    signed.refresh_from_db()
    assert signed.note_data == "As signed"


def test_the_goals_of_a_signed_note_cannot_be_changed(signed, client_record):
    _, revision = plan_with_revision(client_record)
    goal = revision.goals.first()
    with pytest.raises(SignedRecordLocked), transaction.atomic():
        signed.goals_addressed.add(goal)
    assert not signed.goals_addressed.exists()


# Addenda


def test_an_addendum_keeps_the_original_and_carries_its_own_signature(as_ana, signed, ana):
    url = reverse("clients:addendum_new", args=[signed.client_id, signed.pk])
    response = as_ana.post(
        url, {"reason": "Date of next session", "text": "Next session moved.", "confirm": "on"}
    )
    assert response.status_code == 302
    addendum = SessionAddendum.objects.get()
    assert addendum.author == ana and addendum.session == signed
    assert abs(addendum.signed_at - timezone.now()) < dt.timedelta(minutes=1)
    signed.refresh_from_db()
    assert signed.note_data == "As signed"
    page = as_ana.get(reverse("clients:session_detail", args=[signed.client_id, signed.pk]))
    assert b"As signed" in page.content and b"Next session moved." in page.content
    addendum.text = "Rewritten"
    with pytest.raises(SignedRecordLocked):
        addendum.save()


def test_an_addendum_needs_a_reason_and_a_signature(as_ana, signed):
    url = reverse("clients:addendum_new", args=[signed.client_id, signed.pk])
    response = as_ana.post(url, {"reason": "", "text": "Typed text"})
    assert response.status_code == 400
    assert b"Typed text" in response.content
    assert not SessionAddendum.objects.exists()


def test_a_draft_takes_no_addenda(as_ana, client_record):
    draft = TherapySessionFactory(client=client_record)
    url = reverse("clients:addendum_new", args=[client_record.pk, draft.pk])
    as_ana.post(url, {"reason": "x", "text": "x", "confirm": "on"})
    assert not SessionAddendum.objects.exists()


# Private process notes


def test_the_process_note_is_shown_to_its_author_only(as_ana, client, client_record, ben):
    as_ana.post(
        new_url(client_record), {**note_form(), "process_note": "My own musings"}, **AUTOSAVE
    )
    session = TherapySession.objects.get()
    detail = reverse("clients:session_detail", args=[client_record.pk, session.pk])
    assert b"My own musings" in as_ana.get(detail).content
    client_record.primary_therapist = ben  # reassigned: Ben now sees the record
    client_record.save()
    client.force_login(ben)
    page = client.get(detail)
    assert page.status_code == 200
    assert b"My own musings" not in page.content
    assert client.get(edit_url(session)).status_code == 404  # a draft stays its author's


def test_the_author_can_add_to_the_private_note_after_signing(as_ana, client, signed, ben):
    url = reverse("clients:process_note_save", args=[signed.client_id, signed.pk])
    response = as_ana.post(url, {"text": "Afterthought"})  # its own button, never autosave
    assert response.status_code == 302
    assert ProcessNote.objects.get(session=signed).text == "Afterthought"
    signed.refresh_from_db()
    assert signed.is_signed and signed.note_data == "As signed"
    signed.client.primary_therapist = ben
    signed.client.save()
    client.force_login(ben)
    assert client.post(url, {"text": "Not mine"}).status_code == 404
    assert ProcessNote.objects.get(session=signed).text == "Afterthought"


def test_the_clinic_admin_sees_no_clinical_content(client, dee, client_record):
    signed_session(client_record)
    client.force_login(dee)
    page = client.get(reverse("clients:client_detail", args=[client_record.pk]))
    assert page.status_code == 200
    assert b"Client talked about" not in page.content
    assert b"Log a session" not in page.content
    for name in ["session_list", "distress", "plan_detail", "timeline"]:
        assert client.get(reverse(f"clients:{name}", args=[client_record.pk])).status_code == 404


# Lists and the chart


def test_a_clients_sessions_are_listed_newest_first_and_paginated(as_ana, client_record):
    today = timezone.localdate()
    for n in range(25):
        TherapySessionFactory(client=client_record, date=today - dt.timedelta(days=n))
    response = as_ana.get(reverse("clients:session_list", args=[client_record.pk]))
    dates = [s.date for s in response.context["page"].object_list]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == today
    assert len(dates) == 20
    second = as_ana.get(reverse("clients:session_list", args=[client_record.pk]) + "?page=2")
    assert len(second.context["page"].object_list) == 5


def test_the_session_list_makes_as_many_queries_for_300_sessions_as_for_3(as_ana, client_record):
    url = reverse("clients:session_list", args=[client_record.pk])

    def sessions(days: range) -> None:
        TherapySession.objects.bulk_create(
            TherapySession(
                client=client_record,
                therapist=client_record.primary_therapist,
                date=timezone.localdate() - dt.timedelta(days=n),
            )
            for n in days
        )

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert as_ana.get(url).status_code == 200
        return len(ctx.captured_queries)

    sessions(range(3))
    as_ana.get(url)  # warm the session and user caches
    few = queries()
    sessions(range(3, 300))
    assert queries() == few


def test_the_unsigned_list_shows_only_my_drafts(as_ana, client_record, ana, ben):
    mine = TherapySessionFactory(client=client_record, date=dt.date(2026, 1, 5))
    signed_session(client_record, date=dt.date(2026, 1, 6))
    bens_client = ClientFactory(primary_therapist=ben)
    TherapySessionFactory(client=bens_client, date=dt.date(2026, 1, 7))
    response = as_ana.get(reverse("clients:unsigned_notes"))
    assert [(n.pk, late) for n, late in response.context["notes"]] == [(mine.pk, True)]
    assert b"Will be a late entry" in response.content


def test_the_distress_chart_reads_without_colour_and_has_a_table(as_ana, client_record):
    TherapySessionFactory(client=client_record, distress_before=8, distress_after=3)
    TherapySessionFactory(
        client=client_record,
        date=timezone.localdate() - dt.timedelta(days=8),
        distress_before=6,
        distress_after=5,
    )
    page = as_ana.get(reverse("clients:distress", args=[client_record.pk])).content.decode()
    assert '<svg class="distress-chart"' in page and 'role="img"' in page
    assert "<title" in page and "<desc" in page
    assert "stroke-dasharray" in page  # after: dashed
    assert "<circle" in page and "<rect" in page  # before: circles, after: squares
    assert "Before" in page and "After" in page
    assert "<table" in page and "-5 (lower after)" in page
    assert "style=" not in page


def test_the_admin_lists_and_edits_draft_metadata(client, client_record, django_user_model):
    draft = TherapySessionFactory(client=client_record)
    plan_with_revision(client_record, signed=False)
    admin = django_user_model.objects.create_superuser("root@test.example", "a-long-password-1")
    client.force_login(admin)
    for name in ["clients_therapysession_changelist", "clients_planrevision_changelist"]:
        assert client.get(reverse(f"admin:{name}")).status_code == 200
    url = reverse("admin:clients_therapysession_change", args=[draft.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "date": "2026-02-03",
            "start_time": "09:30",
            "duration_minutes": "45",
            "modality": "phone",
            "attendance": "attended",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.duration_minutes == 45


def test_writing_signing_and_reading_a_note_are_audited(as_ana, client_record, ana):
    from attachment_app.models import AuditEvent

    as_ana.post(new_url(client_record), note_form(note_data="Secret detail"), **AUTOSAVE)
    session = TherapySession.objects.get()
    as_ana.post(edit_url(session), {**note_form(note_data="Secret detail"), "sign": "1"})
    as_ana.get(reverse("clients:session_detail", args=[client_record.pk, session.pk]))
    events = AuditEvent.objects.filter(client_id=client_record.pk, object_id=str(session.pk))
    actions = set(events.values_list("action", flat=True))
    assert {"create", "sign", "view"} <= actions
    assert all(e.actor_id == ana.pk for e in events)
    assert not events.filter(summary__icontains="Secret").exists()
