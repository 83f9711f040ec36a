"""Advertising: the pages that take linkbacks say where to send them, and no other page does.

Pingback 1.0 autodiscovery (an X-Pingback header and one exact <link> element), Webmention
3.1.2 (a Link header and <link rel="webmention">) and the TrackBack RDF, all built from
SITE_URL, never from the request's Host header.
"""

import re
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.utils import timezone

from comments.linkbacks.advertise import Endpoints, add_headers
from comments.linkbacks.discovery import pingback_endpoint, webmention_endpoint
from comments.linkbacks.fetch import Response
from tests.factories import make_cluster, make_page, make_post, make_user

pytestmark = pytest.mark.django_db

XMLRPC = "https://bioxclusters.test/xmlrpc/"
WEBMENTION = "https://bioxclusters.test/webmention/"
# The client algorithm of Pingback 1.0, section "Autodiscovery".
PINGBACK_LINK = re.compile(r'<link rel="pingback" href="([^"]+)" ?/?>')


def as_fetched(response, url) -> Response:
    """Return a test-client response as the linkback fetcher would give it to discovery."""
    return Response(
        final_url=url,
        status=response.status_code,
        headers=tuple(response.headers.items()),
        content_type="text/html",
        body=response.content,
    )


@pytest.fixture(params=["post", "page", "cluster"])
def pingable(request):
    return {"post": make_post, "page": make_page, "cluster": make_cluster}[request.param]()


def test_a_page_that_takes_linkbacks_advertises_all_three(client, pingable):
    response = client.get(pingable.get_absolute_url())
    page = response.content.decode()

    assert response["X-Pingback"] == XMLRPC
    assert response["Link"] == f'<{WEBMENTION}>; rel="webmention"'
    assert PINGBACK_LINK.findall(page) == [XMLRPC]
    assert page.count('rel="webmention"') == 1
    assert f'<link rel="webmention" href="{WEBMENTION}">' in page
    trackback = f"https://bioxclusters.test/trackback/{pingable._meta.model_name}/{pingable.pk}/"
    assert f'trackback:ping="{trackback}"' in page
    assert f'rdf:about="https://bioxclusters.test{pingable.get_absolute_url()}"' in page


def test_our_own_discovery_finds_our_endpoints(client, pingable):
    url = f"https://bioxclusters.test{pingable.get_absolute_url()}"
    fetched = as_fetched(client.get(pingable.get_absolute_url()), url)

    assert webmention_endpoint(fetched) == WEBMENTION
    assert pingback_endpoint(fetched) == XMLRPC


def test_the_addresses_come_from_the_site_url_not_the_host_header(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    post = make_post()

    response = client.get(post.get_absolute_url(), HTTP_HOST="evil.example")

    assert response["X-Pingback"] == XMLRPC
    assert "evil.example" not in response["Link"]
    assert "evil.example" not in response.content.decode()


def assert_advertises_nothing(response):
    page = response.content.decode()
    assert not response.has_header("X-Pingback")
    assert "webmention" not in response.get("Link", "")
    assert 'rel="pingback"' not in page
    assert 'rel="webmention"' not in page
    assert "trackback:ping" not in page


def test_a_post_with_pings_closed_advertises_nothing(client):
    post = make_post(allow_pings=False)
    assert_advertises_nothing(client.get(post.get_absolute_url()))


def test_with_linkbacks_off_site_wide_nothing_is_advertised(client, discussion):
    discussion.pings_open = False
    discussion.save()
    post = make_post()

    assert_advertises_nothing(client.get(post.get_absolute_url()))


@pytest.mark.parametrize("url", ["/", "/blog/", "/clusters/", "/blog/2016/", "/no-such-page/"])
def test_pages_that_are_not_entries_advertise_nothing(client, url):
    make_post()
    assert_advertises_nothing(client.get(url))


def test_a_preview_of_a_draft_advertises_nothing(client):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    for draft in (
        make_post(status="draft"),
        make_page(status="scheduled", published_at=timezone.now() + timedelta(days=1)),
    ):
        response = client.get(draft.get_absolute_url())
        assert response.status_code == 200
        assert_advertises_nothing(response)


def test_a_title_cannot_break_out_of_the_trackback_rdf(client):
    post = make_post(title='Evil --> <script>alert("x")</script> --!> "quoted"')

    page = client.get(post.get_absolute_url()).content.decode()

    rdf = page[page.index("<!--") : page.index("-->") + 3]
    assert "trackback:ping" in rdf
    assert "<script>" not in page.split("</head>")[0]
    assert 'dc:title="Evil --&gt; &lt;script&gt;' in rdf


def test_an_existing_link_header_is_kept():
    response = HttpResponse()
    response["Link"] = '</style.css>; rel="preload"'
    endpoints = Endpoints("u", "t", XMLRPC, WEBMENTION, "tb")

    add_headers(response, endpoints)

    assert response["Link"] == f'</style.css>; rel="preload", <{WEBMENTION}>; rel="webmention"'
