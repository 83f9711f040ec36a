"""Receiving linkbacks: each protocol's checks, cheapest first, ending in the comments service.

Pingback (``receive_pingback``, ``pingbacks_of``) runs while the client waits, because its
faults need the answer, in WordPress's order: the source is a URL, the target is ours and
resolves to a live object, source and target differ, the object takes pings, the ping is new;
only then is the source fetched (no redirects, within ``fetch``'s bounds) and checked. Faults:

    0   generic: not a URL, same resource, a source address our network rules refuse
    16  the source cannot be fetched                17  the source does not link to the target
    32  the target is not ours or does not exist     33  the target takes no pingbacks
    48  already registered                           49  pingbacks off, or too many requests

Trackback (``receive_trackback``) carries no proof: nothing is fetched and the ping always waits
for a moderator. Webmention (``accept_webmention``) checks the target at once and queues the
source's verification (``verify_webmention``, run by a task), which stores, updates or withdraws
the mention. All three count against the rate limits of ``throttle`` and end in
``comments.services.linkback_receive``.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urldefrag

from django.db import models

from bioxclusters.bad_input import XML_FORBIDDEN
from bioxclusters.common import host_of, is_web_url
from comments import reasons, services
from comments.models import Comment, DiscussionSettings
from comments.services import CommentRejected

from . import fetch
from .fetch import WEBMENTION_SOURCE_TYPES, FetchError
from .models import URL_MAX_LENGTH, ReceivedWebmention
from .targets import TargetError, accepts_pings, resolve_target
from .throttle import client_over_limit, source_over_limit
from .verify import (
    ELLIPSIS,
    VerificationError,
    VerifiedSource,
    html_to_text,
    verify_source,
)
from .xmlrpc import (
    ACCESS_DENIED,
    ALREADY_REGISTERED,
    FAULT_MESSAGES,
    GENERIC_ERROR,
    SOURCE_HAS_NO_LINK,
    SOURCE_NOT_FOUND,
    TARGET_NOT_FOUND,
    TARGET_NOT_PINGABLE,
    XmlRpcFault,
)

Kind = Comment.Kind

SAME_RESOURCE = "The source URL and the target URL cannot both point to the same resource."
# Sources our network rules refuse get WordPress's answer to an address it will not fetch.
SOURCE_FAULTS = {
    "bad_url": (GENERIC_ERROR, FAULT_MESSAGES[GENERIC_ERROR]),
    "bad_scheme": (GENERIC_ERROR, FAULT_MESSAGES[GENERIC_ERROR]),
    "bad_port": (GENERIC_ERROR, FAULT_MESSAGES[GENERIC_ERROR]),
    "forbidden_address": (GENERIC_ERROR, FAULT_MESSAGES[GENERIC_ERROR]),
    "too_large": (GENERIC_ERROR, "The source page is too large to check."),
    "bad_content_type": (SOURCE_HAS_NO_LINK, "The source URL is not a web page."),
}
TARGET_FAULTS = {
    "invalid": GENERIC_ERROR,
    "not_ours": TARGET_NOT_FOUND,
    "not_found": TARGET_NOT_FOUND,
    "not_pingable": TARGET_NOT_PINGABLE,
}
WEBMENTION_TARGET_PROBLEMS = {
    "invalid": "The target must be an absolute http or https URL.",
    "not_ours": "The target is not on this site.",
    "not_found": "The target does not exist.",
    "not_pingable": "The target does not accept webmentions.",
}

# WordPress's trackback limits (wp-trackback.php): title and blog name 250 characters, excerpt
# 255, else cut to 252 and an ellipsis.
TRACKBACK_TITLE_MAX = 250
TRACKBACK_EXCERPT_MAX = 255
TRACKBACK_EXCERPT_CUT = 252


@dataclass(frozen=True)
class Client:
    """Who sent a linkback request."""

    ip_address: str | None = None
    user_agent: str = ""


def _same_url(first: str, second: str) -> bool:
    return urldefrag(first).url == urldefrag(second).url


# Pingback
# ------------------------------------------------------------------------------


def _pingback_target(target: str) -> models.Model:
    try:
        return resolve_target(target)
    except TargetError as error:
        raise XmlRpcFault(TARGET_FAULTS[error.reason]) from error


def _is_same_resource(source: str, target: models.Model) -> bool:
    try:
        return resolve_target(source) == target
    except TargetError:
        return False


def receive_pingback(source: str, target: str, *, client: Client) -> str:
    """Register a pingback from ``source`` to ``target``; return the success string.

    Raises ``XmlRpcFault`` with the spec's code when the ping cannot be registered.
    """
    if client_over_limit(client.ip_address):
        raise XmlRpcFault(ACCESS_DENIED, "Too many pingbacks from your address; try again later.")
    discussion = DiscussionSettings.load()
    if not discussion.pings_open:
        raise XmlRpcFault(ACCESS_DENIED, "This site does not accept pingbacks.")
    if not is_web_url(source) or len(source) > URL_MAX_LENGTH:
        raise XmlRpcFault(GENERIC_ERROR)
    if _same_url(source, target):
        raise XmlRpcFault(GENERIC_ERROR, SAME_RESOURCE)
    obj = _pingback_target(target)
    if _is_same_resource(source, obj):
        raise XmlRpcFault(GENERIC_ERROR, SAME_RESOURCE)
    if not accepts_pings(obj, discussion):
        raise XmlRpcFault(TARGET_NOT_PINGABLE)
    if Comment.objects.for_object(obj).linkbacks_from(source, kind=Kind.PINGBACK).exists():
        raise XmlRpcFault(ALREADY_REGISTERED)
    if source_over_limit(host_of(source)):
        raise XmlRpcFault(ACCESS_DENIED, "Too many pingbacks from that site; try again later.")
    try:
        # As WordPress: no redirect is followed, so a ping cannot bounce us to another host.
        page = fetch.get(source, max_redirects=0)
        found = verify_source(
            text=page.text,
            content_type=page.content_type,
            source_url=page.final_url,
            target_url=target,
        )
    except FetchError as error:
        fault = SOURCE_FAULTS.get(error.reason, (SOURCE_NOT_FOUND, None))
        raise XmlRpcFault(*fault) from error
    except VerificationError as error:
        raise XmlRpcFault(SOURCE_HAS_NO_LINK) from error
    try:
        services.linkback_receive(
            target=obj,
            kind=Kind.PINGBACK,
            source_url=source,
            title=found.title,
            excerpt=found.excerpt,
            ip_address=client.ip_address,
            user_agent=client.user_agent,
            discussion=discussion,
        )
    except CommentRejected as rejected:
        code = ALREADY_REGISTERED if rejected.code == "duplicate" else TARGET_NOT_PINGABLE
        raise XmlRpcFault(code) from rejected
    return f"Pingback from {source} to {target} registered. Keep the web talking! :-)"


def pingbacks_of(url: str, *, client: Client) -> list[str]:
    """Return the sources of the approved pingbacks of the page at ``url`` (or raise a fault)."""
    if client_over_limit(client.ip_address):
        raise XmlRpcFault(ACCESS_DENIED, "Too many requests from your address; try again later.")
    obj = _pingback_target(url)
    return list(
        Comment.objects.for_object(obj)
        .approved()
        .filter(kind=Kind.PINGBACK)
        .order_by("created_at", "pk")
        .values_list("source_url", flat=True)
    )


# Trackback
# ------------------------------------------------------------------------------


class TrackbackRefused(Exception):
    """A trackback not stored: ``message`` goes in the answer's <message>, with ``status``."""

    def __init__(self, message: str, *, status: int = 200):
        super().__init__(message)
        self.message = message
        self.status = status


def _trackback_text(value: str, *, keep: int, cut: int) -> str:
    """Return a field as one line of plain text, cut to ``cut`` characters if over ``keep``."""
    text = " ".join(html_to_text(value).split())
    return text if len(text) <= keep else text[:cut].rstrip() + ELLIPSIS


def receive_trackback(
    target: models.Model,
    *,
    url: str,
    title: str = "",
    excerpt: str = "",
    blog_name: str = "",
    client: Client,
) -> Comment:
    """Store a trackback on ``target``, held for moderation; raise TrackbackRefused if not."""
    if client_over_limit(client.ip_address):
        raise TrackbackRefused(
            "Too many trackbacks from your address; try again later.", status=429
        )
    discussion = DiscussionSettings.load()
    if not accepts_pings(target, discussion):
        raise TrackbackRefused("Sorry, trackbacks are closed for this item.")
    url = url.strip()
    if XML_FORBIDDEN.search(url):
        raise TrackbackRefused("The url contains control characters.", status=400)
    if not is_web_url(url) or len(url) > URL_MAX_LENGTH:
        raise TrackbackRefused(FAULT_MESSAGES[GENERIC_ERROR])
    if _is_same_resource(url, target):
        raise TrackbackRefused(SAME_RESOURCE)
    if source_over_limit(host_of(url)):
        raise TrackbackRefused("Too many trackbacks from that site; try again later.", status=429)
    title = _trackback_text(title, keep=TRACKBACK_TITLE_MAX, cut=TRACKBACK_TITLE_MAX) or url
    blog_name = _trackback_text(blog_name, keep=TRACKBACK_TITLE_MAX, cut=TRACKBACK_TITLE_MAX)
    excerpt = (
        _trackback_text(excerpt, keep=TRACKBACK_EXCERPT_MAX, cut=TRACKBACK_EXCERPT_CUT) or title
    )
    try:
        comment, _ = services.linkback_receive(
            target=target,
            kind=Kind.TRACKBACK,
            source_url=url,
            title=title,
            excerpt=excerpt,
            data={"blog_name": blog_name} if blog_name else {},
            ip_address=client.ip_address,
            user_agent=client.user_agent,
            discussion=discussion,
        )
    except CommentRejected as rejected:
        if rejected.code == "duplicate":
            raise TrackbackRefused("We already have a ping from that URL for this item.") from None
        raise TrackbackRefused("Sorry, trackbacks are closed for this item.") from None
    return comment


# Webmention
# ------------------------------------------------------------------------------


class WebmentionRefused(Exception):
    """A webmention request refused at once: a machine ``code`` and a sentence for people."""

    def __init__(self, code: str, message: str, *, status: int = 400):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def _is_private_literal(url: str) -> bool:
    """Return True if ``url``'s host is an IP address our network rules refuse."""
    try:
        address = ipaddress.ip_address(host_of(url))
    except ValueError:
        return False  # a name: resolved, and vetted, when the source is fetched
    return fetch.forbidden_address(address)


def accept_webmention(source: str, target: str, *, client: Client) -> ReceivedWebmention:
    """Check a webmention request and record it for verification; raise WebmentionRefused."""
    if client_over_limit(client.ip_address):
        raise WebmentionRefused(
            "rate_limited", "Too many webmentions from your address; try again later.", status=429
        )
    if not source:
        raise WebmentionRefused("missing_source", "The source parameter is missing.")
    if not target:
        raise WebmentionRefused("missing_target", "The target parameter is missing.")
    if not is_web_url(source) or len(source) > URL_MAX_LENGTH or XML_FORBIDDEN.search(source):
        raise WebmentionRefused("invalid_source", "The source must be an absolute http(s) URL.")
    if _is_private_literal(source):
        raise WebmentionRefused("invalid_source", "The source is not on a public address.")
    if not is_web_url(target) or len(target) > URL_MAX_LENGTH:
        raise WebmentionRefused("invalid_target", WEBMENTION_TARGET_PROBLEMS["invalid"])
    if _same_url(source, target):
        raise WebmentionRefused("invalid_source", "The source and the target are the same page.")
    discussion = DiscussionSettings.load()
    if not discussion.pings_open:
        raise WebmentionRefused("invalid_target", "This site does not accept webmentions.")
    try:
        obj = resolve_target(target)
    except TargetError as error:
        raise WebmentionRefused(
            "invalid_target", WEBMENTION_TARGET_PROBLEMS[error.reason]
        ) from None
    if not accepts_pings(obj, discussion):
        raise WebmentionRefused("invalid_target", WEBMENTION_TARGET_PROBLEMS["not_pingable"])
    if source_over_limit(host_of(source)):
        raise WebmentionRefused(
            "rate_limited", "Too many webmentions from that site; try again later.", status=429
        )
    return ReceivedWebmention.objects.create(
        source=source, target=target, ip_address=client.ip_address
    )


def _mention_data(found: VerifiedSource) -> dict:
    """Return what the source's microformats said, as plain text and http(s) URLs."""
    data = {
        "title": found.title,
        "url": found.url,
        "author_name": found.author.name,
        "author_url": found.author.url,
        "author_photo": found.author.photo,
        "response_type": str(found.response_type),
        "rsvp": found.rsvp,
    }
    return {key: value for key, value in data.items() if value}


def _settle(received, status, reason="", comment=None) -> ReceivedWebmention:
    received.status = status
    received.reason = reason[: ReceivedWebmention._meta.get_field("reason").max_length]
    received.comment = comment or received.comment
    received.save(update_fields=["status", "reason", "comment", "updated_at"])
    return received


def _withdraw(received, target, code: str, answer: str) -> ReceivedWebmention:
    """Remove the mention ``received`` updates, if there is one; either way, say why.

    ``code``: the reason its history gives (``comments.reasons``); ``answer``: the sender's.
    """
    withdrawn = services.linkback_withdraw(
        target=target, kind=Kind.WEBMENTION, source_url=received.source, reason=reasons.reason(code)
    )
    if withdrawn is None:
        return _settle(received, ReceivedWebmention.Status.REJECTED, answer)
    return _settle(received, ReceivedWebmention.Status.REMOVED, answer, withdrawn)


def verify_webmention(received_id: int) -> ReceivedWebmention | None:
    """Fetch a queued webmention's source and store, update or withdraw the mention.

    Returns the request with its outcome, or None if it was not waiting for verification.
    """
    Status = ReceivedWebmention.Status
    received = ReceivedWebmention.objects.filter(pk=received_id, status=Status.QUEUED).first()
    if received is None:
        return None
    try:
        target = resolve_target(received.target)
    except TargetError:
        return _settle(received, Status.REJECTED, "The target no longer exists.")
    try:
        page = fetch.get(received.source, accept=WEBMENTION_SOURCE_TYPES)
    except FetchError as error:
        if error.reason == "http_status" and error.status == 410:
            return _withdraw(received, target, "source_gone", "The source is gone (HTTP 410).")
        return _settle(
            received, Status.REJECTED, f"The source could not be fetched: {error.explanation}."
        )
    try:
        found = verify_source(
            text=page.text,
            content_type=page.content_type,
            source_url=page.final_url,
            target_url=received.target,
            microformats=True,
        )
    except VerificationError as error:
        if error.reason == "no_link":
            return _withdraw(
                received, target, "source_unlinked", "The source does not link to the target."
            )
        return _settle(received, Status.REJECTED, "The source is not HTML, JSON or plain text.")
    try:
        comment, _ = services.linkback_receive(
            target=target,
            kind=Kind.WEBMENTION,
            source_url=received.source,
            title=found.author.name or found.title,
            excerpt=found.content or found.excerpt,
            author_url=found.author.url,
            data=_mention_data(found),
            ip_address=received.ip_address,
        )
    except CommentRejected as rejected:
        return _settle(received, Status.REJECTED, rejected.message)
    note = "Awaiting moderation." if comment.is_pending else ""
    return _settle(received, Status.ACCEPTED, note, comment)
