"""What makes the cached pages stale (bioxclusters/pagecache.py), as far as content goes.

Every row of the content app shows on some page (a cluster on the map and the home page, a page
in the menu, a post in lists and feeds, an author's name under a post), so any write to one starts
a new generation of pages, whichever door it came through; the search entries, written from those
rows with them, need none of their own. Two changes need no write: an entry
going live at its publication date, and a post's discussion closing with age.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Min

from bioxclusters import pagecache
from clusters.models import Page, Post, SearchEntry, Status
from comments.models import DiscussionSettings


def connect() -> None:
    """Watch every model of the content app, and the people posts are signed by."""
    # Not the search entries: each is written from a watched row, with it (an entry per
    # language: six deletes, each starting a generation, for every save of a post).
    content = [m for m in apps.get_app_config("clusters").get_models() if m is not SearchEntry]
    pagecache.watch(*content, get_user_model())
    pagecache.deadline(next_change_by_the_clock)


def next_change_by_the_clock(now: datetime) -> datetime | None:
    """Return the next moment an entry goes live or a post's discussion closes, after ``now``."""
    moments = [
        model.objects.filter(
            status__in=[Status.SCHEDULED, Status.PUBLISHED], published_at__gt=now
        ).aggregate(first=Min("published_at"))["first"]
        for model in (Page, Post)
    ]
    if days := DiscussionSettings.load().close_after_days:
        age = timedelta(days=days)
        # A post's form goes at published_at + age: the first of those still ahead.
        oldest_open = (
            Post.objects.published()
            .filter(published_at__gte=now - age)
            .aggregate(first=Min("published_at"))["first"]
        )
        moments.append(oldest_open + age if oldest_open else None)
    return min((moment for moment in moments if moment is not None), default=None)
