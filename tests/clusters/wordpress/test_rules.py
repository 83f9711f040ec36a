"""How WordPress's values become ours (pure rules, no database)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from clusters.models import Status
from clusters.wordpress import rules, wxr
from comments.models import Comment

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("status", "password", "expected"),
    [
        ("publish", "", Status.PUBLISHED),
        ("future", "", Status.SCHEDULED),
        ("draft", "", Status.DRAFT),
        ("pending", "", Status.DRAFT),
        ("private", "", Status.DRAFT),
        ("publish", "secret", Status.DRAFT),
        ("trash", "", None),
        ("auto-draft", "", None),
        ("inherit", "", None),
    ],
)
def test_entry_statuses(status, password, expected):
    assert rules.entry_status(wxr.Item(status=status, post_password=password))[0] == expected


@pytest.mark.parametrize(
    ("approved", "expected"),
    [
        ("1", Comment.Status.APPROVED),
        ("0", Comment.Status.PENDING),
        ("spam", Comment.Status.SPAM),
        ("trash", Comment.Status.TRASH),
        ("post-trashed", Comment.Status.TRASH),
        ("something else", Comment.Status.PENDING),
    ],
)
def test_comment_statuses(approved, expected):
    assert rules.comment_status(approved) == expected


def test_comment_kinds():
    assert rules.comment_kind("") == rules.comment_kind("comment") == Comment.Kind.COMMENT
    assert rules.comment_kind("pingback") == Comment.Kind.PINGBACK
    assert rules.comment_kind("trackback") == Comment.Kind.TRACKBACK
    assert rules.comment_kind("order_note") is None


def test_dates_are_read_as_gmt_or_else_in_the_sites_time_zone():
    assert rules.parse_date("2016-11-15 11:00:00", "2016-11-15 10:00:00", PARIS) == datetime(
        2016, 11, 15, 10, tzinfo=UTC
    )
    assert rules.parse_date("2016-11-15 11:00:00", "0000-00-00 00:00:00", PARIS) == datetime(
        2016, 11, 15, 10, tzinfo=UTC
    )
    assert rules.parse_date("", "", PARIS) is None
    assert rules.parse_date("yesterday", "", PARIS) is None


def test_slugs_are_ascii_and_never_empty():
    assert rules.slug_for("caf%c3%a9-cr%c3%a8me", "", "x", max_length=50) == "cafe-creme"
    assert rules.slug_for("", "Hello World!", "x", max_length=50) == "hello-world"
    assert rules.slug_for("💫", "🌲", "post-7", max_length=50) == "post-7"


def test_classic_editor_text_gets_its_paragraphs_and_block_markup_is_kept():
    assert rules.autop("One\nline.\n\nTwo.") == "<p>One<br>\nline.</p>\n<p>Two.</p>"
    block = "<!-- wp:paragraph -->\n<p>Block.</p>\n<!-- /wp:paragraph -->"
    assert rules.autop(block) == block
    assert rules.autop("<p>Ours.</p>") == "<p>Ours.</p>"


def test_comment_html_becomes_the_text_our_comments_store():
    assert rules.comment_text("<p>Hi &amp; <em>thanks</em></p>\n<p>Bye</p>") == "Hi & thanks\n\nBye"
    assert (
        rules.comment_text('See <a href="https://a.example/">my post</a>.')
        == "See my post (https://a.example/)."
    )
    assert rules.comment_text('<a href="https://a.example/">https://a.example/</a>') == (
        "https://a.example/"
    )
    assert rules.comment_text("[&#8230;] text [&#8230;]") == "[…] text […]"


def test_old_paths_are_those_on_the_old_host_whatever_the_scheme_or_www():
    site = "https://old.example"
    assert rules.old_path("http://www.old.example/2016/11/a/", site) == "/2016/11/a/"
    assert rules.old_path("https://old.example/?p=12", site) == "/?p=12"
    assert rules.old_path("https://elsewhere.example/a/", site) is None
    assert rules.old_path("mailto:a@old.example", site) is None


def test_links_to_the_old_site_are_pointed_at_the_new_addresses():
    new = {"/2016/11/a/": "/blog/2016/11/a/", "/?p=3": "/blog/2016/11/c/"}
    body = (
        '<p><a href="https://old.example/2016/11/a">A</a> '
        '<a href="http://old.example/?p=3#comments">C</a> '
        '<a href="https://old.example/unknown/">?</a> '
        '<img src="https://elsewhere.example/x.png" alt=""></p>'
    )
    assert rules.rewrite_links(body, "https://old.example", new.get) == (
        '<p><a href="/blog/2016/11/a/">A</a> '
        '<a href="/blog/2016/11/c/#comments">C</a> '
        '<a href="https://old.example/unknown/">?</a> '
        '<img src="https://elsewhere.example/x.png" alt=""></p>'
    )


@pytest.mark.parametrize(
    ("url", "meta", "expected"),
    [
        ("https://old.example/wp-content/uploads/2016/11/a.jpg", {}, "2016/11/a.jpg"),
        ("https://old.files.wordpress.com/2016/11/a.jpg", {}, "2016/11/a.jpg"),
        ("https://x/", {"_wp_attached_file": "2016/11/b.png"}, "2016/11/b.png"),
        ("https://old.example/wp-content/uploads/../../etc/passwd", {}, ""),
        ("https://x/", {"_wp_attached_file": "../secret"}, ""),
    ],
)
def test_upload_paths_never_leave_the_uploads_folder(url, meta, expected):
    assert rules.upload_path(wxr.Item(attachment_url=url, meta=meta)) == expected


def test_the_digest_changes_with_the_content_and_not_with_the_comments():
    item = wxr.Item(post_id="1", content="A")
    same = wxr.Item(post_id="1", content="A", comments=[wxr.Comment(comment_id="9")])
    assert rules.digest(item) == rules.digest(same)
    assert rules.digest(item) != rules.digest(wxr.Item(post_id="1", content="B"))
