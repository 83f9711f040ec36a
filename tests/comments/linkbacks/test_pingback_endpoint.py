"""The XML-RPC endpoint: pingbacks from a real client to /xmlrpc/, every fault, every refusal.

EXPECTATIONS.md sections 1, 3 and 4: the zinnia call table (with faults raised, not returned),
WordPress's order of checks (cheap target checks before the source is fetched) and its hidden
faults. Sources are served by a real server on 127.0.0.1.
"""

from datetime import timedelta
from xmlrpc import client as stdlib

import pytest
from django.utils import timezone

from clusters.models import Status as PostStatus
from comments import services
from comments.models import Comment
from tests.factories import make_cluster, make_page, make_post, make_user

from .helpers import fault_code, linkbacks_on, page_linking_to, url_of, xmlrpc_call
from .http_server import HTML, Reply
from .test_fetch import fake_dns
from .test_xmlrpc import BILLION_LAUGHS, EXTERNAL_ENTITY, HARMLESS_DOCTYPE, QUADRATIC_BLOWUP

pytestmark = pytest.mark.django_db

PING = "pingback.ping"
GET_PINGBACKS = "pingback.extensions.getPingbacks"
HOME = "https://bioxclusters.test/"


@pytest.fixture(autouse=True)
def _detailed_faults(settings):
    # Most tests read the spec's codes; the hidden mode has tests of its own.
    settings.PINGBACK_HIDE_FAULTS = False


@pytest.fixture
def entry():
    """Return a published post that takes pings (zinnia's "entry 1")."""
    return make_post(title="Biobanks in Europe", slug="biobanks")


@pytest.fixture
def source(server, entry):
    """Return the address of a page on 127.0.0.1 that links to ``entry`` (zinnia's "entry 2")."""
    server.routes["/their-post"] = page_linking_to(url_of(entry), title="Their <b>post</b>")
    return server.url("/their-post")


def ping(client, source, target):
    return xmlrpc_call(client, PING, source, target)


# What a pingback client sees, through a live server (the "Done when")


@pytest.fixture
def live_site(live_server, settings):
    # tests/conftest.py sets ALLOWED_HOSTS after pytest-django added the live server's host.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
    return live_server.url


@pytest.mark.django_db(transaction=True)
def test_a_pingback_client_sees_its_ping_wait_for_moderation_then_shown(live_site, server, client):
    post = make_post(title="Biobanks in Europe", slug="biobanks")
    server.routes["/news"] = page_linking_to(url_of(post), title="Elsewhere: biobanks news")
    proxy = stdlib.ServerProxy(f"{live_site}/xmlrpc/")

    answer = proxy.pingback.ping(server.url("/news"), url_of(post))

    assert answer == (
        f"Pingback from {server.url('/news')} to {url_of(post)} registered. "
        "Keep the web talking! :-)"
    )
    pingback = linkbacks_on(post).get()
    assert (pingback.kind, pingback.status) == (Comment.Kind.PINGBACK, Comment.Status.PENDING)
    assert pingback.held_reasons == [{"code": "pingback", "host": "127.0.0.1"}]
    assert pingback.author_name == "Elsewhere: biobanks news"
    assert pingback.body == "[…] We read their news today. […]"

    moderator = make_user(is_staff=True, groups=["Moderators"])
    client.force_login(moderator)
    queue = client.get("/admin/comments/comment/").content.decode()
    assert "pingback from 127.0.0.1 awaits moderation" in queue
    assert "Pingback: Elsewhere" not in client.get(url_of(post)).content.decode()

    services.comment_set_status(comment=pingback, status="approved", by=moderator)

    page = client.get(post.get_absolute_url()).content.decode()
    assert '<span class="ping-kind">Pingback:</span>' in page
    assert f'<a href="{server.url("/news")}"' in page
    assert "Elsewhere: biobanks news</a>" in page
    with pytest.raises(stdlib.Fault) as again:
        proxy.pingback.ping(server.url("/news"), url_of(post))
    assert again.value.faultCode == 48


# The zinnia table, in WordPress's order


def test_a_ping_is_registered_once_then_already_registered(client, source, entry, server):
    assert ping(client, source, url_of(entry)).startswith(f"Pingback from {source} to ")
    assert linkbacks_on(entry).count() == 1

    assert fault_code(client, PING, source, url_of(entry)) == 48
    # Duplicates are refused before the source is fetched again.
    assert server.paths_requested() == ["/their-post"]


def test_the_stored_pingback_is_plain_text_from_the_source(client, source, entry):
    ping(client, source, url_of(entry))

    pingback = linkbacks_on(entry).get()
    assert pingback.author_name == "Their <b>post</b>"  # the <title>'s text, markup and all
    assert pingback.source_url == source
    assert pingback.body == "[…] We read their news today. […]"
    assert "<b>" not in pingback.body_html


def fill(value, *, source, entry):
    """Replace the placeholders of the tables: SOURCE (links to ENTRY) and ENTRY."""
    return {"SOURCE": source, "ENTRY": url_of(entry)}.get(value, value)


@pytest.mark.parametrize(
    ("source_url", "target_url", "code"),
    [
        ("toto", "titi", 0),  # not URLs
        (HOME, HOME, 0),  # source == target
        ("javascript:alert(1)", "ENTRY", 0),
        ("ENTRY", "ENTRY", 0),  # the same resource
        # The target is checked before the source is fetched (WordPress's order), so a
        # target that is not a URL is 0 where zinnia, fetching first, said 17.
        ("SOURCE", "toto", 0),
        ("SOURCE", "https://bioxclusters.test/error-404/", 32),  # our domain, no such page
        ("SOURCE", "https://bioxclusters.test/blog/2016/01/no-such-post/", 32),
        ("SOURCE", "http://external.example/", 32),  # not our domain
        ("SOURCE", HOME, 33),  # the home page: not an entry
        ("SOURCE", "https://bioxclusters.test/blog/2016/", 33),  # an archive
        ("SOURCE", "https://bioxclusters.test/blog/", 33),
    ],
)
def test_cheap_checks_answer_before_any_fetch(
    client, source, entry, server, source_url, target_url, code
):
    params = [fill(value, source=source, entry=entry) for value in (source_url, target_url)]

    assert fault_code(client, PING, *params) == code
    assert server.requests == []
    assert not linkbacks_on(entry).exists()


def test_a_target_with_pings_closed_is_not_pingable(client, source, entry, server):
    entry.allow_pings = False
    entry.save()

    assert fault_code(client, PING, source, url_of(entry)) == 33
    assert server.requests == []

    entry.allow_pings = True
    entry.save()
    assert ping(client, source, url_of(entry)).startswith("Pingback from")


@pytest.mark.parametrize(
    "state",
    [
        {"status": PostStatus.DRAFT},
        {"status": PostStatus.SCHEDULED, "published_at": timezone.now() + timedelta(days=2)},
    ],
    ids=["draft", "scheduled"],
)
def test_a_post_the_public_cannot_see_does_not_exist(client, server, state):
    post = make_post(slug="not-yet", **state)
    server.routes["/p"] = page_linking_to(url_of(post))

    assert fault_code(client, PING, server.url("/p"), url_of(post)) == 32
    assert not linkbacks_on(post).exists()


def test_the_site_wide_switch_denies_every_ping(client, source, entry, discussion):
    discussion.pings_open = False
    discussion.save()

    assert fault_code(client, PING, source, url_of(entry)) == 49


def test_pages_and_cluster_profiles_take_pings_too(client, server):
    page, cluster = make_page(slug="about"), make_cluster(slug="biom")
    for obj in (page, cluster):
        server.routes[f"/{obj.slug}"] = page_linking_to(url_of(obj))
        ping(client, server.url(f"/{obj.slug}"), url_of(obj))
        assert linkbacks_on(obj).get().status == Comment.Status.PENDING


def test_a_fragment_in_the_target_still_finds_the_post(client, server, entry):
    target = f"{url_of(entry)}#comments"
    server.routes["/p"] = page_linking_to(target)

    ping(client, server.url("/p"), target)

    assert linkbacks_on(entry).count() == 1


# The source fetch


@pytest.mark.parametrize(
    ("reply", "code"),
    [
        (Reply(404, list(HTML), b"gone"), 16),
        (Reply(500, list(HTML), b"oops"), 16),
        # Pingback follows no redirect: the page behind one is not fetched.
        (Reply(302, [("Location", "/elsewhere")]), 16),
        (Reply(200, [("Content-Type", "image/png")], b"\x89PNG"), 17),
        (page_linking_to("https://bioxclusters.test/blog/2016/01/another/"), 17),
        (Reply(200, list(HTML), b"<title>t</title><p>https://bioxclusters.test/ only</p>"), 17),
    ],
    ids=["404", "500", "redirect", "png", "links-elsewhere", "bare-text"],
)
def test_a_source_that_cannot_be_used_is_refused(client, server, entry, reply, code):
    server.routes["/src"] = reply

    assert fault_code(client, PING, server.url("/src"), url_of(entry)) == code
    assert not linkbacks_on(entry).exists()


def test_an_unreachable_source_does_not_exist(client, settings, entry):
    settings.LINKBACK_ALLOW_LOOPBACK = True
    settings.LINKBACK_ALLOWED_PORTS = (80, 443, 8080, 9)
    assert fault_code(client, PING, "http://127.0.0.1:9/post", url_of(entry)) == 16


def test_a_slow_source_times_out(client, server, settings, entry):
    settings.LINKBACK_TIMEOUT = 0.2
    server.routes["/slow"] = Reply(body=b"<title>t</title>", delay_headers=2)

    assert fault_code(client, PING, server.url("/slow"), url_of(entry)) == 16


def test_a_huge_source_is_not_read_past_the_cap(client, server, settings, entry):
    settings.LINKBACK_MAX_BYTES = 10_000
    server.routes["/huge"] = Reply(stream_bytes=5_000_000, content_length=False)

    assert fault_code(client, PING, server.url("/huge"), url_of(entry)) == 0


# The network rules, through the endpoint


@pytest.mark.parametrize(
    "source_url",
    [
        "http://127.0.0.1/post",
        "http://10.0.0.1/post",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/post",
        "http://[::ffff:10.0.0.1]/post",
        "http://0.0.0.0/post",
        "ftp://blog.example/post",
        "http://blog.example:22/post",
        "http://user:secret@blog.example/post",
    ],
)
def test_sources_on_forbidden_addresses_are_never_fetched(client, entry, source_url):
    # The autouse guard fails the test if any of these gets a connection.
    assert fault_code(client, PING, source_url, url_of(entry)) == 0
    assert not linkbacks_on(entry).exists()


def test_a_name_resolving_to_a_private_address_is_refused(client, entry, monkeypatch):
    fake_dns(monkeypatch, {"intranet.example": ["10.1.2.3"]})

    assert fault_code(client, PING, "http://intranet.example/wiki", url_of(entry)) == 0


def test_our_own_test_server_is_refused_while_loopback_is_off(client, server, settings, entry):
    server.routes["/p"] = page_linking_to(url_of(entry))
    settings.LINKBACK_ALLOW_LOOPBACK = False

    assert fault_code(client, PING, server.url("/p"), url_of(entry)) == 0
    assert server.requests == []


def test_a_redirect_to_a_private_address_is_not_followed(client, server, entry):
    server.routes["/jump"] = Reply(302, [("Location", "http://10.0.0.1/admin")])

    assert fault_code(client, PING, server.url("/jump"), url_of(entry)) == 16
    assert server.paths_requested() == ["/jump"]


# Faults hidden (the default without DEBUG) and shown


@pytest.fixture
def fault_cases(client, server, entry, discussion, settings):
    """Return a function that triggers each spec fault, by code."""
    server.routes["/good"] = page_linking_to(url_of(entry))
    server.routes["/none"] = page_linking_to("https://elsewhere.example/")
    closed = make_post(slug="closed", allow_pings=False)

    def trigger(code):
        if code == 0:
            return fault_code(client, PING, "toto", "titi")
        if code == 16:
            return fault_code(client, PING, server.url("/missing"), url_of(entry))
        if code == 17:
            return fault_code(client, PING, server.url("/none"), url_of(entry))
        if code == 32:
            return fault_code(client, PING, server.url("/good"), "http://external.example/")
        if code == 33:
            return fault_code(client, PING, server.url("/good"), url_of(closed))
        if code == 48:
            xmlrpc_call(client, PING, server.url("/good"), url_of(entry))
            return fault_code(client, PING, server.url("/good"), url_of(entry))
        if code == 49:
            discussion.pings_open = False
            discussion.save()
            return fault_code(client, PING, server.url("/good"), url_of(entry))
        raise AssertionError(code)

    return trigger


@pytest.mark.parametrize("code", [0, 16, 17, 32, 33, 48, 49])
def test_every_fault_has_its_code_when_faults_are_shown(fault_cases, code):
    assert fault_cases(code) == code


@pytest.mark.parametrize("code", [0, 16, 17, 32, 33, 49])
def test_every_fault_but_48_is_a_bare_zero_when_hidden(fault_cases, settings, code):
    settings.PINGBACK_HIDE_FAULTS = True
    assert fault_cases(code) == 0


def test_already_registered_stays_48_when_hidden(fault_cases, settings):
    settings.PINGBACK_HIDE_FAULTS = True
    assert fault_cases(48) == 48


def test_a_hidden_fault_has_an_empty_message(client, settings):
    settings.PINGBACK_HIDE_FAULTS = True
    with pytest.raises(stdlib.Fault) as caught:
        xmlrpc_call(client, PING, "http://10.0.0.1/", "https://bioxclusters.test/")
    assert (caught.value.faultCode, caught.value.faultString) == (0, "")


def test_a_shown_fault_says_what_is_wrong(client, entry):
    with pytest.raises(stdlib.Fault) as caught:
        xmlrpc_call(client, PING, "http://10.0.0.1/", url_of(entry))
    assert caught.value.faultString == "A valid URL was not provided."


# The XML-RPC layer, through the endpoint


@pytest.mark.parametrize(
    "body",
    [BILLION_LAUGHS, QUADRATIC_BLOWUP, EXTERNAL_ENTITY, HARMLESS_DOCTYPE, b"<methodCall>", b""],
    ids=["billion-laughs", "quadratic-blowup", "external-entity", "doctype", "unclosed", "empty"],
)
def test_xml_bombs_and_broken_xml_are_a_parse_fault(client, body, settings):
    settings.PINGBACK_HIDE_FAULTS = True  # protocol faults are never hidden
    response = client.post("/xmlrpc/", body, content_type="text/xml")

    with pytest.raises(stdlib.Fault) as caught:
        stdlib.loads(response.content)
    assert caught.value.faultCode == -32700
    assert not Comment.objects.exists()


def test_a_request_over_the_size_cap_is_refused_unread(client, settings):
    settings.PINGBACK_MAX_REQUEST_BYTES = 1000
    body = stdlib.dumps(("x" * 2000, "y"), PING)

    response = client.post("/xmlrpc/", body, content_type="text/xml")

    with pytest.raises(stdlib.Fault) as caught:
        stdlib.loads(response.content)
    assert caught.value.faultCode == -32600


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("system.multicall", ([{"methodName": PING, "params": ["a", "b"]}],)),
        ("system.listMethods", ()),
        ("pingback.extensions.getPingbacks2", ("x",)),
        ("demo.sayHello", ()),
    ],
)
def test_only_the_two_pingback_methods_exist(client, method, params):
    assert fault_code(client, method, *params) == -32601


def test_wrong_parameters_are_a_fault(client):
    assert fault_code(client, PING, "only-one") == -32602
    assert fault_code(client, PING, 1, 2) == -32602


def test_a_get_is_refused_with_a_reason(client):
    response = client.get("/xmlrpc/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert b"POST" in response.content


# pingback.extensions.getPingbacks


def test_get_pingbacks_lists_the_approved_pingbacks_of_a_page(client, source, entry):
    other = make_post(slug="other")
    assert xmlrpc_call(client, GET_PINGBACKS, url_of(other)) == []

    ping(client, source, url_of(entry))
    assert xmlrpc_call(client, GET_PINGBACKS, url_of(entry)) == []  # still pending

    services.comment_set_status(
        comment=linkbacks_on(entry).get(), status="approved", by=make_user()
    )
    assert xmlrpc_call(client, GET_PINGBACKS, url_of(entry)) == [source]


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://external.example/post/", 32),
        ("https://bioxclusters.test/error-404/", 32),
        ("https://bioxclusters.test/blog/2016/", 33),
        ("https://bioxclusters.test/", 33),
    ],
)
def test_get_pingbacks_of_something_that_is_not_an_entry(client, url, code):
    assert fault_code(client, GET_PINGBACKS, url) == code


# Rate limits


def test_too_many_requests_from_one_address_are_denied(client, source, entry, settings):
    settings.LINKBACK_RATE_LIMIT = 3
    for _ in range(3):
        fault_code(client, PING, "toto", "titi")

    assert fault_code(client, PING, source, url_of(entry)) == 49
    assert not linkbacks_on(entry).exists()


def test_too_many_pings_naming_one_source_host_are_denied(client, server, settings):
    settings.LINKBACK_SOURCE_RATE_LIMIT = 2
    posts = [make_post(slug=f"p{n}") for n in range(3)]
    for post in posts:
        server.routes[f"/{post.slug}"] = page_linking_to(url_of(post))

    results = []
    for post in posts:
        try:
            results.append(xmlrpc_call(client, PING, server.url(f"/{post.slug}"), url_of(post)))
        except stdlib.Fault as fault:
            results.append(fault.faultCode)

    assert [isinstance(result, str) for result in results] == [True, True, False]
    assert results[2] == 49
    assert server.paths_requested() == ["/p0", "/p1"]
