from celery import shared_task

from attachment_app.services import worker_heartbeat


@shared_task(name="attachment_app.heartbeat")
def heartbeat(name: str = "worker") -> None:
    worker_heartbeat(name=name)
