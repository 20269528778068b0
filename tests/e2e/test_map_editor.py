"""The relationship-map editor in a real browser: add, drag, draw a tie, rate it; all saved."""

import os

import pytest
from django.test import Client as DjangoClient

from exercises.models import Figure, FigureRole, Tie
from tests.conftest import wait_until
from tests.factories_exercises import FigureFactory, RelationshipMapFactory, SafeSpacePlanFactory

pytestmark = pytest.mark.browser

SESSION_COOKIE = "sessionid"


@pytest.fixture
def page(browser, app, ana):
    """A tab of the shared Chromium (tests/e2e/conftest.py), already signed in as Ana."""
    django_client = DjangoClient()
    django_client.force_login(ana)
    cookie = django_client.cookies[SESSION_COOKIE].value
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": app.url}])
    page = context.new_page()
    errors: list[str] = []
    # Script errors and CSP violations (an inline script or style would show up here).
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.errors = errors
    yield page
    context.close()


def test_a_therapist_builds_a_map_with_the_mouse(page, live_server, client_record):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    rmap = RelationshipMapFactory(client=client_record)
    me = FigureFactory(map=rmap, role=FigureRole.CLIENT, label="Robin", x=400, y=280)
    page.goto(live_server.url + rmap.get_absolute_url())

    page.select_option("#editor-role", "mother")
    page.fill("#editor-label", "Mum")
    page.click('[data-map-action="add-figure"]')
    page.wait_for_selector("[data-map-status]:has-text('Saved')")
    mum = Figure.objects.get(map=rmap, label="Mum")
    assert mum.role == "mother"
    page.wait_for_selector(f'[data-figure-id="{mum.pk}"]')

    # Drag Mum 150 px to the right.
    box = page.locator(f'[data-figure-id="{mum.pk}"] circle').first.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 75, cy, steps=5)
    page.mouse.move(cx + 150, cy, steps=5)
    page.mouse.up()
    moved = wait_until(lambda: Figure.objects.filter(pk=mum.pk, x__gt=mum.x + 100).first(), 10)
    assert moved.y == mum.y

    # Draw a tie from Mum to the client, then rate it.
    page.click('[data-map-action="connect"]')
    page.locator(f'[data-figure-id="{mum.pk}"] circle').first.click()
    page.locator(f'[data-figure-id="{me.pk}"] circle').first.click()
    page.wait_for_selector("#tie-panel:not([hidden])")
    tie = Tie.objects.get(map=rmap)
    assert (tie.source_id, tie.target_id) == (mum.pk, me.pk)
    page.select_option("#tie-kind", "close_conflicted")
    page.fill("#tie-tension", "4")
    page.click("#tie-panel button[type=submit]")
    tie = wait_until(lambda: Tie.objects.filter(pk=tie.pk, tension=4).first(), 10)
    assert tie.kind == "close_conflicted"
    page.wait_for_selector("#map-tables :text('Close but conflicted')")
    assert page.locator("#map-tables").inner_text().count("Close but conflicted") == 1
    assert not page.errors, page.errors


def test_the_safe_space_opens_in_one_click_from_the_client_page(page, live_server, client_record):
    SafeSpacePlanFactory(client=client_record, cue_word="Harbour", techniques=["feet_on_floor"])
    page.goto(live_server.url + f"/clients/{client_record.pk}/")
    page.click("text=Safe space and grounding")
    page.wait_for_selector("#safe-space-panel.show")
    page.wait_for_selector("#safe-space-panel-body :text('Harbour')")
    assert "Feet on the floor" in page.inner_text("#safe-space-panel-body")
    assert not page.errors, page.errors
