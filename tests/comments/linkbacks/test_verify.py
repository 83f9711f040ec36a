"""Verifying a linkback source: the link, the title, the excerpt and the mf2 data, as plain text."""

import html
import json
import re

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeData

from comments.linkbacks.verify import (
    ResponseType,
    VerificationError,
    clean_text,
    clean_url,
    html_to_text,
    verify_source,
)

SOURCE = "https://blog.example/2024/05/a-post/"
TARGET = "https://bioxclusters.test/blog/2024/05/our-post/"


def verify(body, content_type="text/html", target=TARGET, source=SOURCE, **kwargs):
    return verify_source(
        text=body, content_type=content_type, source_url=source, target_url=target, **kwargs
    )


def refusal(body, content_type="text/html", **kwargs) -> str:
    with pytest.raises(VerificationError) as caught:
        verify(body, content_type, **kwargs)
    return caught.value.reason


# Does the source link to the target? (Webmention 3.2.2, per media type.)


@pytest.mark.parametrize(
    "body",
    [
        f'<p>Read <a href="{TARGET}">their post</a>.</p>',
        f"<p>Read <A HREF='{TARGET}'>their post</A>.</p>",
        f'<img src="{TARGET}">',
        f'<link rel="in-reply-to" href="{TARGET}">',
        f'<video src="{TARGET}"></video>',
        f'<audio src="{TARGET}"></audio>',
        f'<map><area href="{TARGET}"></map>',
        '<a href="/blog/2024/05/our-post/">ours</a>',  # relative, on a source hosted by us
        f'<a href=" {TARGET} ">spaces around</a>',
    ],
)
def test_an_html_source_links_with_href_or_src(body):
    source = "https://bioxclusters.test/elsewhere/" if 'href="/' in body else SOURCE
    assert verify(body, source=source).target_url == TARGET


def test_a_relative_link_resolves_against_the_base_element():
    body = '<base href="https://bioxclusters.test/blog/"><a href="2024/05/our-post/">x</a>'
    assert verify(body).source_url == SOURCE


def test_entities_in_the_href_are_decoded_before_comparing():
    target = "https://bioxclusters.test/?p=12&lang=en"
    assert verify('<a href="https://bioxclusters.test/?p=12&amp;lang=en">x</a>', target=target)


@pytest.mark.parametrize(
    "body",
    [
        f"<p>I read {TARGET} today.</p>",  # a bare URL in text is no link in HTML
        f'<a href="{TARGET}#comments">near miss</a>',
        f'<a href="{TARGET.rstrip("/")}">near miss</a>',
        f'<a href="{TARGET.replace("https", "http")}">near miss</a>',
        f'<a href="{TARGET}x">near miss</a>',
        f'<!-- <a href="{TARGET}">in a comment</a> -->',
        f'<code>&lt;a href="{TARGET}"&gt;escaped&lt;/a&gt;</code>',
        f"<script>document.write('<a href=\"{TARGET}\">')</script>",
        f'<div data-href="{TARGET}">not a link attribute</div>',
        "",
    ],
)
def test_an_html_source_without_that_exact_link_is_refused(body):
    assert refusal(body) == "no_link"


@pytest.mark.parametrize("content_type", ["application/json", "application/activity+json"])
def test_a_json_source_links_with_a_string_value_equal_to_the_target(content_type):
    body = json.dumps({"type": "Note", "object": {"inReplyTo": [1, TARGET]}})
    assert verify(body, content_type).target_url == TARGET


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"content": f"I read {TARGET} today"}),  # a substring is not a value
        json.dumps({TARGET: "a key is not a value"}),
        "{not json",
        "[" * 100_000,  # deeper than the JSON parser will go
    ],
)
def test_a_json_source_without_that_value_is_refused(body):
    assert refusal(body, "application/json") == "no_link"


def test_a_plain_text_source_links_by_containing_the_target():
    found = verify(f"Notes.\nI read {TARGET} today\nand liked it.", "text/plain")
    assert found.excerpt == f"[…] Notes. I read {TARGET} today and liked it. […]"
    assert refusal("Nothing here.", "text/plain") == "no_link"


@pytest.mark.parametrize("content_type", ["image/png", "application/xml", "text/css", ""])
def test_other_media_types_cannot_be_sources(content_type):
    assert refusal(TARGET, content_type) == "unsupported_content_type"


# Title and excerpt, as WordPress's pingback takes them.


def test_the_title_is_the_plain_text_of_the_title_element():
    body = f"<title>\n  Caf&eacute; &amp; <b>bar</b>\n</title><a href='{TARGET}'>x</a>"
    assert verify(body).title == "Café & bar"


def test_a_page_without_a_title_has_an_empty_title():
    assert verify(f"<a href='{TARGET}'>x</a>").title == ""


def test_a_long_title_is_capped():
    title = verify(f"<title>{'word ' * 200}</title><a href='{TARGET}'>x</a>").title
    assert len(title) == 250
    assert title.endswith("…")


def test_the_excerpt_is_the_paragraph_around_the_link():
    body = (
        "<html><head><title>T</title><style>p { color: red }</style></head><body>"
        "<p>An earlier paragraph.</p>"
        f"<p>We  agree\n with <a href='{TARGET}'>their <em>fine</em> post</a> on clusters.</p>"
        "<script>var secret = 1;</script><p>A later paragraph.</p></body></html>"
    )
    assert verify(body).excerpt == "[…] We agree with their fine post on clusters. […]"


def test_the_excerpt_keeps_at_most_100_characters_either_side_in_whole_words():
    before = " ".join(f"b{n:03d}" for n in range(60))
    after = " ".join(f"a{n:03d}" for n in range(60))
    excerpt = verify(f"<p>{before} <a href='{TARGET}'>the link</a> {after}</p>").excerpt
    left, right = excerpt.removeprefix("[…] ").removesuffix(" […]").split(" the link ")
    assert len(left) <= 100 and len(right) <= 100
    assert left == " ".join(f"b{n:03d}" for n in range(40, 60))
    assert right == " ".join(f"a{n:03d}" for n in range(20))


def test_very_long_link_text_is_cut():
    excerpt = verify(f"<p><a href='{TARGET}'>{'x' * 300}</a></p>").excerpt
    assert excerpt == f"[…] {'x' * 100}… […]"


def test_the_excerpt_prefers_a_real_link_to_an_image_or_head_link():
    body = f"<link rel='x' href='{TARGET}'><p>Intro <a href='{TARGET}'>the post</a> end</p>"
    assert verify(body).excerpt == "[…] Intro the post end […]"


def test_html_to_text_keeps_blocks_as_lines():
    assert html_to_text("<p>One <b>two</b></p><p>Three<br>four</p>") == "One two\nThree\nfour"


def test_malformed_declarations_do_not_crash_the_parser():
    # Python 3.11's html.parser asserts on "<![" sections a browser skips as bogus comments.
    body = f"<p><![><img src=']><img src=x onerror=alert(1)//'> <a href='{TARGET}'>x</a></p>"
    assert verify(body).target_url == TARGET


@pytest.mark.parametrize(
    "tail",
    ['<!-- never closed <b onmouseover="alert(1)">', '<img src=x onerror="alert(1)', "<script>x"],
)
def test_markup_left_open_at_the_end_is_dropped_as_browsers_drop_it(tail):
    found = verify(f"<title>T</title><p>See <a href='{TARGET}'>this</a> {tail}")
    assert found.excerpt == "[…] See this […]"


def test_naughty_strings_survive_as_text(shared_dir):
    path = shared_dir / "testdata" / "blns" / "blns.txt"
    strings = [line for line in path.read_text(encoding="utf-8").split("\n") if line[:1] != "#"]
    for string in filter(None, strings):
        escaped = html.escape(string)
        found = verify(f"<title>{escaped}</title><p>{escaped} <a href='{TARGET}'>x</a></p>")
        # No mojibake, no lost characters: only control characters and runs of spaces go.
        assert found.title == clean_text(string, 250)


# Microformats: the wordpress-webmention mf2 fixtures (EXPECTATIONS.md section 6).

MF2_SOURCE = "http://example.com/webmention/source/placeholder"
MF2_TARGET = "http://example.com/webmention/target/placeholder"
MF2_FIXTURES = [
    "aaronparecki-com",
    "adactio-com",
    "basic-like",
    "basic-multi",
    "basic-reply",
    "basic-reply-2",
    "basic-with-comments",
    "brid-gy",
    "brid-gy-emoji",
    "brid-gy-invite",
    "checkmention-hcardxss",
    "checkmention-xss",
    "christian-hockenberger-com",
    "fed-brid-gy",
    "fed-brid-gy-2",
    "notiz-blog",
    "notizblog-org",
    "person-tag",
    "sandeep-io",
    "tantek-com",
    "voxpelli-com",
]
# The fixtures speak WordPress's vocabulary; ours is indieweb.org's (a comment is a reply).
RESPONSE_TYPES = {"comment": ("reply", ""), "rsvp:yes": ("rsvp", "yes")}


def plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def parse_mf2_fixture(folder, name):
    return verify(
        (folder / f"{name}.html").read_text(encoding="utf-8"),
        source=MF2_SOURCE,
        target=MF2_TARGET,
        microformats=True,
    )


def test_all_mf2_fixtures_are_covered(mf2_fixtures):
    assert sorted(path.stem for path in mf2_fixtures.glob("*.html")) == sorted(MF2_FIXTURES)


@pytest.mark.parametrize("name", MF2_FIXTURES)
def test_mf2_source_matches_the_expected_subset(mf2_fixtures, name):
    expected = json.loads((mf2_fixtures / f"{name}.json").read_text(encoding="utf-8"))
    found = parse_mf2_fixture(mf2_fixtures, name)
    for key in ("name", "url", "photo"):  # "type": "card" is implied by our Author
        if key in expected["author"]:
            assert getattr(found.author, key) == expected["author"][key]
    if "url" in expected:
        assert found.url == expected["url"]
    # Our content is plain text: it matches the expected HTML with its tags removed.
    for key in ("content", "summary"):
        if key in expected:
            assert " ".join(found.content.split()) == plain(expected[key])
    if "response_type" in expected:
        kind = expected["response_type"]
        assert (found.response_type, found.rsvp) == RESPONSE_TYPES.get(kind, (kind, ""))


def test_a_like_without_author_has_an_empty_author(mf2_fixtures):
    found = parse_mf2_fixture(mf2_fixtures, "basic-like")
    assert (found.author.name, found.author.url, found.author.photo) == ("", "", "")
    assert found.response_type is ResponseType.LIKE


def test_a_category_link_is_a_plain_mention(mf2_fixtures):
    assert parse_mf2_fixture(mf2_fixtures, "person-tag").response_type is ResponseType.MENTION


def test_the_hcard_xss_fixture_yields_a_plain_name_and_no_script_url(mf2_fixtures):
    found = parse_mf2_fixture(mf2_fixtures, "checkmention-hcardxss")
    assert found.author.name == "Does clicking me alert?"
    assert found.author.url == ""  # it was javascript:alert('hcard')
    assert found.author.photo == "https://checkmention.appspot.com/static/img/q.jpg"
    assert_nothing_executable(found)


def test_the_xss_fixture_yields_plain_text_only(mf2_fixtures):
    found = parse_mf2_fixture(mf2_fixtures, "checkmention-xss")
    assert found.author.name == "Checkmention XSS test"
    assert found.content.startswith("Clicking this should not cause an alert.")
    for attack in ("javascript", "onmouseover", "onerror", "url(", "XSS4", "XSS5"):
        assert attack.lower() not in found.content.lower()
    # The page escaped this one itself, so it is text the author wrote, shown as text.
    assert '<script>alert("encoded-xss")</script>' in found.content
    assert_nothing_executable(found)


# Hostile input: nothing executable can come out.

TEXT_FIELDS = ("title", "excerpt", "content")


def assert_nothing_executable(found):
    for url in (found.url, found.author.url, found.author.photo):
        assert url == clean_url(url)
        assert url == "" or re.match(r"https?://[^\s\"'<>`\\]+$", url), url
    texts = [getattr(found, field) for field in TEXT_FIELDS] + [found.author.name, found.rsvp]
    for text in texts:
        assert isinstance(text, str) and not isinstance(text, SafeData)
        rendered = Template("{{ text }}").render(Context({"text": text}))
        assert "<" not in rendered and '"' not in rendered


def payloads(shared_dir):
    path = shared_dir / "testdata" / "payloadbox-xss" / "xss-payload-list.txt"
    return [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def test_xss_payloads_around_the_link_never_get_out_as_markup(shared_dir):
    checked = 0
    for payload in payloads(shared_dir):
        body = (
            f"<html><head><title>{payload}</title></head><body>"
            f"<p>Before {payload} <a href='{TARGET}'>link {payload}</a> after {payload}</p>"
        )
        try:
            found = verify(body)
        except VerificationError:
            continue  # the payload swallowed the link: nothing is stored at all
        assert_nothing_executable(found)
        # Markup was read as markup, not copied as text (escaped payloads are text, rightly).
        if "&" not in payload:
            for text in (found.title, found.excerpt):
                assert not re.search(r"<[a-zA-Z!/?]", text), (payload, text)
        checked += 1
    assert checked > 6000


def test_xss_payloads_in_microformats_never_get_out_as_markup(shared_dir):
    # mf2 parsing is slower: every seventh payload, in every property we read.
    for payload in payloads(shared_dir)[::7]:
        attribute = html.escape(payload)
        body = (
            f'<div class="h-entry"><a class="u-in-reply-to" href="{TARGET}">re</a>'
            f'<span class="p-author h-card"><a class="p-name u-url" href="{attribute}">{payload}'
            f'</a><img class="u-photo" src="{attribute}"></span>'
            f'<a class="u-url" href="{payload}">x</a><div class="e-content">{payload}</div></div>'
        )
        try:
            found = verify(body, microformats=True)
        except VerificationError:
            continue
        assert_nothing_executable(found)
        assert found.response_type is ResponseType.REPLY


@pytest.mark.parametrize(
    ("value", "kept"),
    [
        ("https://example.com/a?b=c", True),
        ("http://example.com", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("vbscript:msgbox", False),
        ("//example.com/protocol-relative", False),
        ("/relative", False),
        ('https://example.com/"onmouseover="alert(1)', False),
        ("https://example.com/<script>", False),
        ("https://exa mple.com/", False),
        ("https:///no-host", False),
        ("https://example.com/" + "a" * 3000, False),
        (None, False),
        (["https://example.com/"], False),
    ],
)
def test_only_http_urls_safe_in_an_attribute_are_kept(value, kept):
    assert (clean_url(value) != "") is kept
