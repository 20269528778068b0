"""Tests: fast hashing, mail kept in memory, PostgreSQL when DATABASE_URL says so."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from .base import *  # noqa: F403

DEBUG = False

# `make test` runs the suite in two processes (pytest-xdist). The worker tests purge the
# broker and clear its unacknowledged messages, so each process takes a Redis database
# of its own. What a process starts (Celery workers, gunicorn) inherits the adjusted URL
# and the marker, and keeps both.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if CELERY_BROKER_URL and _xdist_worker and os.environ.get("TEST_BROKER_FOR") != _xdist_worker:  # noqa: F405
    _broker = urlsplit(CELERY_BROKER_URL)  # noqa: F405
    _db = (int(_broker.path.strip("/") or 0) + int(_xdist_worker.removeprefix("gw"))) % 16
    CELERY_BROKER_URL = _broker._replace(path=f"/{_db}").geturl()
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
    os.environ["TEST_BROKER_FOR"] = _xdist_worker
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
EXPORT_ALLOW_TEST_DELAY = True
# One process: the per-process cache is enough, and it is cleared between tests.
# The database fallback's table exists too (the Redis-outage tests use it).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "fallback": FALLBACK_CACHE,  # noqa: F405
    "process": PROCESS_CACHE,  # noqa: F405
}
# Django's live server (browser tests) cannot start with MEDIA_URL = None. Nothing is
# served from here: private files go through views that check access.
MEDIA_URL = "/private-media-never-served/"
# A slow test set-up must not make one request write the session and another not
# (query-count comparisons); the session tests move the clock by minutes.
SESSION_ACTIVITY_WRITE_SECONDS = 300
# Anchors from a test run never land beside a developer's own (tests point it at tmp_path).
AUDIT_ANCHOR_PATH = str(Path(tempfile.mkdtemp(prefix="attachment-test-anchors-")) / "anchors.jsonl")
# Between transactional tests Django empties every table with one TRUNCATE; the audit
# table's trigger lets that through only where this setting says so (never in deployment).
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (  # noqa: F405
        "-c attachment_app.audit_truncate=allow"
    )
