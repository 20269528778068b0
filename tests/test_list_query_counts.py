"""List pages make the same number of queries for a few clients and for many.

A page listing N clients with one query per client would pass every other test
and still fall over at a group practice's size; the bench measures the time,
this guards the shape. Each list page adds a case to LIST_PAGES.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ClientFactory

LIST_PAGES = {
    "therapist home": lambda client: "/",
}


def query_count(as_ana, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert as_ana.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", LIST_PAGES.values(), ids=LIST_PAGES.keys())
def test_a_list_page_makes_as_many_queries_for_sixty_clients_as_for_one(
    as_ana, ana, client_record, path, django_assert_num_queries
):
    url = path(client_record)
    as_ana.get(url)  # the session and the like, once
    few = query_count(as_ana, url)

    ClientFactory.create_batch(60, primary_therapist=ana)
    with django_assert_num_queries(few):
        assert as_ana.get(url).status_code == 200
