from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog
from django.views.static import serve

from clusters.sitemaps import sitemaps
from clusters.views import robots_txt

admin.site.site_header = _("bioXclusters plus administration")
admin.site.site_title = "bioXclusters plus"

# The JavaScript catalog changes only with a deploy: browsers keep it an hour, then ask again
# with If-Modified-Since (a 304 until the next start).
catalog_built = timezone.now()
javascript_catalog = cache_control(public=True, max_age=3600)(
    last_modified(lambda request: catalog_built)(JavaScriptCatalog.as_view())
)

# A 503 page with Retry-After while the database is away; the 500 page otherwise.
handler500 = "bioxclusters.errors.server_error"

# What a visitor reads exists in every language: English unprefixed (today's addresses, so
# nothing that links to us breaks), the others under /fr/, /es/, /ca/, /de/, /it/. What machines
# and staff call (admin, comment posts, sign-in, linkbacks, sitemap) keeps one address.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("comments/", include("comments.urls")),
    path("accounts/", include("allauth.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # /xmlrpc/, /trackback/…, /webmention/: before the catch-all page route below.
    path("", include("comments.linkbacks.urls")),
]
urlpatterns += i18n_patterns(
    # gettext() and friends for the site's scripts, in the page's language (/fr/jsi18n/).
    path("jsi18n/", javascript_catalog, name="javascript-catalog"),
    path("blog/", include("clusters.urls.blog")),
    path("search/", include("clusters.urls.search")),
    path("discussion/", include("comments.notifications.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.strip("/")
    urlpatterns.append(
        re_path(rf"^{media_prefix}/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

# WordPress's addresses (/feed/, /category/…, /2016/11/…) go before the catch-all page route.
urlpatterns += [path("", include("clusters.urls.wordpress"))]
urlpatterns += i18n_patterns(path("", include("clusters.urls.site")), prefix_default_language=False)
