"""The schedule's rules: clashes (also under concurrency), series and their edits,
daylight-saving dates, cancellations inside the clinic's window, marking."""

import contextlib
import datetime as dt
import threading
import zoneinfo
from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection
from django.utils import timezone
from psycopg.errors import DeadlockDetected

from attachment_app.dates import clinic_dates, format_datetime
from clients.models import Appointment, AppointmentKind, AppointmentSeries, Frequency
from clients.services import appointments as svc
from tests.conftest import need
from tests.factories import ClientFactory
from tests.factories_appointments import AppointmentFactory, RoomFactory

UTC = dt.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(y, m, d, hh=10, mm=0, tz=UTC) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=tz)


def book(client, *, starts_at, clinician=None, room=None, length=50, by=None):
    clinician = clinician or client.primary_therapist
    return svc.appointment_book(
        client=client,
        clinician=clinician,
        starts_at=starts_at,
        length_minutes=length,
        room=room,
        kind=AppointmentKind.SESSION,
        by=by or clinician,
    )


def book_series(client, *, starts_at, frequency=Frequency.WEEKLY, until=None, room=None):
    return svc.appointment_series_book(
        client=client,
        clinician=client.primary_therapist,
        starts_at=starts_at,
        length_minutes=50,
        room=room,
        kind=AppointmentKind.SESSION,
        frequency=frequency,
        until=until,
        by=client.primary_therapist,
    )


# Clashes -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_clinician_cannot_be_booked_twice_at_once(client_record, ana):
    other = ClientFactory(primary_therapist=ana)
    book(client_record, starts_at=at(2027, 1, 5))
    with pytest.raises(ValidationError) as refused:
        book(other, starts_at=at(2027, 1, 5, 10, 30))
    message = refused.value.message_dict["starts_at"][0]
    assert message == (
        "Ana Therapist already has an appointment at 5 Jan 2027, 10:00–10:50. Choose another time."
    )
    assert "Robin" not in message  # never another client's name
    assert Appointment.objects.count() == 1
    # Back to back is fine: the first ends as the second begins.
    book(other, starts_at=at(2027, 1, 5, 10, 50))


@pytest.mark.django_db
def test_one_room_holds_one_appointment_at_a_time(client_record, ana, ben, clinic):
    room = RoomFactory(clinic=clinic, name="Garden room")
    bens_client = ClientFactory(primary_therapist=ben)
    book(client_record, starts_at=at(2027, 1, 5), room=room)
    with pytest.raises(ValidationError) as refused:
        book(bens_client, starts_at=at(2027, 1, 5, 9, 30), room=room)
    assert refused.value.message_dict["starts_at"] == [
        "Garden room is already booked at 5 Jan 2027, 10:00–10:50. Choose another room or time."
    ]
    # By video, or in another room, Ben may see his client then.
    book(bens_client, starts_at=at(2027, 1, 5, 9, 30))
    book(bens_client, starts_at=at(2027, 1, 6, 10), room=RoomFactory(clinic=clinic, name="Blue"))


@pytest.mark.django_db
def test_a_cancelled_appointment_frees_its_slot(client_record, ana):
    first = book(client_record, starts_at=at(2027, 1, 5))
    svc.appointment_cancel(appointment=first, by_whom=svc.BY_CLINICIAN, user=ana)
    book(ClientFactory(primary_therapist=ana), starts_at=at(2027, 1, 5))
    assert Appointment.objects.filter(status="scheduled").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_clash_the_check_missed(client_record, ana, monkeypatch):
    need(connection.vendor == "postgresql", "exclusion constraints need PostgreSQL")
    book(client_record, starts_at=at(2027, 1, 5))
    monkeypatch.setattr(svc, "check_clashes", lambda *a, **k: None)
    with pytest.raises(ValidationError) as refused:
        book(ClientFactory(primary_therapist=ana), starts_at=at(2027, 1, 5, 10, 10))
    assert "Ana Therapist already has an appointment" in refused.value.messages[0]
    # And written past the service altogether, the row itself is refused.
    with pytest.raises(IntegrityError, match="appt_clinician_no_overlap"):
        AppointmentFactory(client=client_record, starts_at=at(2027, 1, 5, 10, 20))


@pytest.mark.django_db(transaction=True)
def test_two_bookings_of_one_room_at_the_same_moment_one_wins(ana, ben, clinic, monkeypatch):
    need(connection.vendor == "postgresql", "exclusion constraints need PostgreSQL")
    room = RoomFactory(clinic=clinic, name="Garden room")
    clients = [ClientFactory(primary_therapist=ana), ClientFactory(primary_therapist=ben)]
    # Each request, once it has checked and found the room free, waits for the other to
    # have checked too: both checks pass, so only the database can keep the rule.
    both_checked = threading.Barrier(2, timeout=3)
    original = svc.check_clashes

    def checked_then_wait(*args, **kwargs):
        original(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checked.wait()

    monkeypatch.setattr(svc, "check_clashes", checked_then_wait)
    outcomes = []

    def ask(client):
        try:
            book(client, starts_at=at(2027, 1, 5), room=room)
            outcomes.append("booked")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [
        "Garden room is already booked at 5 Jan 2027, 10:00–10:50. Choose another room or time.",
        "booked",
    ]
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_a_booking_cancelled_by_a_deadlock_is_written_once_more(client_record, monkeypatch):
    # Two bookings of one room at the same moment can each wait on the other's row in the
    # exclusion check; PostgreSQL then cancels one. The one cancelled must get an answer.
    writes = []
    original = svc._save_all

    def cancelled_the_first_time(rows):
        writes.append(len(rows))
        if len(writes) == 1:
            raise OperationalError("deadlock detected") from DeadlockDetected()
        original(rows)

    monkeypatch.setattr(svc, "_save_all", cancelled_the_first_time)
    booked = book(client_record, starts_at=at(2027, 1, 5))
    assert writes == [1, 1]
    assert Appointment.objects.get().pk == booked.pk


@pytest.mark.django_db
def test_any_other_database_error_is_not_retried(client_record, monkeypatch):
    def unavailable(rows):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(svc, "_save_all", unavailable)
    with pytest.raises(OperationalError):
        book(client_record, starts_at=at(2027, 1, 5))


# Series ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_weekly_series_keeps_its_rule_and_makes_rows_up_to_the_horizon(client_record, settings):
    settings.APPOINTMENT_HORIZON_WEEKS = 12
    start = (timezone.now() + dt.timedelta(days=2)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    series = book_series(client_record, starts_at=start)
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=1"
    rows = list(series.appointments.order_by("starts_at"))
    assert 12 <= len(rows) <= 13
    assert all(b.starts_at - a.starts_at == dt.timedelta(weeks=1) for a, b in pairwise(rows))
    assert rows[0].starts_at == start and rows[0].occurrence_of == start


@pytest.mark.django_db
def test_every_other_week_until_a_date(client_record):
    series = book_series(
        client_record,
        starts_at=at(2027, 1, 4),
        frequency=Frequency.FORTNIGHTLY,
        until=dt.date(2027, 2, 28),
    )
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270228T235959"
    days = [a.starts_at.date() for a in series.appointments.order_by("starts_at")]
    assert days == [dt.date(2027, 1, 4), dt.date(2027, 1, 18), dt.date(2027, 2, 1),
                    dt.date(2027, 2, 15)]  # fmt: skip


@pytest.mark.django_db
def test_a_series_that_would_clash_is_refused_whole(client_record, ana):
    book(ClientFactory(primary_therapist=ana), starts_at=at(2027, 1, 18, 10, 20))
    with pytest.raises(ValidationError, match="18 Jan 2027, 10:20"):
        book_series(client_record, starts_at=at(2027, 1, 4), until=dt.date(2027, 2, 1))
    assert not AppointmentSeries.objects.exists()
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_moving_or_cancelling_one_occurrence_leaves_the_others_and_the_series(client_record, ana):
    series = book_series(client_record, starts_at=at(2027, 1, 4), until=dt.date(2027, 2, 1))
    rows = list(series.appointments.order_by("starts_at"))
    moved = svc.appointment_move(
        appointment=rows[1], starts_at=at(2027, 1, 12, 15), length_minutes=50, room=None, by=ana
    )
    svc.appointment_cancel(appointment=rows[2], by_whom=svc.BY_CLIENT, user=ana)
    after = {a.pk: a for a in series.appointments.all()}
    assert after[moved.pk].starts_at == at(2027, 1, 12, 15)
    assert after[moved.pk].occurrence_of == at(2027, 1, 11)  # still that week's occurrence
    assert after[rows[2].pk].status == Appointment.Status.CANCELLED_CLIENT
    for untouched in (rows[0], rows[3], rows[4]):
        assert after[untouched.pk].status == "scheduled"
        assert after[untouched.pk].starts_at == untouched.starts_at
    series.refresh_from_db()
    assert series.until == dt.date(2027, 2, 1) and series.rrule.endswith("UNTIL=20270201T235959")
    # Extending the series never brings the moved or cancelled slot back.
    series.materialized_until = dt.date(2027, 1, 1)
    series.save()
    svc.series_extend(series=series, through=dt.date(2027, 3, 1), by=ana)
    assert series.appointments.count() == 5


@pytest.mark.django_db
def test_this_and_the_following_splits_the_series(client_record, ana):
    series = book_series(client_record, starts_at=at(2027, 1, 4), until=dt.date(2027, 2, 8))
    rows = list(series.appointments.order_by("starts_at"))  # 4, 11, 18, 25 Jan, 1, 8 Feb
    svc.appointment_cancel(appointment=rows[4], by_whom=svc.BY_CLIENT, user=ana)
    # From the third on: Tuesdays at 14:00.
    svc.appointment_move(
        appointment=rows[2],
        starts_at=at(2027, 1, 19, 14),
        length_minutes=60,
        room=None,
        by=ana,
        scope=svc.FOLLOWING,
    )
    series.refresh_from_db()
    assert series.until == dt.date(2027, 1, 17)
    new = AppointmentSeries.objects.get(split_from=series)
    assert (new.first_date, new.local_time) == (dt.date(2027, 1, 19), dt.time(14, 0))
    assert new.until == dt.date(2027, 2, 9)
    assert [a.starts_at for a in series.appointments.order_by("starts_at")] == [
        at(2027, 1, 4),
        at(2027, 1, 11),
    ]
    moved = list(new.appointments.order_by("occurrence_of"))
    assert [(a.starts_at, a.status, a.length_minutes) for a in moved] == [
        (at(2027, 1, 19, 14), "scheduled", 60),
        (at(2027, 1, 26, 14), "scheduled", 60),
        (at(2027, 2, 1, 10), "client_cancel", 50),  # a cancelled week stays cancelled
        (at(2027, 2, 9, 14), "scheduled", 60),
    ]
    # Its horizon moves on without bringing the cancelled week back.
    svc.series_extend(series=new, through=dt.date(2027, 6, 1), by=ana)
    assert new.appointments.count() == 4


def move_following(appointment, starts_at, *, by, length=50, room=None):
    return svc.appointment_move(
        appointment=appointment,
        starts_at=starts_at,
        length_minutes=length,
        room=room,
        by=by,
        scope=svc.FOLLOWING,
    )


@pytest.mark.django_db
def test_this_and_the_following_keeps_occurrences_moved_on_their_own(client_record, ana, clinic):
    garden = RoomFactory(clinic=clinic, name="Garden room")
    series = book_series(client_record, starts_at=at(2027, 1, 4), until=dt.date(2027, 2, 8))
    rows = list(series.appointments.order_by("starts_at"))  # Mondays 4 Jan .. 8 Feb
    # 25 Jan moved on its own to the Wednesday afternoon; 1 Feb only to another room.
    svc.appointment_move(
        appointment=rows[3], starts_at=at(2027, 1, 27, 16), length_minutes=30, room=None, by=ana
    )
    svc.appointment_move(
        appointment=rows[4], starts_at=at(2027, 2, 1), length_minutes=50, room=garden, by=ana
    )
    svc.appointment_mark(appointment=rows[1], status="no_show", user=ana, now=at(2027, 1, 11, 11))
    # From the second on: Tuesdays at 14:00 (the no-show week stays as it was).
    move_following(rows[2], at(2027, 1, 19, 14), by=ana)
    new = AppointmentSeries.objects.get(split_from=series)
    after = {a.pk: a for a in Appointment.objects.all()}
    assert (after[rows[3].pk].starts_at, after[rows[3].pk].length_minutes) == (
        at(2027, 1, 27, 16),
        30,
    )
    assert (after[rows[4].pk].starts_at, after[rows[4].pk].room) == (at(2027, 2, 1), garden)
    assert after[rows[2].pk].starts_at == at(2027, 1, 19, 14)
    assert after[rows[5].pk].starts_at == at(2027, 2, 9, 14)
    assert (after[rows[1].pk].starts_at, after[rows[1].pk].status) == (at(2027, 1, 11), "no_show")
    # The kept ones belong to the new series under the slot its rule gives them...
    assert {a.pk: a.occurrence_of for a in new.appointments.all()} == {
        rows[2].pk: at(2027, 1, 19, 14),
        rows[3].pk: at(2027, 1, 26, 14),
        rows[4].pk: at(2027, 2, 2, 14),
        rows[5].pk: at(2027, 2, 9, 14),
    }
    assert not svc.follows_rule(after[rows[3].pk], new)
    # ...so a second change of the following moves the untouched ones again and keeps them.
    move_following(after[rows[2].pk], at(2027, 1, 20, 9), by=ana)
    again = {a.pk: a.starts_at for a in Appointment.objects.all()}
    assert again[rows[2].pk] == at(2027, 1, 20, 9) and again[rows[5].pk] == at(2027, 2, 10, 9)
    assert again[rows[3].pk] == at(2027, 1, 27, 16) and again[rows[4].pk] == at(2027, 2, 1)
    # Extending the newest series never brings a kept week back at the rule's time.
    newest = AppointmentSeries.objects.get(split_from=new)
    newest.until, newest.rrule = None, svc.rule_text(Frequency.WEEKLY, None)
    newest.save()
    svc.series_extend(series=newest, through=dt.date(2027, 6, 1), by=ana)
    kept_weeks = newest.appointments.filter(
        starts_at__gte=at(2027, 1, 25, 0), starts_at__lt=at(2027, 2, 8, 0)
    )
    assert {a.pk for a in kept_weeks} == {rows[3].pk, rows[4].pk}
    assert newest.appointments.filter(starts_at=at(2027, 5, 26, 9)).exists()


@pytest.mark.django_db
def test_cancelled_and_attended_occurrences_are_never_moved_with_the_following(client_record, ana):
    series = book_series(client_record, starts_at=at(2027, 1, 4), until=dt.date(2027, 1, 25))
    rows = list(series.appointments.order_by("starts_at"))  # 4, 11, 18, 25 Jan
    svc.appointment_mark(appointment=rows[1], status="attended", user=ana, now=at(2027, 1, 11, 11))
    svc.appointment_cancel(appointment=rows[2], by_whom=svc.BY_CLINICIAN, user=ana)
    svc.appointment_cancel(appointment=rows[3], by_whom=svc.BY_CLIENT, user=ana)
    move_following(rows[0], at(2027, 1, 4, 12), by=ana, length=60)
    after = {a.pk: (a.starts_at, a.length_minutes, a.status) for a in Appointment.objects.all()}
    assert after == {
        rows[0].pk: (at(2027, 1, 4, 12), 60, "scheduled"),
        rows[1].pk: (at(2027, 1, 11), 50, "attended"),
        rows[2].pk: (at(2027, 1, 18), 50, "clinician_cancel"),
        rows[3].pk: (at(2027, 1, 25), 50, "client_cancel"),
    }


@pytest.mark.django_db
def test_a_kept_occurrence_in_the_way_of_the_new_time_is_named(client_record, ana):
    series = book_series(client_record, starts_at=at(2027, 1, 4), until=dt.date(2027, 1, 25))
    rows = list(series.appointments.order_by("starts_at"))  # 4, 11, 18, 25 Jan
    # 11 Jan moved on its own to Tuesday the 19th at 14:00, the week after its own.
    svc.appointment_move(
        appointment=rows[1], starts_at=at(2027, 1, 19, 14), length_minutes=50, room=None, by=ana
    )
    before = {a.pk: (a.starts_at, a.series_id) for a in Appointment.objects.all()}
    with pytest.raises(ValidationError) as refused:
        move_following(rows[0], at(2027, 1, 5, 14, 30), by=ana)  # 18 Jan would go to 19 Jan
    message = refused.value.message_dict["starts_at"][0]
    assert message == (
        "The new time on 19 Jan 2027, 14:30 would overlap this series' appointment at "
        "19 Jan 2027, 14:00, which was moved on its own and keeps its time. Move or cancel "
        "that one first, or choose another time."
    )
    # Nothing changed: no new series, every row where it was.
    assert not AppointmentSeries.objects.filter(split_from=series).exists()
    assert {a.pk: (a.starts_at, a.series_id) for a in Appointment.objects.all()} == before
    series.refresh_from_db()
    assert series.until == dt.date(2027, 1, 25)


@pytest.mark.django_db
def test_moving_this_one_leaves_the_rest_of_the_series_on_its_rule(client_record, ana, clinic):
    garden = RoomFactory(clinic=clinic, name="Garden room")
    series = book_series(client_record, starts_at=at(2027, 1, 4), until=dt.date(2027, 1, 25))
    rows = list(series.appointments.order_by("starts_at"))
    svc.appointment_cancel(appointment=rows[3], by_whom=svc.BY_CLIENT, user=ana)
    svc.appointment_move(
        appointment=rows[1], starts_at=at(2027, 1, 11, 8), length_minutes=50, room=garden, by=ana
    )
    # Moved a second time on its own: still that week's occurrence, still off the rule.
    svc.appointment_move(
        appointment=rows[1], starts_at=at(2027, 1, 12, 8), length_minutes=50, room=garden, by=ana
    )
    after = {a.pk: a for a in series.appointments.all()}
    assert after[rows[1].pk].occurrence_of == at(2027, 1, 11)
    assert [svc.follows_rule(after[r.pk], series) for r in rows] == [True, False, True, False]
    assert [after[r.pk].starts_at for r in rows] == [
        at(2027, 1, 4),
        at(2027, 1, 12, 8),
        at(2027, 1, 18),
        at(2027, 1, 25),
    ]


@pytest.mark.django_db
def test_the_periodic_task_never_recreates_a_moved_or_cancelled_occurrence(
    client_record, ana, settings
):
    settings.APPOINTMENT_HORIZON_WEEKS = 2
    today = timezone.localdate()
    start = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(8), tzinfo=UTC)
    series = book_series(client_record, starts_at=start)  # days 1, 8, 15
    first, second, third = series.appointments.order_by("starts_at")
    svc.appointment_move(
        appointment=second,
        starts_at=second.starts_at + dt.timedelta(days=1, hours=5),
        length_minutes=50,
        room=None,
        by=ana,
    )
    svc.appointment_cancel(appointment=third, by_whom=svc.BY_CLIENT, user=ana)
    # Split at the first: the kept two follow into the new series, which the task extends.
    move_following(first, start + dt.timedelta(hours=1), by=ana)
    new = AppointmentSeries.objects.get(split_from=series)
    later = today + dt.timedelta(weeks=3)  # through day 35: days 22 and 29 are new
    assert svc.series_extend_all(today=later) == 2
    rows = list(new.appointments.order_by("occurrence_of"))
    assert [(r.starts_at - start, r.status) for r in rows] == [
        (dt.timedelta(hours=1), "scheduled"),
        (dt.timedelta(days=8, hours=5), "scheduled"),
        (dt.timedelta(days=14), "client_cancel"),
        (dt.timedelta(days=21, hours=1), "scheduled"),
        (dt.timedelta(days=28, hours=1), "scheduled"),
    ]
    assert svc.series_extend_all(today=later) == 0


@pytest.mark.django_db
def test_cancelling_this_and_the_following_ends_the_series(client_record, ana):
    series = book_series(client_record, starts_at=at(2027, 1, 4), until=dt.date(2027, 2, 1))
    rows = list(series.appointments.order_by("starts_at"))
    cancelled = svc.appointment_cancel(
        appointment=rows[3], by_whom=svc.BY_CLINICIAN, user=ana, scope=svc.FOLLOWING
    )
    assert {a.pk for a in cancelled} == {rows[3].pk, rows[4].pk}
    statuses = list(series.appointments.order_by("starts_at").values_list("status", flat=True))
    assert statuses == ["scheduled"] * 3 + ["clinician_cancel"] * 2
    series.refresh_from_db()
    assert series.until == dt.date(2027, 1, 24)


# Daylight saving ---------------------------------------------------------------------


@pytest.fixture
def london(clinic):
    clinic.time_zone = "Europe/London"
    clinic.save()
    return clinic


@pytest.mark.django_db
def test_a_weekly_series_keeps_its_local_time_across_the_spring_change(client_record, london):
    series = book_series(
        client_record, starts_at=at(2027, 3, 21, 10, tz=LONDON), until=dt.date(2027, 4, 4)
    )
    starts = [a.starts_at for a in series.appointments.order_by("starts_at")]
    # 10:00 GMT is 10:00 UTC; after 28 March 10:00 BST is 09:00 UTC.
    assert starts == [at(2027, 3, 21, 10), at(2027, 3, 28, 9), at(2027, 4, 4, 9)]
    with clinic_dates(london):
        assert [format_datetime(s) for s in starts] == [
            "21 Mar 2027, 10:00",
            "28 Mar 2027, 10:00",
            "4 Apr 2027, 10:00",
        ]


@pytest.mark.django_db
def test_a_weekly_series_keeps_its_local_time_across_the_autumn_change(client_record, london):
    series = book_series(
        client_record, starts_at=at(2027, 10, 24, 10, tz=LONDON), until=dt.date(2027, 11, 7)
    )
    starts = [a.starts_at for a in series.appointments.order_by("starts_at")]
    assert starts == [at(2027, 10, 24, 9), at(2027, 10, 31, 10), at(2027, 11, 7, 10)]


@pytest.mark.django_db
def test_an_early_morning_series_on_the_change_nights(client_record, london):
    # 01:30 does not exist on 28 March (clocks jump 01:00 -> 02:00): it falls at 02:30 BST.
    # 01:30 happens twice on 31 October: the first (BST) is kept.
    spring = svc.appointment_series_book(
        client=client_record,
        clinician=client_record.primary_therapist,
        starts_at=at(2027, 3, 21, 1, 30, tz=LONDON),
        length_minutes=30,
        room=None,
        kind=AppointmentKind.SESSION,
        frequency=Frequency.WEEKLY,
        until=dt.date(2027, 3, 28),
        by=client_record.primary_therapist,
    )
    assert [a.starts_at for a in spring.appointments.order_by("starts_at")] == [
        at(2027, 3, 21, 1, 30),
        at(2027, 3, 28, 1, 30),
    ]
    assert svc.local_to_utc(
        day=dt.date(2027, 10, 31), time=dt.time(1, 30), zone="Europe/London"
    ) == (at(2027, 10, 31, 0, 30))


@pytest.mark.django_db
def test_moving_the_following_across_a_change_keeps_the_wall_clock(client_record, london, ana):
    series = book_series(
        client_record, starts_at=at(2027, 3, 15, 10, tz=LONDON), until=dt.date(2027, 4, 5)
    )
    first = series.appointments.order_by("starts_at").first()
    svc.appointment_move(
        appointment=first,
        starts_at=at(2027, 3, 16, 17, tz=LONDON),
        length_minutes=50,
        room=None,
        by=ana,
        scope=svc.FOLLOWING,
    )
    new = AppointmentSeries.objects.get(split_from=series)
    local = [a.starts_at.astimezone(LONDON) for a in new.appointments.order_by("starts_at")]
    assert [(t.day, t.hour) for t in local] == [(16, 17), (23, 17), (30, 17), (6, 17)]


# Cancellations and marking -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("window", "hours_before", "by_whom", "status"),
    [
        (24, 23, "client", "late_cancel"),
        (24, 25, "client", "client_cancel"),
        (48, 30, "client", "late_cancel"),
        (72, 71, "client", "late_cancel"),
        (72, 73, "client", "client_cancel"),
        (72, 1, "clinician", "clinician_cancel"),
    ],
)
def test_a_client_cancelling_inside_the_clinics_window_is_a_late_cancellation(
    client_record, ana, clinic, window, hours_before, by_whom, status
):
    clinic.late_cancel_window_hours = window
    clinic.save()
    now = at(2027, 1, 1, 8)
    appointment = AppointmentFactory(
        client=client_record, starts_at=now + dt.timedelta(hours=hours_before)
    )
    svc.appointment_cancel(appointment=appointment, by_whom=by_whom, user=ana, now=now)
    appointment.refresh_from_db()
    assert appointment.status == status and appointment.status_changed_at == now


@pytest.mark.django_db
def test_marking_waits_for_the_start_and_changes_one_occurrence(client_record, ana):
    series = book_series(client_record, starts_at=at(2027, 1, 4), until=dt.date(2027, 1, 18))
    first, second, third = series.appointments.order_by("starts_at")
    with pytest.raises(ValidationError, match="has not begun yet"):
        svc.appointment_mark(appointment=first, status="no_show", user=ana, now=at(2027, 1, 4, 9))
    svc.appointment_mark(appointment=first, status="no_show", user=ana, now=at(2027, 1, 4, 10, 5))
    svc.appointment_mark(appointment=second, status="attended", user=ana, now=at(2027, 1, 12))
    assert list(series.appointments.order_by("starts_at").values_list("status", flat=True)) == [
        "no_show",
        "attended",
        "scheduled",
    ]
    svc.appointment_cancel(appointment=third, by_whom="client", user=ana, now=at(2027, 1, 1))
    with pytest.raises(ValidationError, match="was cancelled"):
        svc.appointment_mark(appointment=third, status="attended", user=ana, now=at(2027, 2, 1))


@pytest.mark.django_db
def test_a_clinician_or_room_of_another_clinic_is_refused(client_record, olivia, other_clinic):
    with pytest.raises(ValidationError) as refused:
        book(client_record, starts_at=at(2027, 1, 5), clinician=olivia)
    assert "clinician" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        book(client_record, starts_at=at(2027, 1, 5), room=RoomFactory(clinic=other_clinic))
    assert "room" in refused.value.message_dict


@pytest.mark.django_db
def test_the_periodic_task_keeps_open_series_booked_ahead(client_record, ana, settings):
    settings.APPOINTMENT_HORIZON_WEEKS = 4
    today = timezone.localdate()
    start = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(8), tzinfo=UTC)
    open_series = book_series(client_record, starts_at=start)
    ended = book_series(
        ClientFactory(primary_therapist=ana), starts_at=start + dt.timedelta(hours=2),
        until=today + dt.timedelta(days=10),
    )  # fmt: skip
    # Tomorrow and every week through four weeks after it: days 1, 8, 15, 22, 29.
    assert open_series.appointments.count() == 5
    made = svc.series_extend_all(today=today + dt.timedelta(weeks=3))  # through day 49
    assert made == 2 and open_series.appointments.count() == 7
    assert ended.appointments.count() == 2
    assert svc.series_extend_all(today=today + dt.timedelta(weeks=3)) == 0
