"""Every feed is well-formed XML whatever a post or comment holds, and its titles run nothing.

Feed readers reject a whole feed for one character XML forbids; many show titles and author
names as HTML. Each feed is parsed with an XML parser, and each title, creator and author name
is parsed as HTML the way a browser would: no element may come out of it.
"""

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

import clusters.feeds
import comments.feeds
from bioxclusters.bad_input import clean_feed, feed_text
from clusters.html import clean_html
from clusters.models import Post, Status
from comments.models import MAX_NAME_LENGTH, Comment
from comments.rendering import render_body
from tests.factories import make_category, make_post, make_user
from tests.html_checks import html_elements

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
# Where feeds put text that readers may show as HTML: RSS and Atom, channel and items.
TEXT_PATHS = [
    "channel/title", "channel/description", "channel/item/title", "channel/item/author",
    f"channel/item/{DC}creator", "channel/item/category",
    f"{ATOM}title", f"{ATOM}subtitle", f"{ATOM}entry/{ATOM}title",
    f"{ATOM}entry/{ATOM}author/{ATOM}name", f"{ATOM}author/{ATOM}name",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def parsed(client, url) -> ET.Element:
    """Return the feed at ``url`` parsed as XML (failing on anything but well-formed XML)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


def texts(feed: ET.Element) -> list[str]:
    return [node.text or "" for path in TEXT_PATHS for node in feed.findall(path)]


def shown_as_html(feed: ET.Element) -> list[tuple[str, list[str]]]:
    """Return each text a reader showing it as HTML would turn into elements, with those."""
    return [(text, found) for text in texts(feed) if (found := html_elements(text))]


@pytest.fixture
def long_feeds(monkeypatch):
    """Let each feed hold every item, so one parse checks them all (instead of 20 or 30)."""
    monkeypatch.setattr(clusters.feeds, "FEED_LENGTH", 10_000)
    monkeypatch.setattr(comments.feeds, "FEED_LENGTH", 10_000)


def approved_comments(target, names_and_bodies) -> list[Comment]:
    content_type = ContentType.objects.get_for_model(target)
    return Comment.objects.bulk_create(
        Comment(
            content_type=content_type,
            object_id=target.pk,
            author_name=name[:MAX_NAME_LENGTH],
            body=body,
            body_html=render_body(body),
            status=Comment.Status.APPROVED,
        )
        for name, body in names_and_bodies
    )


def test_every_feed_is_well_formed_and_runs_nothing_whatever_posts_and_comments_hold(
    client, long_feeds, naughty_strings, all_xss_payloads
):
    category, author = make_category(slug="news"), make_user()
    strings = naughty_strings + all_xss_payloads[::80]
    posts = Post.objects.bulk_create(
        Post(
            title=text[:250],
            slug=f"naughty-{number}",
            body=clean_html(f"<p>{text}</p>"),
            author=author,
            status=Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=1),
        )
        for number, text in enumerate(strings)
    )
    category.posts.add(*posts)
    for post, text in zip(posts, strings, strict=True):
        approved_comments(post, [(text, text)])
    feeds = [
        "/blog/feed/", "/blog/feed/atom/", "/blog/category/news/feed/",
        "/blog/category/news/feed/atom/", "/comments/feed/", "/comments/feed/atom/",
    ]  # fmt: skip
    # A post's own comment feed has the post's title in its own title and description.
    for number, post in enumerate(posts[::20]):
        feeds.append(f"/comments/feed/post/{post.pk}/{'atom/' if number % 2 else ''}")

    for url in feeds:
        feed = parsed(client, url)
        assert shown_as_html(feed) == [], url
    assert len(parsed(client, "/blog/feed/").findall("channel/item")) == len(strings)
    assert len(parsed(client, "/comments/feed/").findall("channel/item")) == len(strings)


def test_feeds_drop_the_characters_xml_forbids(client):
    post = make_post(title="Noncharacters \ufffe\uffff and a bell \x07")
    approved_comments(post, [("Ada\x0b Lovelace", "Tab\tfeed\x0c, line\nbreak \ufffe")])

    for url in ["/blog/feed/", "/comments/feed/atom/", f"/comments/feed/post/{post.pk}/"]:
        content = client.get(url).content.decode()
        ET.fromstring(content)
        assert not any(char in content for char in "\ufffe\uffff\x07\x0b\x0c"), url
    assert "Noncharacters  and a bell" in client.get("/blog/feed/").content.decode()


def test_no_commenter_name_of_the_xss_list_runs_in_a_reader_that_shows_titles_as_html(
    client, long_feeds, all_xss_payloads
):
    sample = all_xss_payloads[::10]
    approved_comments(make_post(title="Genomics"), ((name, "A comment.") for name in sample))

    feed = parsed(client, "/comments/feed/")

    assert len(feed.findall("channel/item")) == len(sample) > 600
    assert shown_as_html(feed) == []


@pytest.mark.parametrize("feed_type", [Rss201rev2Feed, Atom1Feed])
def test_every_name_of_the_xss_list_is_plain_text_in_the_feed_generator(
    feed_type, all_xss_payloads
):
    feed = feed_type(title="Comments", link="https://bioxclusters.test/", description="")
    for number, name in enumerate(all_xss_payloads):
        feed.add_item(
            title=f"Comment on Genomics by {name}",
            link=f"https://bioxclusters.test/comments/{number}/",
            description="<p>A comment.</p>",
            author_name=name,
        )

    parsed = ET.fromstring(clean_feed(feed).writeString("utf-8"))

    assert len(texts(parsed)) > len(all_xss_payloads)
    assert shown_as_html(parsed) == []


def test_a_title_keeps_its_text_and_loses_its_tags():
    assert feed_text("Cells & <b>genes</b> <3 <scr<b>ipt>alert(1)</script>") == (
        "Cells & genes <3 ipt>alert(1)"
    )
    assert feed_text('Ada <img src=x onerror="alert(1)"') == "Ada "
    assert feed_text("a < b > c &lt;script&gt;") == "a < b > c &lt;script&gt;"
