"""Browser tests: Debian's Chromium, driven by Playwright, against a live server.

The app runs as a real server on 127.0.0.1 (pytest-django's live server, on the
PostgreSQL test database, transactional so the server sees each test's data).
Every test here is marked `browser`. Helpers that journeys read like stories
with live in tests/e2e/browser.py: sign_in, tab_to, axe_check, screens.
A journey that needs background work (the PDF export) also asks for the
`celery_worker` fixture of tests/conftest.py: a real worker on the same
test database and broker (checked to work alongside `page`).
"""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import override_settings
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.conftest import need
from tests.e2e.browser import CHROMIUM_ARGS, VIEWPORTS, find_chromium, signed_in

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the whole package; no browser is ever downloaded."""
    executable = find_chromium()
    need(
        executable is not None,
        "no Chromium found for the browser tests: apt-get install chromium, "
        "or set CHROMIUM=/path/to/chromium",
    )
    # Playwright's sync API keeps an event loop in this thread while it lives,
    # and Django refuses ORM calls from such a thread unless told otherwise.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    args = CHROMIUM_ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
    chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=args)
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def live_server(django_db_blocker):
    """pytest-django's live server on 127.0.0.1, and never serving media.

    Django's test server also serves MEDIA_URL; ours is None (exports are
    served only through views that check access), which that handler cannot
    parse. A MEDIA_URL on another host is Django's way of saying "not here".
    """
    with override_settings(MEDIA_URL="http://media.invalid/"):
        server = LiveServer("127.0.0.1")
    yield server
    server.stop()
    with django_db_blocker.unblock():
        _close_stray_connections()


def _close_stray_connections() -> None:
    """End database sessions left by the server's request threads, so the test
    database can be dropped at the end of the run."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def app(request, transactional_db):
    """The app under test, served on 127.0.0.1 from the PostgreSQL test database.

    Transactional, so the server (another thread, its own connection) sees what
    the test wrote; the personas of tests/conftest.py work unchanged.
    """
    need(connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database")
    return request.getfixturevalue("live_server")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Every sign-in here comes from 127.0.0.1, faster than people do: allauth's
    per-address login limit (kept in the cache) would answer 429 part way through
    the run. Each test starts as a new visitor would."""
    from django.core.cache import cache

    cache.clear()


@contextmanager
def watched_tab(browser, base_url: str, viewport: tuple[int, int]):
    """A fresh tab (no cookies) whose script errors and CSP violations are kept in `tab.errors`."""
    width, height = viewport
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on(
        "console",
        lambda msg: (
            problems.append(f"console: {msg.text}")
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    tab.errors = problems
    yield tab
    context.close()


@pytest.fixture
def page(browser, app):
    """A fresh tab (no cookies) at desktop size; relative URLs go to the app.

    A Content-Security-Policy violation or an uncaught script error fails the
    test: both mean a page is broken for a real user.
    """
    with watched_tab(browser, app.url, VIEWPORTS[0]) as tab:
        yield tab
    assert not tab.errors, "the browser reported:\n" + "\n".join(tab.errors)


@pytest.fixture
def ana_page(browser, app, ana):
    """A tab already signed in as Ana (no sign-in form), tall enough for the map editor
    and the letter; script errors and CSP violations fail the test as with `page`."""
    with watched_tab(browser, app.url, (1280, 1000)) as tab:
        signed_in(tab, ana, app.url)
        yield tab
    assert not tab.errors, "the browser reported:\n" + "\n".join(tab.errors)
