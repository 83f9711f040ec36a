"""Sanitise editor HTML with nh3: no script, event handler or ``javascript:`` URL reaches a page.

Everything an editor can make with the rich-text widget (headings, lists, links, images, tables,
quotes, figures) survives; everything executable is dropped. Links get ``rel="noopener"`` and only
http, https, mailto and tel URLs (and relative ones) are kept.
"""

import re
from html import unescape

import nh3
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"lang", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener",
    strip_comments=True,
)


def clean_html(html: str) -> str:
    """Return ``html`` with everything outside the allow-list removed."""
    cleaned = _cleaner.clean(html or "").strip()
    # The editor stores an empty document as one empty paragraph: keep "no body" an empty string.
    return "" if cleaned in {"<p></p>", "<p><br></p>"} else cleaned


_ANY_TAG = re.compile(r"<[^>]*>")


def full_text(html: str) -> str:
    """Return all the text of (sanitised) ``html``, each tag a space: what search indexes."""
    return " ".join(unescape(_ANY_TAG.sub(" ", html or "")).split())


def html_to_text(html: str, words: int = 40) -> str:
    """Return the first ``words`` words of ``html`` as plain text, for excerpts and meta tags."""
    text = " ".join(strip_tags(html or "").split())
    return Truncator(text).words(words, truncate=" …")


_IMAGE_WITHOUT_ALT = re.compile(r'<img\b(?![^>]*\balt="[^"]*\S[^"]*")[^>]*>', re.I)


def require_alt_text(html: str) -> None:
    """Refuse rich text with an image that has no alt text."""
    if _IMAGE_WITHOUT_ALT.search(html or ""):
        raise ValidationError(
            _(
                "Every image needs alt text, saying what it shows for people who cannot see it: "
                "select the image and use the figure button to add it."
            ),
            code="image_without_alt",
        )


def no_markup(extension_config, nh3_config) -> None:
    """Add nothing to the editor's allow-list: for extensions that only insert known markup."""
