"""Reminders: to clients who opted in, nothing clinical, and never twice for one
occurrence (two processes at once, a task run again, a real worker)."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from clients.models import AppointmentReminder
from clients.services import reminders
from clients.tasks import send_appointment_reminders
from tests.conftest import need, wait_until
from tests.factories import ClientFactory
from tests.factories_appointments import AppointmentFactory, RoomFactory

UTC = dt.UTC


@pytest.fixture
def opted_in(ana):
    return ClientFactory(
        primary_therapist=ana,
        legal_first_name="Robin",
        email="robin@client.example",
        appointment_reminders=True,
    )


@pytest.mark.django_db
def test_a_reminder_goes_to_clients_who_opted_in_with_when_and_where_only(opted_in, ana, clinic):
    room = RoomFactory(clinic=clinic, name="Garden room")
    due = AppointmentFactory(
        client=opted_in, starts_at=dt.datetime(2027, 1, 5, 10, tzinfo=UTC), room=room, kind="intake"
    )
    now = due.starts_at - dt.timedelta(hours=20)
    AppointmentFactory(client=opted_in, starts_at=due.starts_at + dt.timedelta(days=2))  # later
    cancelled = AppointmentFactory(
        client=opted_in, starts_at=due.starts_at + dt.timedelta(hours=2), status="client_cancel"
    )
    AppointmentFactory(
        client=ClientFactory(primary_therapist=ana, email="no@client.example"),
        starts_at=due.starts_at + dt.timedelta(hours=3),
    )  # did not opt in
    assert reminders.appointment_reminders_send(now=now) == 1
    [message] = mail.outbox
    assert message.to == ["robin@client.example"]
    assert message.subject == "Appointment reminder: Tuesday 5 Jan 2027, 10:00"
    assert "Tuesday 5 Jan 2027, 10:00" in message.body and "Garden room" in message.body
    # Nothing clinical: not the kind of appointment, not the clinician, not the client's name.
    for word in ("Intake", "intake", "Ana", "Robin", "therap", "session"):
        assert word not in message.body + message.subject
    assert AppointmentReminder.objects.get().appointment == due
    assert not AppointmentReminder.objects.filter(appointment=cancelled).exists()
    # The next run, or a retried task, sends nothing again.
    assert reminders.appointment_reminders_send(now=now) == 0
    assert reminders.appointment_reminder_send(appointment_id=due.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_processes_sending_at_once_send_one_reminder(opted_in):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL")
    due = AppointmentFactory(client=opted_in, starts_at=timezone.now() + dt.timedelta(hours=5))
    start = threading.Barrier(2, timeout=5)
    results = []

    def send():
        try:
            start.wait()
            results.append(reminders.appointment_reminder_send(appointment_id=due.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    assert AppointmentReminder.objects.filter(appointment=due).count() == 1


@pytest.mark.services
def test_the_periodic_task_twice_through_a_real_worker_sends_once(celery_worker, ana):
    client = ClientFactory(
        primary_therapist=ana, email="robin@client.example", appointment_reminders=True
    )
    due = AppointmentFactory(client=client, starts_at=timezone.now() + dt.timedelta(hours=3))
    runs = [send_appointment_reminders.delay().id for _ in range(2)]
    # Wait for these two runs by id: a message left over from another test (Redis hands
    # an unacknowledged one to the next worker) also logs "succeeded".
    wait_until(
        lambda: all(f"[{run}] succeeded" in celery_worker.log_path.read_text() for run in runs)
    )
    assert AppointmentReminder.objects.filter(appointment=due).count() == 1


@pytest.mark.django_db
def test_the_daily_digest_counts_unsigned_notes_names_no_client_and_goes_once_a_day(
    ana, ben, client_record
):
    from tests.factories_sessions import TherapySessionFactory, signed_session

    TherapySessionFactory(client=client_record, date=dt.date(2026, 11, 2))
    TherapySessionFactory(client=client_record, date=dt.date(2026, 11, 9))
    signed_session(ClientFactory(primary_therapist=ben))  # Ben has nothing to sign
    assert reminders.unsigned_digest_send(today=dt.date(2026, 11, 10)) == 1
    [message] = mail.outbox
    assert message.to == [ana.email] and message.subject == "2 unsigned notes"
    assert "the oldest from 2 Nov 2026" in message.body
    assert "Robin" not in message.body and "Example" not in message.body
    assert reminders.unsigned_digest_send(today=dt.date(2026, 11, 10)) == 0
    assert reminders.unsigned_digest_send(today=dt.date(2026, 11, 11)) == 1
