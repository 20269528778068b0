"""A clinician's private calendar feed (iCalendar): the secret link and the document.

The feed carries the clinician's own appointments with the client's initials, the time
and the place only: nothing clinical, no names. The link is a random token whose
SHA-256 alone is stored; a new link revokes the old one, and the feed can be turned off.
"""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from attachment_app.models import User
from clients.models import Appointment, CalendarFeed

PAST_DAYS = 30


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_renew(*, user: User) -> str:
    """A new secret link for the user's feed (the old one stops working). Returns the token."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": token_hash(token)})
    return token


def calendar_feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def feed_owner(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def initials(appointment: Appointment) -> str:
    client = appointment.client
    first = (client.preferred_name or client.legal_first_name or "?")[:1]
    last = (client.legal_last_name or "?")[:1]
    return f"{first}.{last}.".upper()


def calendar_feed_document(*, user: User, now: dt.datetime | None = None) -> bytes:
    now = now or timezone.now()
    cancelled = [
        Appointment.Status.CANCELLED_CLIENT,
        Appointment.Status.CANCELLED_CLINICIAN,
        Appointment.Status.LATE_CANCEL,
    ]
    rows = (
        Appointment.objects.filter(
            clinician=user,
            client__clinic_id=user.clinic_id,
            starts_at__gte=now - dt.timedelta(days=PAST_DAYS),
        )
        .exclude(status__in=cancelled)
        .select_related("client", "room")
        .order_by("starts_at")
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Attachment Therapy//Schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "My appointments")
    for appointment in rows:
        event = Event()
        event.add("uid", f"{appointment.pk}@attachment-therapy")
        event.add("dtstamp", now)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("summary", f"Appointment · {initials(appointment)}")
        event.add("location", appointment.place_label)
        calendar.add_component(event)
    return calendar.to_ical()
