"""Exports through Redis and a separately started worker, including the faults.

Each test runs its own worker on the test database; the Redis-down test runs a
Redis server of its own (the machine's shared Redis is never stopped).
"""

import os
import signal

import pytest
from django.core.management import call_command
from django.urls import reverse

from clients.exports.services import export_request
from clients.models import ExportJob
from tests.conftest import CeleryWorker, need, wait_until
from tests.exports_helpers import broker_at, downloaded, files_of
from tests.pdfcheck import is_tagged, pdf_pages_text

pytestmark = pytest.mark.services


@pytest.fixture
def worker_env(transactional_db, private_media, settings):
    from django.db import connection

    need(connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    need(bool(settings.CELERY_BROKER_URL), "set CELERY_BROKER_URL to a Redis database")
    return private_media


def job_state(job_id):
    return ExportJob.objects.get(pk=job_id)


def wait_for_job(job_id, predicate, timeout=40.0):
    return wait_until(
        lambda: predicate(job) and job if (job := job_state(job_id)) else None, timeout
    )


def test_an_export_asked_for_over_http_ends_as_a_downloadable_pdf(
    worker_env, tmp_path, as_ana, client_record
):
    worker = CeleryWorker(tmp_path)
    worker.start()
    try:
        response = as_ana.post(
            reverse("clients:export_create", args=[client_record.pk]), {"kind": "treatment_plan"}
        )
        assert response.status_code == 302
        status_url = response["Location"]
        wait_until(
            lambda: (
                b"Download treatment plan"
                in as_ana.get(status_url, headers={"HX-Request": "true"}).content
            ),
            timeout=40,
        )
    finally:
        worker.stop()
    job = ExportJob.objects.get()
    assert job.enqueued_at is not None and job.attempts == 1
    download = as_ana.get(reverse("clients:export_download", args=[client_record.pk, job.pk]))
    assert download.status_code == 200
    pdf_bytes = downloaded(download)
    pages = pdf_pages_text(pdf_bytes)
    assert "Robin Example" in pages[0] and "page 1 of" in pages[0]
    assert is_tagged(pdf_bytes)
    assert "clients.render_export" in worker.log_path.read_text()


def test_killed_mid_render_child_then_whole_worker_the_job_still_ends_with_one_file(
    worker_env, tmp_path, client_record, ana
):
    worker = CeleryWorker(tmp_path)
    worker.start()
    try:
        job = export_request(
            kind="treatment_plan",
            client=client_record,
            by=ana,
            params={"test_delay_seconds": 2},
        )
        mid_render = lambda j: j.status == "running" and j.progress == 30  # noqa: E731
        wait_for_job(job.pk, lambda j: mid_render(j) and j.attempts == 1)
        (child,) = worker.child_pids()
        os.kill(child, signal.SIGKILL)
        # acks_late + reject_on_worker_lost: the message comes back to a fresh child.
        wait_for_job(job.pk, lambda j: mid_render(j) and j.attempts == 2)
        worker.kill()
    finally:
        worker.stop()
    assert job_state(job.pk).status == ExportJob.Status.RUNNING

    restarted = CeleryWorker(tmp_path)
    restarted.start(purge=False)
    try:
        # The dead worker's message waits for the visibility timeout; the sweeper
        # (every minute in production) resends it now.
        call_command("sweep_exports", "--running-after", "0", "--queued-after", "0")
        done = wait_for_job(job.pk, lambda j: j.status in {"done", "failed"})
    finally:
        restarted.stop()
    assert done.status == ExportJob.Status.DONE, done.error
    assert done.attempts == 3
    (stored,) = files_of(worker_env, done)
    pages = pdf_pages_text(stored.read_bytes())
    assert "Robin Example" in pages[0]


def test_asked_for_while_redis_is_stopped_the_job_completes_once_it_is_back(
    worker_env, tmp_path, as_ana, client_record, throwaway_redis
):
    throwaway_redis.start()
    throwaway_redis.stop()
    with broker_at(throwaway_redis.url):
        response = as_ana.post(
            reverse("clients:export_create", args=[client_record.pk]), {"kind": "treatment_plan"}
        )
        assert response.status_code == 302
        job = ExportJob.objects.get()
        assert job.status == ExportJob.Status.QUEUED and job.enqueued_at is None

        throwaway_redis.start()
        worker = CeleryWorker(tmp_path, broker_url=throwaway_redis.url)
        worker.start()
        try:
            call_command("sweep_exports", "--queued-after", "0")
            done = wait_for_job(job.pk, lambda j: j.status in {"done", "failed"})
        finally:
            worker.stop()
    assert done.status == ExportJob.Status.DONE, done.error
    assert len(files_of(worker_env, done)) == 1


def test_a_full_plan_rendered_by_the_worker_never_carries_the_private_note(
    worker_env, tmp_path, as_ana, client_record, ana
):
    from celery.signals import before_task_publish

    from tests.canary import assert_canary_absent, make_canary
    from tests.factories_documents import full_record
    from tests.pdfcheck import pdf_text

    canary = make_canary()
    full_record(client_record, ana, private_text=canary)
    published: list[str] = []

    def record_message(sender=None, body=None, headers=None, **kwargs):
        published.append(repr((sender, body, headers)))

    before_task_publish.connect(record_message, weak=False)
    worker = CeleryWorker(tmp_path)
    worker.start()
    try:
        response = as_ana.post(
            reverse("clients:export_create", args=[client_record.pk]),
            # A draft copy: the record's goals are in its draft revision.
            {"kind": "treatment_plan", "include_drafts": "on"},
        )
        job_id = ExportJob.objects.get().pk
        wait_for_job(job_id, lambda job: job.status == ExportJob.Status.DONE)
    finally:
        before_task_publish.disconnect(record_message)
        worker.stop()
    assert response.status_code == 302
    assert published and all("render_export" in message for message in published)
    job = ExportJob.objects.get()
    download = as_ana.get(reverse("clients:export_download", args=[client_record.pk, job.pk]))
    pdf_bytes = downloaded(download)
    text = pdf_text(pdf_bytes)
    assert "Feel steadier when apart" in text and "Inner child work" in text
    for message in published:
        assert_canary_absent(canary, message, "the task message")
    assert_canary_absent(canary, repr(job.parameters), "the job's parameters")
    assert_canary_absent(canary, pdf_bytes, "the PDF's bytes")
    assert_canary_absent(canary, text, "the PDF's text")
    assert_canary_absent(canary, worker.log_path.read_text(), "the worker's log")


def test_a_render_past_the_time_limit_fails_the_job_in_plain_words(
    worker_env, tmp_path, as_ana, client_record, ana, monkeypatch
):
    from clients.tasks import render_export

    # A tiny soft limit: the slowed-down render runs past it. The limits travel in the
    # message (set where it is sent), so both this process and the worker get them.
    limits = {"CELERY_TASK_TIME_LIMIT": "30", "CELERY_TASK_SOFT_TIME_LIMIT": "1"}
    monkeypatch.setattr(render_export, "time_limit", 30)
    monkeypatch.setattr(render_export, "soft_time_limit", 1)
    # Celery caches a task's sending options after the first send: read them afresh.
    monkeypatch.setattr(render_export, "_exec_options", None)
    worker = CeleryWorker(tmp_path, extra_env=limits)
    worker.start()
    try:
        job = export_request(
            kind="treatment_plan", client=client_record, by=ana, params={"test_delay_seconds": 20}
        )
        failed = wait_for_job(job.pk, lambda j: j.status == "failed")
    finally:
        worker.stop()
    assert failed.error.startswith("Preparing the document took too long.")
    page = as_ana.get(reverse("clients:export_detail", args=[client_record.pk, job.pk]))
    assert b"Preparing the document took too long." in page.content
    assert "Soft time limit (1s) exceeded" in worker.log_path.read_text()


def test_a_pool_process_over_the_memory_bound_is_replaced_after_its_export(
    worker_env, tmp_path, client_record, ana
):
    # 1 KiB: every pool process is over it after any task, so it must be replaced.
    worker = CeleryWorker(tmp_path, extra_env={"CELERY_WORKER_MAX_MEMORY_PER_CHILD": "1"})
    worker.start()
    try:
        (before,) = worker.child_pids()
        job = export_request(kind="treatment_plan", client=client_record, by=ana)
        assert wait_for_job(job.pk, lambda j: j.status == "done")
        wait_until(lambda: worker.child_pids() and before not in worker.child_pids())
    finally:
        worker.stop()


def test_a_job_whose_whole_worker_died_shows_it_is_being_retried(
    worker_env, tmp_path, as_ana, client_record, ana, settings
):
    from clients.exports.services import exports_sweep

    settings.EXPORT_WORKER_GONE_SECONDS = 3
    worker = CeleryWorker(tmp_path, extra_env={"EXPORT_HEARTBEAT_SECONDS": "1"})
    worker.start()
    try:
        job = export_request(
            kind="treatment_plan", client=client_record, by=ana, params={"test_delay_seconds": 60}
        )
        # The worker's heartbeat has moved on since the job started.
        wait_for_job(job.pk, lambda j: j.status == "running" and j.heartbeat_at > j.started_at)
        assert exports_sweep().resent == 0  # alive: left alone
        worker.kill()
    finally:
        worker.stop()
    # No heartbeat any more: the next sweeps (every minute in production) retry it.
    wait_until(lambda: exports_sweep().resent == 1, timeout=30, interval=0.5)
    detail = reverse("clients:export_detail", args=[client_record.pk, job.pk])
    page = as_ana.get(detail, headers={"HX-Request": "true"})
    assert b"Retrying (attempt 2 of 3)" in page.content
    assert b'hx-trigger="every 1s"' in page.content


def test_the_release_bundle_is_rendered_by_the_worker_from_the_request_page(
    worker_env, tmp_path, as_ana, client_record, ana
):
    """The request page's two buttons: the worker renders the PDF and the FHIR JSON, and
    neither carries the private process note."""
    from fhir.resources.R4B.bundle import Bundle

    from tests.canary import assert_canary_absent, make_canary
    from tests.factories_documents import full_record
    from tests.pdfcheck import pdf_text

    canary = make_canary()
    release = full_record(client_record, ana, private_text=canary).release
    worker = CeleryWorker(tmp_path)
    worker.start()
    try:
        for kind in ("release_bundle", "release_fhir"):
            response = as_ana.post(
                reverse("clients:export_create", args=[client_record.pk]),
                {"kind": kind, "release_id": str(release.pk)},
            )
            assert response.status_code == 302
        for job in ExportJob.objects.all():
            wait_for_job(job.pk, lambda j: j.status in {"done", "failed"})
    finally:
        worker.stop()
    files = {}
    for job in ExportJob.objects.all():
        assert job.status == ExportJob.Status.DONE, job.error
        url = reverse("clients:export_download", args=[client_record.pk, job.pk])
        files[job.kind] = downloaded(as_ana.get(url))
    text = pdf_text(files["release_bundle"])
    assert "Release of information" in text and "Talked about a fictional week" in text
    bundle = Bundle.model_validate_json(files["release_fhir"])
    assert bundle.entry[0].resource.get_resource_type() == "Patient"
    for what, content in [*files.items(), ("PDF text", text)]:
        assert_canary_absent(canary, content, f"the release bundle ({what})")
    assert_canary_absent(canary, worker.log_path.read_text(), "the worker's log")
