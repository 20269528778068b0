from celery import shared_task

from attachment_app.audit import audit_anchor_write
from attachment_app.services import worker_heartbeat


@shared_task(name="attachment_app.heartbeat")
def heartbeat(name: str = "worker") -> None:
    worker_heartbeat(name=name)


@shared_task(name="attachment_app.audit_anchor")
def audit_anchor() -> None:
    audit_anchor_write()
