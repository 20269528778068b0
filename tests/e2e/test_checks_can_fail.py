"""The page checks catch what they claim to catch (so a pass means something)."""

import pytest
from playwright.sync_api import Page

from tests.e2e.browser import axe_check, screens


def test_axe_check_names_the_rule_and_the_element_it_fails_on(page: Page):
    page.set_content('<html lang="en"><title>t</title><main><input id="nameless"></main></html>')

    with pytest.raises(AssertionError, match=r"label .*\n.*#nameless"):
        axe_check(page)


def test_screens_fail_on_a_page_that_scrolls_sideways(page: Page, tmp_path):
    page.set_content('<div><svg width="2000" height="10"></svg></div>')

    with pytest.raises(AssertionError, match="scrolls sideways"):
        screens(page, "check-sideways", folder=tmp_path)


def test_screens_fail_on_controls_drawn_over_each_other(page: Page, tmp_path):
    page.set_content(
        '<svg width="0" height="0"></svg>'
        '<button id="a">Save</button>'
        '<a id="b" href="#" class="over">Delete</a>'
        "<style>.over { position: absolute; top: 8px; left: 12px; }</style>"
    )

    with pytest.raises(AssertionError, match=r"<button#a> \"Save\" overlaps <a#b> \"Delete\""):
        screens(page, "check-overlap", folder=tmp_path)


def test_axe_check_runs_on_the_apps_own_pages_under_their_content_security_policy(page: Page):
    page.goto("/accounts/login/")
    axe_check(page)  # the sign-in page itself passes

    page.evaluate("document.querySelector('main').append(document.createElement('select'))")

    with pytest.raises(AssertionError, match=r"select-name"):
        axe_check(page)
