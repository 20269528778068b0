"""Every main page: no WCAG 2.2 A/AA violation (axe-core), and it fits a laptop
and a tablet without sideways scrolling or overlapping controls.

A feature adds its pages to MAIN_PAGES: a name for the screenshots, who is
signed in (a fixture name from tests/conftest.py, or None), and the path.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page

from tests.e2e.browser import axe_check, screens, sign_in


@dataclass(frozen=True)
class MainPage:
    name: str
    person: str | None
    path: Callable[[object], str]  # given Ana's client


MAIN_PAGES = [
    MainPage("sign-in", None, lambda client: "/accounts/login/"),
    MainPage("home-therapist", "ana", lambda client: "/"),
    MainPage("client-detail-therapist", "ana", lambda client: f"/clients/{client.pk}/"),
    MainPage("client-detail-admin", "dee", lambda client: f"/clients/{client.pk}/"),
    MainPage("not-found", "olivia", lambda client: f"/clients/{client.pk}/"),
]


@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=lambda p: p.name)
def test_a_main_page_is_accessible_and_fits_laptop_and_tablet(
    page: Page, request, client_record, main_page
):
    if main_page.person:
        sign_in(page, request.getfixturevalue(main_page.person))
    page.goto(main_page.path(client_record))

    axe_check(page)
    screens(page, main_page.name)
