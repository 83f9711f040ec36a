"""RSS and Atom feeds of the blog, site-wide and per category.

Every link is built from ``SITE_URL``: a feed reader must never be handed the Host header a
client sent.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from bioxclusters.common import absolute_url
from bioxclusters.feeds import SiteFeed
from clusters.models import Category, Post

FEED_LENGTH = 20


class PostFeed(SiteFeed):
    """The latest published posts (RSS 2.0)."""

    url_name = "blog:feed"

    def title(self, obj=None):
        return f"{settings.SITE_NAME} blog"

    def description(self, obj=None):
        return (
            f"News from {settings.SITE_NAME}, the European meta-cluster on personalised healthcare."
        )

    def link(self, obj=None):
        return absolute_url(reverse("blog:post_list"))

    def get_posts(self, obj=None):
        return Post.objects.published().for_list()

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


class CategoryFeed(PostFeed):
    """The latest published posts of one category (RSS 2.0)."""

    url_name = "blog:category_feed"

    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj=None):
        return f"{settings.SITE_NAME} blog: {obj.name}"

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name, kwargs={"slug": obj.slug}))

    def get_posts(self, obj=None):
        return super().get_posts().filter(categories=obj)


class CategoryAtomFeed(CategoryFeed):
    """The latest published posts of one category (Atom 1.0)."""

    feed_type = Atom1Feed
    url_name = "blog:category_feed_atom"
    subtitle = PostFeed.description
