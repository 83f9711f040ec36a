"""The webmention endpoint: form posts to /webmention/, the status page, verification in a task.

EXPECTATIONS.md sections 2b and 2d (webmention.rocks' receiver tests and what its own endpoint
refuses), 5 (django-webmention's case table, with a spec-following design) and 6 (the
wordpress-webmention mf2 pages, served by a real server and sent through the endpoint).
"""

import html
import json
import re
from urllib.parse import urlencode, urlsplit

import pytest

from comments import services
from comments.linkbacks.models import ReceivedWebmention
from comments.models import Comment, CommentStatusChange
from tests.factories import make_post, make_user

from .helpers import linkbacks_on, page_linking_to, url_of
from .http_server import HTML, Reply
from .test_fetch import fake_dns
from .test_verify import MF2_FIXTURES, MF2_SOURCE, MF2_TARGET, RESPONSE_TYPES, plain

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
Status = ReceivedWebmention.Status


@pytest.fixture
def post():
    return make_post(title="Biobanks in Europe", slug="biobanks")


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """Return a function that POSTs a webmention and runs its verification task."""

    def send(source, target, *, verify=True, **extra):
        body = urlencode({"source": source, "target": target})
        with django_capture_on_commit_callbacks(execute=verify):
            return client.post("/webmention/", body, content_type=FORM, **extra)

    return send


def status_page(client, response) -> str:
    return client.get(urlsplit(response["Location"]).path).content.decode()


# Receiving (webmention.rocks receiver 1) and what the sender and the moderators see


def test_a_valid_webmention_is_created_with_a_status_page(client, send, server, post):
    server.routes["/reply"] = page_linking_to(url_of(post), title="A reply")

    response = send(server.url("/reply"), url_of(post), verify=False)

    assert response.status_code == 201
    received = ReceivedWebmention.objects.get()
    assert response["Location"] == f"https://bioxclusters.test/webmention/{received.token}/"
    page = status_page(client, response)
    assert "Status: Queued for verification" in page
    assert f"Source: {server.url('/reply')}" in page
    assert not linkbacks_on(post).exists()  # nothing fetched while the sender waited
    assert server.requests == []


def test_a_verified_webmention_waits_for_moderation_then_shows(client, send, server, post):
    server.routes["/reply"] = page_linking_to(url_of(post), title="A reply from elsewhere")

    response = send(server.url("/reply"), url_of(post))

    mention = linkbacks_on(post).get()
    assert (mention.kind, mention.status) == (Comment.Kind.WEBMENTION, Comment.Status.PENDING)
    assert mention.held_reasons == [{"code": "webmention", "host": "127.0.0.1"}]
    assert mention.author_name == "A reply from elsewhere"
    assert "Status: Accepted" in status_page(client, response)
    assert "Note: Awaiting moderation." in status_page(client, response)

    moderator = make_user(is_staff=True, groups=["Moderators"])
    client.force_login(moderator)
    assert (
        "webmention from 127.0.0.1 awaits moderation"
        in client.get("/admin/comments/comment/").content.decode()
    )
    services.comment_set_status(comment=mention, status="approved", by=moderator)
    page = client.get(post.get_absolute_url()).content.decode()
    assert '<span class="ping-kind">Webmention:</span>' in page
    assert "A reply from elsewhere</a>" in page


def test_the_status_page_address_comes_from_the_site_url(send, server, post, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    server.routes["/r"] = page_linking_to(url_of(post))

    response = send(server.url("/r"), url_of(post), verify=False, HTTP_HOST="evil.example")

    assert response["Location"].startswith("https://bioxclusters.test/webmention/")


def test_an_unknown_status_page_is_not_found(client):
    assert client.get("/webmention/nope/").status_code == 404


# Bad requests (webmention.rocks receiver 2 and its own endpoint's checks)


@pytest.mark.parametrize(
    ("source", "target", "code"),
    [
        ("qwfpgjluyarstdhneio", "TARGET", "invalid_source"),
        ("SOURCE", "zxcvbkmqwfpgj", "invalid_target"),
        ("qwfpgjluy", "zxcvbkmqw", "invalid_source"),
        ("", "TARGET", "missing_source"),
        ("SOURCE", "", "missing_target"),
        ("ftp://blog.example/post", "TARGET", "invalid_source"),
        ("http:///no-host", "TARGET", "invalid_source"),
        ("TARGET", "TARGET", "invalid_source"),
        ("SOURCE", "https://elsewhere.example/post/", "invalid_target"),
        ("SOURCE", "https://bioxclusters.test/", "invalid_target"),
        ("SOURCE", "https://bioxclusters.test/blog/", "invalid_target"),
        ("SOURCE", "https://bioxclusters.test/no-such-page/", "invalid_target"),
    ],
)
def test_a_bad_request_is_400_with_its_reason(send, server, post, source, target, code):
    values = {"SOURCE": server.url("/src"), "TARGET": url_of(post)}

    response = send(values.get(source, source), values.get(target, target))

    assert response.status_code == 400
    assert response.content.decode().startswith(f"{code}: ")
    assert not ReceivedWebmention.objects.exists()
    assert not linkbacks_on(post).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"allow_pings": False}, "The target does not accept webmentions."),
        ({"status": "draft"}, "The target does not exist."),
    ],
)
def test_a_post_closed_or_unpublished_takes_no_webmention(send, server, post, change, message):
    for field, value in change.items():
        setattr(post, field, value)
    post.save()

    response = send(server.url("/src"), url_of(post))

    assert (response.status_code, response.content.decode()) == (
        400,
        f"invalid_target: {message}\n",
    )


def test_the_site_wide_switch_refuses_webmentions(send, server, post, discussion):
    discussion.pings_open = False
    discussion.save()

    assert send(server.url("/src"), url_of(post)).status_code == 400


def test_only_form_encoded_requests_are_read(client, post):
    body = json.dumps({"source": "https://blog.example/p", "target": url_of(post)})

    response = client.post("/webmention/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.content.decode().startswith("invalid_content_type")


def test_a_get_is_refused(client):
    response = client.get("/webmention/")
    assert (response.status_code, response["Allow"]) == (405, "POST")


# Verification: exact links, media types, failures


def test_the_source_must_link_to_exactly_the_target(client, send, server, post):
    server.routes["/near"] = page_linking_to(url_of(post).rstrip("/"))

    response = send(server.url("/near"), url_of(post))

    assert response.status_code == 201
    assert not linkbacks_on(post).exists()
    page = status_page(client, response)
    assert "Status: Rejected" in page
    assert "Note: The source does not link to the target." in page


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", '{"properties": {"in-reply-to": ["TARGET"]}}'),
        ("application/activity+json", '{"object": {"inReplyTo": "TARGET"}}'),
        ("text/plain", "I liked TARGET a lot."),
    ],
)
def test_json_and_text_sources_link_by_containing_the_target(
    send, server, post, content_type, body
):
    server.routes["/s"] = Reply(
        200, [("Content-Type", content_type)], body.replace("TARGET", url_of(post)).encode()
    )

    send(server.url("/s"), url_of(post))

    assert linkbacks_on(post).get().status == Comment.Status.PENDING


@pytest.mark.parametrize(
    ("reply", "note"),
    [
        (Reply(404, list(HTML), b"no"), "the server answered HTTP 404"),
        (Reply(200, [("Content-Type", "image/png")], b"\x89PNG"), "not of a usable type"),
        (Reply(200, list(HTML), b"", delay_headers=2), "took too long"),
    ],
)
def test_a_source_that_cannot_be_read_is_rejected(
    client, send, server, post, settings, reply, note
):
    settings.LINKBACK_TIMEOUT = 0.2
    server.routes["/s"] = reply

    response = send(server.url("/s"), url_of(post))

    assert note in status_page(client, response)
    assert not linkbacks_on(post).exists()


def test_a_source_may_redirect_to_its_final_page(send, server, post):
    server.routes["/old"] = Reply(301, [("Location", "/new")])
    server.routes["/new"] = page_linking_to(url_of(post))

    send(server.url("/old"), url_of(post))

    mention = linkbacks_on(post).get()
    assert mention.source_url == server.url("/old")  # what the sender said, for updates


# The network rules, through the endpoint


@pytest.mark.parametrize(
    "source",
    [
        "http://10.0.0.1/post",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/post",
        "http://127.0.0.1/post",
        "http://[fd00:ec2::254]/",
    ],
)
def test_a_source_on_a_private_address_is_refused_at_once(send, post, source):
    response = send(source, url_of(post))

    assert response.status_code == 400
    assert response.content.decode() == "invalid_source: The source is not on a public address.\n"


@pytest.mark.parametrize("kind", ["name", "redirect"])
def test_a_source_that_leads_to_a_private_address_is_never_fetched(
    client, send, server, post, monkeypatch, kind
):
    fake_dns(monkeypatch, {"intranet.example": ["10.1.2.3"]})
    server.routes["/jump"] = Reply(302, [("Location", "http://10.0.0.1/admin")])
    source = "http://intranet.example/wiki" if kind == "name" else server.url("/jump")

    response = send(source, url_of(post))

    assert response.status_code == 201  # names are resolved, and vetted, in the task
    page = status_page(client, response)
    assert "Status: Rejected" in page
    assert "the host is not on a public address" in page
    # The address refused is not told (the page's timestamps may hold "10.", never these).
    assert "10.1.2.3" not in page and "10.0.0.1" not in page
    assert not linkbacks_on(post).exists()


def test_our_test_server_is_refused_while_loopback_is_off(client, send, server, post, settings):
    server.routes["/p"] = page_linking_to(url_of(post))
    settings.LINKBACK_ALLOW_LOOPBACK = False

    response = send(server.url("/p"), url_of(post))

    assert response.status_code == 400
    assert server.requests == []


# Updates and deletes (the same source sent again)


def test_a_mention_is_updated_withdrawn_and_restored_by_its_source(client, send, server, post):
    source = server.url("/note")
    server.routes["/note"] = page_linking_to(url_of(post), title="First", text="I first said")
    send(source, url_of(post))
    mention = linkbacks_on(post).get()
    services.comment_set_status(comment=mention, status="approved", by=make_user())

    server.routes["/note"] = page_linking_to(url_of(post), title="Edited", text="Then I said")
    send(source, url_of(post))
    mention.refresh_from_db()
    assert linkbacks_on(post).count() == 1
    assert (mention.author_name, mention.status) == ("Edited", Comment.Status.APPROVED)
    assert mention.body.startswith("[…] Then I said")

    server.routes["/note"] = page_linking_to("https://elsewhere.example/", title="Edited")
    response = send(source, url_of(post))
    mention.refresh_from_db()
    assert mention.status == Comment.Status.TRASH
    assert "Status: Removed" in status_page(client, response)
    change = CommentStatusChange.objects.filter(comment=mention).last()
    assert (change.new_status, change.by, change.reasons) == (
        "trash",
        None,
        [{"code": "source_unlinked"}],
    )
    assert change.note_text() == "The source does not link to the target."
    assert "Edited" not in client.get(post.get_absolute_url()).content.decode()

    server.routes["/note"] = page_linking_to(url_of(post), title="Back")
    send(source, url_of(post))
    mention.refresh_from_db()
    assert (mention.author_name, mention.status) == ("Back", Comment.Status.PENDING)

    server.routes["/note"] = Reply(410, list(HTML), b"gone")
    response = send(source, url_of(post))
    mention.refresh_from_db()
    assert mention.status == Comment.Status.TRASH
    assert "The source is gone (HTTP 410)." in status_page(client, response)


def test_a_mention_trashed_by_a_moderator_stays_in_the_trash(send, server, post):
    server.routes["/n"] = page_linking_to(url_of(post))
    send(server.url("/n"), url_of(post))
    mention = linkbacks_on(post).get()
    services.comment_set_status(comment=mention, status="trash", by=make_user())

    send(server.url("/n"), url_of(post))

    mention.refresh_from_db()
    assert mention.status == Comment.Status.TRASH


def test_a_source_that_never_linked_is_just_rejected(client, send, server, post):
    server.routes["/n"] = Reply(410, list(HTML), b"gone")

    response = send(server.url("/n"), url_of(post))

    assert "Status: Rejected" in status_page(client, response)
    assert not linkbacks_on(post).exists()


# Microformats: the wordpress-webmention pages through the endpoint (EXPECTATIONS.md section 6)


def serve_mf2_fixture(server, folder, name, target):
    """Serve a fixture page with its placeholders pointing at ``target`` and the server."""
    source = server.url(f"/mf2/{name}")
    text = (folder / f"{name}.html").read_text(encoding="utf-8")
    text = text.replace(MF2_TARGET, target).replace(MF2_SOURCE, source)
    server.routes[f"/mf2/{name}"] = Reply(200, list(HTML), text.encode())
    return source


@pytest.mark.parametrize("name", MF2_FIXTURES)
def test_mf2_sources_give_the_mention_its_author_and_content(
    send, server, post, mf2_fixtures, name
):
    source = serve_mf2_fixture(server, mf2_fixtures, name, url_of(post))
    raw = (mf2_fixtures / f"{name}.json").read_text(encoding="utf-8")
    expected = json.loads(raw.replace(MF2_TARGET, url_of(post)).replace(MF2_SOURCE, source))

    send(source, url_of(post))

    mention = linkbacks_on(post).get()
    data = mention.linkback_data
    author = expected["author"]
    if "name" in author:
        assert mention.author_name == author["name"]
    if "url" in author:
        assert data.get("author_url") == author["url"] == mention.author_url
    if "photo" in author:
        assert data.get("author_photo") == author["photo"]
    if "url" in expected:
        assert data.get("url") == expected["url"]
    for key in ("content", "summary"):
        if key in expected:
            assert " ".join(mention.body.split()) == plain(expected[key])
    if "response_type" in expected:
        kind, rsvp = RESPONSE_TYPES.get(expected["response_type"], (expected["response_type"], ""))
        assert (data.get("response_type"), data.get("rsvp", "")) == (kind, rsvp)


def test_nothing_executable_from_mf2_sources_reaches_the_post_page(
    client, send, server, post, mf2_fixtures
):
    for name in MF2_FIXTURES:
        send(serve_mf2_fixture(server, mf2_fixtures, name, url_of(post)), url_of(post))
    moderator = make_user()
    for mention in linkbacks_on(post):
        services.comment_set_status(comment=mention, status="approved", by=moderator)
    assert linkbacks_on(post, status="approved").count() == len(MF2_FIXTURES)

    page = client.get(post.get_absolute_url()).content.decode()

    section = page[page.index('id="comments"') :]
    assert "Checkmention XSS test" in section
    assert "Does clicking me alert?" in section
    assert "alert(" not in section
    assert "javascript:" not in section.lower()
    assert not re.search(r"<(script|img|svg|iframe|object)\b", section.split("<form")[0], re.I)
    for href in re.findall(r'href="([^"]*)"', section):
        assert html.unescape(href).startswith(("http://", "https://", "/", "?", "#")), href


# Rate limits


def test_too_many_webmentions_from_one_address_are_429(send, server, post, settings):
    settings.LINKBACK_RATE_LIMIT = 2
    send("nope", url_of(post))
    send("nope", url_of(post))

    response = send(server.url("/src"), url_of(post))

    assert response.status_code == 429
    assert response.content.decode().startswith("rate_limited: ")


def test_too_many_webmentions_naming_one_source_host_are_429(send, server, post, settings):
    settings.LINKBACK_SOURCE_RATE_LIMIT = 2
    server.routes["/a"] = page_linking_to(url_of(post))
    assert send(server.url("/a"), url_of(post)).status_code == 201
    assert send(server.url("/a"), url_of(post)).status_code == 201

    assert send(server.url("/b"), url_of(post)).status_code == 429
