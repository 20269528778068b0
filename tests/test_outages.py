"""What a stopped Redis or a restarting PostgreSQL costs: no sign-in, no record is lost.

Redis: the cache and the broker point at a port where nothing listens. The cache is
the deployed one (a Redis cache with the database table behind it), so every cache
call really tries Redis first.
"""

import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import OperationalError, close_old_connections, connection
from django.test import Client
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from attachment_app import cache as fallback_cache
from clients.models import ExportJob, TherapySession
from tests.conftest import database_url_for_test_db, free_port, need
from tests.exports_helpers import broker_at
from tests.factories import TEST_PASSWORD
from tests.test_security_responses import assert_protective_headers
from tests.test_sessions import note_form


@pytest.fixture
def redis_down(settings):
    closed = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "attachment_app.cache.RedisWithDatabaseFallback",
            "LOCATION": closed,
        },
        "fallback": settings.FALLBACK_CACHE,
        "process": settings.PROCESS_CACHE,
    }
    fallback_cache._down_until.clear()
    # Really a Redis cache, and really nothing there.
    assert isinstance(caches["default"], RedisCache)
    with pytest.raises(RedisConnectionError):
        RedisCache.get(caches["default"], "probe")
    with broker_at(closed):
        yield closed
    fallback_cache._down_until.clear()


def sign_in(client, password: str, email: str = "ana@test.example"):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_with_redis_down_a_therapist_signs_in_reads_logs_and_signs_a_session(
    client, ana, client_record, redis_down, django_capture_on_commit_callbacks
):
    response = sign_in(client, TEST_PASSWORD)
    assert response.status_code == 302 and "_auth_user_id" in client.session
    page = client.get(reverse("clients:client_detail", args=[client_record.pk]))
    assert page.status_code == 200 and b"Robin" in page.content
    new = reverse("clients:session_new", args=[client_record.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(new, {**note_form(), "sign": "1"})
    assert response.status_code == 302
    assert TherapySession.objects.get().status == TherapySession.Status.SIGNED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("clients:export_create", args=[client_record.pk]), {"kind": "treatment_plan"}
        )
    assert response.status_code == 302
    assert ExportJob.objects.get().status == ExportJob.Status.QUEUED
    assert b"Waiting to start" in client.get(response["Location"]).content


def test_with_redis_down_the_per_address_rate_limit_still_holds(client, ana, ben, redis_down):
    limit = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split("/")[0])
    # Different unknown accounts, so that it is the address's limit, not a lockout.
    for n in range(limit):
        sign_in(client, "wrong", email=f"nobody{n}@test.example")
    response = sign_in(client, TEST_PASSWORD, email="ben@test.example")
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content
    # The counts were kept in the database table while Redis was away.
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cache_fallback")
        assert cursor.fetchone()[0] > 0


def test_with_redis_down_the_lockout_still_holds(client, ana, redis_down):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "not the password at all")
    response = sign_in(client, TEST_PASSWORD)
    assert "_auth_user_id" not in client.session
    assert b"Sign-in paused" in response.content


def test_when_redis_is_back_the_cache_uses_it_again(throwaway_redis, settings):
    throwaway_redis.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "attachment_app.cache.RedisWithDatabaseFallback",
            "LOCATION": throwaway_redis.url,
            "OPTIONS": {"RETRY_SECONDS": 0},
        },
        "fallback": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "process": settings.PROCESS_CACHE,
    }
    fallback_cache._down_until.clear()
    throwaway_redis.stop()
    cache.set("during", 1)
    assert caches["fallback"].get("during") == 1
    throwaway_redis.start()
    cache.set("after", 2)
    assert RedisCache.get(cache, "after") == 2
    assert caches["fallback"].get("after") is None


# PostgreSQL


def test_a_connection_the_database_dropped_is_replaced_before_the_next_request(
    transactional_db,
):
    need(connection.vendor == "postgresql", "PostgreSQL")
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    # What a PostgreSQL restart does to every open connection.
    with psycopg.connect(database_url_for_test_db(), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    close_old_connections()  # what Django does when a request starts
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_request_that_meets_a_database_error_gets_the_apps_503_page(ana, client_record):
    browser = Client(raise_request_exception=False)
    browser.force_login(ana)

    def database_gone(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    # Every query fails, those of the error page included, were it to make any.
    with connection.execute_wrapper(database_gone):
        response = browser.get(reverse("clients:client_detail", args=[client_record.pk]))
    assert response.status_code == 503
    assert response["Retry-After"]
    html = response.content.decode()
    assert "briefly unavailable" in html and "Skip to main content" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert_protective_headers(response, "503")
