"""The companion's practice log on the clinician's distress chart (client-reported)."""

import datetime as dt

from django.utils import timezone

from clients.distress_sources import DistressRow, register_client_reported_distress
from clients.models import Client
from exercises.models import CompanionPractice
from exercises.services.companion import practice_technique_choices


def practice_rows(client: Client, since: dt.date | None, limit: int) -> list[DistressRow]:
    """The client's latest practice entries as chart rows, oldest first: one query."""
    techniques = dict(practice_technique_choices())
    entries = CompanionPractice.objects.filter(client=client).only(
        "id", "client_id", "technique", "distress_before", "distress_after", "recorded_at"
    )
    if since is not None:
        entries = entries.filter(recorded_at__date__gte=since)
    return [
        DistressRow(
            when=timezone.localtime(entry.recorded_at).replace(tzinfo=None),
            distress_before=entry.distress_before,
            distress_after=entry.distress_after,
            label=techniques.get(entry.technique, entry.technique),
            client_reported=True,
        )
        for entry in reversed(entries.order_by("-recorded_at")[:limit])
    ]


def register() -> None:
    register_client_reported_distress(kind="companion_practice", rows=practice_rows)
