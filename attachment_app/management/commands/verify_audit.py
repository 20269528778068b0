"""Check the audit trail's hash chain: exit non-zero at the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from attachment_app.audit import audit_verify
from attachment_app.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and report the first broken link."

    def handle(self, *args, **options) -> None:
        broken = audit_verify()
        if broken is not None:
            raise CommandError(
                f"Audit trail broken at event id={broken.pk} uuid={broken.uuid} "
                f"({broken.created_at:%Y-%m-%d %H:%M:%S} {broken.action}): its hash or its link "
                "to the event before does not match. Events from here on cannot be trusted."
            )
        count = AuditEvent.objects.count()
        self.stdout.write(self.style.SUCCESS(f"OK: {count} audit events, chain intact."))
