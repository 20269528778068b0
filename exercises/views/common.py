from attachment_app.models import AuditEvent

Action = AuditEvent.Action
