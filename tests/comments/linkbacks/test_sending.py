"""Sending through the network layer: mention-client-php's endpoint answers, on a real server."""

import pytest

from comments.linkbacks import fetch
from comments.linkbacks.discovery import choose_endpoint
from comments.linkbacks.fetch import FetchError
from comments.linkbacks.xmlrpc import parse_pingback_response, render_pingback_request

from .http_server import HTML, Reply, raw_reply

SOURCE = "https://bioxclusters.test/blog/2024/05/our-post/"
HOSTS = (
    "webmention-endpoint.example",
    "webmention-target.example",
    "pingback-endpoint.example",
    "pingback-target.example",
)


@pytest.fixture
def fixture_server(server, mention_fixtures):
    """Serve every raw fixture at /<host>/<path>, as the upstream harness maps URLs to files."""
    for host in HOSTS:
        for path in (mention_fixtures / host).iterdir():
            server.routes[f"/{host}/{path.name}"] = raw_reply(path)
    return server


def local(server, url: str) -> str:
    """Map a fixture's absolute URL to the same file on the test server."""
    return server.url("/" + url.removeprefix("http://"))


def send_webmention(endpoint: str, target: str) -> fetch.Response:
    return fetch.post(endpoint, data={"source": SOURCE, "target": target})


@pytest.mark.parametrize(
    ("name", "status", "location"),
    [
        ("queued-response", 202, None),
        ("created-response", 201, "http://webmention-endpoint.example/status/skldjfosuet"),
    ],
)
def test_a_webmention_endpoint_that_accepts(fixture_server, name, status, location):
    answer = send_webmention(fixture_server.url(f"/webmention-endpoint.example/{name}"), "t")
    assert (answer.status, answer.header("Location")) == (status, location)


@pytest.mark.parametrize(
    ("name", "status"), [("invalid-request", 400), ("404-response", 404), ("500-response", 500)]
)
def test_a_webmention_endpoint_that_refuses_reports_its_status(fixture_server, name, status):
    with pytest.raises(FetchError) as caught:
        send_webmention(fixture_server.url(f"/webmention-endpoint.example/{name}"), "t")
    assert (caught.value.reason, caught.value.status) == ("http_status", status)


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("valid-response", True),
        ("empty-body", True),
        ("invalid-body", False),
        ("invalid-request", False),
        ("invalid-xmlrpc", False),
    ],
)
def test_a_pingback_server_answer_is_read(fixture_server, name, ok):
    answer = fetch.post(
        fixture_server.url(f"/pingback-endpoint.example/{name}"),
        body=render_pingback_request(SOURCE, "https://blog.example/post"),
        content_type="text/xml",
    )
    assert parse_pingback_response(answer.body).ok is ok


def test_a_pingback_server_that_is_missing_is_a_404(fixture_server):
    with pytest.raises(FetchError) as caught:
        fetch.post(
            fixture_server.url("/pingback-endpoint.example/404-response"),
            body=render_pingback_request(SOURCE, "https://blog.example/post"),
            content_type="text/xml",
        )
    assert caught.value.status == 404


@pytest.mark.parametrize(
    ("target", "outcome"),
    [
        ("webmention-target.example/no-endpoint.html", None),
        ("webmention-target.example/has-valid-endpoint.html", ("webmention", 202)),
        ("webmention-target.example/has-erroring-endpoint.html", ("webmention", 500)),
        ("pingback-target.example/no-endpoint.html", None),
        ("pingback-target.example/has-valid-endpoint.html", ("pingback", True)),
        ("pingback-target.example/has-erroring-endpoint.html", ("pingback", False)),
    ],
)
def test_a_whole_send_discovers_then_posts(fixture_server, target, outcome):
    page = fetch.get(fixture_server.url(f"/{target}"), accept=None)
    endpoint = choose_endpoint(page)
    if outcome is None:
        assert endpoint is None
        return
    protocol, expected = outcome
    assert endpoint.protocol == protocol
    url = local(fixture_server, endpoint.url)
    if protocol == "webmention":
        try:
            status = send_webmention(url, page.final_url).status
        except FetchError as error:
            status = error.status
        assert status == expected
    else:
        body = render_pingback_request(SOURCE, page.final_url)
        answer = fetch.post(url, body=body, content_type="text/xml")
        assert parse_pingback_response(answer.body).ok is expected


def test_a_local_blog_receives_one_correct_webmention(server):
    server.routes["/post/"] = Reply(headers=HTML + [("Link", '</wm?k=1>; rel="webmention"')])
    server.routes["/wm"] = Reply(202, body=b"")
    target = server.url("/post/")
    endpoint = choose_endpoint(fetch.get(target, accept=None))
    send_webmention(endpoint.url, target)
    posts = [request for request in server.requests if request.method == "POST"]
    assert len(posts) == 1
    assert posts[0].path == "/wm?k=1"  # the query stays in the URL, not in the body
    assert posts[0].body.decode() == (
        "source=https%3A%2F%2Fbioxclusters.test%2Fblog%2F2024%2F05%2Four-post%2F"
        f"&target=http%3A%2F%2F127.0.0.1%3A{server.port}%2Fpost%2F"
    )
