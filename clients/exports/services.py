"""Export jobs: ask for a document, produce it in the worker, retry, sweep.

A job is a database row first and a queue message second: if the broker is
down when a job is asked for, the request still succeeds and the sweeper sends
the job once the broker is back. Producing a job twice yields one file with
one checksum (the path is the job's id and the PDF is deterministic).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from botocore.exceptions import ConnectionError as StorageConnectionError
from botocore.exceptions import HTTPClientError as StorageHTTPError
from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone

from attachment_app import freshness
from attachment_app.dates import clinic_dates
from attachment_app.models import Clinic, User
from clients.exports.registry import DocumentKind, InvalidParameters, get_document, wants_drafts
from clients.exports.rendering import html_to_pdf
from clients.models import Client, ExportJob
from clients.models.exports import export_file_path

logger = logging.getLogger(__name__)

# Errors worth a retry: the database or the file store (a folder, or an S3-compatible
# bucket: endpoint unreachable, connection dropped, timed out) was briefly unreachable.
STORAGE_ERRORS = (StorageConnectionError, StorageHTTPError)
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
    *STORAGE_ERRORS,
)
# Registered in clients/tasks.py; looked up by name so this module never imports tasks.
RENDER_TASK = "clients.render_export"
# A fresh request's on_commit gets this long to enqueue before the sweeper calls it lost.
_GRACE = dt.timedelta(seconds=10)

MESSAGES = {
    "unknown": "This kind of document is not available yet.",
    "missing": "The record this document is about is no longer available.",
    "crashed": (
        "The document could not be prepared: the background worker stopped "
        "unexpectedly {n} times. Try again later; if it keeps happening, tell "
        "your clinic's administrator."
    ),
    "timeout": "Preparing the document took too long. Try again, perhaps with a shorter period.",
    "error": (
        "Something went wrong while preparing the document. Try again; if it "
        "keeps happening, tell your clinic's administrator."
    ),
}


class UnknownDocument(ValueError):
    pass


class TooManyExports(ValueError):
    """The person already has as many exports waiting or running as one may."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"You already have {limit} documents being prepared, the most one person may "
            "have at once. Wait until one of them is ready, then ask again."
        )


ACTIVE = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)


def _check_room_for(by: User) -> None:
    """Call inside the transaction: the lock on the person's row makes two requests at
    once count one after the other, so neither can slip past the limit."""
    User.objects.select_for_update().filter(pk=by.pk).first()
    limit = settings.EXPORT_MAX_ACTIVE_PER_PERSON
    if ExportJob.objects.filter(requested_by=by, status__in=ACTIVE).count() >= limit:
        raise TooManyExports(limit)


# Asking -------------------------------------------------------------------------


def export_request(
    *, kind: str, client: Client | None, by: User, params: dict | None = None
) -> ExportJob:
    """Create the job row and enqueue it once the transaction commits.

    Raises UnknownDocument, InvalidParameters or TooManyExports (for the form to show).
    """
    document = get_document(kind)
    if document is None or (document.scope == "client") != (client is not None):
        raise UnknownDocument(kind)
    params = dict(params or {})
    cleaned = document.clean_parameters(client, by, params)
    if document.has_drafts and wants_drafts(params):
        cleaned["include_drafts"] = True
    if settings.EXPORT_ALLOW_TEST_DELAY and params.get("test_delay_seconds"):
        cleaned["test_delay_seconds"] = float(params["test_delay_seconds"])
    with transaction.atomic():
        _check_room_for(by)
        job = ExportJob.objects.create(
            clinic_id=client.clinic_id if client else by.clinic_id,
            client=client,
            kind=kind,
            requested_by=by,
            parameters=cleaned,
        )
        transaction.on_commit(lambda: export_enqueue(job_id=job.pk))
    return job


def export_retry(*, job: ExportJob, by: User) -> ExportJob:
    """Start a failed (or expired) job again from scratch. Raises TooManyExports."""
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status not in {ExportJob.Status.FAILED, ExportJob.Status.EXPIRED}:
            return locked
        _check_room_for(by)
        locked.status = ExportJob.Status.QUEUED
        locked.progress = 0
        locked.attempts = 0
        locked.error = ""
        locked.enqueued_at = None
        locked.started_at = None
        locked.finished_at = None
        locked.heartbeat_at = None
        locked.file.name = ""
        locked.checksum = ""
        locked.save()
        transaction.on_commit(lambda: export_enqueue(job_id=locked.pk))
    return locked


def export_enqueue(*, job_id: uuid.UUID) -> bool:
    """Send the job to the broker. A broker that is down is not the user's problem.

    The task is found by its name in Celery's registry (clients.tasks registers it when
    the app is ready): tasks import services, never the reverse.
    """
    try:
        current_app.tasks[RENDER_TASK].delay(str(job_id))
    except Exception:
        # The row stays queued with no enqueued_at; the sweeper sends it later.
        logger.warning("export job %s not enqueued (broker unavailable); will resend", job_id)
        return False
    ExportJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    return True


# Producing (in the worker) --------------------------------------------------------


def export_fail(job_id: uuid.UUID, message: str) -> None:
    """Mark the job failed with a message in plain words (shown to the user)."""
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.FAILED, error=message[:300], finished_at=timezone.now()
    )
    freshness.records_changed()  # update() sends no signal; the client page shows the status


def _claim(job_id: uuid.UUID) -> ExportJob | None:
    """Mark the job running for this attempt, or return None if there is nothing to do."""
    max_attempts = settings.EXPORT_MAX_ATTEMPTS
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == ExportJob.Status.FAILED:
            return None
        if (
            job.status == ExportJob.Status.DONE
            and job.file
            and job.file.storage.exists(job.file.name)
        ):
            return None  # already produced: a duplicate delivery changes nothing
        if job.attempts >= max_attempts * 3:
            # Retried transient errors too many times: stop resending it forever.
            job.status = ExportJob.Status.FAILED
            job.error = MESSAGES["error"]
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "error", "finished_at"])
            return None
        if job.status == ExportJob.Status.RUNNING and job.attempts >= max_attempts:
            # Every earlier attempt ended without finishing: the worker died under it.
            job.status = ExportJob.Status.FAILED
            job.error = MESSAGES["crashed"].format(n=job.attempts)
            job.finished_at = timezone.now()
            job.save(update_fields=["status", "error", "finished_at"])
            return None
        job.status = ExportJob.Status.RUNNING
        job.attempts += 1
        job.progress = 5
        job.error = ""
        job.started_at = job.heartbeat_at = timezone.now()
        job.save(
            update_fields=["status", "attempts", "progress", "error", "started_at", "heartbeat_at"]
        )
        return job


class _Heartbeat:
    """While a job renders, a thread marks it alive every few seconds, so the sweeper
    tells a dead worker (no heartbeat) from a long render within about a minute."""

    def __init__(self, job_id: uuid.UUID) -> None:
        self.job_id = job_id
        self.every = settings.EXPORT_HEARTBEAT_SECONDS
        self.stop = threading.Event()
        self.thread: threading.Thread | None = None

    def beat(self) -> None:
        try:
            while not self.stop.wait(self.every):
                try:
                    ExportJob.objects.filter(
                        pk=self.job_id, status=ExportJob.Status.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except TRANSIENT_ERRORS:
                    # A database blip: beat again next time rather than look dead.
                    logger.warning("export job %s: heartbeat missed", self.job_id)
                    connection.close()
        finally:
            connection.close()  # the thread's own connection

    def __enter__(self) -> _Heartbeat:
        # In-process (embedded) runs have no worker to lose.
        if self.every > 0 and not settings.CELERY_TASK_ALWAYS_EAGER:
            self.thread = threading.Thread(target=self.beat, daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        if self.thread is not None:
            self.thread.join()


def _progress(job_id: uuid.UUID) -> Callable[[int], None]:
    def report(percent: int) -> None:
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
            progress=percent
        )

    return report


def _test_delay(job: ExportJob, report: Callable[[int], None]) -> None:
    # Test settings only: lets a fault test kill the worker mid-render.
    seconds = float(job.parameters.get("test_delay_seconds") or 0)
    if seconds and settings.EXPORT_ALLOW_TEST_DELAY:
        report(30)
        time.sleep(seconds)


def export_context(job: ExportJob, document: DocumentKind) -> dict:
    """What the document's template is given (the bench renders the same)."""
    return {"document": document, **document.build_context(job)}


def export_produce(job: ExportJob, document: DocumentKind, report=lambda p: None) -> bytes:
    """The document's bytes. Pure with respect to the job: the same job gives the same bytes."""
    # Dates as the clinic writes them, in its time zone, as on its pages.
    with clinic_dates(job.clinic):
        if document.produce is not None:
            report(50)
            return document.produce(job)
        context = export_context(job, document)
        report(25)
        _test_delay(job, report)
        html = render_to_string(document.template, context)
    report(40)
    return html_to_pdf(html)


def _store(job_id: uuid.UUID, document: DocumentKind, content: bytes) -> ExportJob:
    checksum = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().get(pk=job_id)
        storage = job.file.storage
        if (
            job.status == ExportJob.Status.DONE
            and job.checksum == checksum
            and storage.exists(job.file.name)
        ):
            return job
        name = export_file_path(job, f"document.{document.format}")
        # One file per job, at a path named by the job: a second run replaces it.
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(content))
        job.file.name = saved
        job.checksum = checksum
        job.status = ExportJob.Status.DONE
        job.progress = 100
        job.error = ""
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "checksum", "status", "progress", "error", "finished_at"])
        return job


def export_run(*, job_id: uuid.UUID | str) -> ExportJob | None:
    """Produce the job's document. Idempotent; transient errors propagate for a retry."""
    job_id = uuid.UUID(str(job_id))
    job = _claim(job_id)
    if job is None:
        return None
    document = get_document(job.kind)
    if document is None:
        export_fail(job_id, MESSAGES["unknown"])
        return None
    if document.scope == "client" and job.client_id is None:
        export_fail(job_id, MESSAGES["missing"])
        return None
    report = _progress(job_id)
    try:
        with _Heartbeat(job_id):
            content = export_produce(job, document, report)
        report(90)
        return _store(job_id, document, content)
    except TRANSIENT_ERRORS:
        # Not the document's fault: let the task retry; this attempt is not a crash.
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.QUEUED, progress=0)
        freshness.records_changed()
        raise
    except SoftTimeLimitExceeded:
        export_fail(job_id, MESSAGES["timeout"])
    except Exception:
        logger.exception("export job %s failed", job_id)  # ids only: no clinical text
        export_fail(job_id, MESSAGES["error"])
    return None


# Sweeping --------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    resent: int
    failed: int
    # Another sweep was running (a second beat, a sweep by hand): this one did nothing.
    skipped: bool = False


@contextmanager
def only_one_at_a_time(name: str) -> Iterator[bool]:
    """Yield True in the one process that holds the named lock, False in any other.

    A PostgreSQL advisory lock of the session, so it holds across the transactions the
    holder commits and goes with its connection if the process dies. Periodic tasks
    take it: beat runs once, but a sweep by hand, a second beat started by mistake or a
    delayed message must not do the same work at the same time. SQLite (the embedded
    default) has one process and no such lock.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        (held,) = cursor.fetchone()
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def exports_sweep(
    *,
    now: dt.datetime | None = None,
    queued_after: dt.timedelta | None = None,
    running_after: dt.timedelta | None = None,
) -> SweepResult:
    """Resend jobs never picked up or whose worker died; fail those that keep crashing.

    A running job's worker is gone when its heartbeat is older than `running_after`
    (EXPORT_WORKER_GONE_SECONDS): with the sweep every minute, the job shows that it is
    being retried within about a minute of the worker's death.

    Safe to run twice: one sweep at a time (an advisory lock; a second one meanwhile
    does nothing), and a job it resends is no longer stale for the next one.
    """
    with only_one_at_a_time("clients.sweep_exports") as mine:
        if not mine:
            logger.info("export sweep: another sweep is running; nothing to do")
            return SweepResult(resent=0, failed=0, skipped=True)
        return _sweep(now=now, queued_after=queued_after, running_after=running_after)


def _sweep(
    *,
    now: dt.datetime | None,
    queued_after: dt.timedelta | None,
    running_after: dt.timedelta | None,
) -> SweepResult:
    now = now or timezone.now()
    if queued_after is None:
        queued_after = dt.timedelta(seconds=settings.EXPORT_QUEUED_RESEND_SECONDS)
    if running_after is None:
        running_after = dt.timedelta(seconds=settings.EXPORT_WORKER_GONE_SECONDS)
    time_limit = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    beat = dt.timedelta(seconds=settings.EXPORT_HEARTBEAT_SECONDS)
    # Give a fresh request's on_commit a moment to enqueue before calling it lost.
    never_sent = Q(enqueued_at__isnull=True, requested_at__lt=now - min(queued_after, _GRACE))
    last_sign_of_life = Coalesce("heartbeat_at", "started_at")
    stale = ExportJob.objects.annotate(alive_at=last_sign_of_life).filter(
        (Q(status=ExportJob.Status.QUEUED) & (never_sent | Q(enqueued_at__lte=now - queued_after)))
        | Q(status=ExportJob.Status.RUNNING, alive_at__lte=now - running_after)
    )
    resent = failed = 0
    rows = stale.values_list("id", "status", "attempts", "started_at", "alive_at")
    for job_id, status, attempts, started_at, alive_at in rows:
        if status == ExportJob.Status.RUNNING:
            if started_at and alive_at and alive_at - started_at >= time_limit - beat:
                # Alive until the hard time limit killed it: too long, not a crash.
                export_fail(job_id, MESSAGES["timeout"])
                failed += 1
                continue
            if attempts >= settings.EXPORT_MAX_ATTEMPTS:
                export_fail(job_id, MESSAGES["crashed"].format(n=attempts))
                failed += 1
                continue
            # Shown as "retrying (attempt n of m)" until a worker takes it.
            ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
                status=ExportJob.Status.QUEUED, progress=0
            )
            freshness.records_changed()
        if export_enqueue(job_id=job_id):
            resent += 1
    if resent or failed:
        logger.info("export sweep: %s resent, %s failed", resent, failed)
    return SweepResult(resent=resent, failed=failed)


def exports_expire(*, now: dt.datetime | None = None) -> int:
    """Delete prepared files older than their clinic's retention period; keep the rows.

    Idempotent: each job is expired under its row lock and only while it still names a
    file, so a second run (or two at once) deletes nothing twice and counts nothing twice.
    The file goes through the "exports" storage (a folder, or the bucket).
    """
    now = now or timezone.now()
    expired = 0
    for clinic_id, days in Clinic.objects.values_list("id", "export_retention_days"):
        old = ExportJob.objects.filter(
            clinic_id=clinic_id,
            status__in=(ExportJob.Status.DONE, ExportJob.Status.FAILED),
            finished_at__lte=now - dt.timedelta(days=days),
        ).exclude(file="")
        for job_id in old.values_list("id", flat=True):
            with transaction.atomic():
                job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
                if job is None or not job.file:
                    continue
                job.file.storage.delete(job.file.name)  # a missing file is not an error
                job.file.name = ""
                if job.status == ExportJob.Status.DONE:
                    job.status = ExportJob.Status.EXPIRED
                job.save(update_fields=["file", "status"])
            expired += 1
    if expired:
        logger.info("export retention: %s files deleted", expired)
    return expired


__all__ = [
    "InvalidParameters",
    "SweepResult",
    "TooManyExports",
    "UnknownDocument",
    "export_enqueue",
    "export_fail",
    "export_request",
    "export_retry",
    "export_run",
    "exports_expire",
    "exports_sweep",
    "only_one_at_a_time",
]
