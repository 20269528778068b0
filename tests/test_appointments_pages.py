"""The schedule's pages: week and day views, booking, moving, cancelling, marking, and
the session log opened from an appointment."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from attachment_app.models import AuditEvent
from clients.models import Appointment, AppointmentSeries, Room, TherapySession
from tests.factories import ClientFactory
from tests.factories_appointments import AppointmentFactory, RoomFactory

UTC = dt.UTC


def week_url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("clients:schedule_week") + (f"?{query}" if query else "")


@pytest.fixture
def london(clinic):
    clinic.time_zone = "Europe/London"
    clinic.late_cancel_window_hours = 48
    clinic.save()
    return clinic


def book_post(client_record, **overrides) -> dict:
    data = {
        "client": str(client_record.pk),
        "clinician": str(client_record.primary_therapist_id),
        "date": "2027-03-22",
        "time": "10:00",
        "length_minutes": "50",
        "room": "",
        "kind": "session",
        "repeat": "",
        "until": "",
    }
    return data | overrides


@pytest.mark.django_db
def test_booking_a_weekly_series_shows_it_on_the_week_in_the_clinics_time(
    as_ana, client_record, london
):
    room = RoomFactory(clinic=london, name="Garden room")
    response = as_ana.post(
        reverse("clients:appointment_new"),
        book_post(client_record, repeat="weekly", until="2027-04-05", room=str(room.pk)),
    )
    assert response.status_code == 302
    assert response["Location"] == week_url(week="2027-03-22")
    series = AppointmentSeries.objects.get()
    assert series.appointments.count() == 3
    assert AuditEvent.objects.filter(summary="Appointment series booked").exists()
    # After the clocks change on 28 March the week still shows 10:00 (09:00 UTC).
    page = as_ana.get(week_url(week="2027-03-29")).content.decode()
    assert "Robin" in page and "10:00</time>–10:50" in page and "Garden room" in page
    assert '<th scope="col"' in page and "Monday" in page
    listed = as_ana.get(week_url(week="2027-03-29", view="list")).content.decode()
    assert "Monday 29 Mar 2027, 10:00" in listed


@pytest.mark.django_db
def test_a_clash_is_shown_beside_the_time_and_what_was_typed_is_kept(
    as_ana, ana, client_record, london
):
    AppointmentFactory(
        client=ClientFactory(primary_therapist=ana),
        starts_at=dt.datetime(2027, 1, 5, 10, tzinfo=UTC),
    )
    response = as_ana.post(
        reverse("clients:appointment_new"),
        book_post(client_record, date="2027-01-05", time="10:30", length_minutes="45"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ana Therapist already has an appointment at 5 Jan 2027, 10:00–10:50." in page
    # Beside the time field, with the typed values kept.
    assert re.search(r'id="id_time"[^>]*is-invalid|is-invalid[^>]*id="id_time"', page)
    assert 'value="10:30"' in page and 'value="45"' in page and 'value="2027-01-05"' in page
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_a_therapist_books_only_their_own_clients_with_themselves(as_ana, ben, client_record):
    bens_client = ClientFactory(primary_therapist=ben)
    response = as_ana.post(
        reverse("clients:appointment_new"),
        book_post(client_record, client=str(bens_client.pk)),
    )
    assert response.status_code == 400 and not Appointment.objects.exists()
    response = as_ana.post(
        reverse("clients:appointment_new"), book_post(client_record, clinician=str(ben.pk))
    )
    assert response.status_code == 400 and not Appointment.objects.exists()


@pytest.mark.django_db
def test_moving_one_of_a_series_asks_which_and_moves_only_it(as_ana, client_record, london):
    as_ana.post(
        reverse("clients:appointment_new"),
        book_post(client_record, repeat="weekly", until="2027-04-05"),
    )
    first, second, third = Appointment.objects.order_by("starts_at")
    form = as_ana.get(reverse("clients:appointment_move", args=[second.pk])).content.decode()
    assert "Only this appointment" in form and "This and the following ones" in form
    assert 'value="2027-03-29"' in form and 'value="10:00"' in form
    response = as_ana.post(
        reverse("clients:appointment_move", args=[second.pk]),
        {
            "date": "2027-03-30",
            "time": "16:00",
            "length_minutes": "50",
            "room": "",
            "scope": "this",
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.starts_at == dt.datetime(2027, 3, 30, 15, tzinfo=UTC)  # 16:00 BST
    third.refresh_from_db()
    assert third.starts_at == dt.datetime(2027, 4, 5, 9, tzinfo=UTC)


@pytest.mark.django_db
def test_a_client_cancelling_late_is_recorded_and_counted_on_their_page(
    as_ana, client_record, london
):
    soon = AppointmentFactory(
        client=client_record, starts_at=timezone.now() + dt.timedelta(hours=30)
    )
    form = as_ana.get(reverse("clients:appointment_cancel", args=[soon.pk])).content.decode()
    assert "less than 48 hours before the start" in form
    response = as_ana.post(
        reverse("clients:appointment_cancel", args=[soon.pk]), {"by_whom": "client"}
    )
    assert response.status_code == 302
    soon.refresh_from_db()
    assert soon.status == Appointment.Status.LATE_CANCEL
    page = as_ana.get(reverse("clients:client_detail", args=[client_record.pk])).content.decode()
    assert "1 late cancellation" in page


@pytest.mark.django_db
def test_cancelling_without_saying_who_keeps_the_form(as_ana, client_record):
    appointment = AppointmentFactory(client=client_record)
    response = as_ana.post(reverse("clients:appointment_cancel", args=[appointment.pk]), {})
    assert response.status_code == 400 and b"This field is required" in response.content
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"


@pytest.mark.django_db
def test_marking_attended_opens_the_session_log_prefilled_and_links_the_note(
    as_ana, client_record, london
):
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
    appointment = AppointmentFactory(client=client_record, starts_at=start, length_minutes=60)
    response = as_ana.post(
        reverse("clients:appointment_mark", args=[appointment.pk]), {"status": "attended"}
    )
    new_url = reverse("clients:session_new", args=[client_record.pk])
    assert response["Location"] == f"{new_url}?appointment={appointment.pk}"
    form = as_ana.get(response["Location"]).content.decode()
    local = start.astimezone(zoneinfo.ZoneInfo("Europe/London"))
    assert f'value="{local:%H:%M}' in form and 'value="60"' in form
    assert f'action="{new_url}?appointment={appointment.pk}"' in form
    saved = as_ana.post(
        response["Location"],
        {
            "date": local.date().isoformat(),
            "start_time": f"{local:%H:%M}",
            "duration_minutes": "60",
            "modality": "telehealth",
            "attendance": "attended",
            "note_format": "dap",
            "risk_level": "none",
            "note_data": "Talked through the week.",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    appointment.refresh_from_db()
    session = TherapySession.objects.get()
    assert appointment.session == session and appointment.status == "attended"
    day = as_ana.get(
        reverse("clients:schedule_day") + f"?day={local.date().isoformat()}"
    ).content.decode()
    assert "Note not signed" in day and "Open the note" in day


@pytest.mark.django_db
def test_a_future_appointment_cannot_be_marked(as_ana, client_record):
    appointment = AppointmentFactory(client=client_record)
    response = as_ana.post(
        reverse("clients:appointment_mark", args=[appointment.pk]),
        {"status": "no_show"},
        follow=True,
    )
    assert b"has not begun yet" in response.content
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"


@pytest.mark.django_db
def test_the_clinic_admin_sees_every_clinician_and_the_rooms(
    client, dee, ana, ben, client_record, clinic
):
    room = RoomFactory(clinic=clinic, name="Garden room")
    monday = dt.date(2027, 1, 4)
    AppointmentFactory(
        client=client_record, starts_at=dt.datetime(2027, 1, 4, 9, tzinfo=UTC), room=room
    )
    AppointmentFactory(
        client=ClientFactory(primary_therapist=ben, legal_first_name="Sam"),
        starts_at=dt.datetime(2027, 1, 6, 11, tzinfo=UTC),
    )
    client.force_login(dee)
    everyone = client.get(week_url(week=monday.isoformat())).content.decode()
    assert "Every clinician" in everyone
    assert "Ana Therapist" in everyone and "Ben Colleague" in everyone
    assert "Robin" in everyone and "Sam" in everyone
    rooms = client.get(week_url(week=monday.isoformat(), who="rooms")).content.decode()
    assert '<th scope="row" class="lane-head">Garden room</th>' in rooms
    assert '<th scope="row" class="lane-head">Video</th>' in rooms
    only_ben = client.get(week_url(week=monday.isoformat(), who=ben.pk)).content.decode()
    assert "Sam" in only_ben and "Robin" not in only_ben


@pytest.mark.django_db
def test_a_therapist_sees_only_their_own_week(as_ana, ben, client_record):
    mine = AppointmentFactory(client=client_record)
    AppointmentFactory(client=ClientFactory(primary_therapist=ben, legal_first_name="Sam"))
    day = timezone.localtime(mine.starts_at).date()
    page = as_ana.get(week_url(week=day.isoformat(), who=ben.pk)).content.decode()
    assert "Robin" in page and "Sam" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("week", ["", "junk", "2027-13-45", "9" * 40, "0001-01-01"])
def test_junk_in_the_query_string_gives_a_page(as_ana, week):
    assert as_ana.get(week_url(week=week, who="x" * 50, view="?")).status_code == 200
    assert as_ana.get(reverse("clients:schedule_day") + f"?day={week}").status_code == 200


@pytest.mark.django_db
def test_the_therapist_home_shows_today_and_whether_each_past_note_is_written(
    as_ana, ana, client_record
):
    from tests.factories_sessions import TherapySessionFactory, signed_session

    now = timezone.now()
    today = timezone.localdate()
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    # Three past appointments (no note, a draft, a signed note) and one later today, if
    # the day leaves room; the test's clock may be early or late in the day.
    slots = [start_of_day + dt.timedelta(minutes=m) for m in (0, 60, 120)]
    if now - slots[-1] < dt.timedelta(hours=1):
        pytest.skip("too early in the day (UTC) for three past appointments")
    sam = ClientFactory(primary_therapist=ana, legal_first_name="Sam")
    kim = ClientFactory(primary_therapist=ana, legal_first_name="Kim")
    draft = TherapySessionFactory(client=sam, date=today, start_time=dt.time(1, 0))
    signed = signed_session(kim, date=today, start_time=dt.time(2, 0))
    AppointmentFactory(client=client_record, starts_at=slots[0], status="scheduled")
    AppointmentFactory(client=sam, starts_at=slots[1], status="attended", session=draft)
    AppointmentFactory(client=kim, starts_at=slots[2], status="attended", session=signed)
    page = as_ana.get(reverse("clients:home")).content.decode()
    assert 'id="today-heading"' in page
    today_section = page.split('id="today-heading"')[1].split("</section>")[0]
    assert "Robin" in today_section and "Attended<span" in today_section  # mark buttons
    assert "Note not signed" in today_section and "Note signed" in today_section


@pytest.mark.django_db
def test_the_caseload_shows_the_next_appointment_and_flags_none_booked(
    client, dee, ana, client_record
):
    waiting = ClientFactory(primary_therapist=ana, legal_first_name="Kim")
    nxt = AppointmentFactory(client=client_record, starts_at=dt.datetime(2027, 2, 1, 9, tzinfo=UTC))
    AppointmentFactory(
        client=client_record, starts_at=timezone.now() - dt.timedelta(days=3), status="no_show"
    )
    client.force_login(dee)
    page = client.get(reverse("clients:caseload")).content.decode()
    rows = {
        name: page.split(f'id="pick-{c.pk}"')[1].split("</tr>")[0]
        for name, c in (("Robin", client_record), ("Kim", waiting))
    }
    assert "1 Feb 2027, 09:00" in rows["Robin"] and "1 missed" in rows["Robin"]
    assert "None booked" in rows["Kim"] and "None booked" not in rows["Robin"]
    assert nxt and waiting
    sorted_page = client.get(reverse("clients:caseload") + "?sort=next_appointment").content
    assert b"Next appointment" in sorted_page


@pytest.mark.django_db
def test_the_clinic_admin_adds_rooms_and_takes_one_out_of_use(client, dee, as_ana, clinic):
    from clients.models import Room

    url = reverse("clients:rooms")
    assert as_ana.get(url).status_code == 403  # a therapist does not manage rooms
    client.force_login(dee)
    assert client.post(url, {"name": "Garden room"}).status_code == 302
    again = client.post(url, {"name": "garden ROOM"})
    assert again.status_code == 400
    assert (
        b"already has a room of this name" in again.content
        and b'value="garden ROOM"' in again.content
    )
    room = Room.objects.get()
    client.post(url, {"room": room.pk})
    room.refresh_from_db()
    assert not room.is_active
    client.get(url)  # the message is shown once
    form = client.get(reverse("clients:appointment_new")).content.decode()
    assert "Garden room" not in form  # no longer offered for booking


@pytest.mark.django_db
def test_each_change_writes_one_audit_row_naming_it(client, dee, as_ana, client_record, london):
    """The services write the audit rows: one per change, with its action, object and client."""
    book = reverse("clients:appointment_new")
    assert as_ana.post(book, book_post(client_record)).status_code == 302
    single = Appointment.objects.get()
    series_post = book_post(client_record, date="2027-05-03", repeat="weekly", until="2027-05-17")
    assert as_ana.post(book, series_post).status_code == 302
    first, second, third = Appointment.objects.exclude(pk=single.pk).order_by("starts_at")
    move = {"date": "2027-05-11", "time": "11:00", "length_minutes": "50", "room": ""}
    moved = as_ana.post(
        reverse("clients:appointment_move", args=[second.pk]), move | {"scope": "following"}
    )
    assert moved.status_code == 302
    move_single = reverse("clients:appointment_move", args=[single.pk])
    assert as_ana.post(move_single, move | {"date": "2027-03-23"}).status_code == 302
    cancel = reverse("clients:appointment_cancel", args=[second.pk])
    assert as_ana.post(cancel, {"by_whom": "clinician", "scope": "following"}).status_code == 302
    cancel = reverse("clients:appointment_cancel", args=[single.pk])
    assert as_ana.post(cancel, {"by_whom": "clinician"}).status_code == 302
    client.force_login(dee)
    assert client.post(reverse("clients:rooms"), {"name": "Garden room"}).status_code == 302
    room = Room.objects.get()
    assert client.post(reverse("clients:rooms"), {"room": room.pk}).status_code == 302
    rows = AuditEvent.objects.filter(object_type__in=["Appointment", "Room"]).exclude(
        action=AuditEvent.Action.VIEW
    )
    created, changed = AuditEvent.Action.CREATE, AuditEvent.Action.CHANGE
    cid = client_record.pk
    assert [(r.action, r.summary, r.object_id, r.client_id) for r in rows.order_by("id")] == [
        (created, "Appointment booked", str(single.pk), cid),
        (created, "Appointment series booked", str(first.pk), cid),
        (changed, "Appointment and the following moved", str(second.pk), cid),
        (changed, "Appointment moved", str(single.pk), cid),
        (changed, "2 appointment(s) cancelled", str(second.pk), cid),
        (changed, "1 appointment(s) cancelled", str(single.pk), cid),
        (created, "Room", str(room.pk), None),
        (changed, "Room", str(room.pk), None),
    ]


@pytest.mark.django_db
def test_marking_is_audited_by_the_service_once_and_a_refusal_writes_nothing(as_ana, client_record):
    past = timezone.now().replace(microsecond=0) - dt.timedelta(hours=3)
    appointment = AppointmentFactory(client=client_record, starts_at=past)
    future = AppointmentFactory(client=client_record)
    mark = "clients:appointment_mark"
    as_ana.post(reverse(mark, args=[appointment.pk]), {"status": "no_show"})
    as_ana.post(reverse(mark, args=[future.pk]), {"status": "no_show"})
    rows = AuditEvent.objects.filter(object_type="Appointment", action=AuditEvent.Action.CHANGE)
    assert [(r.summary, r.object_id, r.client_id) for r in rows] == [
        ("Appointment marked no-show", str(appointment.pk), client_record.pk)
    ]


def _marked(client_record, status="no_show", session=None, hours_ago=3):
    past = timezone.now().replace(microsecond=0) - dt.timedelta(hours=hours_ago)
    return AppointmentFactory(client=client_record, starts_at=past, status=status, session=session)


def unmark_url(appointment) -> str:
    return reverse("clients:appointment_unmark", args=[appointment.pk])


@pytest.mark.django_db
def test_a_wrong_no_show_is_set_back_to_scheduled_with_a_reason_and_audited(as_ana, client_record):
    appointment = _marked(client_record)
    detail = as_ana.get(reverse("clients:appointment_detail", args=[appointment.pk]))
    assert f'href="{unmark_url(appointment)}"' in detail.content.decode()
    assert as_ana.get(unmark_url(appointment)).status_code == 200
    response = as_ana.post(unmark_url(appointment), {"reason": "wrong_appointment"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"
    row = AuditEvent.objects.get(object_type="Appointment", action=AuditEvent.Action.CHANGE)
    assert row.summary == (
        "Appointment set back to scheduled from no-show: marked on the wrong appointment"
    )
    assert (row.object_id, row.client_id) == (str(appointment.pk), client_record.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"reason": "because"}, {"reason": "x" * 5000}])
def test_unmarking_without_a_reason_keeps_the_form_with_the_message_beside_it(
    as_ana, client_record, data
):
    appointment = _marked(client_record)
    response = as_ana.post(unmark_url(appointment), data)
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    appointment.refresh_from_db()
    assert appointment.status == "no_show"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE).exists()


@pytest.mark.django_db
def test_unmarking_is_refused_once_a_signed_note_is_linked(as_ana, ana, client_record):
    note = TherapySession.objects.create(
        client=client_record, therapist=ana, date=timezone.localdate(), status="signed"
    )
    appointment = _marked(client_record, status="attended", session=note)
    response = as_ana.post(unmark_url(appointment), {"reason": "wrong_status"})
    assert response.status_code == 400
    assert "A signed session note is linked to this appointment" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "attended" and appointment.session == note


@pytest.mark.django_db
def test_unmarking_an_attended_appointment_unhooks_its_draft_note(as_ana, ana, client_record):
    note = TherapySession.objects.create(
        client=client_record, therapist=ana, date=timezone.localdate(), status="draft"
    )
    appointment = _marked(client_record, status="attended", session=note)
    assert as_ana.post(unmark_url(appointment), {"reason": "too_early"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "scheduled" and appointment.session is None
    assert TherapySession.objects.filter(pk=note.pk, status="draft").exists()


@pytest.mark.django_db
def test_a_late_cancellation_set_back_into_a_slot_booked_since_is_refused_clearly(
    as_ana, client_record
):
    appointment = _marked(client_record, status="late_cancel", hours_ago=30)
    AppointmentFactory(client=client_record, starts_at=appointment.starts_at)
    response = as_ana.post(unmark_url(appointment), {"reason": "wrong_status"})
    assert response.status_code == 400
    assert "already has an appointment at" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "late_cancel"


@pytest.mark.django_db
def test_only_the_clinician_or_a_clinic_admin_may_unmark(client, ana, ben, dee, client_record):
    # Ben is the client's therapist, Ana saw the client: the mark is Ana's to take back.
    client_record.primary_therapist = ben
    client_record.save()
    appointment = AppointmentFactory(
        client=client_record,
        clinician=ana,
        starts_at=timezone.now() - dt.timedelta(hours=3),
        status="no_show",
    )
    client.force_login(ben)
    assert client.post(unmark_url(appointment), {"reason": "wrong_status"}).status_code == 403
    detail = client.get(reverse("clients:appointment_detail", args=[appointment.pk]))
    assert unmark_url(appointment) not in detail.content.decode()
    client.force_login(dee)
    assert client.post(unmark_url(appointment), {"reason": "wrong_status"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "scheduled"
