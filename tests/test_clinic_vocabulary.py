"""The clinic's own vocabulary: its techniques and note format, exercises named in the
note and linked both ways, one date format and the clinic's time zone on pages and PDFs."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attachment_app.models import AuditEvent
from clients.exports.services import export_request, export_run
from clients.models import ExportJob, TherapySession
from tests.factories_exercises import ExplorationFactory, RelationshipMapFactory
from tests.factories_sessions import signed_session
from tests.pdfcheck import pdf_text
from tests.test_sessions import edit_url, new_url, note_form

pytestmark = pytest.mark.django_db


def test_the_technique_list_offers_the_apps_exercises_and_the_clinics_own(
    as_ana, client_record, clinic
):
    clinic.extra_techniques = "Sandtray\n  \nEMDR resourcing\nSandtray"
    clinic.save()
    html = as_ana.get(new_url(client_record)).content.decode()
    for label in [
        "Inner child work",
        "Exploring attachment history",
        "Relationship mapping",
        "Reparenting letter",
        "Safe-space and grounding",
        "Sandtray",
        "EMDR resourcing",
    ]:
        assert label in html
    assert html.count(">Sandtray<") + html.count("Sandtray\n") >= 1
    as_ana.post(
        new_url(client_record),
        note_form(techniques=["relationship_mapping", "clinic:EMDR resourcing"]),
    )
    session = TherapySession.objects.get()
    assert session.technique_labels == ["Relationship mapping", "EMDR resourcing"]


def test_a_technique_the_clinic_later_drops_stays_on_the_draft_that_recorded_it(
    as_ana, client_record, clinic
):
    clinic.extra_techniques = "Sandtray"
    clinic.save()
    as_ana.post(new_url(client_record), note_form(techniques=["clinic:Sandtray"]))
    session = TherapySession.objects.get()
    clinic.extra_techniques = ""
    clinic.save()
    response = as_ana.post(
        edit_url(session), note_form(techniques=["clinic:Sandtray"], note_data="Later.")
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.techniques == ["clinic:Sandtray"] and session.note_data == "Later."


def test_a_new_note_starts_in_the_clinics_note_format(as_ana, client_record, clinic):
    clinic.default_note_format = "birp"
    clinic.save()
    form = as_ana.get(new_url(client_record)).context["form"]
    assert form["note_format"].value() == "birp"


def test_the_clinic_sets_its_format_techniques_zone_and_date_format_in_the_admin(
    client, clinic, django_user_model
):
    root = django_user_model.objects.create_superuser("root@test.example", "x", full_name="Root")
    client.force_login(root)
    html = client.get(reverse("admin:attachment_app_clinic_change", args=[clinic.pk])).content
    for name in [b"default_note_format", b"extra_techniques", b"time_zone", b"date_format"]:
        assert b'name="' + name + b'"' in html


def test_a_note_links_the_exercises_done_in_it_and_they_link_back(as_ana, client_record):
    exploration = ExplorationFactory(client=client_record, date=dt.date(2026, 11, 2))
    rmap = RelationshipMapFactory(client=client_record, title="Family map")
    form = as_ana.get(new_url(client_record)).context["form"]
    offered = dict(form.fields["exercises_done"].choices)
    assert f"exploration:{exploration.pk}" in offered and f"map:{rmap.pk}" in offered

    as_ana.post(new_url(client_record), note_form(exercises_done=[f"map:{rmap.pk}"]))
    session = TherapySession.objects.get()
    rmap.refresh_from_db()
    exploration.refresh_from_db()
    assert rmap.session_id == session.pk and exploration.session_id is None

    session_url = reverse("clients:session_detail", args=[client_record.pk, session.pk])
    assert rmap.get_absolute_url() in as_ana.get(session_url).content.decode()
    assert session_url in as_ana.get(rmap.get_absolute_url()).content.decode()

    # Unticked on the note: the map is no longer linked to it.
    as_ana.post(edit_url(session), note_form(exercises_done=[f"exploration:{exploration.pk}"]))
    rmap.refresh_from_db()
    exploration.refresh_from_db()
    assert rmap.session_id is None and exploration.session_id == session.pk
    assert session_url in as_ana.get(exploration.get_absolute_url()).content.decode()


def test_an_exercise_done_in_another_session_is_not_moved_by_a_new_note(as_ana, client_record):
    earlier = signed_session(client_record)
    rmap = RelationshipMapFactory(client=client_record, session=earlier)
    form = as_ana.get(new_url(client_record)).context["form"]
    assert f"map:{rmap.pk}" not in dict(form.fields["exercises_done"].choices)
    as_ana.post(new_url(client_record), note_form(exercises_done=[f"map:{rmap.pk}"]))
    rmap.refresh_from_db()
    assert rmap.session_id == earlier.pk


# Dates and time zones


def test_a_clinic_time_zone_must_be_a_real_zone_name(clinic):
    clinic.time_zone = "Mars/Olympus_Mons"
    with pytest.raises(ValidationError) as caught:
        clinic.full_clean()
    assert "time_zone" in caught.value.message_dict
    clinic.time_zone = "Europe/Berlin"
    clinic.full_clean()


def test_a_page_and_a_pdf_show_the_same_date_in_the_clinics_format(
    as_ana, ana, client_record, clinic, private_media
):
    clinic.date_format = "d/m/Y"
    clinic.save()
    session = signed_session(client_record, date=dt.date(2026, 10, 2))
    page = as_ana.get(reverse("clients:session_detail", args=[client_record.pk, session.pk]))
    html = page.content.decode()
    assert "02/10/2026" in html
    assert "2 Oct 2026" not in html and "2 October 2026" not in html

    job = export_request(
        kind="session_summary",
        client=client_record,
        by=ana,
        params={"session_id": str(session.pk)},
    )
    export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE, job.error
    with job.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "02/10/2026" in text
    assert "2 October 2026" not in text


@pytest.fixture
def as_dee(client, dee):
    client.force_login(dee)
    return client


def test_an_audit_row_late_in_the_utc_evening_shows_the_next_day_in_berlin(as_dee, ana, clinic):
    clinic.time_zone = "Europe/Berlin"
    clinic.save()
    at = dt.datetime(2026, 11, 30, 23, 30, 0, 123456, tzinfo=dt.UTC)
    event = AuditEvent(
        created_at=at, actor=ana, actor_label=ana.email, clinic=clinic, action="view"
    )
    event.hash = event.compute_hash()
    event.save()
    html = as_dee.get(reverse("clients:audit_search")).content.decode()
    assert "1 Dec 2026, 00:30" in html
    assert '<time datetime="2026-12-01T00:30:00+01:00">' in html
    assert "Europe/Berlin" in html and "UTC" not in html
    # Searching by that day finds it: days are the clinic's days.
    found = as_dee.get(
        reverse("clients:audit_search"), {"date_from": "2026-12-01", "date_to": "2026-12-01"}
    )
    assert [e.pk for e, _ in found.context["rows"]] == [event.pk]


def test_the_audit_trail_shows_people_by_name(as_dee, ana, clinic):
    event = AuditEvent(actor=ana, actor_label=ana.email, clinic=clinic, action="view")
    event.hash = event.compute_hash()
    event.save()
    html = as_dee.get(reverse("clients:audit_search")).content.decode()
    row = html[html.index("<tbody>") :]
    assert "Ana Therapist" in row and "ana@test.example" not in row


def test_time_elements_carry_valid_html_datetimes_without_microseconds(as_ana, client_record):
    signed_session(client_record)
    html = as_ana.get(reverse("clients:timeline", args=[client_record.pk])).content.decode()
    values = re.findall(r'<time datetime="([^"]*)"', html)
    assert values
    for value in values:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", value), value
