"""Every periodic task is safe to run twice, one after the other or at the same time.

Celery beat runs as one service of its own, but a task can still run twice: a sweep by
hand while beat's runs, a message delivered again, a second beat started by mistake.
Each test runs a task twice and checks that the outcome is the outcome of one run. The
concurrent ones need PostgreSQL (row and advisory locks; each thread has its own
connection, as two workers would).
"""

import datetime as dt
import json
import threading
import time

import pytest
from django.db import connection, connections
from django.utils import timezone

from attachment_app.audit import audit, audit_anchor_check, audit_anchor_latest
from attachment_app.models import AuditEvent
from attachment_app.tasks import audit_anchor
from clients.exports import services
from clients.exports.storage import export_storage
from clients.models import ExportJob
from tests.conftest import need, twice_at_once
from tests.factories_exports import ExportJobFactory

# Each periodic task and the test below that proves it safe twice. A new entry in the
# schedule fails this file until it has one.
PROVEN = {
    "clients.sweep_exports",
    "clients.expire_exports",
    "attachment_app.audit_anchor",
    "clients.extend_appointment_series",
    # Also proven with a real worker and two senders at once in test_appointment_reminders.
    "clients.send_appointment_reminders",
    "clients.send_unsigned_digest",
    # A filtered delete of expired copies; test_drafts.py also runs it twice in a row.
    "clients.purge_deleted_drafts",
}


def test_every_periodic_task_is_proven_safe_to_run_twice(settings):
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} == PROVEN


def in_another_thread(task):
    """Run `task` once in another thread (another connection, as another worker)."""
    result: list = []

    def run() -> None:
        try:
            result.append(task())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return result


@pytest.fixture
def postgres(transactional_db):
    need(connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")


# The sweeper -----------------------------------------------------------------------------


@pytest.fixture
def sends(monkeypatch):
    """Record each send (and, like the real one, mark the job sent), slowly enough that
    two sweeps started together overlap."""
    sent: list = []

    def send(*, job_id):
        time.sleep(0.2)
        sent.append(job_id)
        ExportJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
        return True

    monkeypatch.setattr(services, "export_enqueue", send)
    return sent


def stale_jobs(client_record) -> list:
    long_ago = timezone.now() - dt.timedelta(hours=1)
    never_sent = ExportJobFactory(client=client_record, requested_at=long_ago)
    worker_died = ExportJobFactory(
        client=client_record,
        status=ExportJob.Status.RUNNING,
        attempts=1,
        started_at=long_ago,
        enqueued_at=long_ago,
    )
    return sorted([never_sent.pk, worker_died.pk])


def test_the_sweep_run_twice_in_a_row_sends_each_lost_job_once(db, client_record, sends):
    jobs = stale_jobs(client_record)
    first, second = services.exports_sweep(), services.exports_sweep()
    assert (first.resent, second.resent) == (2, 0)
    assert sorted(sends) == jobs


def test_two_sweeps_at_once_send_each_lost_job_once(postgres, client_record, sends):
    jobs = stale_jobs(client_record)
    results = twice_at_once(services.exports_sweep)
    # One did the work; the other found the lock taken (or, had it come later, nothing).
    assert sorted(r.resent for r in results) == [0, 2]
    assert sorted(sends) == jobs
    statuses = set(ExportJob.objects.values_list("status", flat=True))
    assert statuses == {ExportJob.Status.QUEUED}


def test_a_sweep_while_another_holds_the_lock_does_nothing(postgres, client_record, sends):
    stale_jobs(client_record)
    with services.only_one_at_a_time("clients.sweep_exports") as mine:
        assert mine
        (other,) = in_another_thread(services.exports_sweep)
    assert other.skipped and other.resent == 0 and sends == []
    # Once it is released, the next sweep does the work.
    assert services.exports_sweep().resent == 2


# Expiry ----------------------------------------------------------------------------------


def prepared_jobs(client_record, count: int) -> list:
    jobs = []
    for _ in range(count):
        job = services.export_run(
            job_id=services.export_request(
                kind="treatment_plan", client=client_record, by=client_record.primary_therapist
            ).pk
        )
        jobs.append(job)
    ExportJob.objects.update(finished_at=timezone.now() - dt.timedelta(days=30))
    return jobs


@pytest.mark.usefixtures("private_media")
def test_expiry_run_twice_in_a_row_deletes_each_file_once(db, client_record, settings):
    settings.EXPORT_MAX_ACTIVE_PER_PERSON = 10
    jobs = prepared_jobs(client_record, 3)
    assert services.exports_expire() == 3
    assert services.exports_expire() == 0
    for job in jobs:
        assert not export_storage.exists(job.file.name)
    assert set(ExportJob.objects.values_list("status", flat=True)) == {"expired"}


@pytest.mark.usefixtures("private_media")
def test_two_expiry_runs_at_once_delete_each_file_once(
    postgres, client_record, settings, monkeypatch
):
    settings.EXPORT_MAX_ACTIVE_PER_PERSON = 10
    jobs = prepared_jobs(client_record, 4)
    deleted: list = []
    storage = export_storage._wrapped
    real_delete = storage.delete

    def slow_delete(name):
        time.sleep(0.1)  # long enough for the other run to reach the same rows
        deleted.append(name)
        real_delete(name)

    monkeypatch.setattr(storage, "delete", slow_delete)
    counts = twice_at_once(services.exports_expire)
    assert sum(counts) == 4
    assert sorted(deleted) == sorted(job.file.name for job in jobs)
    for job in jobs:
        assert not storage.exists(job.file.name)
    rows = ExportJob.objects.values_list("status", "file")
    assert set(rows) == {(ExportJob.Status.EXPIRED, "")}


# The audit anchor ------------------------------------------------------------------------


def test_the_audit_anchor_run_twice_at_once_anchors_the_same_head(postgres, settings, tmp_path):
    settings.AUDIT_ANCHOR_PATH = str(tmp_path / "anchors.jsonl")
    head = audit(action=AuditEvent.Action.LOGIN_FAILED)
    twice_at_once(audit_anchor)
    lines = [json.loads(line) for line in (tmp_path / "anchors.jsonl").read_text().splitlines()]
    # Two whole lines naming the same head: the chain is checked against the latest,
    # as after one run.
    assert [(a["sequence"], a["hash"]) for a in lines] == [(head.pk, head.hash)] * 2
    latest = audit_anchor_latest(settings.AUDIT_ANCHOR_PATH)
    assert audit_anchor_check(latest) is None


# Appointments: the series horizon, reminders and the daily digest -----------------------


def weekly_series(client_record):
    from clients.models import AppointmentKind, Frequency
    from clients.services.appointments import appointment_series_book

    start = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=1), dt.time(8), tzinfo=dt.UTC
    )
    return appointment_series_book(
        client=client_record,
        clinician=client_record.primary_therapist,
        starts_at=start,
        length_minutes=50,
        room=None,
        kind=AppointmentKind.SESSION,
        frequency=Frequency.WEEKLY,
        until=None,
        by=client_record.primary_therapist,
    )


def test_two_series_extensions_at_once_book_each_occurrence_once(postgres, client_record, settings):
    from clients.services.appointments import series_extend_all

    settings.APPOINTMENT_HORIZON_WEEKS = 4
    series = weekly_series(client_record)  # days 1, 8, 15, 22 and 29
    later = timezone.localdate() + dt.timedelta(weeks=3)
    made = twice_at_once(lambda: series_extend_all(today=later))
    assert sorted(made) == [0, 2]  # days 36 and 43, by one of the two
    starts = list(series.appointments.values_list("starts_at", flat=True))
    assert len(starts) == len(set(starts)) == 7
    assert series_extend_all(today=later) == 0


def test_two_reminder_runs_at_once_send_each_reminder_once(postgres, client_record, mailoutbox):
    from clients.services.reminders import appointment_reminders_send
    from tests.factories_appointments import AppointmentFactory

    client_record.email = "robin@client.example"
    client_record.appointment_reminders = True
    client_record.save()
    AppointmentFactory(client=client_record, starts_at=timezone.now() + dt.timedelta(hours=5))
    AppointmentFactory(client=client_record, starts_at=timezone.now() + dt.timedelta(hours=7))
    sent = twice_at_once(appointment_reminders_send)
    assert sum(sent) == 2 and len(mailoutbox) == 2
    assert appointment_reminders_send() == 0


def test_two_digest_runs_at_once_send_one_digest(postgres, client_record, mailoutbox):
    from clients.services.reminders import unsigned_digest_send
    from tests.factories_sessions import TherapySessionFactory

    TherapySessionFactory(client=client_record, date=dt.date(2026, 11, 2))
    day = dt.date(2026, 11, 10)
    sent = twice_at_once(lambda: unsigned_digest_send(today=day))
    assert sorted(sent) == [0, 1] and len(mailoutbox) == 1
    assert unsigned_digest_send(today=day) == 0


# Deleted drafts ----------------------------------------------------------------------------


def test_two_purges_at_once_drop_each_expired_copy_once(postgres, client_record, ana, settings):
    from clients.drafts import draft_kind
    from clients.models import DeletedDraft
    from clients.services.drafts import deleted_drafts_purge, draft_delete
    from tests.factories_sessions import TherapySessionFactory

    for _ in range(3):
        draft_delete(
            kind=draft_kind("session"), obj=TherapySessionFactory(client=client_record), by=ana
        )
    kept = draft_delete(
        kind=draft_kind("session"), obj=TherapySessionFactory(client=client_record), by=ana
    )
    DeletedDraft.objects.exclude(pk=kept.pk).update(
        deleted_at=timezone.now() - dt.timedelta(minutes=settings.DRAFT_UNDO_MINUTES + 1)
    )
    purged = twice_at_once(deleted_drafts_purge)
    assert sum(purged) == 3  # each expired copy deleted by one of the two, never twice
    assert list(DeletedDraft.objects.values_list("pk", flat=True)) == [kept.pk]
