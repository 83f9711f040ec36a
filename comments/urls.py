"""Posting comments, permalinks and comment feeds (namespace ``comments``)."""

from django.urls import path

from comments import feeds, views

app_name = "comments"

urlpatterns = [
    path("post/", views.post_comment, name="post"),
    path("<int:pk>/", views.comment_permalink, name="permalink"),
    path("<int:pk>/report/", views.report_comment, name="report"),
    path("feed/", feeds.LatestCommentFeed(), name="feed"),
    path("feed/atom/", feeds.LatestCommentAtomFeed(), name="feed_atom"),
    path("feed/post/<int:pk>/", feeds.PostCommentFeed(), name="post_feed"),
    path("feed/post/<int:pk>/atom/", feeds.PostCommentAtomFeed(), name="post_feed_atom"),
]
