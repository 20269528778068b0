"""Every main page: no WCAG 2.2 A/AA violation (axe-core), and it fits a laptop
and a tablet without sideways scrolling or overlapping controls.

A feature adds its pages to MAIN_PAGES: a name for the screenshots, who is
signed in (a fixture name from tests/conftest.py, or None), and the path, given
a full record of Ana's client (tests/e2e/records.py).
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page

from tests.e2e.browser import axe_check, screens, signed_in
from tests.e2e.records import Record, full_record


@dataclass(frozen=True)
class MainPage:
    name: str
    person: str | None
    path: Callable[[Record], str]


def on(r: Record, rest: str = "") -> str:
    """A page of the client's record."""
    return f"/clients/{r.client.pk}/{rest}"


def exercise(r: Record, rest: str) -> str:
    return f"/exercises/clients/{r.client.pk}/{rest}"


MAIN_PAGES = [
    MainPage("sign-in", None, lambda r: "/accounts/login/"),
    # The clinic admin's pages
    MainPage("caseload", "dee", lambda r: "/caseload/"),
    MainPage("therapists", "dee", lambda r: "/therapists/"),
    MainPage(
        "therapist-supervision",
        "dee",
        lambda r: f"/therapists/{r.client.primary_therapist_id}/supervision/",
    ),
    MainPage("audit-search", "dee", lambda r: "/audit/"),
    MainPage("client-detail-admin", "dee", on),
    MainPage("clinic-reports", "dee", lambda r: "/exports/caseload/"),
    MainPage("clinic-export-job", "dee", lambda r: f"/exports/{r.clinic_export.pk}/"),
    # The therapist's pages
    MainPage("home-therapist", "ana", lambda r: "/"),
    MainPage("client-detail-therapist", "ana", on),
    MainPage("session-list", "ana", lambda r: on(r, "sessions/")),
    MainPage("session-form", "ana", lambda r: on(r, "sessions/new/")),
    MainPage("session-detail", "ana", lambda r: on(r, f"sessions/{r.session.pk}/")),
    MainPage("unsigned-notes", "ana", lambda r: "/sessions/unsigned/"),
    MainPage("review-queue", "ana", lambda r: "/reviews/"),
    MainPage("distress-chart", "ana", lambda r: on(r, "sessions/distress/")),
    MainPage("plan", "ana", lambda r: on(r, "plan/")),
    MainPage("plan-revision-edit", "ana", lambda r: on(r, f"plan/revisions/{r.newer.pk}/edit/")),
    MainPage("plan-goals", "ana", lambda r: on(r, f"plan/revisions/{r.newer.pk}/goals/")),
    MainPage("plan-revision-sign", "ana", lambda r: on(r, f"plan/revisions/{r.newer.pk}/sign/")),
    MainPage("plan-compare", "ana", lambda r: on(r, "plan/compare/")),
    MainPage("timeline", "ana", lambda r: on(r, "timeline/")),
    MainPage("exercises-home", "ana", lambda r: exercise(r, "")),
    MainPage("exploration-list", "ana", lambda r: exercise(r, "explorations/")),
    MainPage("exploration-start", "ana", lambda r: exercise(r, "explorations/new/")),
    MainPage(
        "exploration-detail", "ana", lambda r: exercise(r, f"explorations/{r.exploration.pk}/")
    ),
    MainPage(
        "exploration-edit", "ana", lambda r: exercise(r, f"explorations/{r.exploration.pk}/edit/")
    ),
    MainPage("map", "ana", lambda r: exercise(r, f"maps/{r.map.pk}/")),
    MainPage(
        "map-compare",
        "ana",
        lambda r: exercise(r, f"maps/{r.map.pk}/compare/?a={r.map.snapshots.get().pk}&b=current"),
    ),
    MainPage("letter", "ana", lambda r: exercise(r, f"letters/{r.letter.pk}/")),
    MainPage("safe-space-plan", "ana", lambda r: exercise(r, f"safe-space/{r.safe_space.pk}/")),
    MainPage(
        "safe-space-edit", "ana", lambda r: exercise(r, f"safe-space/{r.safe_space.pk}/edit/")
    ),
    MainPage("guides", "ana", lambda r: "/exercises/guides/"),
    MainPage("prompt-bank", "ana", lambda r: "/exercises/prompts/"),
    MainPage("export-job", "ana", lambda r: on(r, f"exports/{r.export.pk}/")),
    MainPage("not-found", "olivia", on),
]


@pytest.mark.parametrize("main_page", MAIN_PAGES, ids=lambda p: p.name)
def test_a_main_page_is_accessible_and_fits_laptop_and_tablet(
    page: Page, request, app, client_record, dee, main_page
):
    record = full_record(client_record, admin=dee)
    if main_page.person:
        signed_in(page, request.getfixturevalue(main_page.person), app.url)
    page.goto(main_page.path(record))

    axe_check(page)
    screens(page, main_page.name)
