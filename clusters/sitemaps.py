"""sitemap.xml: the home page, clusters, pages and published posts, at ``SITE_URL``.

What an editor hid from search engines ("hide from search engines") is left out. Each page is
listed in every language, with its alternates (``xhtml:link``, English also as ``x-default``).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from bioxclusters.common import absolute_url
from clusters.models import Cluster, Page, Post
from clusters.renditions import body_images


class SiteSitemap(Sitemap):
    """Locations on the configured site address, never on the Host header a client sent."""

    i18n = alternates = x_default = True

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            item, _language = url["item"]
            url["images"] = self.images(item)
        return urls

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def images(self, item) -> list[str]:
        """Return the addresses of the images an item's page shows (templates/sitemap.xml)."""
        return []


class EntrySitemap(SiteSitemap):
    """Pages, posts and clusters, with their images: their own, their social one, the body's."""

    body_field = "body"

    def images(self, item) -> list[str]:
        own, _ = item.own_image()
        found = [image.url for image in (own, item.social_image) if image]
        found += body_images(getattr(item, self.body_field))
        return list(dict.fromkeys(src if "://" in src else absolute_url(src) for src in found))


class StaticViewSitemap(SiteSitemap):
    priority = 1.0
    changefreq = "weekly"

    def items(self):
        return ["clusters:home", "clusters:cluster_list", "blog:post_list"]

    def location(self, item):
        return reverse(item)


class ClusterSitemap(EntrySitemap):
    changefreq = "monthly"
    body_field = "description"

    def items(self):
        return Cluster.objects.filter(noindex=False).order_by("sort_order", "name")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(EntrySitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.published().filter(noindex=False).order_by("slug")

    def lastmod(self, item):
        return item.updated_at


class PostSitemap(EntrySitemap):
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
