"""Small ``make_*`` helpers that build valid objects; pass keyword arguments to override."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from clusters.models import Category, Cluster, Page, Post, Status, Tag

_numbers = itertools.count(1)


def make_user(*, groups=(), **kwargs):
    number = next(_numbers)
    kwargs.setdefault("username", f"user{number}")
    kwargs.setdefault("email", f"user{number}@example.org")
    kwargs.setdefault("password", "correct horse battery staple")
    user = get_user_model().objects.create_user(**kwargs)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def make_cluster(**kwargs):
    number = next(_numbers)
    kwargs.setdefault("name", f"Cluster {number}")
    kwargs.setdefault("slug", f"cluster-{number}")
    kwargs.setdefault("tagline", "A healthcare cluster.")
    kwargs.setdefault("region", "Region")
    kwargs.setdefault("country", "France")
    kwargs.setdefault("latitude", 45.76)
    kwargs.setdefault("longitude", 4.83)
    kwargs.setdefault("description", "<p>What the cluster does.</p>")
    return Cluster.objects.create(**kwargs)


def make_page(**kwargs):
    number = next(_numbers)
    kwargs.setdefault("title", f"Page {number}")
    kwargs.setdefault("slug", f"page-{number}")
    kwargs.setdefault("body", "<p>Page body.</p>")
    kwargs.setdefault("status", Status.PUBLISHED)
    kwargs.setdefault("published_at", timezone.now() - timedelta(days=1))
    return Page.objects.create(**kwargs)


def make_post(*, categories=(), tags=(), clusters=(), **kwargs):
    number = next(_numbers)
    kwargs.setdefault("title", f"Post {number}")
    kwargs.setdefault("slug", f"post-{number}")
    kwargs.setdefault("body", "<p>Post body.</p>")
    kwargs.setdefault("status", Status.PUBLISHED)
    kwargs.setdefault("published_at", timezone.now() - timedelta(days=1))
    if "author" not in kwargs:
        kwargs["author"] = make_user()
    post = Post.objects.create(**kwargs)
    post.categories.set(categories)
    post.tags.set(tags)
    post.clusters.set(clusters)
    return post


def make_category(**kwargs):
    number = next(_numbers)
    kwargs.setdefault("name", f"Category {number}")
    kwargs.setdefault("slug", f"category-{number}")
    return Category.objects.create(**kwargs)


def make_tag(**kwargs):
    number = next(_numbers)
    kwargs.setdefault("name", f"Tag {number}")
    kwargs.setdefault("slug", f"tag-{number}")
    return Tag.objects.create(**kwargs)
