"""Every URL that names an object answers 404 to anyone outside its scope.

The walk covers every URL pattern with an object id. A new kind of id must be
added to OWNED_OBJECTS below (how to make one that belongs to Ana's client),
or this suite fails: nobody has to remember to write the access test.
"""

from collections.abc import Callable

import pytest
from django.apps import apps

from clients.models import ExportJob
from tests import factories_exercises as fx
from tests.factories_appointments import AppointmentFactory
from tests.factories_sessions import TherapySessionFactory, plan_with_revision
from tests.urlwalk import all_routes

# kwarg name -> a function that, given Ana's client, returns the id of an
# object of that kind belonging to it.
OWNED_OBJECTS: dict[str, Callable] = {
    "client_id": lambda client: client.pk,
    "job_id": lambda client: (
        ExportJob.objects.create(
            clinic=client.clinic,
            client=client,
            kind="treatment_plan",
            requested_by=client.primary_therapist,
        ).pk
    ),
    # exercises
    "exploration_id": lambda client: fx.first_exploration(client).pk,
    "scale_id": lambda client: fx.clinic_scale(client).pk,
    "prompt_id": lambda client: fx.clinic_prompt(client).pk,
    "map_id": lambda client: fx.first_map(client).pk,
    "figure_id": lambda client: fx.figure_of(client).pk,
    "tie_id": lambda client: fx.tie_of(client).pk,
    "theme_id": lambda client: fx.theme_of(client).pk,
    "snapshot_id": lambda client: fx.snapshot_of(client).pk,
    "letter_id": lambda client: fx.first_letter(client).pk,
    "letter_version_id": lambda client: fx.revision_of(client).pk,
    "safe_space_id": lambda client: fx.first_plan(client).pk,
    "practice_id": lambda client: fx.practice_of(client).pk,
    "session_id": lambda client: TherapySessionFactory(client=client).pk,
    "appointment_id": lambda client: AppointmentFactory(client=client).pk,
    "revision_id": lambda client: plan_with_revision(client, signed=False)[1].pk,
    "goal_id": lambda client: plan_with_revision(client, signed=False)[1].goals.first().pk,
    # A therapist account is managed only by an admin of its clinic.
    "therapist_id": lambda client: client.primary_therapist_id,
}

# Ids that are not objects of a client (allauth keys and the like).
NOT_CLIENT_OBJECTS = {
    "key",
    "uidb36",
    "uidb64",
    "token",
    "object_id",
    "app_label",
    "content_type_id",
    "url",
    "type",
}

OBJECT_ROUTES = [
    r
    for r in all_routes()
    if r.converters
    and not set(r.converters) <= NOT_CLIENT_OBJECTS
    and not r.route.startswith(("django-admin/", "accounts/"))
]


def row_counts() -> dict[str, int]:
    skip = {"AuditEvent", "Session", "AccessAttempt", "AccessLog", "AccessFailureLog"}
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m.__name__ not in skip and not m._meta.proxy
    }


def test_every_object_id_has_a_maker():
    missing = {kw for r in OBJECT_ROUTES for kw in r.converters if kw not in OWNED_OBJECTS}
    assert not missing, f"add these ids to OWNED_OBJECTS: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("intruder", ["ben", "olivia"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_outside_the_scope_gets_not_found(
    client, request, client_record, route, intruder, method
):
    values = {kw: OWNED_OBJECTS[kw](client_record) for kw in route.converters}
    url = route.fill(values)
    client.force_login(request.getfixturevalue(intruder))
    before = row_counts()
    response = getattr(client, method)(url, {"reason": "x", "note": "x"})
    assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code}"
    assert row_counts() == before
