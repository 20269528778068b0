"""Booking, moving, cancelling and marking appointments. Views and tasks call these.

The clash rule: one clinician, or one room, holds at most one appointment at a time
(scheduled, attended and no-show hold their slot; a cancelled one frees it). The
check here gives the person booking a clear message; on PostgreSQL the exclusion
constraints of migration 0014 make it hold under concurrent requests too, and their
refusal is turned into the same message. On SQLite only this check applies.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.dates import clinic_dates, format_date, format_datetime
from attachment_app.models import AuditEvent, User
from clients.access import may_unmark_appointment
from clients.models import (
    Appointment,
    AppointmentSeries,
    Client,
    Frequency,
    Room,
    TherapySession,
)
from clients.models.appointments import HOLDS_SLOT, RRULE_OF

UTC = dt.UTC
THIS = "this"
FOLLOWING = "following"
SCOPES = (THIS, FOLLOWING)
BY_CLIENT = "client"
BY_CLINICIAN = "clinician"
CONSTRAINT_NAMES = ("appt_clinician_no_overlap", "appt_room_no_overlap")


def horizon_weeks() -> int:
    return getattr(settings, "APPOINTMENT_HORIZON_WEEKS", 12)


# Time -------------------------------------------------------------------------------


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_to_utc(*, day: dt.date, time: dt.time, zone: str) -> dt.datetime:
    """A wall-clock time in a zone as UTC. A time the spring change skips (01:30 on the
    night clocks go forward) falls an hour later, as a clock on the wall would show it."""
    return dt.datetime.combine(day, time, tzinfo=_zone(zone)).astimezone(UTC)


def in_zone(moment: dt.datetime, zone: str) -> dt.datetime:
    return moment.astimezone(_zone(zone))


def rule_text(frequency: str, until: dt.date | None) -> str:
    rule = RRULE_OF[Frequency(frequency)]
    if until is not None:
        rule += f";UNTIL={until:%Y%m%d}T235959"
    return rule


def occurrence_starts(
    series: AppointmentSeries, *, after: dt.date | None = None, through: dt.date
) -> list[dt.datetime]:
    """The series' starts (UTC) on local dates in [after, through], from its RRULE read on
    the local clock: a weekly 10:00 stays 10:00 on both sides of a daylight-saving change."""
    start = dt.datetime.combine(series.first_date, series.local_time)
    rule = rrulestr(series.rrule, dtstart=start)
    lower = max(start, dt.datetime.combine(after, dt.time.min)) if after else start
    upper = dt.datetime.combine(through, dt.time.max)
    zone = _zone(series.time_zone)
    return [
        naive.replace(tzinfo=zone).astimezone(UTC) for naive in rule.between(lower, upper, True)
    ]


# Clashes ----------------------------------------------------------------------------


def _span(starts_at: dt.datetime, length_minutes: int) -> tuple[dt.datetime, dt.datetime]:
    return starts_at, starts_at + dt.timedelta(minutes=length_minutes)


def _clash_message(mine: Appointment, other: Appointment) -> str:
    start, end = format_datetime(other.starts_at), timezone.localtime(other.ends_at)
    when = f"{start}–{end:%H:%M}"
    if other.clinician_id == mine.clinician_id:
        who = mine.clinician.full_name or "This clinician"
        return f"{who} already has an appointment at {when}. Choose another time."
    return f"{other.room.name} is already booked at {when}. Choose another room or time."


def _clash_error(mine: Appointment, other: Appointment) -> ValidationError:
    with clinic_dates(mine.client.clinic):
        return ValidationError({"starts_at": _clash_message(mine, other)}, code="clash")


def find_clash(candidate: Appointment, *, ignore: Iterable[object] = ()) -> Appointment | None:
    """The first appointment holding a slot that overlaps the candidate's, for the same
    clinician or the same room."""
    start, end = _span(candidate.starts_at, candidate.length_minutes)
    same = Q(clinician_id=candidate.clinician_id)
    if candidate.room_id is not None:
        same |= Q(room_id=candidate.room_id)
    return (
        Appointment.objects.filter(
            same, status__in=HOLDS_SLOT, starts_at__lt=end, ends_at__gt=start
        )
        .exclude(pk__in=[candidate.pk, *ignore])
        .select_related("room")
        .order_by("starts_at")
        .first()
    )


def check_clashes(candidates: list[Appointment], *, ignore: Iterable[object] = ()) -> None:
    """Refuse with a clear message when any candidate clashes (the check before the write)."""
    ignore = list(ignore)
    for candidate in candidates:
        other = find_clash(candidate, ignore=ignore)
        if other is not None:
            raise _clash_error(candidate, other)


DEADLOCK = "40P01"


def _save_all(rows: list[Appointment]) -> None:
    with transaction.atomic():
        for row in rows:
            row.save()


def _write(rows: list[Appointment], *, ignore: Iterable[object] = ()) -> None:
    """Save rows inside a savepoint; the database's own refusal becomes the same message."""
    try:
        try:
            _save_all(rows)
        except OperationalError as exc:
            # Two bookings written at the same moment each wait on the other's row in the
            # exclusion check, and PostgreSQL cancels one (a deadlock). Written once more,
            # it waits for the other to commit and is refused as a clash below.
            if getattr(exc.__cause__, "sqlstate", None) != DEADLOCK:
                raise
            _save_all(rows)
    except IntegrityError as exc:
        if not any(name in str(exc) for name in CONSTRAINT_NAMES):
            raise
        for row in rows:
            other = find_clash(row, ignore=ignore)
            if other is not None:
                raise _clash_error(row, other) from exc
        raise ValidationError(
            {"starts_at": "Someone booked this time a moment ago. Choose another time."},
            code="clash",
        ) from exc


def _check_people(*, client: Client, clinician: User, room: Room | None) -> None:
    if not clinician.is_therapist or clinician.clinic_id != client.clinic_id:
        raise ValidationError({"clinician": "Choose a clinician of this clinic."})
    if room is not None and room.clinic_id != client.clinic_id:
        raise ValidationError({"room": "Choose one of this clinic's rooms."})


def _check_length(length_minutes: int) -> None:
    if not 5 <= length_minutes <= 8 * 60:
        raise ValidationError({"length_minutes": "A length between 5 and 480 minutes."})


# Booking ----------------------------------------------------------------------------


@transaction.atomic
def appointment_book(
    *,
    client: Client,
    clinician: User,
    starts_at: dt.datetime,
    length_minutes: int,
    room: Room | None,
    kind: str,
    by: User,
    request: HttpRequest | None = None,
) -> Appointment:
    """One appointment; `room=None` means by video."""
    _check_people(client=client, clinician=clinician, room=room)
    _check_length(length_minutes)
    appointment = Appointment(
        client=client,
        clinician=clinician,
        starts_at=starts_at.astimezone(UTC),
        length_minutes=length_minutes,
        room=room,
        kind=kind,
        created_by=by,
    )
    check_clashes([appointment])
    _write([appointment])
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=appointment.client_id,
            obj=appointment,
            summary="Appointment booked",
        )
    return appointment


def _materialize(
    series: AppointmentSeries, *, through: dt.date, by: User, after: dt.date | None = None
) -> list[Appointment]:
    existing = set(series.appointments.values_list("occurrence_of", flat=True))
    return [
        Appointment(
            client=series.client,
            clinician=series.clinician,
            starts_at=start,
            occurrence_of=start,
            length_minutes=series.length_minutes,
            room=series.room,
            kind=series.kind,
            series=series,
            created_by=by,
        )
        for start in occurrence_starts(series, after=after, through=through)
        if start not in existing
    ]


def _horizon_from(day: dt.date) -> dt.date:
    return max(day, timezone.localdate()) + dt.timedelta(weeks=horizon_weeks())


@transaction.atomic
def appointment_series_book(
    *,
    client: Client,
    clinician: User,
    starts_at: dt.datetime,
    length_minutes: int,
    room: Room | None,
    kind: str,
    frequency: str,
    until: dt.date | None,
    by: User,
    request: HttpRequest | None = None,
) -> AppointmentSeries:
    """A recurring booking: the rule is kept, occurrences up to the horizon become rows.
    Refused as a whole when any of them clashes (the message names the first)."""
    _check_people(client=client, clinician=clinician, room=room)
    _check_length(length_minutes)
    zone = client.clinic.time_zone
    local = in_zone(starts_at, zone)
    if until is not None and until < local.date():
        raise ValidationError({"until": "The last date must be on or after the first."})
    series = AppointmentSeries(
        client=client,
        clinician=clinician,
        rrule=rule_text(frequency, until),
        frequency=frequency,
        first_date=local.date(),
        local_time=local.time().replace(tzinfo=None),
        time_zone=zone,
        until=until,
        length_minutes=length_minutes,
        room=room,
        kind=kind,
        materialized_until=_horizon_from(local.date()),
        created_by=by,
    )
    series.save()
    rows = _materialize(series, through=series.materialized_until, by=by)
    check_clashes(rows)
    _write(rows)
    if request is not None and rows:
        first = min(rows, key=lambda row: row.starts_at)
        audit(
            request=request,
            action=AuditEvent.Action.CREATE,
            client_id=first.client_id,
            obj=first,
            summary="Appointment series booked",
        )
    return series


@transaction.atomic
def series_extend(*, series: AppointmentSeries, through: dt.date, by: User) -> list[Appointment]:
    """Make rows for the series' occurrences up to `through` (the rolling horizon).

    An occurrence that already has its row (moved or cancelled included) is left alone.
    An occurrence that would clash is skipped and returned, for someone to rebook by hand.
    """
    series = AppointmentSeries.objects.select_for_update().get(pk=series.pk)
    if through <= series.materialized_until:
        return []
    rows = _materialize(series, after=series.materialized_until, through=through, by=by)
    skipped = []
    for row in rows:
        try:
            check_clashes([row])
            _write([row])
        except ValidationError:
            skipped.append(row)
    series.materialized_until = through
    series.save(update_fields=["materialized_until"])
    return skipped


def series_extend_all(*, by: User | None = None, today: dt.date | None = None) -> int:
    """Move every open series' horizon on (the periodic task). Returns rows made."""
    through = (today or timezone.localdate()) + dt.timedelta(weeks=horizon_weeks())
    made = 0
    open_series = AppointmentSeries.objects.filter(materialized_until__lt=through).filter(
        Q(until__isnull=True) | Q(until__gt=F("materialized_until"))
    )
    for series in open_series.select_related("client", "clinician", "created_by"):
        made += _series_extend_counted(series=series, through=through, by=by)
    return made


@transaction.atomic
def _series_extend_counted(*, series: AppointmentSeries, through: dt.date, by: User | None) -> int:
    """One series moved on, counted under its lock: a second run at once counts nothing."""
    locked = AppointmentSeries.objects.select_for_update().get(pk=series.pk)
    before = locked.appointments.count()
    series_extend(series=locked, through=through, by=by or series.created_by)
    return locked.appointments.count() - before


# Changing one occurrence, or it and the following -------------------------------------


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("client__clinic", "clinician", "room", "series")
        .get(pk=appointment.pk)
    )


def _end_series_before(series: AppointmentSeries, day: dt.date) -> None:
    last = day - dt.timedelta(days=1)
    series.until = last if series.until is None else min(series.until, last)
    series.rrule = rule_text(series.frequency, series.until)
    series.save(update_fields=["until", "rrule"])


def _following(appointment: Appointment):
    return appointment.series.appointments.filter(
        occurrence_of__gte=appointment.occurrence_of
    ).select_related("client__clinic", "clinician", "room")


@transaction.atomic
def appointment_move(
    *,
    appointment: Appointment,
    starts_at: dt.datetime,
    length_minutes: int,
    room: Room | None,
    by: User,
    scope: str = THIS,
    request: HttpRequest | None = None,
) -> Appointment:
    """Move one occurrence, or split the series here and move it and the following ones.

    "This one": the row moves and keeps its place in the series (its occurrence), so
    extending the series never brings the old slot back. "This and the following": the
    series ends the day before, a new series takes the new day and time, and the
    occurrences still on the old rule move with it; one moved on its own keeps its time
    and room, and attended, no-show or cancelled ones stay as they were (`_move_following`).
    """
    appointment = _locked(appointment)
    if appointment.status != Appointment.Status.SCHEDULED:
        raise ValidationError("Only a scheduled appointment can be moved.")
    _check_people(client=appointment.client, clinician=appointment.clinician, room=room)
    _check_length(length_minutes)
    starts_at = starts_at.astimezone(UTC)
    if scope != FOLLOWING or appointment.series is None:
        appointment.starts_at, appointment.length_minutes = starts_at, length_minutes
        appointment.room = room
        check_clashes([appointment])
        _write([appointment])
        if request is not None:
            audit(
                request=request,
                action=AuditEvent.Action.CHANGE,
                client_id=appointment.client_id,
                obj=appointment,
                summary="Appointment moved",
            )
        return appointment

    moved = _move_following(
        appointment, starts_at=starts_at, length_minutes=length_minutes, room=room, by=by
    )
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CHANGE,
            client_id=moved.client_id,
            obj=moved,
            summary="Appointment and the following moved",
        )
    return moved


def follows_rule(row: Appointment, series: AppointmentSeries) -> bool:
    """Whether a scheduled occurrence still sits where its series puts it: not moved on its
    own ("this one") to another time, length or room."""
    return (
        row.status == Appointment.Status.SCHEDULED
        and row.starts_at == row.occurrence_of
        and row.length_minutes == series.length_minutes
        and row.room_id == series.room_id
    )


def _kept_clash_error(row: Appointment, kept: Appointment) -> ValidationError:
    with clinic_dates(row.client.clinic):
        new_when = format_datetime(row.starts_at)
        kept_when = format_datetime(kept.starts_at)
    how = "was moved on its own" if kept.status == Appointment.Status.SCHEDULED else "is marked"
    return ValidationError(
        {
            "starts_at": (
                f"The new time on {new_when} would overlap this series' appointment at "
                f"{kept_when}, which {how} and keeps its time. Move or cancel that one first, "
                "or choose another time."
            )
        },
        code="clash",
    )


def _move_following(
    appointment: Appointment,
    *,
    starts_at: dt.datetime,
    length_minutes: int,
    room: Room | None,
    by: User,
) -> Appointment:
    """Split the series at `appointment`: the old one ends the day before, a new one takes
    the new day, time, length and room. The chosen occurrence and every later one that
    still follows the old rule move with it; one moved on its own keeps its own time and
    room, and an attended, no-show or cancelled one is never touched. All of them belong to
    the new series, each under the slot its rule gives (so extending never recreates one)."""
    old = appointment.series
    zone = old.time_zone
    old_local = in_zone(appointment.occurrence_of, zone)
    new_local = in_zone(starts_at, zone)
    day_shift = new_local.date() - old_local.date()
    until = old.until + day_shift if old.until else None
    new = AppointmentSeries.objects.create(
        client=old.client,
        clinician=old.clinician,
        frequency=old.frequency,
        rrule=rule_text(old.frequency, until),
        first_date=new_local.date(),
        local_time=new_local.time().replace(tzinfo=None),
        time_zone=zone,
        until=until,
        length_minutes=length_minutes,
        room=room,
        kind=old.kind,
        materialized_until=old.materialized_until + day_shift,
        split_from=old,
        created_by=by,
    )
    following = list(_following(appointment))
    _end_series_before(old, old_local.date())
    moving, kept = [], []
    for row in following:
        slot = local_to_utc(
            day=in_zone(row.occurrence_of, zone).date() + day_shift, time=new.local_time, zone=zone
        )
        if row.pk == appointment.pk or follows_rule(row, old):
            row.starts_at, row.length_minutes, row.room = slot, length_minutes, room
            moving.append(row)
        else:
            kept.append(row)
        row.series, row.occurrence_of = new, slot
    ids = [row.pk for row in moving]
    kept_by_pk = {row.pk: row for row in kept}
    for row in moving:
        other = find_clash(row, ignore=ids)
        if other is not None and other.pk in kept_by_pk:
            raise _kept_clash_error(row, kept_by_pk[other.pk])
        if other is not None:
            raise _clash_error(row, other)
    # Kept rows only change series; then later rows first when moving later (earlier first
    # when moving earlier), so no row steps into a slot its neighbour has not left yet.
    moving.sort(key=lambda r: r.starts_at, reverse=day_shift >= dt.timedelta(0))
    _write([*kept, *moving], ignore=ids)
    return next(row for row in moving if row.pk == appointment.pk)


def cancel_status(*, appointment: Appointment, by_whom: str, now: dt.datetime) -> str:
    """Cancelled by the clinician, by the client, or late: by the client inside the
    clinic's window before the start (24, 48 or 72 hours)."""
    if by_whom == BY_CLINICIAN:
        return Appointment.Status.CANCELLED_CLINICIAN
    window = dt.timedelta(hours=appointment.client.clinic.late_cancel_window_hours)
    if appointment.starts_at - now < window:
        return Appointment.Status.LATE_CANCEL
    return Appointment.Status.CANCELLED_CLIENT


@transaction.atomic
def appointment_cancel(
    *,
    appointment: Appointment,
    by_whom: str,
    user: User,
    scope: str = THIS,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> list[Appointment]:
    """Cancel one occurrence, or it and the following ones (the series then ends)."""
    if by_whom not in (BY_CLIENT, BY_CLINICIAN):
        raise ValidationError({"by_whom": "Say who cancelled."})
    now = now or timezone.now()
    appointment = _locked(appointment)
    if appointment.status != Appointment.Status.SCHEDULED:
        raise ValidationError("Only a scheduled appointment can be cancelled.")
    rows = [appointment]
    if scope == FOLLOWING and appointment.series is not None:
        rows = [r for r in _following(appointment) if r.status == Appointment.Status.SCHEDULED]
        _end_series_before(
            appointment.series,
            in_zone(appointment.occurrence_of, appointment.series.time_zone).date(),
        )
    for row in rows:
        row.status = cancel_status(appointment=row, by_whom=by_whom, now=now)
        row.status_changed_at = now
        row.save(update_fields=["status", "status_changed_at", "updated_at"])
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CHANGE,
            client_id=appointment.client_id,
            obj=appointment,
            summary=f"{len(rows)} appointment(s) cancelled",
        )
    return rows


MARKABLE = (Appointment.Status.ATTENDED, Appointment.Status.NO_SHOW)


@transaction.atomic
def appointment_mark(
    *,
    appointment: Appointment,
    status: str,
    user: User,
    now: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> Appointment:
    """Attended or no-show, once the appointment has begun. Only this occurrence changes."""
    now = now or timezone.now()
    appointment = _locked(appointment)
    if status not in MARKABLE:
        raise ValidationError({"status": "Mark it attended or no-show."})
    if appointment.is_cancelled:
        raise ValidationError("This appointment was cancelled.")
    if appointment.starts_at > now:
        with clinic_dates(appointment.client.clinic):
            when = format_datetime(appointment.starts_at)
        raise ValidationError(f"This appointment has not begun yet ({when}).")
    if appointment.session_id and status != Appointment.Status.ATTENDED:
        raise ValidationError("A session note is logged for this appointment.")
    appointment.status = status
    appointment.status_changed_at = now
    appointment.save(update_fields=["status", "status_changed_at", "updated_at"])
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CHANGE,
            client_id=appointment.client_id,
            obj=appointment,
            summary=f"Appointment marked {appointment.get_status_display().lower()}",
        )
    return appointment


# A wrong mark set back to scheduled. The reason is picked from these, so the audit row
# can name it without holding anything a clinician typed.
UNMARKABLE = (
    Appointment.Status.ATTENDED,
    Appointment.Status.NO_SHOW,
    Appointment.Status.LATE_CANCEL,
)
UNMARK_REASONS = {
    "wrong_appointment": "marked on the wrong appointment",
    "wrong_status": "marked with the wrong status",
    "too_early": "marked before it was known",
}
NOTE_KEPT = (TherapySession.Status.SIGNED, TherapySession.Status.PENDING_REVIEW)


@transaction.atomic
def appointment_unmark(
    *,
    appointment: Appointment,
    by: User,
    reason: str,
    request: HttpRequest | None = None,
) -> Appointment:
    """Set a wrongly marked appointment (attended, no-show, late cancellation) back to
    scheduled: its clinician or a clinic admin, with a reason. Refused once a signed note
    (or one sent for co-signing) hangs on it; a draft note is unhooked and stays a draft."""
    appointment = _locked(appointment)
    if not may_unmark_appointment(by, appointment):
        raise PermissionDenied
    if reason not in UNMARK_REASONS:
        raise ValidationError({"reason": "Say why the mark was wrong."})
    if appointment.status not in UNMARKABLE:
        raise ValidationError("Only an attended, no-show or late-cancelled appointment is reset.")
    # The note is locked too, so it cannot be signed while the mark is taken back.
    session = TherapySession.objects.select_for_update().filter(pk=appointment.session_id).first()
    if session is not None and session.status in NOTE_KEPT:
        raise ValidationError(
            "A signed session note is linked to this appointment, so it stays attended. "
            "Correct the note with an addendum instead."
        )
    was = appointment.get_status_display().lower()
    appointment.status = Appointment.Status.SCHEDULED
    appointment.status_changed_at = timezone.now()
    appointment.session = None
    check_clashes([appointment])
    _write([appointment])
    if request is not None:
        audit(
            request=request,
            action=AuditEvent.Action.CHANGE,
            client_id=appointment.client_id,
            obj=appointment,
            summary=f"Appointment set back to scheduled from {was}: {UNMARK_REASONS[reason]}",
        )
    return appointment


@transaction.atomic
def appointment_session_link(*, appointment: Appointment, session: TherapySession) -> None:
    """The note logged for an attended appointment hangs on it."""
    appointment = _locked(appointment)
    if appointment.client_id != session.client_id:
        raise ValidationError("The note is for another client.")
    if appointment.session_id and appointment.session_id != session.pk:
        raise ValidationError("A note is already logged for this appointment.")
    appointment.session = session
    if appointment.status == Appointment.Status.SCHEDULED:
        appointment.status = Appointment.Status.ATTENDED
        appointment.status_changed_at = timezone.now()
    appointment.save(update_fields=["session", "status", "status_changed_at", "updated_at"])


def session_prefill(appointment: Appointment) -> dict:
    """What the session log starts with when opened from an appointment."""
    local = timezone.localtime(appointment.starts_at)
    S = TherapySession  # noqa: N806
    return {
        "date": local.date(),
        "start_time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": appointment.length_minutes,
        "modality": S.Modality.TELEHEALTH if appointment.is_video else S.Modality.IN_PERSON,
    }


def describe(appointment: Appointment) -> str:
    """The audit summary: the kind of record and when, never its content."""
    return f"Appointment {format_date(appointment.starts_at)}"


# Rooms --------------------------------------------------------------------------------


@transaction.atomic
def room_add(*, clinic, name: str, request: HttpRequest | None = None) -> Room:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the room a name."})
    if Room.objects.filter(clinic=clinic, name__iexact=name).exists():
        raise ValidationError({"name": "The clinic already has a room of this name."})
    room = Room.objects.create(clinic=clinic, name=name)
    if request is not None:
        audit(request=request, action=AuditEvent.Action.CREATE, obj=room, summary="Room")
    return room


@transaction.atomic
def room_set_active(*, room: Room, active: bool, request: HttpRequest | None = None) -> Room:
    """A room out of use is offered no more; its appointments stay where they are."""
    room.is_active = active
    room.save(update_fields=["is_active"])
    if request is not None:
        audit(request=request, action=AuditEvent.Action.CHANGE, obj=room, summary="Room")
    return room
