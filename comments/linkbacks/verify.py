"""Decide whether a fetched source links to our target, and describe it in plain text.

Pure: no network, no database. Every string returned is plain text (render it escaped, never
``|safe``) and every URL returned is an absolute http(s) URL or "", so nothing executable can
come out of a hostile page.
"""

from __future__ import annotations

import enum
import json
import logging
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from urllib.parse import urljoin

import mf2py

from bioxclusters.common import is_web_url

from .fetch import HTML_TYPES
from .markup import feed

logger = logging.getLogger(__name__)

TITLE_MAX_CHARS = 250
NAME_MAX_CHARS = 250
CONTENT_MAX_CHARS = 5000
URL_MAX_CHARS = 2000
# WordPress's pingback excerpt: the link text (capped) with up to 100 characters either side.
LINK_TEXT_MAX_CHARS = 100
CONTEXT_CHARS = 100
ELLIPSIS = "\u2026"

# Elements whose URL attribute counts as a link (Webmention 3.2.2: "href and src attributes").
LINK_ATTRIBUTES = {
    "a": "href",
    "area": "href",
    "link": "href",
    "img": "src",
    "audio": "src",
    "video": "src",
    "source": "src",
    "iframe": "src",
    "embed": "src",
}
HIDDEN_ELEMENTS = frozenset({"script", "style", "template"})
# Elements that end a paragraph for the excerpt (WordPress's list, plus the usual blocks).
BLOCK_ELEMENTS = frozenset(
    "address article aside blockquote body br button caption dd details div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr input li main nav ol p pre "
    "section summary table td textarea th tr ul".split()
)
# Control characters and the non-characters XML forbids: stored text must fit in a feed.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
RSVP_VALUES = frozenset({"yes", "no", "maybe", "interested"})


class ResponseType(enum.StrEnum):
    """What a webmention source does with our target (from its microformats)."""

    REPLY = "reply"
    LIKE = "like"
    REPOST = "repost"
    BOOKMARK = "bookmark"
    RSVP = "rsvp"
    MENTION = "mention"


# h-entry properties that name the target, in the vocabulary of indieweb.org post types.
RESPONSE_PROPERTIES = {
    "in-reply-to": ResponseType.REPLY,
    "like-of": ResponseType.LIKE,
    "favorite-of": ResponseType.LIKE,
    "repost-of": ResponseType.REPOST,
    "bookmark-of": ResponseType.BOOKMARK,
}
RESPONSE_RELS = {"in-reply-to": ResponseType.REPLY, "bookmark": ResponseType.BOOKMARK}


class VerificationError(Exception):
    """The source cannot be used: ``reason`` is ``unsupported_content_type`` or ``no_link``."""

    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason} {detail}".strip())


@dataclass(frozen=True)
class Author:
    """The author of a source, from its h-card: plain-text name, http(s) URLs."""

    name: str = ""
    url: str = ""
    photo: str = ""


@dataclass(frozen=True)
class VerifiedSource:
    """A source that links to the target, described in plain text."""

    source_url: str
    target_url: str
    title: str = ""
    excerpt: str = ""
    author: Author = field(default_factory=Author)
    url: str = ""
    content: str = ""
    response_type: ResponseType = ResponseType.MENTION
    rsvp: str = ""


def verify_source(
    *,
    text: str,
    content_type: str,
    source_url: str,
    target_url: str,
    microformats: bool = False,
) -> VerifiedSource:
    """Check that ``text`` links to exactly ``target_url``; return its title, excerpt and mf2.

    ``source_url`` is the final URL after redirects (the base for relative links). HTML
    counts href/src attributes, JSON a string value equal to the target, text/plain an
    occurrence of it. With ``microformats`` an HTML source is also read as mf2 (webmention).
    Raise VerificationError when the type is not one of those or the link is missing.
    """
    if content_type in HTML_TYPES:
        page = _scan_html(text, source_url)
        link = page.first_link_to(target_url)
        if link is None:
            raise VerificationError("no_link")
        excerpt = _excerpt(*page.context_of(link))
        found = VerifiedSource(
            source_url=source_url,
            target_url=target_url,
            title=clean_text(page.title, TITLE_MAX_CHARS),
            excerpt=excerpt,
            url=source_url,
        )
        return _with_microformats(found, text) if microformats else found
    if content_type == "application/json" or content_type.endswith("+json"):
        if not _json_mentions(text, target_url):
            raise VerificationError("no_link")
        return VerifiedSource(source_url=source_url, target_url=target_url, url=source_url)
    if content_type == "text/plain":
        before, found_target, after = text.partition(target_url)
        if not found_target:
            raise VerificationError("no_link")
        return VerifiedSource(
            source_url=source_url,
            target_url=target_url,
            excerpt=_excerpt(before, target_url, after),
            url=source_url,
        )
    raise VerificationError("unsupported_content_type", content_type)


def clean_text(value: str, limit: int) -> str:
    """Return ``value`` on one line, without control characters, cut to ``limit`` characters."""
    value = _one_line(value)
    return value if len(value) <= limit else value[: limit - 1].rstrip() + ELLIPSIS


def _one_line(value: str) -> str:
    return " ".join(_CONTROL_CHARS.sub("", value).split())


def clean_url(value: object) -> str:
    """Return ``value`` if it is an absolute http(s) URL safe to put in an attribute, else ""."""
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if len(value) > URL_MAX_CHARS or re.search(r"[\x00-\x20\x7f\"'<>\\`]", value):
        return ""
    return value if is_web_url(value) else ""


def html_to_text(html: str, limit: int = CONTENT_MAX_CHARS) -> str:
    """Return the visible text of an HTML fragment, one line per block, capped."""
    return _lines(_scan_html(html, "").text, limit)


def _lines(text: str, limit: int) -> str:
    lines = (" ".join(line.split()) for line in _CONTROL_CHARS.sub("", text).split("\n"))
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


@dataclass
class _Link:
    url: str
    tag: str
    start: int
    end: int


class _Scanner(HTMLParser):
    """Collect the title, the visible text (blocks as newlines) and every link with its span."""

    def __init__(self, base_url: str):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.title = ""
        self.links: list[_Link] = []
        self._parts: list[str] = []
        self._length = 0
        self._hidden = 0
        self._in_title = False
        self._seen_title = False
        self._seen_base = False
        self._open_anchors: list[_Link] = []

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "base" and self.base_url and not self._seen_base:
            self._seen_base = True
            base = clean_url(urljoin(self.base_url, (attributes.get("href") or "").strip()))
            self.base_url = base or self.base_url
        elif tag == "title" and not self._seen_title:
            self._in_title = self._seen_title = True
        elif tag in HIDDEN_ELEMENTS:
            self._hidden += 1
        if tag in BLOCK_ELEMENTS:
            self._append("\n")
        url = attributes.get(LINK_ATTRIBUTES.get(tag, ""))
        if url is not None:
            link = _Link(url.strip(), tag, self._length, self._length)
            self.links.append(link)
            if tag == "a":
                self._open_anchors.append(link)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in HIDDEN_ELEMENTS:
            self._hidden = max(0, self._hidden - 1)
        elif tag == "a" and self._open_anchors:
            self._open_anchors.pop().end = self._length
        if tag in BLOCK_ELEMENTS:
            self._append("\n")

    def handle_data(self, data):
        if self._hidden:
            return
        if self._in_title:
            self.title += data
        else:
            # Source line breaks are spaces; only blocks make paragraphs.
            self._append(re.sub(r"\s+", " ", data))

    def first_link_to(self, target: str) -> _Link | None:
        """Return the first <a> linking to ``target``, else the first other element that does."""
        matches = [link for link in self.links if self._is_target(link.url, target)]
        anchors = [link for link in matches if link.tag == "a"]
        return (anchors or matches or [None])[0]

    def _is_target(self, url: str, target: str) -> bool:
        return url == target or (bool(self.base_url) and urljoin(self.base_url, url) == target)

    def context_of(self, link: _Link) -> tuple[str, str, str]:
        """Return the paragraph text before the link, the link text and the text after it."""
        text = self.text
        start = text.rfind("\n", 0, link.start) + 1
        end = text.find("\n", link.end)
        end = len(text) if end == -1 else end
        return text[start : link.start], text[link.start : link.end], text[link.end : end]


def _scan_html(html: str, base_url: str) -> _Scanner:
    return feed(_Scanner(base_url), html)


def _excerpt(before: str, link_text: str, after: str) -> str:
    """Return "[…] context around the link […]" as WordPress's pingback builds it."""
    before, link_text, after = _one_line(before), _one_line(link_text), _one_line(after)
    if len(link_text) > LINK_TEXT_MAX_CHARS:
        link_text = link_text[:LINK_TEXT_MAX_CHARS].rstrip() + ELLIPSIS
    if len(before) > CONTEXT_CHARS:
        cut = before[-CONTEXT_CHARS:]
        # Drop the word cut in half, as WordPress's regular expression starts after a space.
        before = cut if before[-CONTEXT_CHARS - 1] == " " else cut.partition(" ")[2]
    if len(after) > CONTEXT_CHARS:
        cut = after[:CONTEXT_CHARS]
        after = cut if after[CONTEXT_CHARS] == " " else cut.rpartition(" ")[0]
    context = " ".join(part for part in (before, link_text, after) if part)
    return f"[{ELLIPSIS}] {context} [{ELLIPSIS}]" if context else ""


def _json_mentions(text: str, target: str) -> bool:
    """Return True if any string value of the JSON document equals ``target``."""
    try:
        stack = [json.loads(text)]
    except (ValueError, RecursionError):
        return False
    while stack:
        value = stack.pop()
        if value == target:
            return True
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _with_microformats(found: VerifiedSource, html: str) -> VerifiedSource:
    """Add the representative h-entry's author, URL, content and response type."""
    try:
        data = mf2py.parse(doc=html, url=found.source_url)
    except Exception:  # a parser failure (deep nesting, a bug) must not lose a verified mention
        logger.warning("mf2 parsing failed for %s", found.source_url, exc_info=True)
        return found
    rels = data.get("rels", {})
    items = [
        child
        for item in data.get("items", [])
        for child in (item.get("children", []) if "h-feed" in item["type"] else [item])
    ]
    target, base = found.target_url, found.source_url
    # Like wordpress-webmention: the first item that names the target anywhere represents it.
    entry = next((item for item in items if _refers(item, target, base, depth=2)), None)
    properties = entry["properties"] if entry else {}
    response_type, rsvp = _response_type(properties, rels, target, base)
    content = _first(properties.get("content")) or _first(properties.get("summary"))
    return replace(
        found,
        author=_author(properties, items, rels),
        url=clean_url(_plain(_first(properties.get("url")))) or found.source_url,
        content=_content_text(content),
        response_type=response_type,
        rsvp=rsvp,
    )


def _content_text(value: object) -> str:
    """Return e-content as text from its HTML; p-content and p-summary are already text."""
    if isinstance(value, dict) and isinstance(value.get("html"), str):
        return html_to_text(value["html"])
    return _lines(_plain(value), CONTENT_MAX_CHARS)


def _values(item: dict):
    for values in item.get("properties", {}).values():
        yield from values


def _first(values: list | None):
    return values[0] if values else None


def _plain(value: object) -> str:
    """Return the plain-text value of an mf2 property value (string, object or embedded)."""
    if isinstance(value, dict):
        value = value.get("value", "")
    return value if isinstance(value, str) else ""


def _refers(value: object, target: str, base_url: str, depth: int = 1) -> bool:
    """Return True if an mf2 value is the target, links to it, or nests an object that does."""
    if isinstance(value, str):
        return value == target
    if not isinstance(value, dict):
        return False
    if value.get("value") == target:
        return True
    if isinstance(value.get("html"), str):
        page = _scan_html(value["html"], base_url)
        if page.first_link_to(target) is not None:
            return True
    return depth > 0 and any(_refers(v, target, base_url, depth - 1) for v in _values(value))


def _response_type(properties, rels, target, base_url) -> tuple[ResponseType, str]:
    """Classify the entry by its first response property naming the target, then by rel."""
    for name, values in properties.items():
        if name == "rsvp":
            rsvp = _plain(_first(values)).strip().lower()
            return ResponseType.RSVP, rsvp if rsvp in RSVP_VALUES else ""
        if name in RESPONSE_PROPERTIES and any(_refers(v, target, base_url) for v in values):
            return RESPONSE_PROPERTIES[name], ""
    for rel, urls in rels.items():
        if rel in RESPONSE_RELS and target in urls:
            return RESPONSE_RELS[rel], ""
    return ResponseType.MENTION, ""


def _author(properties, items, rels) -> Author:
    """Find the author as the authorship algorithm does, without fetching an author page."""
    author = _first(properties.get("author"))
    if isinstance(author, dict) and "h-card" in author.get("type", []):
        return _card(author)
    if isinstance(author, str) and clean_url(author):
        return Author(url=clean_url(author))
    if author is not None:
        return Author(name=clean_text(_plain(author), NAME_MAX_CHARS))
    card = next((item for item in items if "h-card" in item["type"]), None)
    if card is not None:
        return _card(card)
    return Author(url=clean_url(_first(rels.get("author"))))


def _card(card: dict) -> Author:
    properties = card.get("properties", {})
    return Author(
        name=clean_text(_plain(_first(properties.get("name"))), NAME_MAX_CHARS),
        url=next((u for u in map(clean_url, map(_plain, properties.get("url", []))) if u), ""),
        photo=clean_url(_plain(_first(properties.get("photo")))),
    )
