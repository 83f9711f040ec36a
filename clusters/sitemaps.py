"""sitemap.xml: the home page, clusters, pages and published posts, at ``SITE_URL``.

What an editor hid from search engines ("hide from search engines") is left out.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from clusters.models import Cluster, Page, Post


class SiteSitemap(Sitemap):
    """Locations on the configured site address, never on the Host header a client sent."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StaticViewSitemap(SiteSitemap):
    priority = 1.0
    changefreq = "weekly"

    def items(self):
        return ["clusters:home", "clusters:cluster_list", "blog:post_list"]

    def location(self, item):
        return reverse(item)


class ClusterSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return Cluster.objects.filter(noindex=False).order_by("sort_order", "name")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(SiteSitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.published().filter(noindex=False).order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class PostSitemap(SiteSitemap):
    changefreq = "never"

    def items(self):
        return Post.objects.published().filter(noindex=False).order_by("-published_at")

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


sitemaps = {
    "static": StaticViewSitemap,
    "clusters": ClusterSitemap,
    "pages": PageSitemap,
    "posts": PostSitemap,
}
