"""Journeys through the app in a real browser, each told as the story it is.

Journeys of features still being built (caseload, session log, exercises,
exports) are added here as those features land: see README "Browser tests".
"""

import re

from playwright.sync_api import Page, expect

from tests.e2e.browser import axe_check, sign_in, tab_to


def test_a_therapist_signs_in_and_opens_her_client(page: Page, ana, client_record):
    sign_in(page, ana)

    expect(page.get_by_role("heading", name="My clients")).to_be_visible()
    page.get_by_role("table", name="My clients").get_by_role("link", name="Robin Example").click()

    expect(page).to_have_url(re.compile(rf"/clients/{client_record.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Example")
    expect(page.get_by_role("heading", name="Record")).to_be_visible()


def test_with_the_keyboard_alone_a_therapist_skips_to_the_content_and_opens_her_client(
    page: Page, ana, client_record
):
    sign_in(page, ana)

    tab_to(page, "Skip to main content")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    # Past the "signed in" message's Dismiss and the caseload's own links.
    tab_to(page, "Robin Example", limit=10)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Robin Example")


def test_a_therapist_of_another_clinic_pasting_the_client_address_sees_not_found(
    page: Page, olivia, client_record
):
    sign_in(page, olivia)

    response = page.goto(f"/clients/{client_record.pk}/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_text("Robin")).to_have_count(0)
    # Still inside the app: the navigation and a way back are there.
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("link", name="Back to the start page")).to_be_visible()
    axe_check(page)
