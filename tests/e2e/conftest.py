import os

import pytest
from django.test import override_settings
from pytest_django import live_server_helper


@pytest.fixture(scope="session")
def live_server(request, django_db_blocker):
    """pytest-django's live server, started with a MEDIA_URL its media handler can parse.

    The app serves no media (MEDIA_URL is None: exports are private files behind a view),
    but Django's live server wraps a media handler that needs a string at start-up.
    """
    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    with override_settings(MEDIA_URL="/media-not-served/"):
        server = live_server_helper.LiveServer(addr)
    yield server
    server.stop()
    with django_db_blocker.unblock():
        _close_stray_connections()


def _close_stray_connections() -> None:
    """End database sessions left by the server's request threads, so the test database can
    be dropped at the end of the run."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
