from django.conf import settings
from django.db import connection
from django.utils import timezone

from attachment_app.models import WorkerHeartbeat


def worker_heartbeat(*, name: str) -> WorkerHeartbeat:
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"seen_at": timezone.now()}
    )
    return beat


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:
        return "down"


def broker_state() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "disabled"
    from attachment_app.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:
        return "down"
