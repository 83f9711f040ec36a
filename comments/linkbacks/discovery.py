"""Find where a page wants its webmentions and pingbacks sent.

Pure: works on a fetched ``Response``. Webmention (W3C Recommendation, section 3.1.2): the first
HTTP ``Link`` header with rel ``webmention``, else the first ``<link>`` or ``<a>`` with that rel
and an href in document order, resolved against the final URL after redirects. Pingback 1.0:
the first ``X-Pingback`` header, else ``<link rel="pingback">``; never a ``Link`` header.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urljoin

from .fetch import HTML_TYPES, Response
from .markup import feed

# The rel the first webmention drafts used; mention-client-php still honours it.
WEBMENTION_RELS = frozenset({"webmention", "http://webmention.org/", "http://webmention.org"})

_LINK_PARAM = re.compile(r'\s*;\s*([^\s;,=]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^;,]*))?')


class Endpoint(NamedTuple):
    """Where to send a linkback and with which protocol ("webmention" or "pingback")."""

    protocol: str
    url: str


def webmention_endpoint(page: Response) -> str | None:
    """Return the absolute webmention endpoint a page advertises, or None."""
    for header in page.header_list("Link"):
        for uri, params in parse_link_header(header):
            if WEBMENTION_RELS & set(params.get("rel", "").lower().split()):
                return urljoin(page.final_url, uri)
    if page.content_type in HTML_TYPES:
        href = _scan(page.text).webmention
        if href is not None:
            return urljoin(page.final_url, href)
    return None


def pingback_endpoint(page: Response) -> str | None:
    """Return the absolute pingback server a page advertises, or None."""
    header = page.header("X-Pingback")
    if header and header.strip():
        return urljoin(page.final_url, header.strip())
    if page.content_type in HTML_TYPES:
        href = _scan(page.text).pingback
        if href:
            return urljoin(page.final_url, href)
    return None


def choose_endpoint(page: Response) -> Endpoint | None:
    """Return the webmention endpoint if there is one, else the pingback server, else None."""
    if url := webmention_endpoint(page):
        return Endpoint("webmention", url)
    if url := pingback_endpoint(page):
        return Endpoint("pingback", url)
    return None


def parse_link_header(value: str) -> list[tuple[str, dict[str, str]]]:
    """Split an RFC 8288 Link header into (URI reference, {lower-case param: value}) pairs."""
    links = []
    position = 0
    while (start := value.find("<", position)) != -1:
        end = value.find(">", start)
        if end == -1:
            break
        params: dict[str, str] = {}
        position = end + 1
        while match := _LINK_PARAM.match(value, position):
            raw = (match.group(2) or "").strip()
            if raw.startswith('"'):
                raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
            params.setdefault(match.group(1).lower(), raw)
            position = match.end()
        links.append((value[start + 1 : end].strip(), params))
        comma = value.find(",", position)
        if comma == -1:
            break
        position = comma + 1
    return links


class _RelScanner(HTMLParser):
    """Note the first webmention <link>/<a> with an href and the first pingback <link>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.webmention: str | None = None
        self.pingback: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag not in ("link", "a"):
            return
        attributes = dict(attrs)
        rels = set((attributes.get("rel") or "").lower().split())
        href = attributes.get("href")
        if href is None:
            return
        if self.webmention is None and rels & WEBMENTION_RELS:
            self.webmention = href.strip()
        if self.pingback is None and tag == "link" and "pingback" in rels and href.strip():
            self.pingback = href.strip()


def _scan(html: str) -> _RelScanner:
    return feed(_RelScanner(), html)
