"""The network boundary against real servers on 127.0.0.1: what it fetches and what it refuses."""

import ipaddress
import shutil
import socket
import ssl
import subprocess
import time

import pytest

from comments.linkbacks import fetch
from comments.linkbacks.fetch import FetchError, forbidden_address

from .http_server import HTML, LinkbackServer, Reply


def refused(url, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch.get(url, **kwargs)
    return caught.value


def fake_dns(monkeypatch, answers):
    """Answer getaddrinfo for the names in ``answers`` (name -> IPs): no DNS exists here."""
    real = socket.getaddrinfo
    calls = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        calls.append(host)
        ips = answers[host]() if callable(answers[host]) else answers[host]
        if not ips:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (ip, port),
            )
            for ip in ips
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


# Fetching


def test_get_returns_the_page_with_its_headers_and_text(server):
    server.routes["/post"] = Reply(headers=HTML + [("X-Pingback", "/xmlrpc/")], body=b"<p>Hi</p>")
    page = fetch.get(server.url("/post"))
    assert page.final_url == server.url("/post")
    assert page.status == 200
    assert page.content_type == "text/html"
    assert page.text == "<p>Hi</p>"
    assert page.header("x-pingback") == "/xmlrpc/"


def test_get_says_who_it_is_and_sends_the_host_name(server, settings):
    server.routes["/post"] = Reply(body=b"ok")
    fetch.get(server.url("/post"))
    headers = server.requests[0].headers
    assert headers["User-Agent"].startswith("bioXclusters-linkback/1.0 (verifying a linkback; +")
    assert settings.SITE_URL in headers["User-Agent"]
    assert headers["Host"] == f"127.0.0.1:{server.port}"
    assert "text/html" in headers["Accept"]


def test_get_keeps_the_query_string_and_drops_the_fragment(server):
    server.routes["/search?q=a%20b&x=1"] = Reply(body=b"found")
    page = fetch.get(server.url("/search?q=a%20b&x=1#results"))
    assert server.paths_requested() == ["/search?q=a%20b&x=1"]
    assert page.final_url == server.url("/search?q=a%20b&x=1")


def test_get_follows_redirects_and_reports_the_final_url(server):
    server.routes["/old"] = Reply(301, [("Location", "/middle")])
    server.routes["/middle"] = Reply(302, [("Location", "new")])
    server.routes["/new"] = Reply(body=b"here")
    page = fetch.get(server.url("/old"))
    assert page.final_url == server.url("/new")
    assert page.text == "here"
    assert server.paths_requested() == ["/old", "/middle", "/new"]


def test_pingback_fetch_follows_no_redirect(server):
    server.routes["/old"] = Reply(302, [("Location", "/new")])
    assert refused(server.url("/old"), max_redirects=0).reason == "too_many_redirects"
    assert server.paths_requested() == ["/old"]


def test_a_sixth_redirect_is_refused(server, settings):
    settings.LINKBACK_MAX_REDIRECTS = 5
    for hop in range(10):
        server.routes[f"/{hop}"] = Reply(302, [("Location", f"/{hop + 1}")])
    assert refused(server.url("/0")).reason == "too_many_redirects"
    assert len(server.requests) == 6


def test_a_redirect_loop_ends(server):
    server.routes["/loop"] = Reply(302, [("Location", "/loop")])
    assert refused(server.url("/loop")).reason == "too_many_redirects"


@pytest.mark.parametrize("status", [404, 410, 500])
def test_an_error_status_is_reported_with_its_code(server, status):
    server.routes["/gone"] = Reply(status, body=b"no")
    error = refused(server.url("/gone"))
    assert (error.reason, error.status) == ("http_status", status)


@pytest.mark.parametrize(
    "content_type", ["image/png", "application/pdf", "text/xml", "application/octet-stream", ""]
)
def test_html_fetch_refuses_other_content_types_before_reading(server, content_type):
    headers = [("Content-Type", content_type)] if content_type else []
    server.routes["/file"] = Reply(headers=headers, body=b"\x89PNG...")
    assert refused(server.url("/file")).reason == "bad_content_type"


@pytest.mark.parametrize(
    "content_type", ["text/html", "application/json", "application/activity+json", "text/plain"]
)
def test_webmention_sources_may_be_html_json_or_text(server, content_type):
    server.routes["/src"] = Reply(headers=[("Content-Type", content_type)], body=b"{}")
    page = fetch.get(server.url("/src"), accept=fetch.WEBMENTION_SOURCE_TYPES)
    assert page.content_type == content_type


def test_any_content_type_passes_when_the_caller_accepts_any(server):
    server.routes["/img"] = Reply(headers=[("Content-Type", "image/png")], body=b"png")
    assert fetch.get(server.url("/img"), accept=None).body == b"png"


# Bounds: size and time


def test_a_huge_streamed_body_stops_at_the_byte_cap(server, settings):
    settings.LINKBACK_MAX_BYTES = 100_000
    server.routes["/huge"] = Reply(stream_bytes=50_000_000)
    started = time.monotonic()
    assert refused(server.url("/huge")).reason == "too_large"
    assert time.monotonic() - started < 2


def test_a_declared_length_over_the_cap_is_refused_before_reading(server, settings):
    settings.LINKBACK_MAX_BYTES = 1000
    server.routes["/big"] = Reply(body=b"x" * 5000)
    assert refused(server.url("/big")).reason == "too_large"


def test_a_body_exactly_at_the_cap_is_read(server, settings):
    settings.LINKBACK_MAX_BYTES = 1000
    server.routes["/full"] = Reply(body=b"x" * 1000, content_length=False)
    assert len(fetch.get(server.url("/full")).body) == 1000


def test_a_server_that_never_answers_times_out(server, settings):
    settings.LINKBACK_TIMEOUT = 0.3
    server.routes["/stall"] = Reply(delay_headers=5, body=b"late")
    started = time.monotonic()
    assert refused(server.url("/stall")).reason == "timeout"
    assert time.monotonic() - started < 2


def test_a_body_that_stalls_times_out(server, settings):
    settings.LINKBACK_TIMEOUT = 0.3
    server.routes["/stall"] = Reply(delay_body=5, body=b"late")
    assert refused(server.url("/stall")).reason == "timeout"


def test_a_dripping_body_is_cut_by_the_overall_deadline(server, settings):
    # Each byte arrives well within the per-operation timeout; only the deadline can stop it.
    settings.LINKBACK_TIMEOUT = 2
    settings.LINKBACK_DEADLINE = 0.6
    server.routes["/drip"] = Reply(body=b"x" * 100, drip_interval=0.05)
    started = time.monotonic()
    assert refused(server.url("/drip")).reason == "timeout"
    assert time.monotonic() - started < 1.5


def test_a_closed_port_is_a_connection_error(server, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.LINKBACK_ALLOWED_PORTS = (port,)
    assert refused(f"http://127.0.0.1:{port}/").reason == "connection"


# Decoding


@pytest.mark.parametrize(
    ("headers", "body", "text"),
    [
        (
            [("Content-Type", "text/html; charset=ISO-8859-1")],
            "<p>café</p>".encode("latin-1"),
            "<p>café</p>",
        ),
        (
            [("Content-Type", "text/html")],
            '<meta charset="windows-1252"><p>€</p>'.encode("cp1252"),
            '<meta charset="windows-1252"><p>€</p>',
        ),
        ([("Content-Type", "text/html; charset=latin-1")], "é".encode("utf-8-sig"), "é"),
        ([("Content-Type", "text/html")], b"caf\xc3\xa9 \xff", "café \ufffd"),
        ([("Content-Type", "text/html; charset=no-such-codec")], b"caf\xc3\xa9", "café"),
    ],
)
def test_text_is_decoded_with_the_declared_charset(server, headers, body, text):
    server.routes["/page"] = Reply(headers=headers, body=body)
    assert fetch.get(server.url("/page")).text == text


# Sending


def test_post_sends_a_form_and_returns_the_answer(server, settings):
    server.routes["/webmention"] = Reply(201, [("Location", "/status/1")], b"")
    answer = fetch.post(
        server.url("/webmention"), data={"source": "https://a/b?c=d", "target": "t"}
    )
    assert answer.status == 201
    assert answer.header("Location") == "/status/1"
    request = server.requests[0]
    assert request.method == "POST"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.body == b"source=https%3A%2F%2Fa%2Fb%3Fc%3Dd&target=t"
    assert "sending a linkback" in request.headers["User-Agent"]


def test_post_sends_a_raw_body(server):
    server.routes["/xmlrpc"] = Reply(headers=[("Content-Type", "text/xml")], body=b"<ok/>")
    answer = fetch.post(server.url("/xmlrpc"), body=b"<methodCall/>", content_type="text/xml")
    assert answer.body == b"<ok/>"
    assert server.requests[0].body == b"<methodCall/>"
    assert server.requests[0].headers["Content-Type"] == "text/xml"


def test_post_follows_no_redirect(server):
    server.routes["/endpoint"] = Reply(302, [("Location", "/elsewhere")])
    with pytest.raises(FetchError) as caught:
        fetch.post(server.url("/endpoint"), data={"source": "s", "target": "t"})
    assert (caught.value.reason, caught.value.status) == ("http_status", 302)
    assert server.paths_requested() == ["/endpoint"]


def test_post_goes_through_the_same_address_checks():
    with pytest.raises(FetchError) as caught:
        fetch.post("http://10.0.0.1/webmention", data={"source": "s", "target": "t"})
    assert caught.value.reason == "forbidden_address"


# Refusals: every one happens before a socket connects (the autouse guard fails the test
# otherwise), with LINKBACK_ALLOW_LOOPBACK left off.


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.1.2.3/",
        "http://[::1]/",
        "http://localhost/",
        "http://2130706433/",  # 127.0.0.1 as one decimal number
        "http://10.0.0.1/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://224.0.0.1/",
        "http://[ff02::1]/",
        "http://255.255.255.255/",
        "http://192.0.2.1/",  # documentation range
        "http://[::ffff:10.0.0.1]/",  # IPv4-mapped
        "http://[2002:a00:1::]/",  # 6to4 around 10.0.0.1
        "http://[64:ff9b::a00:1]/",  # NAT64 around 10.0.0.1
        "https://10.0.0.1/",
    ],
)
def test_private_and_special_addresses_are_refused(url):
    assert refused(url).reason == "forbidden_address"


def test_our_own_server_is_refused_while_loopback_is_not_allowed(server, settings):
    settings.LINKBACK_ALLOW_LOOPBACK = False
    server.routes["/post"] = Reply(body=b"hello")
    assert refused(server.url("/post")).reason == "forbidden_address"
    assert server.requests == []


@pytest.mark.parametrize("url", ["http://10.0.0.1/", "http://0.0.0.0/", "http://169.254.169.254/"])
def test_allowing_loopback_allows_nothing_else(settings, url):
    settings.LINKBACK_ALLOW_LOOPBACK = True
    assert refused(url).reason == "forbidden_address"


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch):
    calls = fake_dns(monkeypatch, {"intranet.example": ["10.1.2.3"]})
    assert refused("http://intranet.example/wiki").reason == "forbidden_address"
    assert calls == ["intranet.example"]


def test_a_name_with_one_private_answer_among_public_ones_is_refused(monkeypatch):
    fake_dns(monkeypatch, {"mixed.example": ["93.184.216.34", "192.168.0.10"]})
    assert refused("http://mixed.example/").reason == "forbidden_address"


def test_a_redirect_to_a_private_address_is_refused_at_the_hop(server):
    server.routes["/jump"] = Reply(302, [("Location", "http://10.0.0.1/admin")])
    assert refused(server.url("/jump")).reason == "forbidden_address"
    assert server.paths_requested() == ["/jump"]


def test_a_redirect_to_the_metadata_service_is_refused(server):
    server.routes["/jump"] = Reply(301, [("Location", "http://169.254.169.254/latest/")])
    assert refused(server.url("/jump")).reason == "forbidden_address"


def test_a_redirect_to_a_name_resolving_privately_is_refused(server, monkeypatch):
    fake_dns(monkeypatch, {"internal.example": ["10.9.9.9"]})
    server.routes["/jump"] = Reply(302, [("Location", "http://internal.example/")])
    assert refused(server.url("/jump")).reason == "forbidden_address"


@pytest.mark.parametrize(
    "location", ["ftp://example.com/file", "file:///etc/passwd", "javascript:alert(1)"]
)
def test_a_redirect_to_another_scheme_is_refused(server, location):
    server.routes["/jump"] = Reply(302, [("Location", location)])
    assert refused(server.url("/jump")).reason == "bad_scheme"


def test_a_redirect_to_another_port_is_refused(server):
    server.routes["/jump"] = Reply(302, [("Location", "http://127.0.0.1:22/")])
    assert refused(server.url("/jump")).reason == "bad_port"


def test_the_address_checked_is_the_address_connected_to(server, monkeypatch):
    # A rebinding name answers loopback first, then a private address: we must never ask twice.
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    calls = fake_dns(monkeypatch, {"rebind.example": lambda: next(answers)})
    server.routes["/post"] = Reply(body=b"hello")
    page = fetch.get(f"http://rebind.example:{server.port}/post")
    assert page.text == "hello"
    assert calls == ["rebind.example"]
    assert server.requests[0].headers["Host"] == f"rebind.example:{server.port}"


def test_an_unknown_name_is_a_dns_error(monkeypatch):
    fake_dns(monkeypatch, {"nowhere.example": []})
    assert refused("http://nowhere.example/").reason == "dns"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://example.com/",
        "data:text/html,<p>hi</p>",
        "//example.com/no-scheme",
        "example.com/no-scheme",
    ],
)
def test_schemes_other_than_http_and_https_are_refused(url):
    assert refused(url).reason == "bad_scheme"


@pytest.mark.parametrize(
    "url", ["http://example.com:22/", "https://example.com:8443/", "http://example.com:99999/"]
)
def test_ports_outside_the_allowed_list_are_refused(url):
    assert refused(url).reason == "bad_port"


@pytest.mark.parametrize("url", ["http://user:secret@example.com/", "http:///path-only"])
def test_urls_with_credentials_or_without_host_are_refused(url):
    assert refused(url).reason == "bad_url"


@pytest.mark.parametrize(
    ("address", "forbidden"),
    [
        ("93.184.216.34", False),
        ("2606:4700:4700::1111", False),
        ("8.8.8.8", False),
        ("127.0.0.1", True),
        ("10.0.0.1", True),
        ("fc00::1", True),
        ("::ffff:127.0.0.1", True),
        ("::ffff:93.184.216.34", False),
        ("2001:db8::1", True),
    ],
)
def test_only_public_unicast_addresses_pass(address, forbidden):
    assert forbidden_address(ipaddress.ip_address(address)) is forbidden


def test_an_ipv6_loopback_server_is_reachable_when_loopback_is_allowed(settings):
    try:
        server = LinkbackServer("::1").start()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        settings.LINKBACK_ALLOW_LOOPBACK = True
        settings.LINKBACK_ALLOWED_PORTS = (server.port,)
        server.routes["/post"] = Reply(body=b"six")
        assert fetch.get(server.url("/post")).text == "six"
        assert server.requests[0].headers["Host"] == f"[::1]:{server.port}"
    finally:
        server.stop()


def test_the_guard_of_these_tests_stops_any_other_connection():
    with socket.socket() as sock, pytest.raises(AssertionError, match="tried to connect"):
        sock.connect(("10.0.0.1", 9))


# TLS: the certificate is checked against the name, sent as SNI, on the vetted address.


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=secure.example", "-addext", "subjectAltName=DNS:secure.example",
            "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return folder / "cert.pem", folder / "key.pem"


@pytest.fixture
def tls_server(certificate, settings):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    running = LinkbackServer(tls=context).start()
    settings.LINKBACK_ALLOW_LOOPBACK = True
    settings.LINKBACK_ALLOWED_PORTS = (running.port,)
    yield running
    running.stop()


def test_an_untrusted_certificate_is_a_connection_error(tls_server, monkeypatch):
    fake_dns(monkeypatch, {"secure.example": ["127.0.0.1"]})
    error = refused(f"https://secure.example:{tls_server.port}/")
    assert error.reason == "connection"
    assert "CERTIFICATE_VERIFY_FAILED" in error.detail


def test_https_checks_the_certificate_against_the_name(tls_server, certificate, monkeypatch):
    fake_dns(monkeypatch, {"secure.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
    default_context = ssl.create_default_context
    monkeypatch.setattr(
        ssl, "create_default_context", lambda: default_context(cafile=str(certificate[0]))
    )
    tls_server.routes["/post"] = Reply(body=b"secret")
    assert fetch.get(f"https://secure.example:{tls_server.port}/post").text == "secret"
    assert tls_server.requests[0].headers["Host"] == f"secure.example:{tls_server.port}"
    error = refused(f"https://other.example:{tls_server.port}/post")
    assert error.reason == "connection"
    assert "hostname" in error.detail.lower() or "CERTIFICATE_VERIFY_FAILED" in error.detail
