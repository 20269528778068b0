"""The shared cache: Redis, and the database while Redis cannot be reached.

Rate limits and used TOTP codes live in the cache. If they lived in Redis alone,
one stopped Redis would make every sign-in a 500. On a connection error each
operation goes to the database cache table instead (the `fallback` alias), and
Redis is left alone for RETRY_SECONDS so that an outage costs one refused
connection per process, not one per operation. Counts started in Redis are not
carried over: during an outage the limits count afresh, but they still hold.
"""

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 10.0

# Process-wide (Django keeps one cache object per thread): location -> retry after.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class RedisWithDatabaseFallback(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self._fallback_alias = options.pop("FALLBACK", "fallback")
        self._retry_seconds = float(options.pop("RETRY_SECONDS", RETRY_SECONDS))
        # Fail fast on a host that does not answer, rather than hold a worker.
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 2)
        super().__init__(server, {**params, "OPTIONS": options})
        self._where = str(server)

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() >= _down_until.get(self._where, 0.0):
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except REDIS_UNREACHABLE as exc:
                with _lock:
                    _down_until[self._where] = time.monotonic() + self._retry_seconds
                logger.warning("Redis cache unreachable, using the database cache: %s", exc)
        return getattr(caches[self._fallback_alias], name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")
