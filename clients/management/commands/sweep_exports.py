import datetime as dt

from django.core.management.base import BaseCommand

from clients.exports.services import exports_sweep


class Command(BaseCommand):
    help = (
        "Resend export jobs that were never picked up or whose worker died, and fail "
        "those that keep crashing. Celery beat runs this every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--queued-after", type=float, help="seconds queued before a resend (default: settings)"
        )
        parser.add_argument(
            "--running-after",
            type=float,
            help="seconds without a heartbeat before the worker counts as gone (default: settings)",
        )

    def handle(self, *args, queued_after=None, running_after=None, **options):
        result = exports_sweep(
            queued_after=None if queued_after is None else dt.timedelta(seconds=queued_after),
            running_after=None if running_after is None else dt.timedelta(seconds=running_after),
        )
        if result.skipped:
            self.stdout.write("another sweep is running; nothing done")
        else:
            self.stdout.write(f"{result.resent} resent, {result.failed} failed")
