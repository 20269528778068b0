"""What one export may cost: its size, how many one person runs at once, how long a
dead worker goes unnoticed, who may read the file and how long it is kept."""

import contextlib
import datetime as dt
import stat
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from attachment_app.dates import clinic_dates, format_datetime
from clients.exports import services
from clients.exports.services import export_request, export_run, exports_expire, exports_sweep
from clients.models import ExportJob
from tests.conftest import need
from tests.exports_helpers import files_of
from tests.factories_exports import ExportJobFactory, TherapySessionFactory

pytestmark = pytest.mark.usefixtures("private_media")


def new_export_url(client_record):
    return reverse("clients:export_create", args=[client_record.pk])


# Size ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_summary_over_too_many_sessions_is_refused_beside_the_dates(
    as_ana, client_record, settings
):
    settings.EXPORT_MAX_SESSIONS_PER_SUMMARY = 3
    for day in (5, 12, 19, 26):
        TherapySessionFactory(client=client_record, date=dt.date(2026, 1, day))
    response = as_ana.post(
        new_export_url(client_record),
        {"kind": "session_summary", "date_from": "2026-01-01", "date_to": "2026-01-31"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "These dates hold 4 sessions; one summary holds at most 3." in content
    assert "Choose a shorter date range" in content
    # Beside the "To" field, with what was typed kept.
    assert 'id="id_date_to"' in content and "is-invalid" in content
    assert 'value="2026-01-31"' in content
    assert not ExportJob.objects.exists()

    narrower = as_ana.post(
        new_export_url(client_record),
        {"kind": "session_summary", "date_from": "2026-01-01", "date_to": "2026-01-20"},
    )
    assert narrower.status_code == 302 and ExportJob.objects.count() == 1


# How many at once ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_with_three_exports_waiting_gets_a_clear_message_for_a_fourth(
    as_ana, client_record, ana, settings
):
    settings.EXPORT_MAX_ACTIVE_PER_PERSON = 3
    ExportJobFactory(client=client_record, status=ExportJob.Status.DONE)  # finished: not counted
    for _ in range(3):
        export_request(kind="treatment_plan", client=client_record, by=ana)
    response = as_ana.post(new_export_url(client_record), {"kind": "treatment_plan"})
    assert response.status_code == 200
    assert b"You already have 3 documents being prepared" in response.content
    assert ExportJob.objects.filter(status__in=services.ACTIVE).count() == 3

    ExportJob.objects.filter(status=ExportJob.Status.QUEUED).update(status="failed")
    assert as_ana.post(new_export_url(client_record), {"kind": "treatment_plan"}).status_code == 302


@pytest.mark.django_db
def test_trying_again_also_counts_against_the_limit(as_ana, client_record, ana, settings):
    settings.EXPORT_MAX_ACTIVE_PER_PERSON = 1
    failed = ExportJobFactory(client=client_record, status=ExportJob.Status.FAILED)
    export_request(kind="treatment_plan", client=client_record, by=ana)
    retry = reverse("clients:export_retry", args=[client_record.pk, failed.pk])
    page = as_ana.post(retry, follow=True)
    assert b"You already have 1 document" in page.content
    failed.refresh_from_db()
    assert failed.status == ExportJob.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_cannot_pass_the_limit_together(
    client_record, ana, settings, monkeypatch
):
    need(connection.vendor == "postgresql", "row locks need PostgreSQL (DATABASE_URL)")
    settings.EXPORT_MAX_ACTIVE_PER_PERSON = 1
    # Each request, once it has counted, waits for the other to have counted too. With
    # the lock on the person's row the second cannot count until the first has
    # committed, so the first stops waiting after a while and the second sees its job.
    both_counted = threading.Barrier(2, timeout=3)
    original = services._check_room_for

    def counted_then_wait(by):
        original(by)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_counted.wait()

    monkeypatch.setattr(services, "_check_room_for", counted_then_wait)
    outcomes = []

    def ask():
        try:
            export_request(kind="treatment_plan", client=client_record, by=ana)
            outcomes.append("queued")
        except services.TooManyExports:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["queued", "refused"]
    assert ExportJob.objects.count() == 1


# A worker that died ----------------------------------------------------------------


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "export_enqueue", lambda *, job_id: calls.append(job_id) or True)
    return calls


@pytest.mark.django_db
def test_a_job_whose_worker_fell_silent_a_minute_ago_is_retried_and_says_so(
    as_ana, client_record, sent, settings
):
    settings.EXPORT_WORKER_GONE_SECONDS = 40
    now = timezone.now()
    ago = lambda seconds: now - dt.timedelta(seconds=seconds)  # noqa: E731
    dead = ExportJobFactory(
        client=client_record,
        status=ExportJob.Status.RUNNING,
        attempts=1,
        progress=30,
        enqueued_at=ago(70),
        started_at=ago(70),
        heartbeat_at=ago(60),
    )
    # Rendering for ten minutes, but its worker still beats: left alone.
    long_render = ExportJobFactory(
        client=client_record,
        status=ExportJob.Status.RUNNING,
        attempts=1,
        enqueued_at=ago(600),
        started_at=ago(600),
        heartbeat_at=ago(5),
    )
    assert exports_sweep(now=now).resent == 1
    assert sent == [dead.pk]
    dead.refresh_from_db()
    long_render.refresh_from_db()
    assert dead.status == ExportJob.Status.QUEUED and dead.attempts == 1
    assert long_render.status == ExportJob.Status.RUNNING
    page = as_ana.get(reverse("clients:export_detail", args=[client_record.pk, dead.pk]))
    assert b"Retrying (attempt 2 of 3)" in page.content


@pytest.mark.django_db
def test_a_job_alive_until_the_hard_time_limit_fails_as_too_long(client_record, sent, settings):
    now = timezone.now()
    limit = settings.CELERY_TASK_TIME_LIMIT
    job = ExportJobFactory(
        client=client_record,
        status=ExportJob.Status.RUNNING,
        attempts=1,
        started_at=now - dt.timedelta(seconds=limit + 120),
        heartbeat_at=now - dt.timedelta(seconds=115),
    )
    assert exports_sweep(now=now).failed == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error.startswith("Preparing the document took too long.")
    assert sent == []


@pytest.mark.django_db
def test_a_soft_time_limit_fails_the_job_in_plain_words(as_ana, client_record, ana, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    def too_slow(html, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "html_to_pdf", too_slow)
    job = export_request(kind="treatment_plan", client=client_record, by=ana)
    export_run(job_id=job.pk)
    page = as_ana.get(reverse("clients:export_detail", args=[client_record.pk, job.pk]))
    assert b"Preparing the document took too long." in page.content


def test_the_worker_memory_bound_and_limits_are_settings(settings):
    from attachment_app.celery import app

    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0
    assert app.conf.worker_max_memory_per_child == settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD
    assert 0 < settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    assert settings.EXPORT_WORKER_GONE_SECONDS <= 60
    assert settings.EXPORT_HEARTBEAT_SECONDS < settings.EXPORT_WORKER_GONE_SECONDS
    assert settings.CELERY_BEAT_SCHEDULE["sweep-exports"]["schedule"] <= 60
    assert settings.CELERY_BEAT_SCHEDULE["expire-exports"]["task"] == "clients.expire_exports"


# The file: who may read it, how long it is kept ------------------------------------


@pytest.mark.django_db
def test_an_exported_file_and_its_folders_are_readable_by_the_owner_only(
    client_record, ana, private_media
):
    job = export_request(kind="treatment_plan", client=client_record, by=ana)
    export_run(job_id=job.pk)
    (stored,) = files_of(private_media, job)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    folder = stored.parent
    while folder != private_media:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
        folder = folder.parent


@pytest.mark.django_db
def test_files_past_the_clinics_retention_are_deleted_and_the_job_kept_as_expired(
    as_ana, client_record, ana, private_media
):
    clinic = client_record.clinic
    clinic.export_retention_days = 2
    clinic.save()
    old = export_request(kind="treatment_plan", client=client_record, by=ana)
    recent = export_request(kind="treatment_plan", client=client_record, by=ana)
    export_run(job_id=old.pk)
    export_run(job_id=recent.pk)
    ExportJob.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - dt.timedelta(days=2, minutes=1)
    )
    ExportJob.objects.filter(pk=recent.pk).update(finished_at=timezone.now() - dt.timedelta(days=1))

    out = StringIO()
    call_command("expire_exports", stdout=out)
    assert out.getvalue().strip() == "1 expired"
    assert exports_expire() == 0  # a second run changes nothing

    old.refresh_from_db()
    assert old.status == ExportJob.Status.EXPIRED and not old.file
    assert files_of(private_media, old) == []
    assert len(files_of(private_media, recent)) == 1
    args = [client_record.pk, old.pk]
    assert as_ana.get(reverse("clients:export_download", args=args)).status_code == 404
    page = as_ana.get(reverse("clients:export_detail", args=args)).content.decode()
    assert "the file was deleted" in page and "2 days after it was prepared" in page
    assert "Prepare it again" in page


@pytest.mark.django_db
def test_the_download_page_says_when_the_file_expires(as_ana, client_record, ana):
    job = export_request(kind="treatment_plan", client=client_record, by=ana)
    export_run(job_id=job.pk)
    job.refresh_from_db()
    page = as_ana.get(reverse("clients:export_detail", args=[client_record.pk, job.pk]))
    with clinic_dates(client_record.clinic):
        expires = format_datetime(job.finished_at + dt.timedelta(days=7))
    assert f"The file is deleted on {expires}".encode() in page.content
    assert b"7 days after it was prepared" in page.content


@pytest.mark.django_db
def test_the_retention_period_is_set_in_the_clinics_admin(admin_client, clinic):
    page = admin_client.get(reverse("admin:attachment_app_clinic_change", args=[clinic.pk]))
    assert b'name="export_retention_days"' in page.content
    assert clinic.export_retention_days == 7
