"""The WXR reader, on the WordPress importer's own fixtures (EXPECTATIONS.md, "WXR importer")."""

import io

import pytest

from clusters.wordpress import wxr
from clusters.wordpress.wxr import WXRError


def records(path, kind):
    return [record for record in wxr.parse(path) if isinstance(record, kind)]


def items(path):
    return records(path, wxr.Item)


def test_the_channel_comes_first_with_its_version_and_addresses(fixtures):
    channel = next(wxr.parse(fixtures / "valid-wxr-1.1.xml"))
    assert isinstance(channel, wxr.Channel)
    assert channel.version == "1.1"
    assert channel.base_site_url == "http://localhost/"


@pytest.mark.parametrize(
    ("name", "posts", "authors"),
    [
        ("wxr-utf-8-challenges.xml", 1, 1),
        ("valid-wxr-1.0.xml", 6, 0),
        ("valid-wxr-1.1.xml", 2, 1),
        ("wxr-with-sub-data.xml", 1, 0),
        ("crazy-cdata-escaped.xml", 1, 0),
        ("large-authors.xml", 0, 300),
    ],
)
def test_posts_and_authors_are_counted_as_the_importer_counts_them(fixtures, name, posts, authors):
    counts = wxr.check(fixtures / name)
    assert counts.items.total() == posts
    assert counts.authors == authors
    assert counts.version in wxr.VERSIONS


def test_the_theme_unit_test_file_has_its_186_items(theme_unit_test):
    counts = wxr.check(theme_unit_test)
    assert counts.items == {"post": 58, "page": 21, "attachment": 37, "nav_menu_item": 70}
    assert (counts.authors, counts.categories, counts.tags, counts.comments) == (2, 68, 110, 33)


def test_wxr_1_0_categories_and_tags(fixtures):
    terms = records(fixtures / "valid-wxr-1.0.xml", wxr.Term)
    first_category = next(term for term in terms if term.taxonomy == "category")
    assert (first_category.slug, first_category.name, first_category.parent) == (
        "alpha",
        "alpha",
        "",
    )
    assert first_category.description == "The alpha category"
    assert next(term for term in terms if term.taxonomy == "post_tag").slug == "chicken"


def test_the_second_wxr_1_1_post_has_its_fields(fixtures):
    second = items(fixtures / "valid-wxr-1.1.xml")[1]
    assert second.post_id and second.post_type and second.status and second.post_date


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("post-content-blank-lines.xml", lambda content: content.count("\n") == 3),
        ("blank-lines.xml", lambda content: "\n\n" in content),
        ("backslashes.xml", lambda content: "C:\\xampp\\htdocs" in content),
        ("multiple-cdata.xml", lambda content: content.strip() == "line oneline twoline three"),
        ("cdata-edge.xml", lambda content: content.endswith("]] >")),
        (
            "crazy-cdata-escaped.xml",
            lambda content: content == "Content with nested <![CDATA[ tags ]]> :)",
        ),
    ],
)
def test_content_is_kept_as_the_file_has_it(fixtures, name, check):
    assert check(items(fixtures / name)[0].content)


def test_escaped_cdata_in_meta(fixtures):
    meta = items(fixtures / "crazy-cdata-escaped.xml")[0].meta
    assert meta == {
        "Plain string": "Foo",
        "Closing CDATA": "]]>",
        "Alot of CDATA": (
            "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>"
        ),
    }


def test_meta_that_looks_like_xml_is_text(fixtures):
    meta = items(fixtures / "test-serialized-postmeta-with-cdata.xml")[0].meta
    assert meta["evil"] == "<wp:meta_value>evil</wp:meta_value>"
    assert meta["contains-html"] == "<pre>some html</pre>"


def test_term_formats(fixtures):
    counts = wxr.check(fixtures / "term-formats.xml")
    assert (counts.categories, counts.tags, counts.terms) == (2, 3, 2)
    assert (counts.authors, counts.items.total()) == (0, 0)


def test_term_meta(fixtures):
    assert list(records(fixtures / "term-meta.xml", wxr.Term)[0].meta) == ["legacy_id"]


def test_sub_data_of_posts_terms_and_comments(fixtures):
    path = fixtures / "wxr-with-sub-data.xml"
    (term,) = records(path, wxr.Term)
    assert (term.term_id, term.taxonomy, term.slug, term.name) == (
        "40",
        "custom_tax",
        "custom-term",
        "Custom Term",
    )
    assert term.meta == {"term_meta_key": "term_meta_value"}
    (post,) = items(path)
    assert (post.post_id, post.title, post.creator, post.status, post.post_type) == (
        "101",
        "Post with sub data",
        "admin",
        "publish",
        "post",
    )
    assert post.meta == {"_test_meta_key": "test_meta_value"}
    assert post.terms == [("category", "test-cat", "Test Category")]
    (comment,) = post.comments
    assert (comment.comment_id, comment.author, comment.content) == (
        "201",
        "Commenter",
        "This is a comment with meta.",
    )
    assert comment.meta == {"_comment_meta_key": "comment_meta_value"}


def test_serialised_comment_meta_is_kept_as_opaque_text(fixtures):
    (comment,) = items(fixtures / "test-serialized-comment-meta.xml")[0].comments
    assert set(comment.meta) == {"string", "array"}
    assert "¯\\_(ツ)_/¯" in comment.meta["string"]


def test_unicode_comes_back_byte_identical(fixtures):
    path = fixtures / "wxr-utf-8-challenges.xml"
    (author,) = records(path, wxr.Author)
    assert author.email == "ădmĩn@ℓocalhost.com"
    (post,) = items(path)
    assert post.post_name == "hello-w\u202eorld\u202c-utf8-💫-test"
    assert (
        post.title == '"The Road \u202eNot\u202c Taken" by Rob\u202dert \u202eFrost \u202a🌲\u202c'
    )
    assert "&#x202E;" in post.meta["_special_chars"]


def test_author_blocks_over_several_lines_are_trimmed(fixtures):
    logins = [author.login for author in records(fixtures / "authors-multiline.xml", wxr.Author)]
    assert logins == ["alice", "bob", "carol"]


def test_a_post_with_missing_optional_elements_is_read(fixtures):
    (post,) = items(fixtures / "missing-tags.xml")
    assert post.comments == [] and post.meta == {}


def test_elements_are_matched_by_namespace_not_by_prefix(fixtures):
    path = fixtures / "namespace-edge-cases.xml"
    posts = items(path)
    assert len(posts) == 6
    by_title = {post.title: post for post in posts}
    mixed = by_title["Mixed Namespaces"]
    assert (mixed.post_id, mixed.post_type) == ("999", "post")
    assert mixed.meta == {"normal_key": "normal_value"}
    assert by_title["No Prefix"].post_id == "2"
    assert by_title["Empty Namespace"].post_id == "3"
    assert by_title["Unicode Namespace"].post_id == "4"
    assert (by_title["Hijacked Namespace"].post_id, by_title["Hijacked Namespace"].post_type) == (
        "",
        "",
    )
    assert (by_title["Namespace Bomb"].post_id, by_title["Namespace Bomb"].post_type) == (
        "6",
        "post",
    )
    authors = records(path, wxr.Author)
    assert len(authors) == 2
    real = next(author for author in authors if author.login == "real_user")
    assert (real.author_id, real.email) == ("2", "real@example.com")
    terms = records(path, wxr.Term)
    assert [(term.term_id, term.name, term.taxonomy) for term in terms] == [
        ("100", "Old Version", "category"),
        ("102", "New Version", "category"),
    ]


def test_wordpress_com_https_namespace_is_read(theme_unit_test):
    pings = [
        comment.type
        for item in items(theme_unit_test)
        for comment in item.comments
        if comment.type in {"pingback", "trackback"}
    ]
    assert sorted(pings) == ["pingback", "pingback", "trackback", "trackback"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.xml", "not well-formed XML"),
        ("malformed-simple.xml", "not well-formed XML"),
        ("crazy-cdata.xml", "not well-formed XML"),
        ("missing-version-tag.xml", "does not appear to be a WXR file, missing"),
        ("invalid-version-tag.xml", "does not appear to be a WXR file, invalid"),
    ],
)
def test_broken_files_are_refused_with_one_line(fixtures, name, message):
    with pytest.raises(WXRError, match=message) as refused:
        wxr.check(fixtures / name)
    assert "\n" not in str(refused.value)


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>&b;</title></item></channel></rss>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss><channel><title>&x;</title></channel></rss>"""


@pytest.mark.parametrize("data", [BOMB, EXTERNAL], ids=["entity bomb", "external entity"])
def test_xml_bombs_are_refused_before_anything_is_read(data):
    with pytest.raises(WXRError, match="XML bomb"):
        wxr.check(io.BytesIO(data))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not well-formed XML"),
        (b"PK\x03\x04 not xml at all", "not well-formed XML"),
        (b"<html><body>Hello</body></html>", "not an RSS file"),
        (b'<rss version="2.0"><channel><title>A feed</title></channel></rss>', "missing WXR"),
        (
            b'<rss xmlns:wp="http://wordpress.org/export/1.3/"><channel>'
            b"<wp:wxr_version>1.3</wp:wxr_version></channel></rss>",
            "invalid WXR version number '1.3'",
        ),
    ],
    ids=["empty", "binary", "html", "plain rss", "unknown version"],
)
def test_files_that_are_not_wxr_are_refused(data, message):
    with pytest.raises(WXRError, match=message):
        wxr.check(io.BytesIO(data))
