"""The 30-day clock of release requests, for the clinic's dashboard (two queries)."""

from dataclasses import dataclass, field

from django.utils import timezone

from attachment_app.models import User
from clients.access import release_requests_visible_to
from clients.models import Disclosure, ReleaseRequest

CLOCK_ROWS = 10


@dataclass
class ReleaseClock:
    rows: list[ReleaseRequest] = field(default_factory=list)
    total: int = 0
    overdue: int = 0


def release_clock(user: User, limit: int = CLOCK_ROWS) -> dict:
    """Open requests the user answers for, the soonest due first, each with its days left."""
    today = timezone.localdate()
    requests = release_requests_visible_to(user).open()
    rows = list(requests.select_related("client").order_by("due_on", "logged_at")[:limit])
    if len(rows) < limit:
        total, overdue = len(rows), sum(r.due_on < today for r in rows)
    else:
        total = requests.count()
        overdue = requests.filter(due_on__lt=today).count()
    for row in rows:
        row.days = row.days_left(today)
    return {"release_clock": ReleaseClock(rows=rows, total=total, overdue=overdue)}


def client_releases(client) -> list[ReleaseRequest]:
    return list(
        ReleaseRequest.objects.filter(client=client)
        .select_related("logged_by", "closed_by")
        .order_by("-received_on", "-logged_at")
    )


def client_disclosures(client) -> list[Disclosure]:
    return list(
        Disclosure.objects.filter(client=client)
        .select_related("disclosed_by")
        .order_by("-disclosed_at")
    )
