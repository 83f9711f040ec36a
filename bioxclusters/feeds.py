"""The base of every feed on the site: its own address and its items' links from ``SITE_URL``.

A feed reader must never be handed the Host header a client sent. Whatever posts and comments
contain, a feed is well-formed XML with titles and names free of markup (``clean_feed``).
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse

from bioxclusters.bad_input import clean_feed
from bioxclusters.common import absolute_url


class SiteFeed(Feed):
    """A feed whose own address (``url_name``) and item links are built from ``SITE_URL``."""

    url_name: str

    def get_feed(self, obj, request):
        return clean_feed(super().get_feed(obj, request))

    def feed_url(self, obj=None):
        return absolute_url(reverse(self.url_name))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())
