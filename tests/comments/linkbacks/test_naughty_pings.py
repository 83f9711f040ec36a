"""Every naughty string and XSS payload through trackback, pingback and webmention: clear answers.

Each string goes to each endpoint once, in a field its number picks, with the other fields
valid; the answer is the protocol's own (trackback XML, an XML-RPC value or fault, webmention's
plain text) or the site's 400 for a request it cannot read, never a 500. Whatever is stored
carries no character XML forbids. No name resolves here: nothing leaves the machine.
"""

import socket
import xml.etree.ElementTree as ET
from xmlrpc import client as stdlib

import pytest

from bioxclusters.bad_input import XML_FORBIDDEN
from comments.linkbacks.models import ReceivedWebmention
from comments.models import Comment
from tests.factories import make_post

from .helpers import XML, url_of

pytestmark = pytest.mark.django_db

XSS_STEP = 100  # every 100th payload: the comment form's tests take another sample


@pytest.fixture(autouse=True)
def _no_dns_and_no_limits(monkeypatch, settings):
    def getaddrinfo(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, f"no name resolves in these tests: {host!r}")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    settings.LINKBACK_RATE_LIMIT = 0
    settings.LINKBACK_SOURCE_RATE_LIMIT = 0


@pytest.fixture
def strings(naughty_strings, all_xss_payloads):
    return naughty_strings + all_xss_payloads[::XSS_STEP]


def assert_nothing_stored_carries_forbidden_characters():
    for row in Comment.objects.values("author_name", "author_url", "source_url", "body"):
        assert not any(XML_FORBIDDEN.search(value) for value in row.values()), row
    for source in ReceivedWebmention.objects.values_list("source", flat=True):
        assert not XML_FORBIDDEN.search(source), source


def test_every_string_through_the_trackback_endpoint(client, strings):
    post = make_post()
    pings = []
    for number in range(0, len(strings), 4):
        url, title, excerpt, blog_name = (strings[number : number + 4] + ["", "", ""])[:4]
        pings.append({"url": url, "title": "T"})
        pings.append(
            {"url": f"https://blog.example/{number}/", "title": title, "excerpt": excerpt,
             "blog_name": blog_name}
        )  # fmt: skip
    for ping in pings:
        response = client.post(f"/trackback/post/{post.pk}/", ping)

        assert response.status_code in {200, 400}, (ping, response.status_code)
        assert response["Content-Type"].startswith("text/xml"), ping
        answer = ET.fromstring(response.content)
        assert answer.findtext("error") == "0" or answer.findtext("message"), ping
    assert Comment.objects.filter(kind=Comment.Kind.TRACKBACK).count() > len(pings) / 3
    assert_nothing_stored_carries_forbidden_characters()


def test_every_string_through_the_webmention_endpoint(client, strings):
    target = url_of(make_post())
    for number, value in enumerate(strings):
        form = {"source": f"https://blog.example/{number}/", "target": target}
        form["source" if number % 2 else "target"] = value

        response = client.post("/webmention/", form)

        assert response.status_code in {201, 400}, (value, response.status_code)
        assert response["Content-Type"].startswith("text/plain"), value
        assert response.content.strip(), value
    assert_nothing_stored_carries_forbidden_characters()


def test_every_string_through_the_pingback_endpoint(client, strings):
    target = url_of(make_post())
    for number, value in enumerate(strings):
        params = [f"https://blog.example/{number}/", target]
        params[number % 2] = value
        body = stdlib.dumps(tuple(params), "pingback.ping")

        response = client.post("/xmlrpc/", body, content_type=XML)

        assert response.status_code == 200, (value, response.status_code)
        with pytest.raises(stdlib.Fault):
            stdlib.loads(response.content)
    assert not Comment.objects.exists()


def test_a_trackback_with_control_characters_is_refused_or_stored_without_them(client):
    post = make_post()

    refused = client.post(
        f"/trackback/post/{post.pk}/", {"url": "https://blog.example/\x01x/", "title": "T"}
    )
    stored = client.post(
        f"/trackback/post/{post.pk}/",
        {
            "url": "https://blog.example/a/",
            "title": "Bell\x07 and escape\x1b[0m",
            "excerpt": "\x0b",
        },
    )

    assert refused.status_code == 400
    assert b"<error>1</error>" in refused.content
    assert stored.status_code == 200 and b"<error>0</error>" in stored.content
    assert Comment.objects.get().author_name == "Bell and escape[0m"
