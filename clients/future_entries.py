"""The one rule for records dated in the future: sessions here, map snapshots in exercises.

A record says what happened, so a date still to come is refused. The clinic's
grace (`Clinic.future_entry_grace_hours`) leaves room for a clinician working
across time zones, not for booking ahead.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from attachment_app.models import Clinic

FUTURE_MESSAGE = (
    "This date is in the future. Records describe what has happened: choose the day it took place."
)


def latest_allowed(clinic: Clinic, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) + dt.timedelta(hours=clinic.future_entry_grace_hours)


def entry_moment(date: dt.date, start_time: dt.time | None = None) -> dt.datetime:
    """The earliest moment the entry can mean: its start, or the start of its day."""
    return timezone.make_aware(dt.datetime.combine(date, start_time or dt.time(0, 0)))


def is_future_entry(
    clinic: Clinic, when: dt.datetime | None, *, now: dt.datetime | None = None
) -> bool:
    return when is not None and when > latest_allowed(clinic, now)


def future_date_error(
    *, clinic: Clinic, date: dt.date | None, start_time: dt.time | None = None
) -> str | None:
    """The message to show beside the date field, or None when the date may be recorded."""
    if date is None or not is_future_entry(clinic, entry_moment(date, start_time)):
        return None
    return FUTURE_MESSAGE


def refuse_future_date(
    *, clinic: Clinic, date: dt.date | None, start_time: dt.time | None = None, field: str
) -> None:
    """The same rule held in services, for whatever reaches them without a form."""
    message = future_date_error(clinic=clinic, date=date, start_time=start_time)
    if message:
        raise ValidationError({field: message})
