"""A comment's prepared markup (``card_html``), which template made it, and the listing cache.

Each card records the version of ``comments/comment.html`` (and the templates it includes) that
rendered it: a short hash of their source. A card of another version is outdated; it is
rendered again when its discussion is listed next (``refresh``, called by the listing) and by
``manage.py rerender_comments`` (run by ``make run`` and on deploy). Whatever changes a
comment's card or status drops the cached listing of its object here (``forget_listing_of``):
the services call it; no signal does.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache

from bioxclusters.pagecache import pages_changed
from comments.models import Comment, card_template_version


def refresh(comments: Iterable[Comment], *, version: str | None = None) -> list[Comment]:
    """Render again the cards of ``comments`` made by another template version; return those.

    The comments must be loaded whole (not ``only()`` a few fields): the card shows them.
    """
    version = version or card_template_version()
    outdated = [comment for comment in comments if comment.card_template != version]
    for comment in outdated:
        comment.card_html, comment.card_template = comment.render_card(), version
    if outdated:
        Comment.objects.bulk_update(outdated, ["card_html", "card_template"], batch_size=500)
        for key in {(c.content_type_id, c.object_id) for c in outdated}:
            forget_listing(*key)
    return outdated


# The listing cache
# ------------------------------------------------------------------------------
# What every visitor sees of a discussion is cached under a version of the object's discussion
# (selectors.listing_cache_key); a change to one of its comments replaces the version, so old
# entries are never read again.


def listing_version_key(content_type_id: int, object_id: int) -> str:
    return f"comments:version:{content_type_id}:{object_id}"


def forget_listing(content_type_id: int, object_id: int) -> None:
    """Make the cached listing of an object's discussion stale: its next view renders anew.

    The pages that show it (and its count, in lists) are stale with it; no fragment of a page
    (menus, forms) shows comments.
    """
    cache.set(listing_version_key(content_type_id, object_id), time.time_ns(), None)
    pages_changed(fragments=False)


def forget_listing_of(comment: Comment) -> None:
    """Make the cached listing of ``comment``'s discussion stale."""
    forget_listing(comment.content_type_id, comment.object_id)
