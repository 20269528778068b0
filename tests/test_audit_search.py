import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from attachment_app.audit import audit
from attachment_app.models import AuditEvent
from tests.factories import ClientFactory

URL = reverse("clients:audit_search")


@pytest.fixture
def as_dee(client, dee):
    client.force_login(dee)
    return client


@pytest.fixture
def trail(ana, ben, olivia, client_record):
    other = ClientFactory(primary_therapist=olivia, legal_first_name="Oona")
    bens = ClientFactory(primary_therapist=ben, legal_first_name="Bea", legal_last_name="Sample")
    audit(actor=ana, action="view", client_id=client_record.pk, summary="Client record")
    audit(actor=ben, action="change", client_id=bens.pk, summary="Record edited")
    audit(actor=olivia, action="view", client_id=other.pk, summary="Client record")
    return {"robin": client_record, "bea": bens, "oona": other}


def summaries(response) -> list[tuple[str, str]]:
    return [(e.actor_label, e.action) for e, _ in response.context["rows"]]


def test_an_admin_sees_only_their_own_clinics_trail(as_dee, trail):
    rows = summaries(as_dee.get(URL))
    assert ("olivia@test.example", "view") not in rows
    assert {("ana@test.example", "view"), ("ben@test.example", "change")} <= set(rows)


def test_search_by_client_name_user_and_action(as_dee, ana, ben, trail):
    assert summaries(as_dee.get(URL, {"client_name": "robin"})) == [("ana@test.example", "view")]
    assert summaries(as_dee.get(URL, {"user": ben.pk})) == [("ben@test.example", "change")]
    assert summaries(as_dee.get(URL, {"action": "change"})) == [("ben@test.example", "change")]
    by_id = as_dee.get(URL, {"client": trail["bea"].pk})
    assert summaries(by_id) == [("ben@test.example", "change")]
    assert by_id.context["rows"][0][1] == "Bea Sample"


def test_search_by_date_range_has_no_window_limit(as_dee, ana, trail):
    long_ago = timezone.now() - dt.timedelta(days=3 * 365)
    old = AuditEvent(
        created_at=long_ago, actor=ana, actor_label=ana.email, clinic=ana.clinic, action="view"
    )
    old.hash = old.compute_hash()
    old.save()
    day = long_ago.date()
    response = as_dee.get(URL, {"date_from": day.isoformat(), "date_to": day.isoformat()})
    assert [e.pk for e, _ in response.context["rows"]] == [old.pk]


def test_a_reversed_date_range_is_an_error_beside_the_field(as_dee, trail):
    response = as_dee.get(URL, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "date_to" in response.context["form"].errors


def test_the_trail_is_paginated(as_dee, ana):
    for _ in range(55):
        audit(actor=ana, action="view")
    first = as_dee.get(URL)
    assert len(first.context["rows"]) == 50
    assert first.context["page"].paginator.num_pages == 2


def test_a_therapist_cannot_search_the_trail(as_ana):
    assert as_ana.get(URL).status_code == 403


def test_the_trail_cannot_be_changed_through_its_page(as_dee, trail):
    before = list(AuditEvent.objects.values_list("pk", "hash"))
    assert as_dee.post(URL, {"action": "view"}).status_code == 405
    assert list(AuditEvent.objects.values_list("pk", "hash")) == before


def test_no_url_of_the_app_changes_or_removes_an_audit_row(as_dee, dee, trail):
    """Walk every URL that does not need an id with GET and POST as the admin."""
    from tests.urlwalk import all_routes

    before = list(AuditEvent.objects.values_list("pk", "hash").order_by("pk"))
    for route in all_routes():
        if route.converters or route.route.startswith(("django-admin/", "accounts/")):
            continue
        url = route.fill({})
        as_dee.get(url)
        as_dee.post(url, {"id": before[0][0], "summary": "forged", "action": "delete"})
    after = list(AuditEvent.objects.values_list("pk", "hash").order_by("pk"))
    assert after[: len(before)] == before
