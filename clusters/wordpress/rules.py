"""How WordPress's values become ours: statuses, kinds, dates, slugs, comment text, old links.

Pure functions, tested without a database; the importer (``importer.py``) applies them.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import asdict
from datetime import UTC, datetime, tzinfo
from urllib.parse import unquote, urlsplit

from django.utils.html import strip_tags
from django.utils.text import slugify

from clusters.models import Status
from clusters.redirects import normalise_old_path
from comments.models import Comment

# What each WordPress post status becomes; the rest (trash, auto-draft, inherit) is not imported.
ENTRY_STATUSES = {
    "publish": Status.PUBLISHED,
    "future": Status.SCHEDULED,
    "draft": Status.DRAFT,
    "pending": Status.DRAFT,
    "private": Status.DRAFT,
}
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
COMMENT_KINDS = {
    "": Comment.Kind.COMMENT,
    "comment": Comment.Kind.COMMENT,
    "pingback": Comment.Kind.PINGBACK,
    "trackback": Comment.Kind.TRACKBACK,
    "webmention": Comment.Kind.WEBMENTION,
}
NO_DATE = "0000-00-00 00:00:00"


def entry_status(item) -> tuple[str | None, str]:
    """Return our status for a post or page (None: not imported) and a note on the mapping."""
    status = ENTRY_STATUSES.get(item.status)
    if status is None:
        return None, f"status “{item.status or 'none'}” is not imported"
    if item.post_password and status != Status.DRAFT:
        # We have no password-protected entries: publishing one would show what was hidden.
        return Status.DRAFT, "password-protected in WordPress: imported as a draft"
    if item.status in {"private", "pending"}:
        return status, f"{item.status} in WordPress: imported as a draft"
    return status, ""


def comment_status(approved: str) -> str:
    """Return our status for ``comment_approved`` (unknown values wait for a moderator)."""
    return COMMENT_STATUSES.get(approved.strip().lower(), Comment.Status.PENDING)


def comment_kind(comment_type: str) -> str | None:
    """Return our kind for ``comment_type``, or None for kinds we do not keep (notes…)."""
    return COMMENT_KINDS.get(comment_type.strip().lower())


def parse_date(local: str, gmt: str, zone: tzinfo) -> datetime | None:
    """Return the aware time of a WordPress date pair: GMT if given, else local in ``zone``."""
    for value, value_zone in ((gmt, UTC), (local, zone)):
        value = value.strip()
        if not value or value == NO_DATE:
            continue
        try:
            return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=value_zone)
        except ValueError:
            continue
    return None


def slug_for(post_name: str, title: str, fallback: str, *, max_length: int) -> str:
    """Return an ASCII slug of WordPress's (percent-encoded) slug, or the title, or ``fallback``."""
    for candidate in (unquote(post_name), title):
        slug = slugify(candidate)[:max_length].strip("-")
        if slug:
            return slug
    return fallback


_BLOCK = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|pre|table|figure|hr|dl|address|section|!--)[\s>/]",
    re.IGNORECASE,
)


def autop(text: str) -> str:
    """Turn blank-line-separated text into paragraphs, as WordPress does when it shows a post.

    A post written in WordPress's classic editor is stored without ``<p>``: WordPress adds them
    at display time (``wpautop``). Blocks that already start with a block element stay as they
    are, so block-editor content and our own exports pass through unchanged.
    """
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if _BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


_BREAKS = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.IGNORECASE)
_LINK = re.compile(r"<a\s[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)


def comment_text(content: str) -> str:
    """Return a WordPress comment's HTML as the plain text our comments store.

    Our comments are text rendered by the site (links made clickable, everything else
    escaped); a link whose label is not its address keeps the address beside the label.
    """

    def link(match: re.Match) -> str:
        href, label = match.group(1), strip_tags(match.group(2)).strip()
        return href if not label or label == href else f"{label} ({href})"

    text = _LINK.sub(link, content.replace("\r\n", "\n"))
    text = _BREAKS.sub(lambda m: "\n\n" if m.group().lower().startswith("</p") else "\n", text)
    return html.unescape(strip_tags(text)).strip()


def plain_text(content: str) -> str:
    """Return HTML as plain text, for excerpts."""
    return " ".join(html.unescape(strip_tags(content)).split())


def digest(record) -> str:
    """Return a stable hash of a WXR record's fields (comments left out: they have their own)."""
    fields = asdict(record)
    fields.pop("comments", None)
    fields.pop("element", None)  # A term may be declared twice, as <wp:category> and <wp:term>.
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


# Old addresses
# ------------------------------------------------------------------------------


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def old_path(url: str, site_url: str) -> str | None:
    """Return ``url``'s path and query if it is on the old site (``site_url``), else None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or _host(url) != _host(site_url):
        return None
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def site_prefix(site_url: str) -> str:
    """Return the old blog's path on its host ("" at the root, "/blog" under a folder)."""
    return urlsplit(site_url).path.rstrip("/")


_URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src)=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def rewrite_links(body: str, site_url: str, resolve) -> str:
    """Return ``body`` with links and images that point at the old site pointed at ours.

    ``resolve(old_path)`` returns the new address of an old path (in the redirect table's normal
    form), or None to leave the link alone.
    """

    def replace(match: re.Match) -> str:
        url = html.unescape(match.group(3))
        path, _, fragment = url.partition("#")
        old = old_path(path, site_url)
        new = resolve(normalise_old_path(old)) if old else None
        if new is None:
            return match.group()
        new = new + (f"#{fragment}" if fragment else "")
        return f"{match.group(1)}{match.group(2)}{html.escape(new)}{match.group(2)}"

    return _URL_ATTRIBUTE.sub(replace, body)


def upload_path(item) -> str:
    """Return an attachment's path under wp-content/uploads ("2016/11/photo.jpg"), or ""."""
    attached = item.meta.get("_wp_attached_file", "").strip()
    if attached and not attached.startswith(("/", "http")) and ".." not in attached:
        return attached
    path = unquote(urlsplit(item.attachment_url).path)
    for marker in ("/wp-content/uploads/", "/files/"):
        if marker in path:
            candidate = path.split(marker, 1)[1]
            return "" if ".." in candidate.split("/") else candidate
    # WordPress.com serves uploads from <blog>.files.wordpress.com/<yyyy>/<mm>/<name>.
    if _host(item.attachment_url).endswith(".files.wordpress.com"):
        return path.lstrip("/")
    return ""
