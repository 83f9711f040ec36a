"""Endpoint discovery: webmention.rocks 1-23 and mention-client-php's raw responses."""

import pytest

from comments.linkbacks import fetch
from comments.linkbacks.discovery import (
    Endpoint,
    choose_endpoint,
    parse_link_header,
    pingback_endpoint,
    webmention_endpoint,
)
from comments.linkbacks.fetch import Response

from .http_server import Reply, raw_reply, raw_response


def fixture_page(folder, name: str) -> Response:
    """Return a raw fixture as fetched from its URL (the upstream harness: drop the scheme)."""
    return raw_response(folder / name, f"http://{name}")


def page(url, body="", headers=(), content_type="text/html") -> Response:
    return Response(url, 200, tuple(headers), content_type, body.encode(), "utf-8")


# mention-client-php (EXPECTATIONS.md section 7)

ROOT_RELATIVE = "http://target.example.com/test/"
ROCKS_LOCAL = ROOT_RELATIVE + "{}/webmention"
ROCKS_ABSOLUTE = "https://webmention.rocks/test/{}/webmention"
WEBMENTION_CASES = (
    [
        ("target.example.com/header.html", "http://webmention-endpoint.example/queued-response"),
        ("target.example.com/body-link.html", "http://webmention.example/webmention"),
        ("target.example.com/body-link-org.html", "http://webmention.example/webmention"),
        ("target.example.com/body-link-org2.html", "http://webmention.example/webmention"),
        ("target.example.com/body-a.html", "http://webmention.example/webmention"),
        ("target.example.com/false-endpoint-in-comment.html", "http://webmention.example/correct"),
        ("target.example.com/document-order-1.html", "http://webmention.example/link"),
        ("target.example.com/document-order-2.html", "http://webmention.example/a"),
        ("target.example.com/empty-string.html", "http://target.example.com/empty-string.html"),
        (
            "target.example.com/relative/path-relative-endpoint.html",
            "http://target.example.com/relative/relative",
        ),
        (
            "target.example.com/relative/after-redirect.html",
            "http://target.example.com/relative/webmention",
        ),
        ("target.example.com/only-pingback.html", None),
        (
            "target.example.com/webmention-created.html",
            "http://webmention-endpoint.example/created-response",
        ),
        (
            "target.example.com/webmention-failed.html",
            "http://webmention-endpoint.example/invalid-request",
        ),
        (
            "webmention-target.example/has-valid-endpoint.html",
            "http://webmention-endpoint.example/queued-response",
        ),
        (
            "webmention-target.example/has-erroring-endpoint.html",
            "http://webmention-endpoint.example/500-response",
        ),
        ("webmention-target.example/no-endpoint.html", None),
        ("pingback-target.example/has-valid-endpoint.html", None),
    ]
    + [
        (f"target.example.com/webmention-rocks-test-{n}.html", ROCKS_LOCAL.format(n))
        for n in (1, 3, 5)
    ]
    + [
        (f"target.example.com/webmention-rocks-test-{n}.html", ROCKS_ABSOLUTE.format(n))
        for n in (2, 4, 6, 7, 8)
    ]
)

PINGBACK_CASES = [
    ("target.example.com/header.html", "http://pingback-endpoint.example/valid-response"),
    ("target.example.com/body-link.html", "http://webmention.example/pingback"),
    ("target.example.com/body-link-org.html", "http://webmention.example/pingback"),
    ("target.example.com/only-pingback.html", "http://pingback-endpoint.example/valid-response"),
    ("target.example.com/pingback-failed.html", "http://pingback-endpoint.example/invalid-request"),
    (
        "pingback-target.example/has-valid-endpoint.html",
        "http://pingback-endpoint.example/valid-response",
    ),
    (
        "pingback-target.example/has-erroring-endpoint.html",
        "http://pingback-endpoint.example/invalid-request",
    ),
    ("pingback-target.example/no-endpoint.html", None),
    ("target.example.com/body-a.html", None),
]

CHOICE_CASES = [
    ("target.example.com/header.html", "webmention"),  # both: webmention wins
    ("target.example.com/only-pingback.html", "pingback"),
    ("target.example.com/webmention-failed.html", "webmention"),  # no fallback on failure
    ("target.example.com/pingback-failed.html", "pingback"),
    ("target.example.com/webmention-only-failed.html", "webmention"),
    ("target.example.com/webmention-created.html", "webmention"),
    ("webmention-target.example/no-endpoint.html", None),
]


@pytest.mark.parametrize(("name", "endpoint"), WEBMENTION_CASES)
def test_webmention_endpoint_of_mention_client_fixtures(mention_fixtures, name, endpoint):
    assert webmention_endpoint(fixture_page(mention_fixtures, name)) == endpoint


@pytest.mark.parametrize(("name", "endpoint"), PINGBACK_CASES)
def test_pingback_endpoint_of_mention_client_fixtures(mention_fixtures, name, endpoint):
    assert pingback_endpoint(fixture_page(mention_fixtures, name)) == endpoint


@pytest.mark.parametrize(("name", "protocol"), CHOICE_CASES)
def test_webmention_is_chosen_before_pingback(mention_fixtures, name, protocol):
    chosen = choose_endpoint(fixture_page(mention_fixtures, name))
    assert (chosen.protocol if chosen else None) == protocol


def test_the_chosen_endpoint_carries_its_url(mention_fixtures):
    chosen = choose_endpoint(
        fixture_page(mention_fixtures, "target.example.com/only-pingback.html")
    )
    assert chosen == Endpoint("pingback", "http://pingback-endpoint.example/valid-response")


def test_a_redirected_target_resolves_its_endpoint_against_the_final_url(server, mention_fixtures):
    # redirect.html answers 302 to the relative "relative/after-redirect.html".
    for name in ("redirect.html", "relative/after-redirect.html"):
        server.routes[f"/target.example.com/{name}"] = raw_reply(
            mention_fixtures / "target.example.com" / name
        )
    fetched = fetch.get(server.url("/target.example.com/redirect.html"), accept=None)
    assert webmention_endpoint(fetched) == server.url("/target.example.com/relative/webmention")
    assert server.paths_requested() == [
        "/target.example.com/redirect.html",
        "/target.example.com/relative/after-redirect.html",
    ]


def test_every_fixture_fetched_through_a_real_server_gives_the_same_endpoint(
    server, mention_fixtures
):
    # The server puts each host in a folder, so root-relative endpoints (rocks 1, 3, 5) would
    # resolve outside it; the pure table above covers them.
    cases = [
        (name, url)
        for name, url in WEBMENTION_CASES
        if not (url or "").startswith(ROCKS_LOCAL[:31])
    ]
    for name, _endpoint in cases:
        server.routes[f"/{name}"] = raw_reply(mention_fixtures / name)
    for name, endpoint in cases:
        found = webmention_endpoint(fetch.get(server.url(f"/{name}"), accept=None))
        local = found and found.replace(server.url("/"), "http://")
        assert local == endpoint, name


# webmention.rocks discovery tests 1-23 (EXPECTATIONS.md section 2a). 1-8 are the captured
# pages above; these are 9-22 as the site describes them, on the page URL /test/N.

ROCKS = "https://webmention.rocks/test/{}"
ROCKS_CASES = [
    (
        9,
        [],
        '<link rel="webmention somethingelse" href="/test/9/webmention">',
        "/test/9/webmention",
    ),
    (
        10,
        [("Link", '</test/10/webmention>; rel="webmention somethingelse"')],
        "",
        "/test/10/webmention",
    ),
    (
        11,
        [("Link", '</test/11/webmention>; rel="webmention"')],
        '<link rel="webmention" href="/test/11/webmention/error">'
        '<a rel="webmention" href="/test/11/webmention/error">x</a>',
        "/test/11/webmention",
    ),
    (
        12,
        [],
        '<link rel="not-webmention" href="/test/12/webmention/error">'
        '<a rel="webmention" href="/test/12/webmention">x</a>',
        "/test/12/webmention",
    ),
    (
        13,
        [],
        '<!-- <a rel="webmention" href="/test/13/webmention/error"></a> -->'
        '<a rel="webmention" href="/test/13/webmention">x</a>',
        "/test/13/webmention",
    ),
    (
        14,
        [],
        '<code>&lt;a href="/test/14/webmention/error" rel="webmention"&gt;&lt;/a&gt;</code>'
        '<a rel="webmention" href="/test/14/webmention">x</a>',
        "/test/14/webmention",
    ),
    (15, [], '<link rel="webmention" href="">', "/test/15"),
    (
        16,
        [],
        '<body><a rel="webmention" href="/test/16/webmention">x</a>'
        '<link rel="webmention" href="/test/16/webmention/error"></body>',
        "/test/16/webmention",
    ),
    (
        17,
        [],
        '<link rel="webmention" href="/test/17/webmention">'
        '<a rel="webmention" href="/test/17/webmention/error">x</a>',
        "/test/17/webmention",
    ),
    (
        18,
        [
            ("Link", '<https://webmention.rocks/test/18/webmention/error>; rel="other"'),
            ("Link", '</test/18/webmention>; rel="webmention"'),
        ],
        "",
        "/test/18/webmention",
    ),
    (
        19,
        [
            (
                "Link",
                '<https://webmention.rocks/test/19/webmention/error>; rel="other", '
                '</test/19/webmention>; rel="webmention"',
            )
        ],
        "",
        "/test/19/webmention",
    ),
    (
        20,
        [],
        '<link rel="webmention"><a rel="webmention" href="/test/20/webmention">x</a>',
        "/test/20/webmention",
    ),
    (
        21,
        [("Link", '</test/21/webmention?query=yes>; rel="webmention"')],
        "",
        "/test/21/webmention?query=yes",
    ),
    (22, [], '<link rel="webmention" href="22/webmention">', "/test/22/webmention"),
]


@pytest.mark.parametrize(("number", "headers", "body", "endpoint"), ROCKS_CASES)
def test_webmention_rocks_discovery(number, headers, body, endpoint):
    found = webmention_endpoint(page(ROCKS.format(number), body, headers))
    assert found == "https://webmention.rocks" + endpoint
    assert "error" not in found


def test_webmention_rocks_23_redirect_then_relative_endpoint(server):
    server.routes["/test/23/page"] = Reply(302, [("Location", "/test/23/page/XYZ")])
    server.routes["/test/23/page/XYZ"] = Reply(
        headers=[
            ("Content-Type", "text/html"),
            ("Link", '<webmention-endpoint/XYZ>; rel="webmention"'),
        ]
    )
    fetched = fetch.get(server.url("/test/23/page"), accept=None)
    assert webmention_endpoint(fetched) == server.url("/test/23/page/webmention-endpoint/XYZ")
    assert server.paths_requested() == ["/test/23/page", "/test/23/page/XYZ"]  # each once


def test_a_link_header_on_a_non_html_page_counts_but_its_body_does_not():
    body = '<link rel="webmention" href="/from-body">'
    header = [("Link", '</from-header>; rel="webmention"')]
    image = page("https://example.com/photo.png", body, header, "image/png")
    assert webmention_endpoint(image) == "https://example.com/from-header"
    assert webmention_endpoint(page("https://example.com/a.png", body, (), "image/png")) is None


# Link header parsing (mention-client-php LinkHeaderParserTest)


@pytest.mark.parametrize(
    ("header", "endpoint"),
    [
        ("<http://example.com/webmention>; rel=webmention", "http://example.com/webmention"),
        (
            '<http://example.com/webmention>; rel="http://webmention.org"',
            "http://example.com/webmention",
        ),
        (
            '<http://example.com/webmention>; rel="http://webmention.org/"',
            "http://example.com/webmention",
        ),
        ("</webmention>; REL=WebMention", "https://page.example/webmention"),
        (
            '<https://a.example/1>; rel="me", <https://a.example/2>; rel="author", '
            '</webmention>; rel="webmention", <https://a.example/3>; rel="hub"',
            "https://page.example/webmention",
        ),
        ('<https://x.example/>; title="a, b; rel=webmention"; rel="nofollow"', None),
        ('<https://x.example/wm>; title="a, b; c"; rel="webmention"', "https://x.example/wm"),
        ('<https://x.example/pb>; rel="pingback"', None),
        ("garbage without brackets; rel=webmention", None),
    ],
)
def test_link_headers_are_split_properly(header, endpoint):
    assert (
        webmention_endpoint(page("https://page.example/post", headers=[("Link", header)]))
        == endpoint
    )


def test_parse_link_header_keeps_every_value_in_order():
    assert parse_link_header('<a>; rel="x y", <b>;rel=z; title="q\\"t"') == [
        ("a", {"rel": "x y"}),
        ("b", {"rel": "z", "title": 'q"t'}),
    ]


# Pingback discovery (Pingback 1.0 section 2; zinnia's find_pingback_urls tests)


@pytest.mark.parametrize(
    ("headers", "body", "endpoint"),
    [
        ([("X-Pingback", "/xmlrpc.php")], "", "https://blog.example/xmlrpc.php"),
        ([], '<link rel="pingback" href="/xmlrpc/" />', "https://blog.example/xmlrpc/"),
        ([], '<LINK hrEF="https://blog.example/rpc" REL="PingBack">', "https://blog.example/rpc"),
        (
            [],
            '<link rel="pingback" href="https://b.example/?a=1&amp;b=2">',
            "https://b.example/?a=1&b=2",
        ),
        (
            [("X-Pingback", "https://blog.example/from-header")],
            '<link rel="pingback" href="https://blog.example/from-link">',
            "https://blog.example/from-header",
        ),
        ([], '<link rel="pingback">', None),
        ([], '<a rel="pingback" href="/not-a-link-element">', None),
        ([("Link", '</xmlrpc>; rel="pingback"')], "", None),  # not webmention's mechanism
        ([], "", None),
    ],
)
def test_pingback_endpoint_discovery(headers, body, endpoint):
    assert pingback_endpoint(page("https://blog.example/post/", body, headers)) == endpoint


def test_a_pingback_link_in_a_non_html_body_is_ignored():
    image = page(
        "https://blog.example/a.png", '<link rel="pingback" href="/x">', content_type="image/png"
    )
    assert pingback_endpoint(image) is None
