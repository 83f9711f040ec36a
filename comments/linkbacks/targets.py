"""Which of our pages a linkback is about, and whether that page takes linkbacks now.

A target URL is ours when its host (without "www.") and port are those of ``SITE_URL``, whatever
its scheme; its path is resolved with Django's URL resolver, so only the detail pages of the
registered models (``registry``) can be targets. Drafts and scheduled entries do not exist for
anyone outside: a linkback to one is "not found", never "closed".
"""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

from django.conf import settings
from django.db import models
from django.urls import Resolver404, resolve

from bioxclusters.common import absolute_url, is_web_url
from comments import registry
from comments.models import DiscussionSettings

from .links import site_key


class TargetError(Exception):
    """Not a target: ``reason`` is invalid, not_ours, not_found or not_pingable."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def is_ours(url: str) -> bool:
    """Return True if ``url`` is an http(s) address on this site."""
    return is_web_url(url) and site_key(url) == site_key(settings.SITE_URL)


def resolve_target(url: str) -> models.Model:
    """Return the live post, page or cluster that ``url`` shows; raise TargetError otherwise."""
    if not is_web_url(url):
        raise TargetError("invalid")
    if not is_ours(url):
        raise TargetError("not_ours")
    path = urlsplit(urldefrag(url).url).path or "/"
    site_path = urlsplit(settings.SITE_URL).path.rstrip("/")
    if site_path:
        if not path.startswith(site_path + "/"):
            raise TargetError("not_found")
        path = path[len(site_path) :]
    try:
        match = resolve(path)
    except Resolver404 as exc:
        raise TargetError("not_found") from exc
    entry = registry.by_view(match.view_name)
    if entry is None:
        raise TargetError("not_pingable")
    target = live_object(entry.kind, slug=match.kwargs.get("slug"))
    if target is None:
        raise TargetError("not_found")
    return target


def live_object(kind: str, **lookup) -> models.Model | None:
    """Return the live object of ``kind`` (a registered model's name) matching ``lookup``."""
    entry = registry.by_kind(kind)
    if entry is None:
        return None
    return entry.live().filter(**lookup).first()


def kind_of(obj: models.Model) -> str:
    """Return the short name of ``obj``'s model, as trackback URLs spell it."""
    return obj._meta.model_name


def accepts_pings(obj: models.Model, discussion: DiscussionSettings | None = None) -> bool:
    """Return True if other sites may tell us now that they link to ``obj``."""
    discussion = discussion or DiscussionSettings.load()
    return (
        discussion.pings_open
        and registry.entry_for(obj) is not None
        and obj.is_live
        and getattr(obj, "allow_pings", False)
    )


def permalink(obj: models.Model) -> str:
    """Return the public address of ``obj``, built from ``SITE_URL``."""
    return absolute_url(obj.get_absolute_url())
