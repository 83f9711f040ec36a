"""A comment's text becomes escaped HTML once, when saved: paragraphs, line breaks, safe links."""

import pytest

from comments.rendering import find_links, render_body
from tests.html_checks import executable_parts


def test_blank_lines_make_paragraphs_and_single_breaks_make_br():
    assert render_body("First line\nsecond line\r\n\r\nNew paragraph") == (
        "<p>First line<br>\nsecond line</p>\n<p>New paragraph</p>"
    )


def test_html_typed_by_a_visitor_is_shown_as_text():
    html = render_body('<script>alert("x")</script> <b onclick="x()">bold</b>')

    assert "<script" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert executable_parts(html) == []


def test_addresses_become_links_that_search_engines_do_not_credit():
    html = render_body("See https://example.org/page?a=1&b=2 and www.example.com.")

    assert (
        '<a href="https://example.org/page?a=1&amp;b=2" rel="nofollow ugc">'
        "https://example.org/page?a=1&amp;b=2</a>"
    ) in html
    assert '<a href="http://www.example.com" rel="nofollow ugc">www.example.com</a>.' in html


@pytest.mark.parametrize(
    "text, link",
    [
        ("(see https://example.org/a_(b))", "https://example.org/a_(b)"),
        ("(see https://example.org/x)", "https://example.org/x"),
        ("Go to https://example.org/!", "https://example.org/"),
        ("'https://example.org/q'", "https://example.org/q"),
    ],
)
def test_punctuation_after_an_address_stays_outside_the_link(text, link):
    assert find_links(text) == [link]


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        'https://example.org/"onmouseover="alert(1)',
        "https://example.org/<script>",
        "data:text/html;base64,PHNjcmlwdD4=",
    ],
)
def test_no_address_a_visitor_types_can_run_script(text):
    assert executable_parts(render_body(text)) == []


def test_a_bare_scheme_is_not_a_link():
    assert find_links("http:// and https:/// and www.") == []
    assert "<a " not in render_body("http://")


def test_an_empty_or_blank_comment_renders_nothing():
    assert render_body("") == ""
    assert render_body(" \n\t\n ") == ""


def test_a_very_long_comment_renders_quickly_and_whole():
    text = ("word https://example.org/" + "a" * 50 + " ") * 1200

    html = render_body(text)

    assert html.count('rel="nofollow ugc"') == 1200
