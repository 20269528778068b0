"""One date format and one time zone per clinic, for pages and documents alike.

The clinic's zone is activated with Django's `timezone.activate` (per request by
`ClinicLocaleMiddleware`, per document by the export task); its date format sits
beside it in a context variable, read by the `|clinic_date` and `|clinic_datetime`
filters and by Python code that writes dates into labels.
"""

import datetime as dt
import zoneinfo
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS


class DateFormat(models.TextChoices):
    DAY_MONTH_YEAR = "j M Y", "2 Dec 2026"
    DD_MM_YYYY = "d/m/Y", "02/12/2026"
    MM_DD_YYYY = "m/d/Y", "12/02/2026"
    ISO = "Y-m-d", "2026-12-02"


DEFAULT_DATE_FORMAT = DateFormat.DAY_MONTH_YEAR.value
_date_format: ContextVar[str] = ContextVar("clinic_date_format", default=DEFAULT_DATE_FORMAT)


def default_time_zone() -> str:
    return settings.TIME_ZONE


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "Not a time zone name we know. Use a name such as Europe/Berlin or America/New_York."
        )


def activate_clinic(clinic) -> None:
    """Use this clinic's time zone and date format from here on (this thread or task)."""
    if clinic is None:
        timezone.deactivate()
        _date_format.set(DEFAULT_DATE_FORMAT)
        return
    try:
        timezone.activate(zoneinfo.ZoneInfo(clinic.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()
    _date_format.set(clinic.date_format or DEFAULT_DATE_FORMAT)


def deactivate_clinic() -> None:
    timezone.deactivate()
    _date_format.set(DEFAULT_DATE_FORMAT)


@contextmanager
def clinic_dates(clinic):
    """Render with this clinic's zone and format, then restore what was active."""
    token = _date_format.set(_date_format.get())
    previous = timezone.get_current_timezone()
    activate_clinic(clinic)
    try:
        yield
    finally:
        timezone.activate(previous)
        _date_format.reset(token)


def format_date(value: dt.date | dt.datetime | None) -> str:
    """A date in the clinic's format; a datetime is first moved to the clinic's zone."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    fmt = _date_format.get()
    # Written out rather than through |date: list pages show hundreds of dates.
    if fmt == DateFormat.DD_MM_YYYY:
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if fmt == DateFormat.MM_DD_YYYY:
        return f"{value.month:02d}/{value.day:02d}/{value.year}"
    if fmt == DateFormat.ISO:
        return f"{value.year}-{value.month:02d}-{value.day:02d}"
    return f"{value.day} {str(MONTHS_3[value.month]).title()} {value.year}"


def format_datetime(value: dt.datetime | None) -> str:
    """Date in the clinic's format and 24-hour time, in the clinic's zone."""
    if not value:
        return ""
    if not isinstance(value, dt.datetime):
        return format_date(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_date(local)}, {local:%H:%M}"


def format_time(value: dt.datetime | None) -> str:
    """The 24-hour time on the clinic's clock (a schedule's rows, under a date heading)."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{local:%H:%M}"


def format_weekday(value: dt.date | dt.datetime | None) -> str:
    """The day's name ("Monday"), on the clinic's clock for a datetime."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return str(WEEKDAYS[value.weekday()])


def html_datetime(value: dt.date | dt.datetime | None) -> str:
    """A valid HTML `datetime` attribute: no microseconds, the clinic's offset."""
    if not value:
        return ""
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return local.replace(microsecond=0).isoformat()
