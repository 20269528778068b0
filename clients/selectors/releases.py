"""The 30-day clock of release requests, for the clinic's dashboard (two queries)."""

from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Sum, When, Window
from django.utils import timezone

from attachment_app.freshness import kept
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
    """Open requests the user answers for, the soonest due first, each with its days left;
    the totals ride along as window counts (open requests are few): one query."""
    today = timezone.localdate()
    late = Case(When(due_on__lt=today, then=1), default=0, output_field=IntegerField())
    rows = list(
        release_requests_visible_to(user)
        .open()
        .select_related("client")
        .annotate(open_total=Window(Count("pk")), overdue_total=Window(Sum(late)))
        .order_by("due_on", "logged_at")[:limit]
    )
    for row in rows:
        row.days = row.days_left(today)
    total, overdue = (rows[0].open_total, rows[0].overdue_total) if rows else (0, 0)
    return {"release_clock": ReleaseClock(rows=rows, total=total, overdue=overdue)}


def release_clock_kept(user: User) -> dict:
    """release_clock(), kept until the records change (attachment_app.freshness)."""
    return kept(f"release-clock:{user.pk}:{timezone.localdate()}", lambda: release_clock(user))


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
