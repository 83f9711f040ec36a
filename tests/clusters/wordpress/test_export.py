"""``manage.py export_wordpress``: the whole site as WXR 1.2, and back in again unchanged."""

import io
from datetime import datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from clusters.models import Category, Cluster, ImportedItem, Page, Post, Status, Tag
from clusters.wordpress import store, wxr
from clusters.wordpress.importer import import_wxr
from comments.models import Comment
from tests.factories import make_cluster, make_page, make_post, make_user

pytestmark = pytest.mark.django_db
Kind, CommentStatus = Comment.Kind, Comment.Status
PARIS = timezone.get_fixed_timezone(60)


def at(day, hour=10):
    return datetime(2016, 11, day, hour, 0, tzinfo=PARIS)


@pytest.fixture
def site():
    author = make_user(username="editor", first_name="Emilie", last_name="Editor")
    news = Category.objects.create(name="News", slug="news", description="News of the clusters.")
    missions = Category.objects.create(name="Missions", slug="missions", parent=news)
    japan = Tag.objects.create(name="Japan", slug="japan")
    post = make_post(
        title="Japan mission report",
        slug="japan-mission-report",
        body="<p>Sixty SMEs went to Japan.</p>\n<p>They met <strong>investors</strong>.</p>",
        excerpt="Sixty SMEs went to Japan.",
        published_at=at(15),
        author=author,
        categories=[news, missions],
        tags=[japan],
    )
    make_post(
        title="A draft", slug="a-draft", status=Status.DRAFT, published_at=at(16), author=author
    )
    make_post(
        title="Next year",
        slug="next-year",
        status=Status.SCHEDULED,
        published_at=timezone.now().replace(microsecond=0) + timedelta(days=30),
        author=author,
        allow_pings=False,
    )
    page = make_page(
        title="Who we are", slug="who-we-are", published_at=at(1), allow_comments=False
    )
    make_cluster(name="Lyonbiopole", slug="lyonbiopole")

    def comment(target, parent=None, **fields):
        fields.setdefault("kind", Kind.COMMENT)
        fields.setdefault("status", CommentStatus.APPROVED)
        fields.setdefault("author_name", "Jordi")
        fields.setdefault("author_email", "jordi@example.org")
        return store.comment_create(target, parent=parent, **fields)

    first = comment(post, body="Great mission!", created_at=at(16), ip_address="192.0.2.1")
    reply = comment(post, first, body="Thank you, Jordi.", author_name="Emilie", created_at=at(17))
    comment(post, reply, body="See you in Osaka.\n\nBest, J.", created_at=at(18))
    comment(post, body="Buy pills", status=CommentStatus.SPAM, created_at=at(19))
    comment(post, first, body="Waiting", status=CommentStatus.PENDING, created_at=at(20))
    comment(post, body="Old", status=CommentStatus.TRASH, created_at=at(21))
    comment(
        page,
        kind=Kind.PINGBACK,
        author_name="Japan mission report",
        author_email="",
        source_url="https://elsewhere.example/japan/",
        body="[…] the four clusters […]",
        created_at=at(22),
    )
    comment(
        post,
        kind=Kind.TRACKBACK,
        author_name="A blog",
        author_email="",
        source_url="https://blog.example/entry/",
        body="We wrote about it.",
        created_at=at(23),
    )


def snapshot():
    """Return what a reader sees of the site's entries and discussions, without ids."""

    def discussion(target):
        rows = Comment.objects.for_object(target).in_thread_order()
        return [
            (
                c.kind,
                c.status,
                c.author_name,
                c.author_email,
                c.author_url,
                c.source_url,
                c.body,
                c.created_at,
                c.ip_address,
                c.depth,
                c.parent.body if c.parent else None,
            )
            for c in rows
        ]

    def entry(e):
        return (
            e.title,
            e.body,
            e.excerpt,
            e.status,
            e.published_at,
            e.allow_comments,
            e.allow_pings,
        )

    posts = {
        p.slug: (
            *entry(p),
            p.author.username,
            p.author.get_full_name(),
            sorted(p.categories.values_list("slug", "name")),
            sorted(p.tags.values_list("slug", flat=True)),
            discussion(p),
        )
        for p in Post.objects.all()
    }
    pages = {p.slug: (*entry(p), discussion(p)) for p in Page.objects.all()}
    categories = {
        c.slug: (c.name, c.description, c.parent and c.parent.slug) for c in Category.objects.all()
    }
    return posts, pages, categories


def test_a_round_trip_gives_the_same_posts_pages_comments_and_threads(site, tmp_path):
    posts, pages, categories = snapshot()
    path = tmp_path / "site.xml"
    call_command("export_wordpress", "-o", str(path))
    counts = wxr.check(path)
    assert counts.version == "1.2"
    assert counts.items == {"post": 3, "page": 2}
    assert counts.comments == 8

    for model in (Comment, Post, Page, Cluster, Category, Tag, ImportedItem):
        model.objects.all().delete()
    get_user_model().objects.all().delete()
    report = import_wxr(path).as_dict()
    assert not report["problems"], report["problems"]

    new_posts, new_pages, new_categories = snapshot()
    assert new_posts == posts
    assert new_categories == categories
    # The cluster comes back as a page of its profile; the pages are as they were.
    assert {slug: page for slug, page in new_pages.items() if slug != "lyonbiopole"} == pages
    assert "Lyonbiopole" in new_pages["lyonbiopole"][0]


def test_the_export_goes_to_stdout_by_default(site):
    out = io.StringIO()
    call_command("export_wordpress", stdout=out)
    assert out.getvalue().startswith('<?xml version="1.0" encoding="UTF-8" ?>')
    assert "<wp:wxr_version>1.2</wp:wxr_version>" in out.getvalue()
