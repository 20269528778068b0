"""Summaries kept until the records next change (issue 16).

A clinic admin pages, filters and searches the caseload many times a minute, and a
therapist comes back to the home page all day; each visit counted the same "needs
attention" panels again over every client. Those summaries are kept here, in the
process that computed them (never in Redis: they name clients), under a *change
token* shared by every process through the default cache. Any saved or deleted row
of a record (`clients`, `exercises`, a clinic or a user) and any audited event that
is not a read gives a new token, so the next visit computes afresh; a minute's limit
covers what changes with no write at all (an appointment's start passing), and each
caller's key holds the day. A queryset's update() sends no signal: a record written that
way calls records_changed() beside it (the export worker's status changes do).

One token for every clinic: a busy clinic's writes also renew a quiet one's
summaries. Simple, and never stale; a finer token would need each write's clinic.
"""

import threading
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache, caches
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import SimpleLazyObject

T = TypeVar("T")

KEPT_SECONDS = 60
CHANGED_KEY = "records-changed"
# Audit events that change nothing (reads, downloads, signing in and out).
READS = frozenset(
    {"view", "download", "login", "login_failed", "locked_out", "logout", "emergency_access"}
)
# Whose rows are the records: a save or delete of any of their models renews the token.
RECORD_APPS = frozenset({"clients", "exercises"})
RECORD_MODELS = frozenset({("attachment_app", "clinic"), ("attachment_app", "user")})


# The token as this request first read it: one cache round trip a request, not one per
# kept panel. Only inside a request (request_started to request_finished).
_request = threading.local()


def request_started(**kwargs) -> None:
    _request.token = None
    _request.active = True


def request_finished(**kwargs) -> None:
    _request.token = None
    _request.active = False


def _renew() -> None:
    new = uuid.uuid4().hex
    cache.set(CHANGED_KEY, new, timeout=None)
    _request.token = new


def records_changed() -> None:
    """A new token now, and again once the change commits: a summary computed between
    the two, from the data before the commit, is kept under a token then dropped."""
    _renew()
    transaction.on_commit(_renew)


def is_record(model: type) -> bool:
    meta = model._meta
    return meta.app_label in RECORD_APPS or (meta.app_label, meta.model_name) in RECORD_MODELS


def on_record_write(sender: type, **kwargs) -> None:
    """post_save and post_delete receiver (connected in AttachmentAppConfig.ready)."""
    if is_record(sender) and not kwargs.get("raw"):
        records_changed()


def token() -> str:
    active = getattr(_request, "active", False)
    if active and _request.token is not None:
        return _request.token
    found = cache.get(CHANGED_KEY)
    if found is None:
        cache.add(CHANGED_KEY, uuid.uuid4().hex, timeout=None)
        found = cache.get(CHANGED_KEY)
    if active:
        _request.token = found
    return found


def kept(key: str, compute: Callable[[], T]) -> T:
    """compute()'s result, kept in this process until the records next change."""
    # The token is read before computing: a change committed meanwhile orphans the result.
    full_key = f"summary:{token()}:{key}"
    found = caches["process"].get(full_key)
    if found is None:
        found = compute()
        caches["process"].set(full_key, found, timeout=KEPT_SECONDS)
    return found


def kept_page(
    key: str, rows: Callable[[], QuerySet], per_page: int, asked: str | None
) -> tuple[Page, int]:
    """The page of rows() asked for, and its number. The count and the number are kept
    until the records change; the rows are read (and their query built) only when the
    page is used, that is when the template's kept fragment is drawn afresh."""

    def count_and_number() -> tuple[int, int]:
        paginator = Paginator(rows(), per_page)
        return paginator.count, paginator.get_page(asked).number

    count, number = kept(f"page:{key}:{asked}", count_and_number)

    def page() -> Page:
        paginator = Paginator(rows(), per_page)
        paginator.count = count  # a cached property: the kept count is not counted again
        return paginator.page(number)

    return SimpleLazyObject(page), number
