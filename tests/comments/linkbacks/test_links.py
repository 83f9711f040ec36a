"""Which links of a post we notify, and which are self-pings."""

import pytest

from comments.linkbacks.links import OutgoingLinks, external_links

SITE = "https://bioxclusters.test"


def links(html, site=SITE, **kwargs) -> OutgoingLinks:
    return external_links(html, site, **kwargs)


def test_external_and_own_links_are_told_apart():
    found = links(
        '<a href="https://other.example/post">theirs</a>'
        '<a href="https://bioxclusters.test/who-we-are/">ours</a>'
        '<a href="/blog/2024/05/news/">ours, relative</a>'
    )
    assert found.external == ["https://other.example/post"]
    assert found.self_links == [
        "https://bioxclusters.test/who-we-are/",
        "https://bioxclusters.test/blog/2024/05/news/",
    ]


def test_relative_links_resolve_against_the_post():
    found = links('<a href="next/">x</a>', base_url=f"{SITE}/blog/2024/")
    assert found.self_links == [f"{SITE}/blog/2024/next/"]


@pytest.mark.parametrize(
    "href",
    [
        "http://bioxclusters.test/page/",
        "https://www.bioxclusters.test/page/",
        "https://BIOXCLUSTERS.test/page/",
        "https://bioxclusters.test:443/page/",
    ],
)
def test_our_own_site_is_recognised_in_any_spelling(href):
    assert links(f'<a href="{href}">x</a>') == OutgoingLinks([], [href])


def test_another_port_on_our_host_is_another_site():
    assert links('<a href="https://bioxclusters.test:8443/x">x</a>').external == [
        "https://bioxclusters.test:8443/x"
    ]


@pytest.mark.parametrize(
    "href",
    [
        "https://other.example/",
        "https://other.example",
        "https://other.example/photo.jpg",
        "https://other.example/Photo.PNG",
        "https://other.example/talk.mp3",
        "https://other.example/clip.mp4?t=10",
        "https://other.example/report.pdf",
        "https://other.example/data.zip",
        "mailto:someone@other.example",
        "javascript:alert(1)",
        "tel:+33123456789",
        "ftp://other.example/file",
        "#section",
        "",
        "https://other.example:99999/bad-port",
    ],
)
def test_roots_media_and_non_web_links_are_skipped(href):
    assert links(f'<a href="{href}">x</a>') == OutgoingLinks([], [])


@pytest.mark.parametrize(
    "href",
    [
        "https://other.example/?p=12",
        "https://other.example/post.html",
        "https://other.example/photos.jpg/comments/",
        "https://other.example/2024/05/a-post",
    ],
)
def test_pages_are_kept(href):
    assert links(f'<a href="{href}">x</a>').external == [href]


def test_fragments_are_dropped_duplicates_removed_and_order_kept():
    found = links(
        '<a href="https://b.example/two">2</a><a href="https://a.example/one#intro">1</a>'
        '<a href="https://b.example/two#comments">2 again</a><a href="https://a.example/one">1</a>'
    )
    assert found.external == ["https://b.example/two", "https://a.example/one"]


def test_only_anchors_count():
    html = '<img src="https://a.example/page"><link href="https://b.example/page">'
    assert links(html) == OutgoingLinks([], [])


def test_a_body_without_links_gives_nothing():
    assert links("<p>No links here.</p>") == OutgoingLinks([], [])
    assert links("") == OutgoingLinks([], [])


def test_entities_in_hrefs_are_decoded():
    assert links('<a href="https://a.example/?x=1&amp;y=2">x</a>').external == [
        "https://a.example/?x=1&y=2"
    ]
