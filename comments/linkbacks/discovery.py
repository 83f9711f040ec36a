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


def webmention_endpoint(page: Response, *, rels: _RelScanner | None = None) -> str | None:
    """Return the absolute webmention endpoint a page advertises, or None.

    ``rels`` is the page's scan (``_rels``) when the caller has it already.
    """
    if url := _webmention_header(page):
        return url
    rels = rels or _rels(page)
    if rels is not None and rels.webmention is not None:
        return urljoin(page.final_url, rels.webmention)
    return None


def pingback_endpoint(page: Response, *, rels: _RelScanner | None = None) -> str | None:
    """Return the absolute pingback server a page advertises, or None.

    ``rels`` is the page's scan (``_rels``) when the caller has it already.
    """
    header = page.header("X-Pingback")
    if header and header.strip():
        return urljoin(page.final_url, header.strip())
    rels = rels or _rels(page)
    if rels is not None and rels.pingback:
        return urljoin(page.final_url, rels.pingback)
    return None


def choose_endpoint(page: Response) -> Endpoint | None:
    """Return the webmention endpoint if there is one, else the pingback server, else None."""
    # The page is parsed once for both protocols, and not at all if a Link header answers.
    rels = None if _webmention_header(page) else _rels(page)
    if url := webmention_endpoint(page, rels=rels):
        return Endpoint("webmention", url)
    if url := pingback_endpoint(page, rels=rels):
        return Endpoint("pingback", url)
    return None


def _webmention_header(page: Response) -> str | None:
    """Return the absolute webmention endpoint of the page's first fitting Link header, or None."""
    for header in page.header_list("Link"):
        for uri, params in parse_link_header(header):
            if WEBMENTION_RELS & set(params.get("rel", "").lower().split()):
                return urljoin(page.final_url, uri)
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


def _rels(page: Response) -> _RelScanner | None:
    """Return the rel links of an HTML page, or None if the page is not HTML."""
    if page.content_type not in HTML_TYPES:
        return None
    return feed(_RelScanner(), page.text)
