"""Characters no request may carry, and text made safe for feeds.

XML 1.0 allows no C0 control character but tab, line feed and carriage return, no surrogate and
neither U+FFFE nor U+FFFF (https://www.w3.org/TR/xml/#charsets); PostgreSQL cannot store NUL in
text at all. ``RejectBadCharactersMiddleware`` answers 400, with a sentence saying what is wrong,
for such a character in the path, the query string or a header, for NUL in form data, and for
form data declared in another charset than UTF-8. Other control characters in form data are the
forms' business (the comment form refuses them with a form error); feeds drop them on the way out
and reduce titles and names to text without markup (``clean_feed``).
"""

import re

from django.http import UnreadablePostError
from django.shortcuts import render
from django.utils.feedgenerator import SyndicationFeed
from django.utils.translation import gettext as _

XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Never typed by a person, and not storable: refused in every form field.
FORM_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# What a browser would read as the start of a tag, a comment or a declaration.
_TAG = re.compile(r"<[A-Za-z/!?][^>]*>?")


def xml_safe(text: str) -> str:
    """Return ``text`` without the characters XML 1.0 forbids."""
    return XML_FORBIDDEN.sub("", text)


def feed_text(text: str) -> str:
    """Return ``text`` with every tag removed, as WordPress's ``the_title_rss`` strips tags.

    Removed until none is left, so "<scr<b>ipt>" cannot rebuild one; a feed reader that shows
    the result as HTML finds no element in it. Django's ``strip_tags`` is not used: its parser
    stops with an error on some hostile markup and leaves a tag behind on some other.
    """
    text = xml_safe(text)
    while True:
        stripped = _TAG.sub("", text)
        if stripped == text:
            return text
        text = stripped


# What feeds hold as text, not HTML (an item's description is HTML); many readers show it as HTML.
FEED_TEXT_FIELDS = {"title", "subtitle", "description", "author_name", "categories"}
ITEM_TEXT_FIELDS = {"title", "author_name", "categories"}


def _feed_fields(fields: dict, text_fields: set[str]) -> dict:
    def clean(value, text: bool):
        if isinstance(value, str):
            return feed_text(value) if text else xml_safe(value)
        if isinstance(value, list | tuple):
            return [clean(part, text) for part in value]
        return value

    return {name: clean(value, name in text_fields) for name, value in fields.items()}


def clean_feed(feed: SyndicationFeed) -> SyndicationFeed:
    """Make ``feed`` well-formed XML whatever its items hold, with markup-free titles and names."""
    feed.feed = _feed_fields(feed.feed, FEED_TEXT_FIELDS)
    feed.items = [_feed_fields(item, ITEM_TEXT_FIELDS) for item in feed.items]
    return feed


def _any_match(pattern: re.Pattern, data) -> bool:
    return any(
        pattern.search(key) or any(pattern.search(str(value)) for value in values)
        for key, values in data.lists()
    )


def request_problem(request) -> str:
    """Return why the site cannot read ``request``, or "" if it can."""
    if XML_FORBIDDEN.search(request.path):
        return _(
            "The address contains a character that is not allowed (a NUL byte or a control "
            "character)."
        )
    if _any_match(XML_FORBIDDEN, request.GET):
        return _(
            "The query string contains a character that is not allowed (a NUL byte or a "
            "control character)."
        )
    for name, value in request.META.items():
        if (name.startswith("HTTP_") or name == "CONTENT_TYPE") and XML_FORBIDDEN.search(value):
            return _(
                "A request header contains a character that is not allowed (a NUL byte or a "
                "control character)."
            )
    if request.method == "POST" and request.content_type in FORM_TYPES:
        charset = request.content_params.get("charset", "utf-8")
        if charset.lower() not in ("utf-8", "utf8"):
            return _("Send form data encoded as UTF-8, not %(charset)s.") % {
                "charset": charset[:40]
            }
        # The CSRF check reads the form data next anyway; no view here changes upload handlers.
        try:
            form = request.POST
        except UnreadablePostError:  # The body stopped arriving (gunicorn's socket timeout).
            return _("The request's body did not arrive in full.")
        if _any_match(FORM_FORBIDDEN, form) or any(
            FORM_FORBIDDEN.search(upload.name or "") for upload in request.FILES.values()
        ):
            return _("A form field contains a NUL byte, which no text may contain.")
    return ""


class RejectBadCharactersMiddleware:
    """Answer 400 with the reason to a request the site cannot read (see ``request_problem``).

    Placed before the session middleware, and answered with a page that reads no session and no
    database (``400.html``): a session cookie carrying NUL must not reach PostgreSQL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if problem := request_problem(request):
            return render(request, "400.html", {"message": problem}, status=400)
        return self.get_response(request)
