"""Pick the links of a post body worth notifying, for sending linkbacks. Pure."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urldefrag, urljoin, urlsplit

from bioxclusters.common import is_web_url

from .markup import feed

# Nobody accepts a linkback on a file: images, sound, video, documents and archives.
MEDIA_EXTENSIONS = frozenset(
    "jpg jpeg png gif webp avif svg bmp ico tif tiff heic "
    "mp3 ogg oga opus wav flac m4a aac "
    "mp4 m4v webm mov avi mkv ogv "
    "pdf doc docx odt xls xlsx ods ppt pptx odp epub csv zip gz tgz bz2 xz 7z rar".split()
)


class OutgoingLinks(NamedTuple):
    """A post's links to other sites, and to our own (sent as self-pings, without HTTP)."""

    external: list[str]
    self_links: list[str]


def external_links(html: str, site_url: str, base_url: str | None = None) -> OutgoingLinks:
    """Return the absolute http(s) <a href> links of ``html``, once each, in order.

    Fragments are dropped; site roots and media files are skipped. Relative links resolve
    against ``base_url`` (the post's URL, default ``site_url``) and are therefore ours.
    """
    collector = feed(_AnchorCollector(), html)
    site = site_key(site_url)
    external: list[str] = []
    self_links: list[str] = []
    for href in collector.hrefs:
        url = urldefrag(urljoin(base_url or site_url, href)).url
        if not is_web_url(url):
            continue
        parts = urlsplit(url)
        if parts.path in ("", "/") and not parts.query:
            continue
        if parts.path.rsplit("/", 1)[-1].rpartition(".")[2].lower() in MEDIA_EXTENSIONS:
            continue
        bucket = self_links if site_key(url) == site else external
        if url not in bucket:
            bucket.append(url)
    return OutgoingLinks(external, self_links)


def site_key(url: str) -> tuple[str, int | None]:
    """Return the host (without "www.") and explicit port that identify a site."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return host, None if parts.port in (None, default) else parts.port


class _AnchorCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href and href.strip() and not href.strip().startswith("#"):
                self.hrefs.append(href.strip())
