"""Reads for the schedule: a week or a day of appointments, laid out in lanes.

A lane is a clinician or a room; a week is seven days on the clinic's clock. Each read
is one query for the appointments (clients, rooms, clinicians and notes joined in) and
at most one for the lanes, whatever the number of appointments.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.utils import timezone

from attachment_app.dates import format_date, format_weekday
from attachment_app.models import User
from clients.access import (
    appointments_visible_to,
    clinicians_for_booking,
    rooms_managed_by,
    rooms_of_clinic,
)
from clients.models import Appointment, AppointmentKind, Client, TherapySession
from clients.models.appointments import HOLDS_SLOT

MISSED = (Appointment.Status.NO_SHOW, Appointment.Status.LATE_CANCEL)
WEEK_DAYS = 7


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of a day on the clinic's clock (the zone active for this request)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _in_days(appointments: QuerySet[Appointment], first: dt.date, days: int) -> QuerySet:
    start, end = local_midnight(first), local_midnight(first + dt.timedelta(days=days))
    return appointments.filter(starts_at__lt=end, ends_at__gt=start).order_by("starts_at", "pk")


def between(appointments: QuerySet[Appointment], first: dt.date, days: int) -> list[Appointment]:
    return list(
        _in_days(appointments, first, days).select_related("client", "room", "clinician", "session")
    )


# What a week shows of an appointment and of the people and room in it, read in the one
# query as plain columns: the rest of the client's record, the clinician's account and the
# note are not loaded, and no model is built for a client, room or clinician per row.
WEEK_FIELDS = (
    "starts_at",
    "ends_at",
    "length_minutes",
    "kind",
    "status",
    "client",
    "clinician",
    "room",
)
WEEK_NAMES = {
    "client_first": F("client__legal_first_name"),
    "client_last": F("client__legal_last_name"),
    "client_preferred": F("client__preferred_name"),
    "clinician_full_name": F("clinician__full_name"),
    "clinician_email": F("clinician__email"),
    "room_name": F("room__name"),
}


def week_rows(appointments: QuerySet[Appointment], monday: dt.date, days: int) -> list[Appointment]:
    """The week's appointments, each with what the table and the list show written out once
    (times on the clinic's clock, names, place, kind and status labels), so that no cell
    formats a date or looks a label up."""
    rows = list(_in_days(appointments, monday, days).only(*WEEK_FIELDS).annotate(**WEEK_NAMES))
    kinds = {value: str(label) for value, label in AppointmentKind.choices}
    statuses = {value: str(label) for value, label in Appointment.Status.choices}
    day_labels = {}  # "Monday 4 Jan 2027", once per day of the week
    for row in rows:
        local, local_end = timezone.localtime(row.starts_at), timezone.localtime(row.ends_at)
        day = row.local_day = local.date()
        if day not in day_labels:
            day_labels[day] = f"{format_weekday(day)} {format_date(day)}"
        row.html_start = local.replace(microsecond=0).isoformat()
        row.start_time, row.end_time = f"{local:%H:%M}", f"{local_end:%H:%M}"
        row.start_label = f"{day_labels[day]}, {row.start_time}"
        row.client_name = Client.name_from(row.client_first, row.client_last, row.client_preferred)
        row.clinician_name = row.clinician_full_name or row.clinician_email
        row.place = "Video" if row.room_id is None else row.room_name
        row.kind_label, row.status_label = kinds[row.kind], statuses[row.status]
    return rows


@dataclass
class Lane:
    key: str
    label: str
    days: list[list[Appointment]] = field(default_factory=list)


@dataclass
class Board:
    """Lanes by days: what the week view's table shows."""

    days: list[dt.date]
    lanes: list[Lane]
    appointments: list[Appointment]

    @property
    def is_empty(self) -> bool:
        return not self.appointments


def _board(appointments: list[Appointment], days: list[dt.date], lanes: list[Lane], key) -> Board:
    by_key = {lane.key: lane for lane in lanes}
    for lane in lanes:
        lane.days = [[] for _ in days]
    index = {day: n for n, day in enumerate(days)}
    for appointment in appointments:
        day = appointment.local_day
        lane = by_key.get(key(appointment))
        if lane is not None and day in index:
            lane.days[index[day]].append(appointment)
    # A weekend with nothing booked is left out, so the working days get the width.
    weekend = [n for n, day in enumerate(days) if day.weekday() >= 5]
    if weekend and not any(lane.days[n] for lane in lanes for n in weekend):
        days = [day for n, day in enumerate(days) if n not in weekend]
        for lane in lanes:
            lane.days = [cell for n, cell in enumerate(lane.days) if n not in weekend]
    return Board(days=days, lanes=lanes, appointments=appointments)


WHO_ALL = "all"
WHO_ROOMS = "rooms"


def week_board(user: User, *, monday: dt.date, who: str, days: int = 7) -> Board:
    """The week for one clinician (a lane), every clinician, or every room (admins)."""
    dates = [monday + dt.timedelta(days=n) for n in range(days)]
    visible = appointments_visible_to(user)
    if who == WHO_ROOMS and user.is_clinic_admin:
        rooms = list(rooms_of_clinic(user).order_by("name"))
        lanes = [Lane(key=str(r.pk), label=r.name) for r in rooms] + [Lane("video", "Video")]
        rows = week_rows(visible.exclude(status__in=_cancelled()), monday, days)
        return _board(rows, dates, lanes, lambda a: str(a.room_id) if a.room_id else "video")
    if who == WHO_ALL and user.is_clinic_admin:
        clinicians = list(clinicians_for_booking(user).order_by("full_name", "pk"))
        lanes = [Lane(key=str(c.pk), label=c.full_name or c.email) for c in clinicians]
        rows = week_rows(visible, monday, days)
        return _board(rows, dates, lanes, lambda a: str(a.clinician_id))
    clinician = clinician_asked(user, who)
    lane = Lane(key=str(clinician.pk), label=clinician.full_name or clinician.email)
    rows = week_rows(visible.filter(clinician=clinician), monday, days)
    return _board(rows, dates, [lane], lambda a: str(a.clinician_id))


def week_page(user: User, *, monday: dt.date, who: str, as_list: bool) -> dict:
    """What the week page shows: the board, the weeks around it, and (admins) whose."""
    board = week_board(user, monday=monday, who=who)
    today = timezone.localdate()
    return {
        "board": board,
        "monday": monday,
        "sunday": monday + dt.timedelta(days=WEEK_DAYS - 1),
        "previous_week": monday - dt.timedelta(days=WEEK_DAYS),
        "next_week": monday + dt.timedelta(days=WEEK_DAYS),
        "this_week": monday_of(today),
        "today": today,
        "who": who,
        "lane_is_me": len(board.lanes) == 1 and board.lanes[0].key == str(user.pk),
        "several_lanes": len(board.lanes) > 1,
        "clinicians": list(clinicians_for_booking(user).order_by("full_name", "pk"))
        if user.is_clinic_admin
        else [],
        "as_list": as_list,
        "by_rooms": who == WHO_ROOMS and user.is_clinic_admin,
    }


def room_list(user: User) -> QuerySet:
    """The rooms page: the clinic's rooms, those in use first."""
    return rooms_managed_by(user).order_by("-is_active", "name")


def _cancelled() -> list[str]:
    return [s for s in Appointment.Status.values if s not in HOLDS_SLOT]


def clinician_asked(user: User, who: str) -> User:
    """The clinician whose week is asked for: the user, or (admins) a colleague by id."""
    if who.isdigit() and len(who) < 19 and user.is_clinic_admin:
        found = clinicians_for_booking(user).filter(pk=int(who)).first()
        if found is not None:
            return found
    return user


def day_appointments(user: User, *, day: dt.date, clinician: User) -> list[Appointment]:
    return between(appointments_visible_to(user).filter(clinician=clinician), day, 1)


def today_for(user: User) -> list[Appointment]:
    """The therapist's home: today's appointments, with whether each note is written/signed."""
    return day_appointments(user, day=timezone.localdate(), clinician=user)


# A note sent for co-signing waits on the supervisor, not on its clinician.
NOTE_AWAITED = (TherapySession.Status.DRAFT, TherapySession.Status.RETURNED)


def overdue_notes_for(user: User, *, limit: int = 8) -> tuple[list[Appointment], int]:
    """The clinician's attended appointments whose note is still missing or unsigned once
    the clinic's late-entry window after the end has passed, oldest first; one query
    (the total rides along as a window count)."""
    hours = user.clinic.late_entry_hours if user.clinic_id else 72
    cutoff = timezone.now() - dt.timedelta(hours=hours)
    rows = list(
        appointments_visible_to(user)
        .filter(clinician=user, status=Appointment.Status.ATTENDED, ends_at__lt=cutoff)
        .filter(Q(session__isnull=True) | Q(session__status__in=NOTE_AWAITED))
        .select_related("client", "session")
        .annotate(total=Window(Count("pk")))
        .order_by("starts_at", "pk")[:limit]
    )
    return rows, rows[0].total if rows else 0


def client_appointments(client: Client, *, upcoming: int = 5) -> dict:
    """The client page's panel: the next few, and the no-shows and late cancellations."""
    now = timezone.now()
    mine = Appointment.objects.filter(client=client)
    counts = mine.aggregate(
        no_show=Count("pk", filter=Q(status=Appointment.Status.NO_SHOW)),
        late_cancel=Count("pk", filter=Q(status=Appointment.Status.LATE_CANCEL)),
    )
    return {
        "upcoming": list(
            mine.filter(status=Appointment.Status.SCHEDULED, ends_at__gt=now)
            .select_related("room", "clinician")
            .order_by("starts_at")[:upcoming]
        ),
        **counts,
    }


def with_appointments(clients: QuerySet[Client]) -> QuerySet[Client]:
    """List rows with the next booked appointment and the missed ones (subqueries, so a
    list stays one query)."""
    scheduled = Appointment.objects.filter(
        client=OuterRef("pk"), status=Appointment.Status.SCHEDULED, starts_at__gte=timezone.now()
    ).order_by("starts_at")
    missed = (
        Appointment.objects.filter(client=OuterRef("pk"), status__in=MISSED)
        .order_by()
        .values("client")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return clients.annotate(
        next_appointment=Subquery(scheduled.values("starts_at")[:1]),
        missed_appointments=Subquery(missed[:1]),
    )


def unsigned_for_appointments(appointments: list[Appointment]) -> None:
    """Mark each past appointment with the state of its note (on the row, no query)."""
    now = timezone.now()
    for appointment in appointments:
        session = appointment.session
        appointment.is_past = appointment.starts_at <= now
        if session is None:
            appointment.note_state = "none"
        elif session.status == TherapySession.Status.SIGNED:
            appointment.note_state = "signed"
        else:
            appointment.note_state = "draft"


def appointment_to_log(user: User, client: Client, raw_id: str) -> Appointment | None:
    """The user's own appointment with this client, still without a note (`?appointment=`
    on the session log); anything else is ignored."""
    try:
        pk = uuid.UUID(str(raw_id)[:36])
    except ValueError:
        return None
    return (
        appointments_visible_to(user)
        .filter(pk=pk, client=client, clinician=user, session__isnull=True)
        .exclude(status__in=_cancelled())
        .select_related("room")
        .first()
    )
