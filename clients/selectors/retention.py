"""The clinic admin's retention report: closed records past their destruction date, and
those due soon. A constant number of queries, whatever the number of records."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from attachment_app.models import User
from clients.access import closed_records_managed_by, tombstones_visible_to
from clients.models import Client, LegalHold, RecordDestruction
from clients.models.retention import (
    active_legal_hold,
    destruction_date,
    may_confirm_destruction,
    open_destruction_request,
    record_destruction_date,
)

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
    past = [r for r in rows if r.destruction_date <= today]
    soon = [r for r in rows if r.destruction_date > today]
    return {
        "past": past,
        "soon": soon,
        "tables": [
            (past, "Past their destruction date", "No closed record is past its date."),
            (soon, f"Due within {DUE_SOON_DAYS} days", "None due soon."),
        ],
        "destroyed": destroyed,
        "due_soon_days": DUE_SOON_DAYS,
    }


def client_retention(*, user: User, client: Client) -> dict | None:
    """The record page's retention panel: the destruction date of a closed record, its
    hold, and what this user may do about them. None when there is nothing to show."""
    due = record_destruction_date(client)
    hold = active_legal_hold(client)
    if due is None and hold is None:
        return None
    pending = open_destruction_request(client)
    admin = bool(user.is_clinic_admin and user.clinic_id == client.clinic_id)
    return {
        "due": due,
        "past_due": due is not None and due <= timezone.localdate(),
        "hold": hold,
        "pending": pending,
        "is_admin": admin,
        "may_confirm": pending is not None and may_confirm_destruction(user, pending),
    }
