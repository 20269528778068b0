"""The audit-trail search: the clinic's events, with client names from the admin's scope."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from attachment_app.models import AuditEvent, User
from clients.access import clients_visible_to
from clients.selectors.caseload import search_by_name


def _day_start(day: dt.date) -> dt.datetime:
    # The day as the clinic lives it: midnight in its time zone (active for the request).
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events(*, user: User, filters: dict | None) -> QuerySet[AuditEvent]:
    """The clinic's trail, newest first, narrowed by the search; none for an invalid search."""
    events = AuditEvent.objects.filter(clinic_id=user.clinic_id)
    if filters is None:
        events = events.none()
    elif filters:
        if filters["client"]:
            events = events.filter(client_id=filters["client"])
        if filters["client_name"]:
            matching = search_by_name(clients_visible_to(user), filters["client_name"])
            events = events.filter(client_id__in=matching.values("pk"))
        if filters["user"]:
            events = events.filter(actor=filters["user"])
        if filters["action"]:
            events = events.filter(action=filters["action"])
        if filters["date_from"]:
            events = events.filter(created_at__gte=_day_start(filters["date_from"]))
        if filters["date_to"]:
            end = _day_start(filters["date_to"] + dt.timedelta(1))
            events = events.filter(created_at__lt=end)
    # People by name, as in the filter above: the actor in the same query.
    return events.select_related("actor").order_by("-created_at", "-id")


def audit_rows(*, user: User, events) -> list[tuple[AuditEvent, str | None]]:
    """Each event with its client's name, from the admin's own scope in one query."""
    ids = {e.client_id for e in events if e.client_id}
    names = {
        c.pk: c.display_name
        for c in clients_visible_to(user)
        .filter(pk__in=ids)
        .only("legal_first_name", "legal_last_name", "preferred_name")
    }
    return [(e, names.get(e.client_id)) for e in events]
