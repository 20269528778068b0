"""Every page of the app, filled in for Ana's client: for walks that must cover new pages too."""

import re

from django.apps import apps

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


def url_for(route: Route, client_record) -> str:
    if "(?P<" in route.route:  # a regular-expression route (allauth): fill each group
        return "/" + re.sub(r"\(\?P<\w+>[^)]*\)", "x", route.route).replace("^", "").rstrip("$")
    values = {}
    for kwarg, converter in route.converters.items():
        maker = OWNED_OBJECTS.get(kwarg)
        values[kwarg] = maker(client_record) if maker else PLACEHOLDERS[converter]
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
