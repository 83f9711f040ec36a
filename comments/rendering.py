"""Turn a comment's plain text into the HTML the page shows, once, when the comment is saved.

Everything the visitor typed is escaped: no HTML of theirs survives. Blank lines make paragraphs,
single line breaks make ``<br>``, and http(s) or ``www.`` addresses become links marked
``rel="nofollow ugc"``, so that search engines give spam links no credit.
"""

import re

from django.utils.html import escape

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_TRAILING_PUNCTUATION = ".,;:!?'*"


def _trim(url: str) -> str:
    """Drop the punctuation that ends a sentence rather than the address."""
    while url:
        if url[-1] in _TRAILING_PUNCTUATION:
            url = url[:-1]
        elif url[-1] == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        else:
            break
    return url


def _is_address(url: str) -> bool:
    rest = url.split("://", 1)[1] if "://" in url else url[len("www.") :]
    return bool(rest.strip("/"))


def find_links(text: str) -> list[str]:
    """Return the addresses in ``text`` that the page would show as links."""
    return [url for url in (_trim(m.group()) for m in _URL.finditer(text)) if _is_address(url)]


def _linkify(line: str) -> str:
    parts = []
    position = 0
    for match in _URL.finditer(line):
        url = _trim(match.group())
        if not _is_address(url):
            continue
        parts.append(escape(line[position : match.start()]))
        href = url if "://" in url else f"http://{url}"
        parts.append(f'<a href="{escape(href)}" rel="nofollow ugc">{escape(url)}</a>')
        position = match.start() + len(url)
    parts.append(escape(line[position:]))
    return "".join(parts)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def render_body(text: str) -> str:
    """Return ``text`` as escaped HTML paragraphs with its addresses linked."""
    text = normalise_newlines(text or "").strip()
    if not text:
        return ""
    paragraphs = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        lines = [_linkify(line) for line in paragraph.split("\n")]
        paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    return "\n".join(paragraphs)
