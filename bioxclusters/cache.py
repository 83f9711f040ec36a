"""Django's Redis cache that lets the site go on without Redis (cache misses) while Redis is away.

The cache holds nothing that is not also in the database, so a lost Redis only costs speed:
reads miss, writes are dropped, and flood control and rate limits count nothing (they allow,
see comments/antispam.py). Each failure is logged, at most once a minute per process.
"""

from __future__ import annotations

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
_last_warning = 0.0


def _warn(error: Exception) -> None:
    global _last_warning
    if time.monotonic() - _last_warning > 60:
        _last_warning = time.monotonic()
        logger.warning("Redis is unavailable, going on without the cache: %s", error)


def _forgiving(method, fallback):
    @wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as error:
            _warn(error)
            return fallback(*args) if callable(fallback) else fallback

    return call


def _incr_fallback(key, delta):
    # As for a key that is not there: the caller counts afresh (and allows).
    raise ValueError(f"Key {key!r} not found (Redis unavailable).")


class ForgivingRedisCacheClient(RedisCacheClient):
    add = _forgiving(RedisCacheClient.add, False)
    get = _forgiving(RedisCacheClient.get, lambda key, default: default)
    set = _forgiving(RedisCacheClient.set, None)
    touch = _forgiving(RedisCacheClient.touch, False)
    delete = _forgiving(RedisCacheClient.delete, False)
    get_many = _forgiving(RedisCacheClient.get_many, {})
    has_key = _forgiving(RedisCacheClient.has_key, False)
    incr = _forgiving(RedisCacheClient.incr, _incr_fallback)
    set_many = _forgiving(RedisCacheClient.set_many, [])
    delete_many = _forgiving(RedisCacheClient.delete_many, None)
    clear = _forgiving(RedisCacheClient.clear, False)


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ForgivingRedisCacheClient
