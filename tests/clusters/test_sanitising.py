"""Bodies are HTML from the rich-text widget: nothing executable may survive a save."""

import pytest

from clusters.html import clean_html
from tests.factories import make_cluster, make_page, make_post
from tests.html_checks import executable_parts

pytestmark = pytest.mark.django_db

DANGEROUS = (
    '<p>Hello</p><script>alert("x")</script>'
    '<img src="x.png" onerror="alert(1)" alt="x">'
    '<a href="javascript:alert(1)">click</a>'
    '<a href="JaVaScRiPt:alert(1)">click</a>'
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">styled</p>'
    "<iframe src='https://evil.example/'></iframe>"
    '<svg onload="alert(1)"><circle r="1"/></svg>'
    '<form action="https://evil.example/"><input name="q"></form>'
)


def assert_harmless(html):
    assert executable_parts(html) == []


@pytest.mark.parametrize("make", [make_post, make_page])
def test_saving_a_body_removes_scripts_handlers_and_javascript_urls(make, client):
    entry = make(body=DANGEROUS)

    entry.refresh_from_db()
    assert_harmless(entry.body)
    assert "<p>Hello</p>" in entry.body
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode().split('<div class="prose">')[1].split("</div>")[0]
    assert_harmless(body)


def test_cluster_descriptions_are_sanitised_too():
    cluster = make_cluster(description=DANGEROUS)

    cluster.refresh_from_db()
    assert_harmless(cluster.description)


def test_editor_formatting_survives():
    html = (
        "<h2>Missions</h2><p><strong>Bold</strong> and <em>italic</em> with "
        '<a href="https://biocat.cat/">a link</a>.</p><ul><li>one</li></ul>'
        "<blockquote><p>Quoted</p></blockquote>"
    )

    cleaned = clean_html(html)

    kept = ["<h2>Missions</h2>", "<strong>Bold</strong>", "<em>italic</em>",
            'href="https://biocat.cat/"', "<ul><li>one</li></ul>", "<blockquote>"]  # fmt: skip
    for fragment in kept:
        assert fragment in cleaned


def test_an_empty_editor_document_is_an_empty_body():
    assert clean_html("<p></p>") == ""


def test_every_xss_payload_is_made_harmless(shared_dir):
    payloads = (shared_dir / "testdata/payloadbox-xss/xss-payload-list.txt").read_text(
        encoding="utf-8", errors="replace"
    )
    for payload in payloads.splitlines():
        assert executable_parts(clean_html(payload)) == [], payload
