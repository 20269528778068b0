from django.core.management.base import BaseCommand

from clients.exports.services import exports_expire


class Command(BaseCommand):
    help = (
        "Delete exported files older than their clinic's retention period (the job rows "
        "stay, marked expired). Celery beat runs this every hour; running it twice is harmless."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{exports_expire()} expired")
