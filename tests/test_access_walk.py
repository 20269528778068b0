"""Every URL that names an object answers 404 to anyone outside its scope.

The walk covers every URL pattern with an object id. A new kind of id must be
added to OWNED_OBJECTS below (how to make one that belongs to Ana's client),
or this suite fails: nobody has to remember to write the access test.
"""

from collections.abc import Callable

import pytest
from django.apps import apps
from django.urls import reverse

from clients.drafts import draft_kind
from clients.models import ExportJob
from clients.services.drafts import draft_delete
from tests import factories_exercises as fx
from tests.factories_appointments import AppointmentFactory
from tests.factories_consents import consent_template, signed_consent
from tests.factories_discharge import discharge_summary
from tests.factories_releases import release_request
from tests.factories_sessions import TherapySessionFactory, plan_with_revision
from tests.urlwalk import all_routes, placeholder_values

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
    "shared_id": lambda client: fx.shared_letter_of(client).pk,
    "check_in_id": lambda client: fx.check_in_of(client).pk,
    "session_id": lambda client: TherapySessionFactory(client=client).pk,
    "appointment_id": lambda client: AppointmentFactory(client=client).pk,
    "revision_id": lambda client: plan_with_revision(client, signed=False)[1].pk,
    "goal_id": lambda client: plan_with_revision(client, signed=False)[1].goals.first().pk,
    # Consent documents belong to the clinic (its admins edit them); a signature to a client.
    "template_id": lambda client: consent_template(client.clinic).pk,
    "consent_id": lambda client: signed_consent(client).pk,
    # The closing summary written at a client's discharge.
    "discharge_id": lambda client: discharge_summary(client).pk,
    # A release request of the client (its therapist's and the clinic admins').
    "release_id": lambda client: release_request(client).pk,
    # A deleted draft's undo copy, of a note its therapist deleted a moment ago.
    "deleted_id": lambda client: (
        draft_delete(
            kind=draft_kind("session"),
            obj=TherapySessionFactory(client=client),
            by=client.primary_therapist,
        ).pk
    ),
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


# Supervision: Ana's supervisor reads her clients' records and writes nothing there; a
# supervisor of someone else is an outsider like any other.

# The supervisor's own two actions on a note; every other write is out of their scope.
REVIEW_ROUTES = {"clients:note_cosign", "clients:note_return"}


@pytest.fixture
def sid(clinic, ana):
    """Ana's supervisor: co-signs her notes."""
    from clients.models import Supervision
    from tests.factories import UserFactory

    sid = UserFactory(email="sid@test.example", full_name="Sid Supervisor", clinic=clinic)
    Supervision.objects.create(supervisee=ana, supervisor=sid, policy=Supervision.Policy.COSIGN)
    return sid


@pytest.fixture
def uma(clinic, ben):
    """A supervisor in Ana's clinic, of Ben, not of Ana."""
    from clients.models import Supervision
    from tests.factories import UserFactory

    uma = UserFactory(email="uma@test.example", full_name="Uma Supervisor", clinic=clinic)
    Supervision.objects.create(supervisee=ben, supervisor=uma, policy=Supervision.Policy.COSIGN)
    return uma


@pytest.mark.django_db
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unrelated_supervisor_gets_not_found(client, client_record, uma, route, method):
    values = {kw: OWNED_OBJECTS[kw](client_record) for kw in route.converters}
    url = route.fill(values)
    client.force_login(uma)
    before = row_counts()
    response = getattr(client, method)(url, {"reason": "x", "note": "x", "comment": "x"})
    assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code}"
    assert row_counts() == before


# --- The client role -------------------------------------------------------------------
# A client account (Robin, the companion of Ana's client) reaches its companion pages and
# its account pages only; everything else, its own client's record included, is a 404.
CLIENT_MAY_REACH = ("companion/", "accounts/", "session/", "healthz", "ping")
CLINICIAN_ROUTES = [r for r in all_routes() if not r.route.startswith(CLIENT_MAY_REACH)]
COMPANION_ROUTES = [
    r for r in all_routes() if r.route.startswith("companion/") and "token" not in r.converters
]


def test_the_client_walk_sees_both_sides():
    assert len(CLINICIAN_ROUTES) > 80
    assert any(r.name == "companion:home" for r in COMPANION_ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", CLINICIAN_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_clinician_url_is_not_found_for_a_client(client, client_record, robin, route, method):
    values = {
        kw: OWNED_OBJECTS[kw](client_record) if kw in OWNED_OBJECTS else placeholder
        for kw, placeholder in placeholder_values(route).items()
    }
    url = route.fill(values)
    client.force_login(robin)
    before = row_counts()
    response = getattr(client, method)(url, {"reason": "x", "note": "x"})
    if url == "/":  # where every sign-in lands: the client's is their companion
        assert response.status_code == 302
        assert response["Location"] == "/companion/"
    else:
        assert response.status_code == 404, f"{method.upper()} {url}: {response.status_code}"
    assert row_counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_the_supervisor_reads_and_changes_nothing(client, client_record, sid, route):
    """GET: read (or 404 where the page is the author's own), never a write or a crash.
    POST: out of scope (404), except co-sign and return, refused here because the walk's
    note was never sent for review."""
    from tests.pagewalk import changed_tables, snapshot

    values = {kw: OWNED_OBJECTS[kw](client_record) for kw in route.converters}
    url = route.fill(values)
    client.force_login(sid)
    before = snapshot()
    got = client.get(url)
    assert got.status_code in (200, 302, 403, 404, 405), f"GET {url} answered {got.status_code}"
    assert changed_tables(before, snapshot()) == []
    posted = client.post(url, {"reason": "x", "note": "x", "comment": "x", "text": "x"})
    if route.name in REVIEW_ROUTES:
        assert posted.status_code == 302
    else:
        assert posted.status_code == 404, f"POST {url} answered {posted.status_code}"
    assert changed_tables(before, snapshot()) == []


READABLE = [
    "clients:client_detail",
    "clients:session_list",
    "clients:plan_detail",
    "clients:timeline",
    "clients:distress",
    "exercises:client_home",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", READABLE)
def test_the_supervisor_reads_the_supervisees_record(client, client_record, sid, name):
    client.force_login(sid)
    assert client.get(reverse(name, args=[client_record.pk])).status_code == 200


@pytest.mark.django_db
def test_the_supervisees_clients_are_not_on_the_supervisors_caseload(client, client_record, sid):
    client.force_login(sid)
    page = client.get(reverse("clients:home")).content.decode()
    assert client_record.display_name not in page


@pytest.mark.parametrize("route", COMPANION_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("someone", ["ana", "ben", "dee", "olivia"])
def test_companion_pages_are_not_found_for_staff(client, request, client_record, route, someone):
    values = {kw: OWNED_OBJECTS[kw](client_record) for kw in route.converters}
    client.force_login(request.getfixturevalue(someone))
    assert client.get(route.fill(values)).status_code == 404


# Companion URLs with an id (the others show the signed-in client's own, by construction).
SWAP_ROUTES = [r for r in COMPANION_ROUTES if r.converters]


@pytest.mark.django_db
@pytest.mark.parametrize("route", SWAP_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_id_swap_between_two_clients_is_not_found(client, client_record, sam, route, method):
    """Sam (another client of Ana's) asks for Robin's shared items by their ids."""
    values = {kw: OWNED_OBJECTS[kw](client_record) for kw in route.converters}
    client.force_login(sam)
    before = row_counts()
    response = getattr(client, method)(route.fill(values), {"body": "x", "note": "x"})
    assert response.status_code == 404
    assert row_counts() == before


# A form page (new, edit, discharge, export: a view that takes POST) is out of a reading
# supervisor's scope for GET too, decided in clients.access.with_client.
def _form_pages() -> list:
    from django.urls import resolve

    pages = []
    for route in OBJECT_ROUTES:
        if "client_id" not in route.converters:
            continue
        view = resolve(route.fill(placeholder_values(route))).func
        if getattr(view, "supervisor_reads", True) is False:
            pages.append(route)
    return pages


FORM_PAGES = _form_pages()


def test_the_form_pages_are_found_by_the_view_they_wrap():
    """The walk below can fail: with_client tells form pages from reading pages."""
    names = {r.name for r in FORM_PAGES}
    assert {"clients:session_new", "exercises:map_new", "clients:client_discharge"} <= names
    readable = {"clients:client_detail", "clients:session_detail", "exercises:letter_edit"}
    assert not names & readable


@pytest.mark.django_db
@pytest.mark.parametrize("route", FORM_PAGES, ids=lambda r: r.name)
def test_the_supervisor_opens_no_form_page(client, client_record, sid, route):
    values = {kw: OWNED_OBJECTS[kw](client_record) for kw in route.converters}
    url = route.fill(values)
    client.force_login(sid)
    assert client.get(url).status_code == 404, f"GET {url}"
    # The record's own clinician still opens it (or is sent on from it).
    client.force_login(client_record.primary_therapist)
    assert client.get(url).status_code in (200, 302, 403, 405), f"GET {url} as the clinician"
