"""Records dated in the future are refused: session notes and map snapshots, by form and service.

The clinic's grace (hours) leaves room for time zones; the timeline never leads with a
future entry that was recorded before the rule existed.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clients.models import TherapySession
from clients.services.sessions import session_draft_save, session_sign
from clients.timeline_sources import timeline_for
from exercises.models import FigureRole, MapSnapshot
from exercises.services import relationship_map_snapshot
from tests.factories_exercises import FigureFactory, RelationshipMapFactory
from tests.factories_sessions import TherapySessionFactory, signed_session
from tests.test_sessions import AUTOSAVE, edit_url, new_url, note_form

SIX_MONTHS = dt.timedelta(days=182)


def future_day() -> str:
    return (timezone.localdate() + SIX_MONTHS).isoformat()


def test_a_session_six_months_ahead_is_refused_beside_the_date_and_what_was_typed_stays(
    as_ana, client_record
):
    data = note_form(date=future_day(), note_data="A sentence worth keeping.")
    response = as_ana.post(new_url(client_record), {**data, "sign": "1"})
    assert response.status_code == 400
    assert not TherapySession.objects.exists()
    form = response.context["form"]
    assert "in the future" in form.errors["date"][0]
    page = response.content.decode()
    assert "A sentence worth keeping." in page
    assert future_day() in page  # the date typed is still in the field


def test_an_autosave_with_a_future_date_is_refused_with_the_date_named(as_ana, client_record):
    response = as_ana.post(new_url(client_record), note_form(date=future_day()), **AUTOSAVE)
    assert response.status_code == 400
    assert "in the future" in response.json()["errors"]["date"][0]
    assert not TherapySession.objects.exists()


def test_an_existing_draft_cannot_be_moved_into_the_future(as_ana, client_record):
    session = TherapySessionFactory(client=client_record)
    response = as_ana.post(edit_url(session), note_form(date=future_day()), **AUTOSAVE)
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.date == timezone.localdate() - dt.timedelta(days=1)


def test_the_service_refuses_a_future_session_whatever_calls_it(client_record, ana):
    with pytest.raises(ValidationError) as refused:
        session_draft_save(
            session=None,
            client=client_record,
            therapist=ana,
            values={"date": timezone.localdate() + SIX_MONTHS, "start_time": dt.time(10)},
        )
    assert "date" in refused.value.message_dict
    # A draft already dated in the future (from before the rule) cannot be signed either.
    old = TherapySessionFactory(client=client_record, date=timezone.localdate() + SIX_MONTHS)
    with pytest.raises(ValidationError):
        session_sign(session=old, user=ana)
    old.refresh_from_db()
    assert old.status == TherapySession.Status.DRAFT


def test_the_clinics_grace_allows_a_few_hours_ahead_for_time_zones(client_record, ana):
    clinic = client_record.clinic
    soon = timezone.localtime() + dt.timedelta(hours=3)
    values = {"date": soon.date(), "start_time": soon.time().replace(microsecond=0)}
    clinic.future_entry_grace_hours = 12
    clinic.save()
    session = session_draft_save(session=None, client=client_record, therapist=ana, values=values)
    assert session.pk
    clinic.future_entry_grace_hours = 0
    clinic.save()
    client_record.clinic.refresh_from_db()
    with pytest.raises(ValidationError):
        session_draft_save(session=None, client=client_record, therapist=ana, values=values)


def test_the_grace_is_a_field_the_clinic_admin_edits(admin_client, clinic):
    response = admin_client.get(reverse("admin:attachment_app_clinic_change", args=[clinic.pk]))
    assert 'name="future_entry_grace_hours"' in response.content.decode()


@pytest.fixture
def rmap(client_record):
    rmap = RelationshipMapFactory(client=client_record)
    FigureFactory(map=rmap, role=FigureRole.CLIENT, label="Robin")
    return rmap


def test_a_map_snapshot_dated_in_the_future_is_refused_beside_its_date(as_ana, rmap, client_record):
    url = reverse("exercises:snapshot_create", args=[client_record.pk, rmap.pk])
    response = as_ana.post(url, {"taken_on": future_day(), "label": "Typed label"})
    assert response.status_code == 400
    assert not MapSnapshot.objects.exists()
    assert "in the future" in response.context["snapshot_form"].errors["taken_on"][0]
    page = response.content.decode()
    assert "Typed label" in page and future_day() in page


def test_the_snapshot_service_refuses_a_future_date_too(rmap, ana):
    with pytest.raises(ValidationError):
        relationship_map_snapshot(rmap=rmap, user=ana, taken_on=timezone.localdate() + SIX_MONTHS)
    assert relationship_map_snapshot(rmap=rmap, user=ana, taken_on=timezone.localdate()).pk


def test_the_timeline_never_leads_with_a_future_entry(client_record):
    signed_session(client_record)  # yesterday
    future = TherapySessionFactory(client=client_record, date=timezone.localdate() + SIX_MONTHS)
    entries = timeline_for(client_record)
    assert not entries[0].future
    assert entries[0].when.date() == timezone.localdate() - dt.timedelta(days=1)
    assert entries[-1].future and entries[-1].url.endswith(f"{future.pk}/")


def test_the_timeline_page_flags_the_future_entry(as_ana, client_record):
    TherapySessionFactory(client=client_record, date=timezone.localdate() + SIX_MONTHS)
    page = as_ana.get(reverse("clients:timeline", args=[client_record.pk])).content.decode()
    assert "Dated in the future: check the date" in page
