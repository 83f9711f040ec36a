"""RSS and Atom feeds of the blog, site-wide and per category, tag and author.

Every link is built from ``SITE_URL``: a feed reader must never be handed the Host header a
client sent.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from bioxclusters.common import absolute_url, display_name
from bioxclusters.feeds import SiteFeed
from clusters.models import Category, Post, Tag

FEED_LENGTH = 20


class PostFeed(SiteFeed):
    """The latest published posts (RSS 2.0)."""

    url_name = "blog:feed"

    def title(self, obj=None):
        return _("%(site)s blog") % {"site": settings.SITE_NAME}

    def description(self, obj=None):
        return _("News from %(site)s, the European meta-cluster on personalised healthcare.") % {
            "site": settings.SITE_NAME
        }

    def link(self, obj=None):
        return absolute_url(reverse("blog:post_list"))

    def get_posts(self, obj=None):
        # A feed per language: only the posts written in it (every post in English).
        return Post.objects.published().in_language().for_list()

    def items(self, obj=None):
        return self.get_posts(obj)[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body or item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_author_name(self, item):
        return item.author_name

    def item_categories(self, item):
        return [category.name for category in item.categories.all()]


class PostAtomFeed(PostFeed):
    """The latest published posts (Atom 1.0)."""

    feed_type = Atom1Feed
    url_name = "blog:feed_atom"
    subtitle = PostFeed.description


class ArchiveFeed(PostFeed):
    """The latest published posts of one archive: a category or a tag (RSS 2.0)."""

    model: type
    # The lookup from a post to the archive's object.
    posts_filter: str

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, obj=None):
        return _("%(site)s blog: %(archive)s") % {"site": settings.SITE_NAME, "archive": obj}

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name, args=[self.archive_key(obj)]))

    def archive_key(self, obj) -> str:
        return obj.slug

    def get_posts(self, obj=None):
        return super().get_posts().filter(**{self.posts_filter: obj})


class CategoryFeed(ArchiveFeed):
    model, posts_filter, url_name = Category, "categories", "blog:category_feed"


class CategoryAtomFeed(CategoryFeed):
    feed_type, url_name, subtitle = Atom1Feed, "blog:category_feed_atom", PostFeed.description


class TagFeed(ArchiveFeed):
    model, posts_filter, url_name = Tag, "tags", "blog:tag_feed"


class TagAtomFeed(TagFeed):
    feed_type, url_name, subtitle = Atom1Feed, "blog:tag_feed_atom", PostFeed.description


class AuthorFeed(ArchiveFeed):
    posts_filter, url_name = "author", "blog:author_feed"

    def get_object(self, request, username):
        return get_object_or_404(get_user_model(), username=username)

    def title(self, obj=None):
        return _("%(site)s blog: %(archive)s") % {
            "site": settings.SITE_NAME,
            "archive": display_name(obj),
        }

    def link(self, obj=None):
        return absolute_url(reverse("blog:author", args=[obj.get_username()]))

    def archive_key(self, obj) -> str:
        return obj.get_username()


class AuthorAtomFeed(AuthorFeed):
    feed_type, url_name, subtitle = Atom1Feed, "blog:author_feed_atom", PostFeed.description
