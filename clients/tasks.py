"""Celery tasks of clients: thin, each takes an id and calls a service."""

from celery import shared_task
from django.conf import settings

from clients.exports import services
from clients.services import appointments as appointment_services
from clients.services import drafts, reminders


@shared_task(
    bind=True,
    name=services.RENDER_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    # Below the broker's visibility timeout (4x), so a long render is not delivered twice.
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
)
def render_export(self, job_id: str) -> None:
    services.export_run(job_id=job_id)


@shared_task(name="clients.sweep_exports", ignore_result=True)
def sweep_exports() -> None:
    services.exports_sweep()


@shared_task(name="clients.expire_exports", ignore_result=True)
def expire_exports() -> None:
    services.exports_expire()


@shared_task(name="clients.extend_appointment_series", ignore_result=True)
def extend_appointment_series() -> None:
    """Keep every open series booked `APPOINTMENT_HORIZON_WEEKS` ahead."""
    appointment_services.series_extend_all()


@shared_task(name="clients.send_appointment_reminders", ignore_result=True)
def send_appointment_reminders() -> None:
    """Reminders for tomorrow's appointments; each occurrence's reminder goes out once."""
    reminders.appointment_reminders_send()


@shared_task(name="clients.send_unsigned_digest", ignore_result=True)
def send_unsigned_digest() -> None:
    """Once a day per clinician: how many notes wait for a signature (no client named)."""
    reminders.unsigned_digest_send()


@shared_task(name="clients.purge_deleted_drafts", ignore_result=True)
def purge_deleted_drafts() -> None:
    """Deleted drafts whose undo time has passed are gone for good."""
    drafts.deleted_drafts_purge()
