"""A discharged record's pages offer no write that would be refused: no "new", "edit", plan or
exercise link leads to a form the closed record turns away. The closed state is said plainly,
with "Reopen" for the clinician and the clinic admin; addenda and documents stay."""

import re

import pytest
from django.urls import reverse

from clients.access import DISCHARGED_MESSAGE
from clients.models import PlanRevision
from clients.services.discharge import client_discharge, discharge_summary_sign
from tests.factories_exercises import (
    clinic_scale,
    first_exploration,
    first_letter,
    first_map,
    first_plan,
)
from tests.factories_sessions import plan_with_revision, signed_session
from tests.formwalk import forms_on

pytestmark = pytest.mark.django_db


def closed_on():
    from django.utils import timezone

    return timezone.localdate()


# Pages that write to the record: none may be linked from a discharged client's page.
WRITERS = (
    "clients:session_new",
    "clients:client_edit",
    "clients:client_clinical_edit",
    "clients:client_status",
    "clients:client_discharge",
    "clients:client_assign",
    "exercises:exploration_start",
    "exercises:map_new",
    "exercises:letter_new",
    "exercises:safe_space_new",
)


@pytest.fixture
def closed(client_record, ana):
    """Robin's record with something of everything, then discharged with a signed summary;
    the plan's draft revision is left unsigned (a discharge does not wait for it)."""
    signed_session(client_record)
    plan, _ = plan_with_revision(client_record)
    PlanRevision.objects.create(plan=plan, number=2, author=ana)
    for make in (first_exploration, first_map, first_letter, first_plan, clinic_scale):
        make(client_record)
    summary = client_discharge(client=client_record, by=ana, reason="goals_met", date=closed_on())
    discharge_summary_sign(summary=summary, by=ana)
    return client_record


def links(html: str) -> list[str]:
    return sorted({h for h in re.findall(r'href="(/[^"#]*)', html) if not h.startswith("/static/")})


def refused(response, client) -> bool:
    return response.status_code == 303 and response["Location"] == client.get_absolute_url()


def write_forms_behind(http, client, html: str) -> list[str]:
    """Links on the page that lead to a form (posting back to its own page) the record refuses."""
    found = []
    for link in links(html):
        page = http.get(link)
        if page.status_code != 200:
            continue
        own = [
            f
            for f in forms_on(link, page.content.decode())
            if f.action.split("?")[0] == link.split("?")[0]
        ]
        if own and refused(http.post(own[0].action, {}), client):
            found.append(link)
    return found


def test_the_discharge_refusal_is_recognised(as_ana, closed):
    """The check below can fail: posting to a write page of a closed record is refused."""
    response = as_ana.post(reverse("clients:session_new", args=[closed.pk]), {})
    assert refused(response, closed)
    assert DISCHARGED_MESSAGE in as_ana.get(response["Location"]).content.decode()


@pytest.mark.parametrize("who", ["ana", "dee"])
def test_a_discharged_clients_page_has_no_write_links(client, who, request, closed):
    client.force_login(request.getfixturevalue(who))
    html = client.get(closed.get_absolute_url()).content.decode()
    assert "This record is closed" in html
    assert reverse("clients:client_reopen", args=[closed.pk]) in html  # "Reopen"
    linked = {link.split("?")[0] for link in links(html)}
    for name in WRITERS:
        assert reverse(name, args=[closed.pk]) not in linked, name
    assert write_forms_behind(client, closed, html) == []


def test_the_summary_and_addenda_stay_within_reach(as_ana, closed):
    html = as_ana.get(closed.get_absolute_url()).content.decode()
    summary = closed.discharges.get()
    assert summary.get_absolute_url() in html and "(signed)" in html
    note = closed.sessions.get()
    page = as_ana.get(note.get_absolute_url()).content.decode()
    assert reverse("clients:addendum_new", args=[closed.pk, note.pk]) in page


def test_an_open_record_still_offers_its_write_links(as_ana, client_record):
    """The same page before discharge: the links are there, so their absence above means
    something."""
    first_exploration(client_record)
    html = as_ana.get(client_record.get_absolute_url()).content.decode()
    for name in ("clients:session_new", "clients:client_edit", "exercises:exploration_start"):
        assert reverse(name, args=[client_record.pk]) in html, name
    assert "This record is closed" not in html


def test_a_supervisor_reading_sees_the_closed_state_but_no_reopen(client, closed, ana):
    from clients.models import Supervision
    from tests.factories import UserFactory

    sid = UserFactory(email="sid@test.example", clinic=closed.clinic)
    Supervision.objects.create(supervisee=ana, supervisor=sid, policy=Supervision.Policy.COSIGN)
    client.force_login(sid)
    html = client.get(closed.get_absolute_url()).content.decode()
    assert "This record is closed" in html
    assert reverse("clients:client_reopen", args=[closed.pk]) not in html


def pages_of(record_html: str, client) -> list[str]:
    """The record's own pages linked from its page (clients' and exercises')."""
    own = (f"/clients/{client.pk}/", f"/exercises/clients/{client.pk}/")
    return [link for link in links(record_html) if link.startswith(own)]


def refused_posts_on(http, client, page: str, html: str) -> list[str]:
    """Buttons on the page (forms posting to the record) that the closed record refuses."""
    own = (f"/clients/{client.pk}/", f"/exercises/clients/{client.pk}/")
    return [
        form.action
        for form in forms_on(page, html)
        if form.action.startswith(own) and refused(http.post(form.action, {}), client)
    ]


@pytest.mark.parametrize("who", ["ana", "dee"])
def test_the_pages_it_links_to_offer_no_refused_write_either(client, who, request, closed):
    """One step further: the session, plan, consents, exercises and companion pages linked
    from the record show no link to a refused form and no button the record refuses."""
    client.force_login(request.getfixturevalue(who))
    record = client.get(closed.get_absolute_url()).content.decode()
    pages = pages_of(record, closed)
    # The walk reaches out: the clinical pages for Ana, the clinic's for Dee.
    reached = (
        ("exercises:client_home", "clients:session_list")
        if who == "ana"
        else ("clients:release_list",)
    )
    for name in reached:
        assert reverse(name, args=[closed.pk]) in pages, name
    found = {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200:
            continue
        html = response.content.decode()
        behind = write_forms_behind(client, closed, html) + refused_posts_on(
            client, closed, page, html
        )
        if behind:
            found[page] = behind
    assert found == {}
