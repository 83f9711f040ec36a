"""Rate limits of the three linkback endpoints: per client address and per source host.

Counted in Django's cache in fixed windows of ``LINKBACK_RATE_WINDOW`` seconds, shared by the
XML-RPC, trackback and webmention endpoints, so a client cannot spread a flood across them. With
Redis as the cache the limits hold across processes. A limit of 0 turns that limit off.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

DEFAULTS = {
    "LINKBACK_RATE_LIMIT": 30,
    "LINKBACK_SOURCE_RATE_LIMIT": 30,
    "LINKBACK_RATE_WINDOW": 3600,
}


def _setting(name: str) -> int:
    return getattr(settings, name, DEFAULTS[name])


def _count(key: str, limit: int) -> bool:
    """Count one request under ``key``; return True if that went over ``limit``."""
    if not limit:
        return False
    window = _setting("LINKBACK_RATE_WINDOW")
    slot = int(time.time() // window)
    key = f"linkbacks:rate:{key}:{slot}"
    cache.add(key, 0, window)
    try:
        return cache.incr(key) > limit
    except ValueError:  # The key expired between add() and incr().
        cache.set(key, 1, window)
        return False


def client_over_limit(ip_address: str | None) -> bool:
    """Count one linkback request from ``ip_address``; True if it is one too many."""
    return _count(f"ip:{ip_address or 'unknown'}", _setting("LINKBACK_RATE_LIMIT"))


def source_over_limit(host: str) -> bool:
    """Count one linkback naming a source on ``host``; True if it is one too many."""
    return _count(f"host:{host.lower()}", _setting("LINKBACK_SOURCE_RATE_LIMIT"))
