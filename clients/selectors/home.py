"""Careful reads for the therapist's home: my clients, what needs me, recent activity.

Each returns in a constant number of queries whatever the number of clients.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Window

from attachment_app.dates import format_date
from attachment_app.freshness import kept
from attachment_app.models import User
from clients.access import check_in_flags_for, clients_in_care_of, in_care_of
from clients.models import Client, ClientAssignment, ClientStatusChange, TherapySession
from clients.selectors.appointments import overdue_notes_for
from clients.selectors.caseload import CLIENT_NAME, CURRENT, Attention, with_dates
from clients.selectors.releases import release_clock
from clients.selectors.supervision import review_queue

# The whole of a "what needs me" list, linked from its first few names.
# The whole of a "what needs me" list, linked from its first few names.
SHOW_NEEDS = {
    "first_session": "Waiting for a first session",
    "no_session": "No recent session",
    "no_consent": "No signed consent to treatment",
    "no_telehealth_consent": "No signed consent to telehealth",
}


def my_clients(user: User, *, show: str = "current") -> QuerySet[Client]:
    clients = clients_in_care_of(user)
    if show == "current":
        clients = clients.filter(status__in=CURRENT)
    elif show == "discharged":
        clients = clients.filter(status=Client.Status.DISCHARGED)
    return with_dates(clients, therapist=False).order_by(
        "legal_last_name", "legal_first_name", "pk"
    )


@dataclass
class MyCaseload:
    """A therapist's current clients and what needs them, from one query."""

    clients: list[Client]  # active and paused, by name
    counts: dict[str, int]
    first_session: list[Client]
    reviews: list[Client]
    no_session: list[Client]
    no_consent: list[Client]
    no_telehealth_consent: list[Client]


MY_NEEDS = [
    "first_session",
    "no_session",
    "review_overdue",
    "review_due",
    "no_consent",
    "no_telehealth_consent",
]


def _longest_first(clients: list[Client]) -> list[Client]:
    return sorted(clients, key=lambda c: c.status_changed_at)


def my_caseload(user: User, attention: Attention, limit: int = 5) -> MyCaseload:
    """Read once, split in Python: a therapist's current caseload is bounded by their
    capacity, and one query costs less than a count and a list per kind of need.
    Attention.matches mirrors the caseload view's SQL conditions (tested to agree)."""
    rows = list(
        with_dates(clients_in_care_of(user).filter(status__in=CURRENT), therapist=False).order_by(
            "legal_last_name", "legal_first_name", "pk"
        )
    )
    flagged = {name: [c for c in rows if attention.matches(c, name)] for name in MY_NEEDS}
    counts = {name: len(found) for name, found in flagged.items()}
    counts["current"] = len(rows)
    return MyCaseload(
        clients=rows,
        counts=counts,
        first_session=_longest_first(flagged["first_session"])[:limit],
        reviews=sorted(
            flagged["review_overdue"] + flagged["review_due"], key=lambda c: c.review_date
        )[:limit],
        no_session=_longest_first(flagged["no_session"])[:limit],
        no_consent=flagged["no_consent"][:limit],
        no_telehealth_consent=flagged["no_telehealth_consent"][:limit],
    )


def my_unsigned_notes(user: User, limit: int = 5) -> tuple[list[TherapySession], int]:
    drafts = TherapySession.objects.filter(
        in_care_of(user),
        therapist=user,
        # Returned by the supervisor: the clinician's to revise, like a draft.
        status__in=[TherapySession.Status.DRAFT, TherapySession.Status.RETURNED],
    )
    # The total rides along on every row (a window count), saving a second query.
    rows = list(
        drafts.select_related("client")
        .only("date", "client_id", *CLIENT_NAME)
        .annotate(total=Window(Count("pk")))
        .order_by("date", "pk")[:limit]
    )
    return rows, rows[0].total if rows else 0


@dataclass(frozen=True)
class Activity:
    when: dt.datetime
    client_name: str
    client_url: str
    text: str


def my_recent_activity(user: User, limit: int = 8) -> list[Activity]:
    """New assignments, status changes and sessions in my caseload, newest first.

    Three small queries of plain values, merged here (measured cheaper than one UNION).
    """
    mine = in_care_of(user)
    names = ["client_id", *CLIENT_NAME]
    assigned = (
        ClientAssignment.objects.filter(mine, therapist=user)
        .order_by("-started_at")
        .values("started_at", *names)[:limit]
    )
    changed = (
        ClientStatusChange.objects.filter(mine)
        .order_by("-changed_at")
        .values("changed_at", "to_status", *names)[:limit]
    )
    sessions = (
        TherapySession.objects.filter(mine, therapist=user)
        .order_by("-created_at")
        .values("created_at", "date", "status", *names)[:limit]
    )
    status = dict(Client.Status.choices)
    events = [(r["started_at"], r, "Assigned to you") for r in assigned]
    events += [(r["changed_at"], r, f"Status: {status.get(r['to_status'])}") for r in changed]
    events += [
        (
            r["created_at"],
            r,
            f"Session of {format_date(r['date'])} "
            + ("signed" if r["status"] == TherapySession.Status.SIGNED else "logged"),
        )
        for r in sessions
    ]
    events.sort(key=lambda e: e[0], reverse=True)
    return [
        Activity(
            when=when,
            client_name=Client.name_from(
                r["client__legal_first_name"],
                r["client__legal_last_name"],
                r["client__preferred_name"],
            ),
            client_url=Client.url_for(r["client_id"]),
            text=text,
        )
        for when, r, text in events[:limit]
    ]


def my_listed_clients(user: User, *, mine: MyCaseload, attention: Attention, show: str) -> list:
    """The clients the home list shows: a "what needs me" list, or the current caseload
    (already in hand), or the discharged or all clients (paged through the database)."""
    if show in SHOW_NEEDS:
        return [c for c in mine.clients if attention.matches(c, show)]
    return mine.clients if show == "current" else my_clients(user, show=show)


def my_home(user: User, attention: Attention) -> tuple[MyCaseload, dict]:
    """my_caseload() and my_home_panels(), kept until the records next change
    (attachment_app.freshness): a therapist comes back to this page all day."""

    def compute() -> tuple[MyCaseload, dict]:
        mine = my_caseload(user, attention)
        panels = my_home_panels(user, mine=mine, attention=attention)
        return mine, panels | {"to_review": review_queue(user).count()}

    key = f"home:{user.pk}:{attention.today}:{attention.no_session_days}"
    return kept(key, compute)


def my_home_panels(user: User, *, mine: MyCaseload, attention: Attention) -> dict:
    """What the home page shows beside the list: counts, what needs me, notes to sign,
    recent activity."""
    notes, notes_count = my_unsigned_notes(user)
    overdue, overdue_count = overdue_notes_for(user)
    return {
        "overdue_notes": overdue,
        "overdue_count": overdue_count,
        "counts": mine.counts,
        "needs": mine,
        "notes": notes,
        "notes_count": notes_count,
        "activity": my_recent_activity(user),
        "attention": attention,
        "check_in_flags": check_in_flags_for(user),
        **release_clock(user),
    }
