"""Rate limits of the three linkback endpoints: per client address and per source host.

Counted in Django's cache in fixed windows of ``LINKBACK_RATE_WINDOW`` seconds, shared by the
XML-RPC, trackback and webmention endpoints, so a client cannot spread a flood across them. With
Redis as the cache the limits hold across processes. A limit of 0 turns that limit off.
"""

from __future__ import annotations

from django.conf import settings

from comments.antispam import over_limit


def _count(key: str, limit: int) -> bool:
    return over_limit(f"linkbacks:rate:{key}", limit=limit, window=settings.LINKBACK_RATE_WINDOW)


def client_over_limit(ip_address: str | None) -> bool:
    """Count one linkback request from ``ip_address``; True if it is one too many."""
    return _count(f"ip:{ip_address or 'unknown'}", settings.LINKBACK_RATE_LIMIT)


def source_over_limit(host: str) -> bool:
    """Count one linkback naming a source on ``host``; True if it is one too many."""
    return _count(f"host:{host.lower()}", settings.LINKBACK_SOURCE_RATE_LIMIT)
