"""A comment's prepared markup (``card_html``), which template made it, and the listing cache.

Each card records the version of ``comments/comment.html`` (and the templates it includes) that
rendered it: a short hash of their source. A card of another version is outdated; it is
rendered again when its discussion is listed next (``refresh``, called by the listing) and by
``manage.py rerender_comments`` (run by ``make run`` and on deploy). Whatever changes a
comment's card or status drops the cached listing of its object here (``forget_listing_of``):
the services call it; no signal does.

``card_html`` is in the site's language. A discussion shown in another language shows each
comment's card in that language (``in_language``): rendered the first time, then kept in
``Comment.card_translations`` beside the key of the card it translates (its template version and
a hash of ``card_html``), so a card changed since, or made by an older template or catalogue, is
never shown translated: it is rendered again. One discussion whatever the language: only the
words around the comments change, never which comments are shown.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable

from django.conf import settings
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


def translation_key(comment: Comment) -> str:
    """Return what a translated card of ``comment`` must have been made from to be shown."""
    digest = hashlib.blake2s(comment.card_html.encode(), digest_size=8).hexdigest()
    return f"{comment.card_template}:{digest}"


def in_language(rows: list, language: str) -> None:
    """Give each of ``rows`` its card in ``language`` (``row.card``); render and keep those missing.

    In another language than the site's, ``rows`` carry ``translated_card`` and
    ``translated_for`` (``selectors.discussion_for`` reads just those two keys of
    ``card_translations``). A card missing is rendered from the comment as it is now.
    """
    if language == settings.LANGUAGE_CODE:
        for row in rows:
            row.card = row.card_html
        return
    missing = {}
    for row in rows:
        if row.translated_card is not None and row.translated_for == translation_key(row):
            row.card = row.translated_card
        else:
            missing[row.pk] = row
    if not missing:
        return
    comments = list(Comment.objects.filter(pk__in=missing).select_related("user"))
    for comment in comments:
        key = translation_key(comment)
        kept = comment.card_translations if comment.card_translations.get("for") == key else {}
        card = comment.render_card(language)
        comment.card_translations = {**kept, "for": key, language: card}
        missing[comment.pk].card = card
    Comment.objects.bulk_update(comments, ["card_translations"], batch_size=500)


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
