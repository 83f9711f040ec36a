"""The blog: list, posts, archives and feeds (namespace ``blog``)."""

from django.urls import path, register_converter

from clusters import feeds, views


class MonthConverter:
    regex = "0[1-9]|1[0-2]"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(MonthConverter, "month")

app_name = "blog"

urlpatterns = [
    path("", views.PostListView.as_view(), name="post_list"),
    path("feed/", feeds.PostFeed(), name="feed"),
    path("feed/atom/", feeds.PostAtomFeed(), name="feed_atom"),
    path("<int:year>/", views.YearPostListView.as_view(), name="archive_year"),
    path("<int:year>/<month:month>/", views.MonthPostListView.as_view(), name="archive_month"),
    path(
        "<int:year>/<month:month>/<slug:slug>/",
        views.PostDetailView.as_view(),
        name="post_detail",
    ),
    path("category/<slug:slug>/", views.CategoryPostListView.as_view(), name="category"),
    path("category/<slug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path("category/<slug:slug>/feed/atom/", feeds.CategoryAtomFeed(), name="category_feed_atom"),
    path("tag/<slug:slug>/", views.TagPostListView.as_view(), name="tag"),
    path("tag/<slug:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("tag/<slug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("author/<str:username>/", views.AuthorPostListView.as_view(), name="author"),
    path("author/<str:username>/feed/", feeds.AuthorFeed(), name="author_feed"),
    path("author/<str:username>/feed/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
]
