from django.http import HttpRequest

from attachment_app.audit import audit_request
from attachment_app.models import AuditEvent
from clients.models import Client

Action = AuditEvent.Action


def audit(request: HttpRequest, client: Client, obj: object, action: str, summary: str) -> None:
    """Audit one read or change. The summary names the kind of record, never its content."""
    audit_request(request, action, client_id=client.pk, obj=obj, summary=summary)
