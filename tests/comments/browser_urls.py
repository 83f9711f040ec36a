"""The site's URLs plus one page showing a post's discussion, for the browser test.

The content templates get ``{% comment_section %}`` from their own issue; this page lets the
comment script be tried in a browser without depending on them.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import path

from bioxclusters.urls import urlpatterns as site_urlpatterns
from clusters.models import Post

PAGE = (
    '{% extends "base.html" %}{% load comments %}'
    "{% block title %}{{ post.title }}{% endblock %}"
    '{% block content %}<div class="container py-4"><h1>{{ post.title }}</h1>'
    "{% comment_section post %}</div>{% endblock %}"
)


def discussion(request, pk):
    post = get_object_or_404(Post, pk=pk)
    return HttpResponse(engines["django"].from_string(PAGE).render({"post": post}, request))


urlpatterns = [path("test-discussion/<int:pk>/", discussion), *site_urlpatterns]
