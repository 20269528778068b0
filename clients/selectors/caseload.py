"""Careful reads for the clinic admin's caseload view.

Every function takes the signed-in user and starts from clients.access, and
each returns in a constant number of queries whatever the number of clients.
The "needs attention" conditions are defined once here (Attention), so the
caseload's panels, its filtered list and the therapist home always agree.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from attachment_app.freshness import kept
from attachment_app.models import User
from clients.access import (
    clients_visible_to,
    therapists_of_clinic,
)
from clients.models import Client
from clients.selectors.appointments import with_appointments
from clients.selectors.consents import (
    no_telehealth_consent,
    telehealth_consent_missing,
    treatment_consent_signed,
)

REVIEW_DUE_WITHIN_DAYS = 14
CURRENT = [Client.Status.ACTIVE, Client.Status.PAUSED]

# Sort keys offered to the browser -> ORDER BY. Anything else is ignored.
SORTS: dict[str, tuple[str, ...]] = {
    "name": ("legal_last_name", "legal_first_name"),
    "status": ("status", "legal_last_name", "legal_first_name"),
    "therapist": ("primary_therapist__full_name", "legal_last_name", "legal_first_name"),
    "intake": ("intake_date",),
    "since": ("status_changed_at",),
    "last_session": ("last_session",),
    "review": ("review_date",),
    "next_appointment": ("next_appointment",),
}
SORT_LABELS = {
    "name": "Name",
    "status": "Status",
    "therapist": "Therapist",
    "intake": "Intake",
    "since": "In status since",
    "last_session": "Last session",
    "review": "Plan review",
    "next_appointment": "Next appointment",
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class Attention:
    """The dates the "needs attention" conditions are measured against."""

    today: dt.date
    no_session_days: int

    @property
    def session_cutoff(self) -> dt.date:
        return self.today - dt.timedelta(days=self.no_session_days)

    @property
    def review_horizon(self) -> dt.date:
        return self.today + dt.timedelta(days=REVIEW_DUE_WITHIN_DAYS)

    def waitlist(self) -> Q:
        return Q(status=Client.Status.WAITLIST)

    def unassigned(self) -> Q:
        return Q(status__in=CURRENT, primary_therapist__isnull=True)

    def no_session(self) -> Q:
        # Active for longer than the alert window, seen before but not within it. A client
        # never seen is waiting for a first session, a list of its own.
        # Client.last_session_date is the latest session's date, kept by the session signals.
        cutoff_dt = dt.datetime.combine(self.session_cutoff, dt.time.min, tzinfo=dt.UTC)
        return Q(
            Q(status=Client.Status.ACTIVE, primary_therapist__isnull=False),
            Q(status_changed_at__lt=cutoff_dt),
            Q(last_session_date__lt=self.session_cutoff),
        )

    def first_session(self) -> Q:
        return Q(
            status=Client.Status.ACTIVE,
            primary_therapist__isnull=False,
            last_session_date__isnull=True,
        )

    def review_overdue(self) -> Q:
        return Q(status__in=CURRENT, treatment_plan__review_date__lt=self.today)

    def review_due(self) -> Q:
        return Q(
            status__in=CURRENT,
            treatment_plan__review_date__gte=self.today,
            treatment_plan__review_date__lte=self.review_horizon,
        )

    def reviews(self) -> Q:
        return self.review_overdue() | self.review_due()

    def no_consent(self) -> Q:
        # In care (active or paused) with no current consent to treatment on file.
        return Q(Q(status__in=CURRENT), ~Q(treatment_consent_signed()))

    def no_telehealth_consent(self) -> Q:
        # In care, seen or to be seen by video, with no current consent to telehealth.
        return Q(status__in=CURRENT) & no_telehealth_consent()

    def matches(self, client: Client, name: str) -> bool:
        """The same conditions in Python, for a client from with_dates() (therapist home).

        tests/test_caseload.py checks that both forms agree on every kind of client.
        """
        # One condition at a time, without building the others: the therapist home asks
        # four questions of each of a hundred clients on every visit.
        active = client.status == Client.Status.ACTIVE and client.primary_therapist_id is not None
        if name == "first_session":
            return active and client.last_session is None
        if name == "no_session":
            last = client.last_session
            cutoff = self.session_cutoff
            return (
                active
                and last is not None
                and last < cutoff
                and client.status_changed_at
                < dt.datetime.combine(cutoff, dt.time.min, tzinfo=dt.UTC)
            )
        if name == "no_consent":
            return client.status in CURRENT and not client.treatment_consent
        if name == "no_telehealth_consent":
            return client.status in CURRENT and client.telehealth_consent_missing
        review = client.review_date
        if review is None or client.status not in CURRENT:
            if name in ("review_overdue", "review_due"):
                return False
            raise KeyError(name)
        if name == "review_overdue":
            return review < self.today
        if name == "review_due":
            return self.today <= review <= self.review_horizon
        raise KeyError(name)

    def condition(self, name: str) -> Q:
        return getattr(self, name)()


NEEDS = {
    "waitlist": "On the waitlist",
    "unassigned": "Unassigned",
    "no_session": "No recent session",
    "first_session": "Waiting for a first session",
    "review_overdue": "Plan review overdue",
    "review_due": "Plan review due soon",
    "reviews": "Plan reviews",
    "no_consent": "No signed consent to treatment",
    "no_telehealth_consent": "No signed consent to telehealth",
}


def attention_for(user: User) -> Attention:
    days = user.clinic.no_session_alert_days if user.clinic_id else 21
    return Attention(today=timezone.localdate(), no_session_days=days)


# What a list row shows: never the long clinical text columns, which lists do not need.
LIST_FIELDS = [
    "legal_first_name",
    "legal_last_name",
    "preferred_name",
    "pronouns",
    "status",
    "status_changed_at",
    "intake_date",
    "primary_therapist",
]
MATCHING_FIELDS = ["waitlist_priority", "availability", "preferred_modality", "presenting_need"]
NAME_FIELDS = ["legal_first_name", "legal_last_name", "preferred_name"]
CLIENT_NAME = [f"client__{name}" for name in NAME_FIELDS]


def with_dates(clients: QuerySet[Client], *, therapist: bool = True) -> QuerySet[Client]:
    """List rows with the last session date, the plan's review date, the next appointment
    and the missed ones (no-shows and late cancellations): no clinical content."""
    clients = with_appointments(
        clients.annotate(
            last_session=F("last_session_date"),
            review_date=F("treatment_plan__review_date"),
            treatment_consent=treatment_consent_signed(),
            telehealth_consent_missing=telehealth_consent_missing(),
        )
    )
    if therapist:
        return clients.select_related("primary_therapist").only(
            *LIST_FIELDS, "primary_therapist__full_name", "primary_therapist__email"
        )
    return clients.only(*LIST_FIELDS)


@dataclass(frozen=True)
class TherapistLoad:
    pk: int
    name: str
    capacity: int
    active: int
    paused: int

    def __str__(self) -> str:
        return self.name

    @property
    def over(self) -> bool:
        return self.active > self.capacity

    @property
    def over_by(self) -> int:
        return max(0, self.active - self.capacity)

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.active)


def therapist_loads(user: User) -> list[TherapistLoad]:
    """Per active therapist of the clinic: active and paused clients, against capacity."""

    def clients_in(status: str) -> Coalesce:
        # Counted per therapist through the (clinic, therapist, status) index: a join
        # with every client read the whole table, whatever the size of the clinic.
        counted = (
            Client.objects.filter(
                clinic_id=user.clinic_id, primary_therapist=OuterRef("pk"), status=status
            )
            .order_by()
            .values("primary_therapist")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted), 0)

    rows = (
        therapists_of_clinic(user)
        .order_by("full_name", "pk")
        .annotate(
            n_active=clients_in(Client.Status.ACTIVE), n_paused=clients_in(Client.Status.PAUSED)
        )
        .values_list("pk", "full_name", "email", "caseload_capacity", "n_active", "n_paused")
    )
    # Plain values, not User objects: a clinic may have a hundred therapists.
    return [
        TherapistLoad(pk=pk, name=name or email, capacity=cap, active=act, paused=pau)
        for pk, name, email, cap, act, pau in rows
    ]


@dataclass
class Panel:
    name: str
    label: str
    count: int
    clients: list[Client]
    overdue: int = 0  # reviews only
    due: int = 0


def attention_panel(user: User, attention: Attention, name: str, limit: int = 5) -> Panel:
    """A caseload panel: how many clients meet the condition, and the first few of them.

    One query each: the count rides along as a window count over the same rows.
    """
    clients = clients_visible_to(user).only(*LIST_FIELDS)
    counts = {"total": Window(Count("pk"))}
    if name == "reviews":  # overdue and due soon together, soonest first
        clients = clients.filter(attention.reviews())
        clients = clients.annotate(review_date=F("treatment_plan__review_date"))
        counts["overdue"] = Window(Count("pk", filter=Q(review_date__lt=attention.today)))
        order = ["review_date"]
    elif name == "no_session":
        clients = clients.filter(attention.no_session())
        clients = clients.annotate(last_session=F("last_session_date"))
        order = [F("last_session").asc(nulls_first=True), "status_changed_at"]
    elif name == "waitlist":  # the most urgent first, then the longest waiting
        clients = clients.filter(attention.waitlist()).only(*LIST_FIELDS, *MATCHING_FIELDS)
        order = ["waitlist_priority", "status_changed_at"]
    else:  # unassigned: the longest waiting first
        clients = clients.filter(attention.condition(name))
        order = ["status_changed_at"]
    rows = list(clients.annotate(**counts).order_by(*order, "pk")[:limit])
    total = rows[0].total if rows else 0
    overdue = getattr(rows[0], "overdue", 0) if rows else 0
    return Panel(
        name=name,
        label=NEEDS[name],
        count=total,
        clients=rows,
        overdue=overdue,
        due=total - overdue,
    )


def attention_panels(user: User, attention: Attention, names: list[str]) -> list[Panel]:
    """The caseload's panels. Counting them reads every client of the clinic, so what they
    hold (counts and which clients, in order) is kept until the records change
    (attachment_app.freshness); the clients themselves are read again, in one query and
    through the user's scope, every time."""

    def summary() -> list[tuple[str, int, int, list]]:
        panels = [attention_panel(user, attention, name) for name in names]
        return [(p.name, p.count, p.overdue, [c.pk for c in p.clients]) for p in panels]

    key = f"attention:{user.pk}:{attention.today}:{attention.no_session_days}:{','.join(names)}"
    summaries = kept(key, summary)
    wanted = [pk for *_, pks in summaries for pk in pks]
    rows = (
        clients_visible_to(user)
        .filter(pk__in=wanted)
        .only(*LIST_FIELDS, *MATCHING_FIELDS)
        .annotate(review_date=F("treatment_plan__review_date"), last_session=F("last_session_date"))
    )
    by_pk = {client.pk: client for client in rows}
    return [
        Panel(
            name=name,
            label=NEEDS[name],
            count=count,
            clients=[by_pk[pk] for pk in pks if pk in by_pk],
            overdue=overdue,
            due=count - overdue,
        )
        for name, count, overdue, pks in summaries
    ]


def therapist_loads_kept(user: User) -> list[TherapistLoad]:
    """therapist_loads(), kept until the records change (attachment_app.freshness)."""
    return kept(f"loads:{user.pk}", lambda: therapist_loads(user))


def search_by_name(clients: QuerySet[Client], q: str) -> QuerySet[Client]:
    """Each word typed must appear in the legal first or last name or the preferred name."""
    for word in q.split()[:5]:
        clients = clients.filter(
            Q(legal_first_name__icontains=word)
            | Q(legal_last_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    return clients


def client_list(
    user: User,
    attention: Attention,
    *,
    q: str = "",
    status: str = "",
    therapist: str = "",
    needs: str = "",
    sort: str = DEFAULT_SORT,
) -> QuerySet[Client]:
    """The caseload list: search by name, filters, and an allow-listed sort."""
    clients = search_by_name(clients_visible_to(user), q)
    if status in Client.Status.values:
        clients = clients.filter(status=status)
    if therapist == "none":
        clients = clients.filter(primary_therapist__isnull=True)
    elif therapist:
        clients = clients.filter(primary_therapist_id=therapist)
    if needs in NEEDS:
        clients = clients.filter(attention.condition(needs))
    return with_dates(clients).order_by(*order_by(sort))


def parse_sort(sort: str) -> tuple[str, bool]:
    """("name", descending) from "name" or "-name"; anything not allow-listed is the default."""
    descending = sort.startswith("-")
    key = sort[1:] if descending else sort
    if key not in SORTS:
        return DEFAULT_SORT, False
    return key, descending


def clean_sort(sort: str) -> str:
    key, descending = parse_sort(sort)
    return f"-{key}" if descending else key


def order_by(sort: str) -> list:
    key, descending = parse_sort(sort)
    fields = [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in SORTS[key]
    ]
    return [*fields, "pk"]
