"""A NUL byte or a character XML forbids gets a 400 with its reason, never a 500, at every URL.

The sweep walks every URL pattern of the site, fills each converter with a value carrying %00,
and sends NUL in the query string, in form fields and in a header, as a visitor and as staff.
Declared charsets and content types on a POST get a clear answer too.
"""

import pytest
from django.core.cache import cache
from django.urls import URLResolver, get_resolver
from django.utils.regex_helper import normalize

from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db

NOT_ALLOWED = "contains a character that is not allowed"
URLENCODED = "application/x-www-form-urlencoded"
SAMPLES = {"IntConverter": "1", "MonthConverter": "01", "SlugConverter": "post"}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def routes(patterns=None, prefix="", converters=None):
    """Yield (format string, {parameter: converter name}) for every URL pattern of the site."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern, params = normalize(entry.pattern.regex.pattern)[0]
        found = {**(converters or {}), **dict.fromkeys(params, "")}
        found |= {name: type(c).__name__ for name, c in entry.pattern.converters.items()}
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + pattern, found)
        else:
            yield "/" + prefix + pattern, found


ROUTES = sorted({(path, tuple(sorted(params.items()))) for path, params in routes()})


def address(path, params, *, extra=""):
    return path % {name: SAMPLES.get(kind, "x") + extra for name, kind in params}


def with_nul_in_path(path, params):
    if params:
        return address(path, params, extra="%00")
    return address(path, params).rstrip("/") + "/%00/"


def assert_refused(response):
    assert response.status_code == 400, response.status_code
    text = response.content.decode()
    assert NOT_ALLOWED in text or "A form field contains a NUL byte" in text


@pytest.fixture(params=["visitor", "staff"])
def as_whom(request, client):
    if request.param == "staff":
        client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_the_routes_are_all_found():
    paths = [path for path, _ in ROUTES]
    assert len(paths) > 150
    assert "/blog/author/%(username)s/" in paths and "/admin/comments/comment/" in paths


def test_nul_anywhere_at_every_url_is_refused_with_a_reason(as_whom):
    make_post(slug="post")
    client = as_whom
    for path, params in ROUTES:
        assert_refused(client.get(with_nul_in_path(path, params)))
        url = address(path, params)
        assert_refused(client.get(f"{url}?q=%00&status=%00&page=1%00&%00=1"))
        assert_refused(client.post(url, {"q": "x", "body": "a\x00b"}))  # multipart/form-data
        assert_refused(client.post(url, "q=x&%00=1", content_type=URLENCODED))


@pytest.mark.parametrize(
    "url",
    [
        "/blog/author/%00/",
        "/admin/comments/comment/?status=%00",
        "/admin/clusters/post/?status=%00",
        "/webmention/%00/",
        "/blog/author/%EF%BF%BE/",
        "/blog/author/%01x/",
        "/comments/feed/?q=%0B",
    ],
)
def test_the_cases_of_the_issue_answer_400_for_visitors_and_staff(as_whom, url):
    response = as_whom.get(url)

    assert_refused(response)
    assert "<h1>Bad request</h1>" in response.content.decode()


@pytest.mark.parametrize("header", ["HTTP_USER_AGENT", "HTTP_REFERER", "HTTP_COOKIE"])
def test_a_control_character_in_a_header_is_refused(client, header):
    make_post(slug="post")

    assert_refused(client.get("/", **{header: "sessionid=abcdefgh\x00"}))
    assert_refused(client.post("/comments/post/", {"body": "x"}, **{header: "a\x01b"}))


def test_tabs_line_breaks_and_ordinary_unicode_pass(client):
    response = client.get("/blog/?q=%09caf%C3%A9%20%E2%9C%93", HTTP_USER_AGENT="Mozilla\t5.0 é")

    assert response.status_code == 200


def test_a_webmention_source_or_trackback_url_with_nul_is_refused(client):
    post = make_post()
    target = f"https://bioxclusters.test{post.get_absolute_url()}"

    assert_refused(
        client.post("/webmention/", {"source": "https://a.example/\x00", "target": target})
    )
    assert_refused(
        client.post(f"/trackback/post/{post.pk}/", {"url": "https://a.example/\x00", "title": "t"})
    )


# Declared charsets and content types
# ------------------------------------------------------------------------------

POST_URLS = [
    "/comments/post/",
    "/webmention/",
    "/xmlrpc/",
    "/trackback/post/{pk}/",
    "/discussion/your-data/",
    "/accounts/login/",
    "/admin/login/",
]
CONTENT_TYPES = [
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=UTF-16LE",
    "application/x-www-form-urlencoded; charset=iso-8859-1",
    "application/x-www-form-urlencoded; charset=no-such-charset",
    'application/x-www-form-urlencoded; charset="utf-8"',
    "application/x-www-form-urlencoded; charset",
    "multipart/form-data; charset=utf-16; boundary=xyz",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "application/json",
    "application/json; charset=utf-32",
    "text/xml; charset=utf-16",
    "text/plain",
    "",
    "not a content type at all",
    "application/x-www-form-urlencoded\x00",
]
BODIES = [
    "body=Hello&author_name=Ada&url=https://a.example/".encode("utf-16"),
    b'--xyz\r\nContent-Disposition: form-data; name="body"\r\n\r\nhi\r\n--xyz--\r\n',
    b"\xff\xfe\x00\x00garbage\x80\x81",
]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_any_declared_charset_or_content_type_gets_a_clear_answer(client, content_type):
    post = make_post()
    for url in POST_URLS:
        for body in BODIES:
            response = client.generic(
                "POST", url.format(pk=post.pk), body, content_type=content_type
            )
            assert response.status_code < 500, (url, body, response.status_code)


def test_a_comment_declared_as_utf16_is_refused_with_the_reason(client):
    post = make_post()
    body = f"body=Hello&author_name=Ada&target={post.pk}".encode("utf-16")

    response = client.generic(
        "POST", "/comments/post/", body,
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )  # fmt: skip

    assert response.status_code == 400
    assert "Send form data encoded as UTF-8, not utf-16." in response.content.decode()
