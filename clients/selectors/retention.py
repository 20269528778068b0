"""The clinic admin's retention report: closed records past their destruction date, and
those due soon. A constant number of queries, whatever the number of records."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from attachment_app.models import User
from clients.access import closed_records_managed_by, tombstones_visible_to
from clients.models import Client, LegalHold, RecordDestruction
from clients.models.retention import destruction_date

DUE_SOON_DAYS = 90


@dataclass(frozen=True)
class RetentionRow:
    client: Client
    discharge_date: dt.date
    destruction_date: dt.date
    on_hold: bool
    requested: bool


def retention_report(*, user: User, today: dt.date | None = None) -> dict:
    """Discharged records of the admin's clinic whose date has passed or comes within
    DUE_SOON_DAYS, soonest first; and the tombstones of the records destroyed."""
    today = today or timezone.localdate()
    clients = (
        closed_records_managed_by(user)
        .select_related("clinic")
        .annotate(
            last_discharge=Max("discharges__discharge_date"),
            on_hold=Exists(LegalHold.objects.filter(client=OuterRef("pk"), lifted_at=None)),
            requested=Exists(
                RecordDestruction.objects.filter(
                    client=OuterRef("pk"), status=RecordDestruction.Status.REQUESTED
                )
            ),
        )
    )
    rows = []
    for client in clients:
        discharged = client.last_discharge or timezone.localdate(client.status_changed_at)
        due = destruction_date(client, discharged)
        if due <= today + dt.timedelta(days=DUE_SOON_DAYS):
            rows.append(RetentionRow(client, discharged, due, client.on_hold, client.requested))
    rows.sort(key=lambda row: row.destruction_date)
    destroyed = tombstones_visible_to(user).select_related("requested_by", "confirmed_by")
    return {
        "past": [r for r in rows if r.destruction_date <= today],
        "soon": [r for r in rows if r.destruction_date > today],
        "destroyed": destroyed,
        "due_soon_days": DUE_SOON_DAYS,
    }
