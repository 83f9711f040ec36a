"""RSS and Atom feeds of the latest approved comments, site-wide and per post.

Links are built from ``SITE_URL``, never from the Host header a client sent; only comments on
objects the public can see are listed.
"""

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from bioxclusters.common import absolute_url
from bioxclusters.feeds import SiteFeed
from comments import registry
from comments.models import Comment

FEED_LENGTH = 30


class LatestCommentFeed(SiteFeed):
    """The latest approved comments on the whole site (RSS 2.0)."""

    url_name = "comments:feed"

    def title(self, obj=None):
        return _("Comments on %(site)s") % {"site": settings.SITE_NAME}

    def description(self, obj=None):
        return _("The latest comments on %(site)s.") % {"site": settings.SITE_NAME}

    def link(self, obj=None):
        return absolute_url("/")

    def get_comments(self, obj=None):
        return Comment.objects.approved().on_live_objects()

    def items(self, obj=None):
        comments = self.get_comments(obj).order_by("-created_at", "-pk")[:FEED_LENGTH]
        return comments.prefetch_related("content_object")

    def item_title(self, item):
        target = item.content_object.title
        if item.is_linkback:
            return _("%(kind)s on %(title)s: %(author)s") % {
                "kind": item.get_kind_display(),
                "title": target,
                "author": item.author_name,
            }
        return _("Comment on %(title)s by %(author)s") % {
            "title": target,
            "author": item.author_name or _("Anonymous"),
        }

    def item_description(self, item):
        return item.body_html

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return item.author_name


class LatestCommentAtomFeed(LatestCommentFeed):
    """The latest approved comments on the whole site (Atom 1.0)."""

    feed_type = Atom1Feed
    url_name = "comments:feed_atom"
    subtitle = LatestCommentFeed.description


class PostCommentFeed(LatestCommentFeed):
    """The latest approved comments on one live post (or other model with a feed) (RSS 2.0)."""

    url_name = "comments:post_feed"

    def get_object(self, request, pk):
        for entry in registry.entries():
            if entry.has_feed and (obj := entry.live().filter(pk=pk).first()) is not None:
                return obj
        raise Http404("No such post.")

    def title(self, obj=None):
        return _("Comments on “%(title)s”") % {"title": obj.title}

    def description(self, obj=None):
        return _("The latest comments on “%(title)s” on %(site)s.") % {
            "title": obj.title,
            "site": settings.SITE_NAME,
        }

    def link(self, obj=None):
        return absolute_url(f"{obj.get_absolute_url()}#comments")

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name, kwargs={"pk": obj.pk}))

    def get_comments(self, obj=None):
        return Comment.objects.approved().for_object(obj)


class PostCommentAtomFeed(PostCommentFeed):
    """The latest approved comments on one published post (Atom 1.0)."""

    feed_type = Atom1Feed
    url_name = "comments:post_feed_atom"
    subtitle = PostCommentFeed.description
