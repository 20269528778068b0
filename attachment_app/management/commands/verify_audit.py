"""Check the audit trail: its HMAC chain, and that it still reaches the latest anchor."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from attachment_app.audit import audit_anchor_check, audit_anchor_latest, audit_verify
from attachment_app.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Verify the audit trail's HMAC chain and that it still reaches the latest head "
        "anchored outside the database; report the first problem and exit non-zero."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--anchor",
            help="An anchor file, or lines copied from the attachment_app.audit.anchor log "
            "(default: AUDIT_ANCHOR_PATH).",
        )

    def handle(self, *args, anchor=None, **options) -> None:
        broken = audit_verify()
        if broken is not None:
            event = broken.event
            raise CommandError(
                f"Audit trail broken at event id={event.pk} uuid={event.uuid} "
                f"({event.created_at:%Y-%m-%d %H:%M:%S} {event.action}): {broken.reason}. "
                "Events from here on cannot be trusted."
            )
        count = AuditEvent.objects.count()
        latest = audit_anchor_latest(anchor)
        if latest is None:
            self.stdout.write(
                self.style.WARNING(
                    f"No anchor found at {anchor or settings.AUDIT_ANCHOR_PATH}: a trimmed "
                    "tail cannot be detected until the periodic anchor task has run."
                )
            )
        else:
            problem = audit_anchor_check(latest)
            if problem is not None:
                raise CommandError(f"Audit trail does not match its anchor. {problem}")
        reached = f", reaches the anchor at id={latest['sequence']}" if latest else ""
        self.stdout.write(self.style.SUCCESS(f"OK: {count} audit events, chain intact{reached}."))
