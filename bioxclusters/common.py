"""Helpers about people and addresses that the content app and the discussion app both use.

Neither ``clusters`` nor ``comments`` owns these, so both import them from here (``comments``
never imports ``clusters``: docs/architecture.md).
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """Return the public address of ``path`` on this site, built from ``SITE_URL``."""
    return f"{settings.SITE_URL}{path}"


def is_web_url(url: str) -> bool:
    """Return True for an absolute http(s) address with a host (and a well-formed port)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def host_of(url: str) -> str:
    """Return the host name of ``url``, or "" if it has none."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def display_name(user) -> str:
    """Return the name a person is shown under: their full name, else their username."""
    return user.get_full_name() or user.get_username()
