from django.conf import settings


def absolute_url(path: str) -> str:
    """Return the public address of ``path`` on this site, built from ``SITE_URL``."""
    return f"{settings.SITE_URL}{path}"
