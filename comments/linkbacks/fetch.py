"""Bounded HTTP to vetted addresses: the only module of the site that opens sockets for linkbacks.

Every request resolves the host once, refuses the address unless it is public (see
``forbidden_address``), then connects to that very address while sending the name in the
``Host`` header and the TLS SNI, so a second DNS answer can never send us elsewhere. Redirects
are followed by hand and every hop is vetted again; time, size and content type are bounded.
"""

from __future__ import annotations

import codecs
import http.client
import io
import ipaddress
import re
import socket
import ssl
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote, urldefrag, urlencode, urljoin, urlsplit

from django.conf import settings

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Webmention: "the receiver SHOULD use per-media-type rules"; JSON includes the +json family.
WEBMENTION_SOURCE_TYPES = HTML_TYPES | {"application/json", "text/plain"}

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Cloud metadata services: named although the address rules below already refuse them.
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
# NAT64 embeds an IPv4 address that the rules must see (RFC 6052 well-known prefix).
NAT64_NETWORK = ipaddress.ip_network("64:ff9b::/96")
CHUNK_SIZE = 16 * 1024


# What each reason means, for people: never the address refused (no probe of other networks).
EXPLANATIONS = {
    "bad_url": "the address is not a valid URL",
    "bad_scheme": "only http and https addresses are fetched",
    "bad_port": "that port is not allowed",
    "dns": "the host name does not resolve",
    "forbidden_address": "the host is not on a public address",
    "connection": "the connection failed",
    "timeout": "the server took too long to answer",
    "too_large": "the page is too large",
    "too_many_redirects": "the page redirects too many times",
    "bad_content_type": "the page is not of a usable type",
}


class FetchError(Exception):
    """A refused or failed request; ``reason`` is a machine word, ``status`` the HTTP code."""

    def __init__(self, reason: str, *, status: int | None = None, detail: str = ""):
        self.reason = reason
        self.status = status
        self.detail = detail
        super().__init__(f"{reason} {status}" if status else f"{reason} {detail}".strip())

    @property
    def explanation(self) -> str:
        """Return what went wrong in words, without the addresses involved."""
        if self.reason == "http_status":
            return f"the server answered HTTP {self.status}"
        return EXPLANATIONS.get(self.reason, self.reason)


@dataclass(frozen=True)
class Response:
    """A fetched answer: final URL after redirects, status, headers in order, capped body."""

    final_url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    content_type: str = ""
    body: bytes = b""
    charset: str = ""

    def header(self, name: str) -> str | None:
        """Return the first header called ``name`` (case-insensitive), or None."""
        values = self.header_list(name)
        return values[0] if values else None

    def header_list(self, name: str) -> list[str]:
        """Return every header called ``name`` (case-insensitive), in order."""
        name = name.lower()
        return [value for key, value in self.headers if key.lower() == name]

    @cached_property
    def text(self) -> str:
        """Return the body decoded: BOM, then header charset, then HTML meta, then UTF-8."""
        return decode_body(self.body, self.charset, self.content_type)


def get(
    url: str,
    *,
    accept: Collection[str] | None = HTML_TYPES,
    max_redirects: int | None = None,
) -> Response:
    """Fetch ``url`` within the linkback bounds; raise FetchError unless it answers 2xx.

    ``accept`` lists the media types allowed (None: any); pingback passes ``max_redirects=0``.
    """
    if max_redirects is None:
        max_redirects = settings.LINKBACK_MAX_REDIRECTS
    return _request("GET", url, None, {}, accept, max_redirects, "verifying")


def post(
    url: str,
    *,
    data: Mapping[str, str] | None = None,
    body: bytes = b"",
    content_type: str = "application/x-www-form-urlencoded",
    accept: Collection[str] | None = None,
) -> Response:
    """POST ``data`` form-encoded (or a raw ``body``) within the bounds; redirects are not followed.

    Raise FetchError unless the endpoint answers 2xx (a 3xx is ``http_status`` too).
    """
    if data is not None:
        body = urlencode(data).encode("ascii")
        content_type = "application/x-www-form-urlencoded"
    headers = {"Content-Type": content_type}
    return _request("POST", url, body, headers, accept, 0, "sending")


def forbidden_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Return True for any address that is not a public unicast one (loopback per the setting)."""
    if address.version == 6:
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            return forbidden_address(embedded)
    if address in METADATA_ADDRESSES:
        return True
    if address.is_loopback:
        return not settings.LINKBACK_ALLOW_LOOPBACK
    return (
        not address.is_global
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or address.is_link_local
    )


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv4-mapped, 6to4, Teredo or NAT64 address reaches."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in NAT64_NETWORK:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    request_path: str
    addresses: tuple[tuple[int, tuple], ...]


def _vet(url: str) -> _Target:
    """Check scheme, host and port, resolve once and refuse any forbidden address."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError("bad_port" if "port" in str(exc).lower() else "bad_url") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError("bad_scheme", detail=scheme)
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise FetchError("bad_url", detail=url)
    port = port or (443 if scheme == "https" else 80)
    if port not in settings.LINKBACK_ALLOWED_PORTS:
        raise FetchError("bad_port", detail=str(port))
    host = parts.hostname
    try:
        ipaddress.ip_address(host)
    except ValueError:
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise FetchError("bad_url", detail=url) from exc
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError("dns", detail=host) from exc
    if not infos:
        raise FetchError("dns", detail=host)
    addresses = []
    for family, _type, _proto, _name, sockaddr in infos:
        # Refuse if any answer is forbidden: a name that mixes public and private is hostile.
        if forbidden_address(ipaddress.ip_address(sockaddr[0].split("%")[0])):
            raise FetchError("forbidden_address", detail=sockaddr[0])
        addresses.append((family, sockaddr))
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=~?")
    return _Target(scheme, host, port, path, tuple(addresses))


class _DeadlineSocket:
    """Give http.client a socket whose every read and write respects the overall deadline."""

    def __init__(self, sock: socket.socket, timeout: float, deadline: float):
        self._sock = sock
        self._timeout = timeout
        self._deadline = deadline
        self._readers = 0
        self._closed = False

    def _arm(self) -> None:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("linkback deadline passed")
        self._sock.settimeout(min(self._timeout, remaining))

    def sendall(self, data: bytes) -> None:
        self._arm()
        self._sock.sendall(data)

    def recv_into(self, buffer) -> int:
        self._arm()
        return self._sock.recv_into(buffer)

    def makefile(self, mode: str = "rb", *args, **kwargs) -> io.BufferedReader:
        self._readers += 1
        return io.BufferedReader(_DeadlineReader(self))

    def close(self) -> None:
        # As socket.socket does: http.client closes the connection while the response still reads.
        self._closed = True
        if not self._readers:
            self._sock.close()

    def reader_closed(self) -> None:
        self._readers -= 1
        if self._closed and not self._readers:
            self._sock.close()


class _DeadlineReader(io.RawIOBase):
    def __init__(self, sock: _DeadlineSocket):
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self._sock.reader_closed()
        super().close()


class _Connection(http.client.HTTPConnection):
    """An HTTP connection over a socket we opened to a vetted address; it never connects itself."""

    def __init__(self, target: _Target, sock: _DeadlineSocket):
        super().__init__(target.host, target.port)
        self.default_port = 443 if target.scheme == "https" else 80
        self.sock = sock

    def connect(self) -> None:
        raise http.client.NotConnected("linkback connections are opened by fetch._connect")


def _connect(target: _Target, timeout: float, deadline: float) -> _DeadlineSocket:
    """Open a TCP (and TLS) connection to the first vetted address that answers."""
    error: OSError = ConnectionError("no address")
    for family, sockaddr in target.addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("linkback deadline passed")
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(min(timeout, remaining))
        try:
            sock.connect(sockaddr)
            if target.scheme == "https":
                sock = ssl.create_default_context().wrap_socket(sock, server_hostname=target.host)
            return _DeadlineSocket(sock, timeout, deadline)
        except OSError as exc:
            sock.close()
            error = exc
    raise error


def _request(method, url, body, extra_headers, accept, max_redirects, purpose):
    timeout = settings.LINKBACK_TIMEOUT
    deadline = time.monotonic() + settings.LINKBACK_DEADLINE
    max_bytes = settings.LINKBACK_MAX_BYTES
    headers = {
        "User-Agent": (f"bioXclusters-linkback/1.0 ({purpose} a linkback; +{settings.SITE_URL})"),
        "Accept": ", ".join(sorted(accept)) + ", */*;q=0.1" if accept else "*/*",
        "Accept-Encoding": "identity",
        "Connection": "close",
        **extra_headers,
    }
    hops = 0
    try:
        while True:
            target = _vet(url)
            connection = _Connection(target, _connect(target, timeout, deadline))
            answer = None
            try:
                connection.request(method, target.request_path, body=body or None, headers=headers)
                answer = connection.getresponse()
                location = answer.getheader("Location")
                if method == "GET" and answer.status in REDIRECT_STATUSES and location:
                    hops += 1
                    if hops > max_redirects:
                        raise FetchError("too_many_redirects", status=answer.status)
                    url = urljoin(url, location.strip())
                    continue
                if not 200 <= answer.status < 300:
                    raise FetchError("http_status", status=answer.status)
                return _read(url, answer, accept, max_bytes)
            finally:
                if answer is not None:
                    answer.close()
                connection.close()
    except FetchError:
        raise
    except TimeoutError as exc:
        raise FetchError("timeout") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError("connection", detail=f"{type(exc).__name__}: {exc}") from exc


def _read(url, answer, accept, max_bytes) -> Response:
    """Check the media type, then read the body as a stream up to ``max_bytes``."""
    content_type, charset = parse_content_type(answer.getheader("Content-Type", ""))
    if accept is not None and not _accepted(content_type, accept):
        raise FetchError("bad_content_type", detail=content_type or "none")
    if answer.getheader("Content-Encoding", "identity").strip().lower() != "identity":
        # We asked for identity; a compressed body would defeat the byte cap.
        raise FetchError("bad_content_type", detail="content-encoding")
    length = answer.getheader("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise FetchError("too_large", detail=length)
    chunks, size = [], 0
    while chunk := answer.read(CHUNK_SIZE):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError("too_large", detail=f">{max_bytes}")
        chunks.append(chunk)
    return Response(
        final_url=urldefrag(url).url,
        status=answer.status,
        headers=tuple(answer.getheaders()),
        content_type=content_type,
        body=b"".join(chunks),
        charset=charset,
    )


def _accepted(content_type: str, accept: Collection[str]) -> bool:
    if content_type in accept:
        return True
    return content_type.endswith("+json") and "application/json" in accept


def parse_content_type(value: str) -> tuple[str, str]:
    """Return the lower-case media type and charset of a Content-Type header value."""
    media_type, _, params = value.partition(";")
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.IGNORECASE)
    return media_type.strip().lower(), match.group(1).lower() if match else ""


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_body(body: bytes, charset: str = "", content_type: str = "") -> str:
    """Decode a body as browsers do (BOM, header charset, HTML meta, UTF-8), never raising."""
    encoding = next((name for bom, name in _BOMS if body.startswith(bom)), charset)
    if not encoding and content_type in HTML_TYPES:
        match = _META_CHARSET.search(body[:2048])
        encoding = match.group(1).decode("ascii") if match else ""
    try:
        codecs.lookup(encoding or "utf-8")
    except LookupError:
        encoding = "utf-8"
    return body.decode(encoding or "utf-8", errors="replace")
