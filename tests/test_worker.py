"""A task enqueued by the app goes through Redis to a separately started worker."""

from django.db import transaction

from attachment_app.models import WorkerHeartbeat
from attachment_app.tasks import heartbeat
from tests.conftest import wait_until


def test_a_task_runs_in_the_worker_and_its_effect_reaches_the_database(celery_worker):
    assert not WorkerHeartbeat.objects.filter(name="round-trip").exists()
    with transaction.atomic():
        transaction.on_commit(lambda: heartbeat.delay("round-trip"))
    beat = wait_until(lambda: WorkerHeartbeat.objects.filter(name="round-trip").first())
    assert beat.seen_at is not None
    assert "attachment_app.heartbeat" in celery_worker.log_path.read_text()
