"""What may be discussed: the models the content app registers, and what each declares.

The comments app names no content model. The content app registers each of its commentable
models once, in its ``AppConfig.ready()`` (as django-contrib-comments' moderator registry)::

    registry.register(
        Post,
        live=Post.objects.published,     # what the public can see now
        detail_view="blog:post_detail",  # the URL name of its page: a linkback may target it
        closes_with_age=True,            # "close comments on posts older than" applies
        has_feed=True,                   # /comments/feed/<pk>/ lists its comments
        sends_linkbacks=True,            # its body's links are told about it when it is live
        announced=True,                  # new-post subscribers get mail when it goes live
    )

A registered model's objects have ``title``, ``is_live``, ``allow_comments``, ``allow_pings``
and ``get_absolute_url()`` (their permalink, made absolute with ``SITE_URL``); those that close
with age or are announced have ``published_at``; those that send linkbacks have ``body`` (HTML).
Its ``model_name`` is its kind in trackback URLs (``/trackback/post/12/``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Discussable:
    model: type[models.Model]
    live: Callable[[], models.QuerySet]
    detail_view: str
    closes_with_age: bool = False
    has_feed: bool = False
    sends_linkbacks: bool = False
    announced: bool = False

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def kind(self) -> str:
        return self.model._meta.model_name


_registered: dict[str, Discussable] = {}
_privacy_notice: list[Callable[[], str]] = []


def register(model: type[models.Model], *, live=None, detail_view: str, **options) -> None:
    """Let visitors discuss ``model``'s objects; ``live`` defaults to all of them."""
    live = live or model._default_manager.all
    _registered[model._meta.label_lower] = Discussable(model, live, detail_view, **options)


def entries() -> list[Discussable]:
    """Return what is registered, in the order it was."""
    return list(_registered.values())


def entry_for(obj_or_label) -> Discussable | None:
    """Return the registration of ``obj_or_label`` (an object, a model, or "app.model")."""
    label = obj_or_label if isinstance(obj_or_label, str) else obj_or_label._meta.label_lower
    return _registered.get(label)


def by_kind(kind: str) -> Discussable | None:
    """Return the registration whose model is named ``kind`` ("post"), as trackback URLs say."""
    return next((entry for entry in _registered.values() if entry.kind == kind), None)


def by_view(view_name: str) -> Discussable | None:
    """Return the registration whose detail page is the URL named ``view_name``."""
    return next((e for e in _registered.values() if e.detail_view == view_name), None)


def closes_with_age(obj) -> bool:
    """Return True if ``obj``'s discussion closes some days after its publication."""
    entry = entry_for(obj)
    return entry is not None and entry.closes_with_age


def register_privacy_notice(find_url: Callable[[], str]) -> None:
    """Tell the comment form where the privacy notice is: ``find_url()`` returns its path or ""."""
    _privacy_notice[:] = [find_url]


def find_privacy_notice_url() -> str:
    """Return the path of the privacy notice, or "" if there is none."""
    return _privacy_notice[0]() if _privacy_notice else ""
