"""WordPress's standard addresses, answered with a 301 to ours (namespace ``wordpress``).

Every WordPress site has these, imported or not, so they are patterns rather than rows of the
redirect table. An address whose category, tag, author or post does not exist is a 404 (and may
still be found in the table).
"""

from django.urls import path, re_path
from django.views.generic import RedirectView

from clusters import views
from clusters.models import Category, Tag

app_name = "wordpress"

YEAR, MONTH, DAY = r"(?P<year>[0-9]{4})", r"(?P<month>0[1-9]|1[0-2])", r"(?:0[1-9]|[12][0-9]|3[01])"


def permanent(pattern_name: str) -> RedirectView:
    return RedirectView.as_view(pattern_name=pattern_name, permanent=True)


urlpatterns = [
    path("feed/", permanent("blog:feed"), name="feed"),
    path("feed/rss2/", permanent("blog:feed")),
    path("feed/atom/", permanent("blog:feed_atom"), name="feed_atom"),
    # WordPress nests a child category under its parents: /category/news/events/.
    re_path(
        r"^category/(?:[-\w]+/)*(?P<slug>[-\w]+)/$",
        views.old_term_address,
        {"model": Category},
        name="category",
    ),
    path("tag/<slug:slug>/", views.old_term_address, {"model": Tag}, name="tag"),
    path("author/<str:username>/", views.old_author_address, name="author"),
    re_path(rf"^{YEAR}/$", permanent("blog:archive_year"), name="archive_year"),
    re_path(rf"^{YEAR}/{MONTH}/$", permanent("blog:archive_month"), name="archive_month"),
    # No day archives here: a day's address leads to its month.
    re_path(rf"^{YEAR}/{MONTH}/{DAY}/$", permanent("blog:archive_month"), name="archive_day"),
    re_path(rf"^{YEAR}/{MONTH}/{DAY}/(?P<slug>[-\w]+)/$", views.old_post_address, name="post"),
]
