"""The caseload view and the therapist home cost the same number of queries at any size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attachment_app.freshness import records_changed
from tests.factories_caseload import make_caseload


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


PAGES = [
    ("dee", "clients:caseload", ""),
    ("dee", "clients:caseload", "?status=active&sort=-last_session&q=Bulk"),
    ("dee", "clients:caseload", "?needs=no_session"),
    ("ana", "clients:home", ""),
    ("ana", "clients:home", "?show=all"),
]


@pytest.mark.parametrize(("who", "name", "query"), PAGES)
def test_a_page_uses_as_many_queries_with_500_clients_as_with_10(
    client, request, ana, ben, django_assert_num_queries, who, name, query
):
    url = reverse(name) + query
    client.force_login(request.getfixturevalue(who))
    make_caseload(therapists=[ana, ben], n=10)
    small = queries_for(client, url)
    small_kept = queries_for(client, url)  # the summaries kept from the visit before
    make_caseload(therapists=[ana, ben], n=490, start=10)
    # bulk_create sends no signal; every service that writes in bulk audits, which does.
    records_changed()
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_num_queries(small_kept):
        response = client.get(url)
    assert response.status_code == 200
    assert small_kept < small
    # A bound, so a page that quietly grows by a handful of queries is noticed too.
    assert small <= 20
