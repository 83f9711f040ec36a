"""Read WordPress eXtended RSS (WXR 1.0, 1.1, 1.2) as a stream of plain records.

``parse(source)`` yields a ``Channel`` first, then each ``Author``, ``Term`` and ``Item`` as its
element ends, and drops the element at once, so memory stays flat whatever the file's size.
``check(source)`` reads the whole file and returns its ``Counts``; an importer calls it before
writing anything, so that a truncated file is refused before its first item is stored.

The parser is defusedxml's: a DOCTYPE, an entity or an external reference (an XML bomb) is an
error at once. Elements are matched by namespace URI, never by prefix text, as WordPress's own
newest parser does: any ``http(s)://wordpress.org/export/1.x/`` namespace is WordPress's (real
files use http, WordPress.com's theme unit test file https), and an element in another
namespace, even under the ``wp:`` prefix, is ignored. When an element appears twice, the last
one wins. Text is kept as the file has it (backslashes, blank lines, CDATA joined); only short
scalar fields (ids, logins, slugs, dates, statuses) are stripped of surrounding whitespace.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

VERSIONS = ("1.0", "1.1", "1.2")

_WP = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/$")
_EXCERPT = re.compile(r"^https?://wordpress\.org/export/1\.[0-9]+/excerpt/$")
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}


class WXRError(Exception):
    """The file cannot be read as a WordPress export; the message is one line for a person."""


@dataclass
class Channel:
    version: str = ""
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""

    @property
    def site_url(self) -> str:
        """Return the old blog's address, without a trailing slash."""
        return (self.base_blog_url or self.link or self.base_site_url).rstrip("/")


@dataclass
class Author:
    author_id: str = ""
    login: str = ""
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass
class Term:
    element: str  # "category", "tag" or "term": which WXR element it came from.
    taxonomy: str  # "category", "post_tag", or another taxonomy's name.
    term_id: str = ""
    slug: str = ""
    name: str = ""
    parent: str = ""  # The parent's slug.
    description: str = ""
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class Comment:
    comment_id: str = ""
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: str = ""
    user_id: str = ""
    meta: dict[str, str] = field(default_factory=dict)


@dataclass
class Item:
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_id: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_name: str = ""
    post_type: str = ""
    status: str = ""
    comment_status: str = ""
    ping_status: str = ""
    post_parent: str = ""
    menu_order: str = ""
    post_password: str = ""
    is_sticky: str = ""
    attachment_url: str = ""
    # (taxonomy, slug, name) of each <category domain= nicename=>.
    terms: list[tuple[str, str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)


Record = Channel | Author | Term | Item


@dataclass
class Counts:
    """How many of each record a file holds (items by post type)."""

    version: str
    authors: int = 0
    categories: int = 0
    tags: int = 0
    terms: int = 0
    items: Counter = field(default_factory=Counter)
    comments: int = 0

    @property
    def total(self) -> int:
        """Return the number of records an import goes through (for a progress bar)."""
        return self.authors + self.categories + self.tags + self.terms + self.items.total()


def _split(tag: str) -> tuple[str | None, str]:
    """Return ("wp" | "excerpt" | "content" | "dc" | "" | None for foreign, local name)."""
    if not tag.startswith("{"):
        return "", tag
    uri, local = tag[1:].split("}", 1)
    if _WP.match(uri):
        return "wp", local
    if _EXCERPT.match(uri):
        return "excerpt", local
    return _NAMESPACES.get(uri), local


def _text(element: Element) -> str:
    return element.text or ""


def _meta(element: Element) -> tuple[str, str] | None:
    key = value = None
    for child in element:
        namespace, local = _split(child.tag)
        if namespace != "wp":
            continue
        if local == "meta_key":
            key = _text(child).strip()
        elif local == "meta_value":
            value = _text(child)
    return None if key is None else (key, value or "")


def _fields(element: Element, names: dict[str, str], record, *, keep: frozenset = frozenset()):
    """Copy the wp: children of ``element`` named in ``names`` onto ``record``'s attributes."""
    for child in element:
        namespace, local = _split(child.tag)
        if namespace == "wp" and local in names:
            attribute = names[local]
            value = _text(child)
            setattr(record, attribute, value if attribute in keep else value.strip())
    return record


_AUTHOR = {
    "author_id": "author_id",
    "author_login": "login",
    "author_email": "email",
    "author_display_name": "display_name",
    "author_first_name": "first_name",
    "author_last_name": "last_name",
}
_TERMS = {
    "category": (
        {
            "term_id": "term_id",
            "category_nicename": "slug",
            "cat_name": "name",
            "category_parent": "parent",
            "category_description": "description",
        },
        "category",
    ),
    "tag": (
        {
            "term_id": "term_id",
            "tag_slug": "slug",
            "tag_name": "name",
            "tag_description": "description",
        },
        "post_tag",
    ),
    "term": (
        {
            "term_id": "term_id",
            "term_taxonomy": "taxonomy",
            "term_slug": "slug",
            "term_name": "name",
            "term_parent": "parent",
            "term_description": "description",
        },
        "",
    ),
}
_COMMENT = {
    "comment_id": "comment_id",
    "comment_author": "author",
    "comment_author_email": "author_email",
    "comment_author_url": "author_url",
    "comment_author_IP": "author_ip",
    "comment_date": "date",
    "comment_date_gmt": "date_gmt",
    "comment_content": "content",
    "comment_approved": "approved",
    "comment_type": "type",
    "comment_parent": "parent",
    "comment_user_id": "user_id",
}
_ITEM = {
    "post_id": "post_id",
    "post_date": "post_date",
    "post_date_gmt": "post_date_gmt",
    "post_name": "post_name",
    "post_type": "post_type",
    "status": "status",
    "comment_status": "comment_status",
    "ping_status": "ping_status",
    "post_parent": "post_parent",
    "menu_order": "menu_order",
    "post_password": "post_password",
    "is_sticky": "is_sticky",
    "attachment_url": "attachment_url",
}


def _term(element: Element, kind: str) -> Term:
    names, taxonomy = _TERMS[kind]
    term = _fields(element, names, Term(element=kind, taxonomy=taxonomy))
    for child in element:
        if _split(child.tag) == ("wp", "termmeta") and (pair := _meta(child)):
            term.meta[pair[0]] = pair[1]
    return term


def _comment(element: Element) -> Comment:
    comment = _fields(element, _COMMENT, Comment(), keep=frozenset({"content"}))
    for child in element:
        if _split(child.tag) == ("wp", "commentmeta") and (pair := _meta(child)):
            comment.meta[pair[0]] = pair[1]
    return comment


def _item(element: Element) -> Item:
    item = _fields(element, _ITEM, Item())
    for child in element:
        namespace, local = _split(child.tag)
        if namespace == "" and local in {"title", "link", "guid"}:
            setattr(item, local, _text(child).strip())
        elif namespace == "" and local == "category":
            taxonomy = child.get("domain", "category")
            slug = child.get("nicename", "").strip()
            item.terms.append((taxonomy, slug, _text(child).strip()))
        elif (namespace, local) == ("dc", "creator"):
            item.creator = _text(child).strip()
        elif (namespace, local) == ("content", "encoded"):
            item.content = _text(child)
        elif (namespace, local) == ("excerpt", "encoded"):
            item.excerpt = _text(child)
        elif (namespace, local) == ("wp", "postmeta") and (pair := _meta(child)):
            item.meta[pair[0]] = pair[1]
        elif (namespace, local) == ("wp", "comment"):
            item.comments.append(_comment(child))
    return item


_CHANNEL_TEXT = {
    ("", "title"): "title",
    ("", "link"): "link",
    ("wp", "base_site_url"): "base_site_url",
    ("wp", "base_blog_url"): "base_blog_url",
}


def parse(source) -> Iterator[Record]:
    """Yield the file's ``Channel``, then its authors, terms and items, one element at a time.

    ``source`` is a path or a binary file. Raises ``WXRError`` for anything that is not a
    well-formed WXR 1.0-1.2 file; records yielded before the error were read from a file that
    turned out broken, which is why importers ``check`` first.
    """
    channel = Channel()
    announced = False
    depth = 0
    container: Element | None = None
    try:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                if depth == 1 and _split(element.tag) != ("", "rss"):
                    raise WXRError("This is not a WordPress export (WXR): it is not an RSS file.")
                if depth == 2 and _split(element.tag) == ("", "channel"):
                    container = element
                continue
            depth -= 1
            if depth != 2 or container is None:
                continue
            key = _split(element.tag)
            record = None
            if key == ("wp", "wxr_version"):
                channel.version = _text(element).strip()
                if channel.version not in VERSIONS:
                    raise WXRError(
                        f"This does not appear to be a WXR file, invalid WXR version number "
                        f"{channel.version[:20]!r} (this importer reads {', '.join(VERSIONS)})."
                    )
            elif key in _CHANNEL_TEXT:
                setattr(channel, _CHANNEL_TEXT[key], _text(element).strip())
            elif key == ("wp", "author"):
                record = _fields(element, _AUTHOR, Author())
            elif key[0] == "wp" and key[1] in _TERMS:
                record = _term(element, key[1])
            elif key == ("", "item"):
                record = _item(element)
            container.remove(element)
            if record is None:
                continue
            if not channel.version:
                raise WXRError(
                    "This does not appear to be a WXR file, missing WXR version number "
                    "(<wp:wxr_version>) before its content."
                )
            if not announced:
                announced = True
                yield channel
            yield record
    except DefusedXmlException as error:
        raise WXRError(
            f"Refused: the file declares a DOCTYPE or entities, which a WordPress export never "
            f"does (an XML bomb?): {type(error).__name__}."
        ) from error
    except ParseError as error:
        raise WXRError(
            f"The file is not well-formed XML ({error}): truncated or damaged; nothing imported."
        ) from error
    if not channel.version:
        raise WXRError(
            "This does not appear to be a WXR file, missing WXR version number (<wp:wxr_version>)."
        )
    if not announced:
        yield channel


_COUNTED = {"category": "categories", "tag": "tags", "term": "terms"}


def check(source) -> Counts:
    """Read the whole file and return its counts; raise ``WXRError`` if it is not sound WXR."""
    counts = None
    for record in parse(source):
        if isinstance(record, Channel):
            counts = Counts(version=record.version)
        elif isinstance(record, Author):
            counts.authors += 1
        elif isinstance(record, Term):
            attribute = _COUNTED[record.element]
            setattr(counts, attribute, getattr(counts, attribute) + 1)
        else:
            counts.items[record.post_type] += 1
            counts.comments += len(record.comments)
    return counts
