"""Every page of the app, filled in for Ana's client: for walks that must cover new pages too."""

import re

from django.apps import apps
from django.db import DatabaseError, transaction

from tests.factories import ClientFactory
from tests.test_access_walk import OWNED_OBJECTS
from tests.urlwalk import PLACEHOLDERS, Route, all_routes

# Rows a page view may legitimately write: the audit trail, sessions, sign-in records.
BOOKKEEPING = {
    "attachment_app.AuditEvent",
    "sessions.Session",
    "usersessions.UserSession",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "axes.AccessAttemptExpiration",
}


def _make(maker, client) -> object | None:
    """One object for the URL, or None when the maker cannot make it here."""
    try:
        with transaction.atomic():
            return maker(client)
    except DatabaseError:
        return None


def url_for(route: Route, client_record) -> str:
    """The route's URL, its objects made for a fresh client of Ana's (so makers never collide).

    An id whose maker fails (two makers wanting one object) becomes a placeholder:
    the page is still walked, as a 404.
    """
    if "(?P<" in route.route:  # a regular-expression route (allauth): fill each group
        return "/" + re.sub(r"\(\?P<\w+>[^)]*\)", "x", route.route).replace("^", "").rstrip("$")
    owned = [kw for kw in route.converters if kw in OWNED_OBJECTS and kw != "client_id"]
    client = client_record
    if owned:
        client = ClientFactory(
            primary_therapist=client_record.primary_therapist, legal_first_name="Walk"
        )
    values = {}
    for kwarg, converter in route.converters.items():
        maker = OWNED_OBJECTS.get(kwarg)
        made = _make(maker, client) if maker else None
        values[kwarg] = made if made is not None else PLACEHOLDERS[converter]
    return route.fill(values)


def all_pages(client_record) -> list[tuple[Route, str]]:
    return [(route, url_for(route, client_record)) for route in all_routes()]


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table except bookkeeping, so any insert, update or delete shows."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in BOOKKEEPING or model._meta.proxy:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        state[label] = list(model._base_manager.order_by("pk").values_list(*fields))
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])
