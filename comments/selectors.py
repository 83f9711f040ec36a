"""Reading discussions: what a page shows, on which page a comment is, how many comments a list has.

A discussion renders from a fixed number of queries whatever its size: the settings row, one
aggregate when comments are paged, and the comments themselves in thread order.
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection
from dataclasses import MISSING, dataclass, field, fields

from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from comments import cards
from comments.cards import listing_version_key
from comments.models import Comment, DiscussionSettings, card_template_version
from comments.moderation import comments_open
from comments.threading import Item, build_tree, flatten

PENDING_COOKIE = "comments_pending"
PENDING_COOKIE_SALT = "comments.pending"
PENDING_COOKIE_MAX_AGE = 7 * 24 * 3600
PENDING_COOKIE_SIZE = 20  # Ids kept: the author's latest comments still awaiting moderation.
LISTING_CACHE_SECONDS = 24 * 3600


def pending_ids_from(request) -> list[int]:
    """Return the ids of the pending comments whose author is the visitor (signed cookie)."""
    if request is None:
        return []
    value = request.get_signed_cookie(
        PENDING_COOKIE, default="", salt=PENDING_COOKIE_SALT, max_age=PENDING_COOKIE_MAX_AGE
    )
    return [int(part) for part in value.split(",") if part.isdigit()][-PENDING_COOKIE_SIZE:]


def pending_cookie_value(ids: Collection[int], new_id: int) -> str:
    kept = [pk for pk in ids if pk != new_id][-(PENDING_COOKIE_SIZE - 1) :]
    return ",".join(str(pk) for pk in [*kept, new_id])


@dataclass(slots=True, eq=False)
class Row:
    """What the threaded list needs of a comment, read as plain values: its card is ready to print.

    Thousands of them make a page; a model instance costs several times more to build.
    """

    pk: int
    parent_id: int | None
    path: str
    status: str
    kind: str
    author_name: str
    card_html: str
    card_template: str
    # In another language than the site's: that language's card and what it was made from.
    translated_card: str | None = None
    translated_for: str | None = None
    # The card printed: ``card_html`` or its translation (cards.in_language).
    card: str = ""

    @property
    def is_approved(self) -> bool:
        return self.status == Comment.Status.APPROVED

    @property
    def is_linkback(self) -> bool:
        return self.kind != Comment.Kind.COMMENT


# Read from the database, in order; the fields with a default are filled afterwards.
_ROW_FIELDS = [row_field.name for row_field in fields(Row) if row_field.default is MISSING]


@dataclass
class Discussion:
    target: models.Model
    settings: DiscussionSettings
    is_open: bool
    items: list[Item] = field(default_factory=list)
    count: int = 0  # Approved comments and linkbacks: "N thoughts on …".
    page: int = 1
    num_pages: int = 1
    reply_to: Row | None = None
    list_html: str = ""  # The threaded list, ready to print (comments/listing.py).

    @property
    def paged(self) -> bool:
        return self.num_pages > 1

    @property
    def yours_awaiting(self) -> int:
        """Return how many of the listed comments await moderation: only their author sees them."""
        return sum(not item.comment.is_approved for item in self.items)

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.num_pages else None


def _default_page(settings: DiscussionSettings, num_pages: int) -> int:
    return num_pages if settings.default_page == DiscussionSettings.DefaultPage.NEWEST else 1


def _page_number(value, settings: DiscussionSettings, num_pages: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return _default_page(settings, num_pages)
    return number if 1 <= number <= num_pages else _default_page(settings, num_pages)


def discussion_for(
    target: models.Model,
    *,
    settings: DiscussionSettings,
    pending_ids: Collection[int] = (),
    page=None,
    reply_to=None,
) -> Discussion:
    """Return what the discussion under ``target`` shows on ``page`` to this visitor."""
    visible = Comment.objects.for_object(target).visible_to_author(pending_ids)
    rows = visible.in_thread_order()
    names = _ROW_FIELDS
    language = translation.get_language() or django_settings.LANGUAGE_CODE
    if language != django_settings.LANGUAGE_CODE:
        # That language's card and what it was made from, not the other languages' (cards.py).
        rows = rows.annotate(
            translated_card=KT(f"card_translations__{language}"),
            translated_for=KT("card_translations__for"),
        )
        names = [*_ROW_FIELDS, "translated_card", "translated_for"]
    rows = rows.values_list(*names)
    discussion = Discussion(
        target=target,
        settings=settings,
        is_open=comments_open(target, settings, now=timezone.now()),
    )
    if settings.page_comments:
        totals = visible.totals()
        discussion.count = totals["approved"]
        discussion.num_pages = max(1, math.ceil(totals["threads"] / settings.comments_per_page))
        discussion.page = _page_number(page, settings, discussion.num_pages)
        start = (discussion.page - 1) * settings.comments_per_page
        threads = visible.order_by("thread").values_list("thread", flat=True).distinct()
        rows = rows.filter(thread__in=threads[start : start + settings.comments_per_page])
    rows = [Row(*values) for values in rows]
    if not settings.page_comments:
        discussion.count = sum(1 for row in rows if row.status == Comment.Status.APPROVED)
    _renew_outdated_cards(rows)
    cards.in_language(rows, language)
    discussion.items = flatten(build_tree(rows, max_depth=settings.thread_depth))
    if discussion.is_open and str(reply_to or "").isdigit():
        discussion.reply_to = next(
            (
                item.comment
                for item in discussion.items
                if item.comment.pk == int(reply_to)
                and item.comment.status == Comment.Status.APPROVED
                and not item.comment.is_linkback
            ),
            None,
        )
    return discussion


def _renew_outdated_cards(rows: list[Row]) -> None:
    """Render again, and store, the cards a changed comments/comment.html made outdated."""
    version = card_template_version()
    outdated = {row.pk: row for row in rows if row.card_template != version}
    if not outdated:
        return
    for fresh in cards.refresh(Comment.objects.filter(pk__in=outdated), version=version):
        outdated[fresh.pk].card_html, outdated[fresh.pk].card_template = fresh.card_html, version


def page_of(comment: Comment, *, settings: DiscussionSettings, pending_ids=()) -> int | None:
    """Return the page ``comment`` is on when comments are paged, else None."""
    if not settings.page_comments:
        return None
    visible = Comment.objects.beside(comment).visible_to_author(pending_ids)
    earlier = visible.filter(thread__lt=comment.thread).totals()["threads"]
    return earlier // settings.comments_per_page + 1


def comment_location(comment: Comment, *, settings: DiscussionSettings, pending_ids=()) -> str:
    """Return the address of ``comment`` on its object's page: path, page and anchor."""
    page = page_of(comment, settings=settings, pending_ids=pending_ids)
    query = f"?cpage={page}" if page else ""
    return f"{comment.content_object.get_absolute_url()}{query}#{comment.anchor}"


def with_comment_counts(queryset: models.QuerySet) -> models.QuerySet:
    """Annotate each object of ``queryset`` with ``comment_count`` (approved), in the same query."""
    counts = (
        Comment.objects.approved()
        .filter(
            content_type=ContentType.objects.get_for_model(queryset.model),
            object_id=OuterRef("pk"),
        )
        .order_by()
        .values("object_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(comment_count=Coalesce(Subquery(counts), Value(0)))


def comment_count(obj: models.Model) -> int:
    """Return the approved comments and linkbacks of ``obj`` (one query unless annotated)."""
    annotated = getattr(obj, "comment_count", None)
    if annotated is not None:
        return annotated
    return Comment.objects.for_object(obj).approved().count()


# The listing cache (comments/cards.py drops it)
# ------------------------------------------------------------------------------


def listing_cache_key(target: models.Model, *, settings: DiscussionSettings, page, is_open: bool):
    """Return the cache key of what everybody sees of ``target``'s discussion on ``page``."""
    content_type_id = ContentType.objects.get_for_model(target).pk
    version = cache.get_or_set(listing_version_key(content_type_id, target.pk), time.time_ns, None)
    shape = (settings.thread_depth, settings.page_comments, settings.comments_per_page,
             settings.default_page, is_open, card_template_version(),
             bool(settings.reports_to_hold), translation.get_language())  # fmt: skip
    # The page comes from the query string: only a short number is worth a key of its own.
    page = page if str(page).isdigit() and len(str(page)) < 6 else "default"
    shape_key = "-".join(map(str, shape))
    return f"comments:listing:{content_type_id}:{target.pk}:{version}:{shape_key}:{page}"


def cached_discussion(key: str, *, target, settings) -> Discussion | None:
    """Return the discussion stored under ``key``, with today's target and settings, or None."""
    discussion = cache.get(key)
    if discussion is not None:
        discussion.target, discussion.settings = target, settings
    return discussion


def cache_discussion(key: str, discussion: Discussion) -> None:
    """Keep ``discussion``'s listing (not its rows: the HTML says it all) under ``key``."""
    stored = Discussion(
        target=None, settings=None, is_open=discussion.is_open, count=discussion.count,
        page=discussion.page, num_pages=discussion.num_pages, list_html=discussion.list_html,
    )  # fmt: skip
    cache.set(key, stored, LISTING_CACHE_SECONDS)
