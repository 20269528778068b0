"""The idle warning in a real browser: shown before the timeout, and the screen is cleared after."""

import shutil
import time
from importlib import import_module

import pytest
from django.conf import settings
from django.db import connections

from attachment_app.middleware import LAST_ACTIVE
from tests.conftest import need

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture
def page(live_server, monkeypatch):
    need(bool(shutil.which("chromium")), "apt-get install chromium")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        yield browser.new_page()
        browser.close()
        # ORM calls made while Playwright's loop runs get their own connection: close it,
        # or the test database cannot be dropped at the end of the run.
        connections.close_all()


def session_of(page):
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    return import_module(settings.SESSION_ENGINE).SessionStore(cookie["value"])


def test_the_warning_comes_before_the_timeout_and_the_screen_clears_after(
    page, live_server, ana, clinic
):
    clinic.idle_timeout_minutes = 1  # the whole minute is the warning period
    clinic.save()
    response = page.goto(live_server.url + "/accounts/login/")
    assert response.status == 200, page.content()[:2000]
    page.fill("input[name=login]", ana.email)
    page.fill("input[name=password]", "correct horse battery staple")
    page.press("input[name=password]", "Enter")
    page.wait_for_selector("#idle-dialog[open]", timeout=10_000)
    assert "signed out in" in page.inner_text("#idle-dialog")

    # Time passes on the server; "Keep me signed in" is too late now.
    session = session_of(page)
    session[LAST_ACTIVE] = time.time() - 61
    session.save()
    page.click("[data-idle-stay]")
    page.wait_for_url("**/accounts/login/**", timeout=10_000)
    assert "period of inactivity" in page.inner_text("main")
