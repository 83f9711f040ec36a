"""Sending linkbacks: tell the pages a post links to that it exists, once per link and change.

``send_self_pings(post)`` stores, without HTTP, an approved pingback on each of our own pages the
post links to (as WordPress does). ``plan(post)`` records one ``OutgoingLinkback`` per link to
another site and returns those to send now: new links; and, when the body changed, the links
that got a webmention (re-sent, removed links included, as Webmention 3.1.3 asks) and those that
failed. Links already pinged by pingback are not pinged again. ``deliver(pk)`` tries one
linkback: discover the endpoint (webmention first, then pingback), send, record the answer; a
transient failure is retried later with backoff, ``LINKBACK_RETRY_SECONDS`` times 4 to the
number of tries, at most ``LINKBACK_SEND_ATTEMPTS`` tries. Pingback fault 48 ("already
registered") counts as sent. Nothing here enqueues: ``tasks`` does.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import urldefrag

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from comments import services
from comments.models import Comment, DiscussionSettings
from comments.services import CommentRejected

from . import fetch
from .discovery import choose_endpoint
from .fetch import FetchError
from .links import OutgoingLinks, external_links
from .models import URL_MAX_LENGTH, OutgoingLinkback
from .targets import TargetError, permalink, resolve_target
from .verify import VerificationError, verify_source
from .xmlrpc import parse_pingback_response, render_pingback_request

Protocol = OutgoingLinkback.Protocol
Status = OutgoingLinkback.Status

RETRY_FACTOR = 4
# Failures that may go away by themselves; anything else is final.
TRANSIENT_REASONS = frozenset({"dns", "connection", "timeout"})
TRANSIENT_STATUSES = frozenset({408, 425, 429})
# Pingback faults worth another try: generic (WordPress hides all but 48 behind 0), source not
# found or not linking yet (the receiver may have fetched us before the post went live), upstream.
TRANSIENT_FAULTS = frozenset({0, 0x10, 0x11, 0x32})


def network_enabled() -> bool:
    """Return True if linkbacks may be sent over the network (``LINKBACK_SEND``)."""
    return bool(settings.LINKBACK_SEND)


def pings_wanted(post: models.Model) -> bool:
    """Return True if ``post`` notifies the pages it links to (its switch and the site's)."""
    return post.allow_pings and DiscussionSettings.load().send_pings


def body_hash(post: models.Model) -> str:
    return hashlib.sha256(post.body.encode()).hexdigest()


def outgoing_links(post: models.Model) -> OutgoingLinks:
    """Return the post's links worth notifying: to other sites, and to our own pages."""
    links = external_links(post.body, settings.SITE_URL, base_url=permalink(post))
    fits = [url for url in links.external if len(url.encode()) <= URL_MAX_LENGTH]
    return OutgoingLinks(fits, links.self_links)


# Self-pings
# ------------------------------------------------------------------------------


def send_self_pings(post: models.Model) -> None:
    """Store an approved pingback from ``post`` on each of our pages it links to, once."""
    source = permalink(post)
    for url in outgoing_links(post).self_links:
        if urldefrag(url).url == source or len(url.encode()) > URL_MAX_LENGTH:
            continue
        row, _ = OutgoingLinkback.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(post),
            object_id=post.pk,
            target_url=url,
            defaults={"protocol": Protocol.SELF},
        )
        if row.status == Status.SENT:
            continue
        row.protocol, row.attempts = Protocol.SELF, 1
        try:
            target = resolve_target(url)
        except TargetError as error:
            _finish(row, Status.SKIPPED, error=f"Not a page that takes pingbacks ({error.reason}).")
            continue
        if target == post:
            _finish(row, Status.SKIPPED, error="The post links to itself.")
            continue
        try:
            found = verify_source(
                text=post.body, content_type="text/html", source_url=source, target_url=url
            )
            excerpt = found.excerpt
        except VerificationError:
            excerpt = ""
        try:
            services.linkback_receive(
                target=target,
                kind=Comment.Kind.PINGBACK,
                source_url=source,
                title=post.title,
                excerpt=excerpt,
                self_ping=True,
            )
        except CommentRejected as rejected:
            if rejected.code == "duplicate":
                _finish(row, Status.SENT, answer="Already registered.")
            else:
                _finish(row, Status.SKIPPED, error=rejected.message)
            continue
        _finish(row, Status.SENT, answer="Pingback approved on our own page.")


# Planning
# ------------------------------------------------------------------------------

# Outcomes that a changed body sends again: webmentions (an update), and what did not go through.
RESEND_ON_CHANGE = frozenset({Status.NO_ENDPOINT, Status.RETRYING, Status.FAILED})


def _queue(row: OutgoingLinkback) -> None:
    row.status, row.attempts, row.next_retry_at, row.error = Status.QUEUED, 0, None, ""


def plan(post: models.Model) -> list[int]:
    """Record ``post``'s links to other sites; return the ids of the linkbacks to send now."""
    digest = body_hash(post)
    links = outgoing_links(post).external
    due = []
    with transaction.atomic():
        known = {
            row.target_url: row
            for row in OutgoingLinkback.objects.network().for_object(post).select_for_update()
        }
        for url in links:
            if url not in known:
                row = OutgoingLinkback.objects.create(source=post, target_url=url, body_hash=digest)
                due.append(row.pk)
        for url, row in known.items():
            if row.status == Status.SENDING:
                continue  # the worker's outcome stands; the next sweep sees the new body
            changed = row.body_hash != digest
            got_webmention = row.status == Status.SENT and row.protocol == Protocol.WEBMENTION
            if url in links:
                # Skipped: sending was off, or the post not live, when it was due.
                resend = row.status == Status.SKIPPED or (
                    changed and (got_webmention or row.status in RESEND_ON_CHANGE)
                )
            else:
                # A removed link: a webmention tells its page to drop the mention.
                resend = changed and got_webmention
            if resend:
                _queue(row)
                due.append(row.pk)
            if resend or changed:
                row.body_hash = digest
                row.save()
    return due


# Delivering
# ------------------------------------------------------------------------------


class _Refused(Exception):
    """A send that failed: ``message`` for the admin, ``transient`` if worth another try."""

    def __init__(self, message: str, *, transient: bool):
        super().__init__(message)
        self.message = message
        self.transient = transient


def _fetch_failure(error: FetchError, what: str) -> _Refused:
    transient = error.reason in TRANSIENT_REASONS or (
        error.reason == "http_status"
        and (error.status in TRANSIENT_STATUSES or (error.status or 0) >= 500)
    )
    return _Refused(f"{what}: {error.explanation}.", transient=transient)


def _finish(row: OutgoingLinkback, status: str, *, answer: str = "", error: str = "") -> None:
    row.status, row.answer, row.error, row.next_retry_at = status, answer, error, None
    if status == Status.SENT:
        row.sent_at = timezone.now()
    row.save()


def _fail(row: OutgoingLinkback, refused: _Refused) -> None:
    if refused.transient and row.attempts < settings.LINKBACK_SEND_ATTEMPTS:
        delay = settings.LINKBACK_RETRY_SECONDS * RETRY_FACTOR ** (row.attempts - 1)
        row.status, row.error = Status.RETRYING, refused.message
        row.next_retry_at = timezone.now() + timedelta(seconds=delay)
        row.save()
    else:
        _finish(row, Status.FAILED, error=refused.message)


def _send_webmention(endpoint: str, source: str, target: str) -> str:
    try:
        answer = fetch.post(endpoint, data={"source": source, "target": target})
    except FetchError as error:
        raise _fetch_failure(error, "The webmention endpoint refused it") from error
    said = f"{answer.status} {HTTPStatus(answer.status).phrase}"
    location = answer.header("Location")
    return f"{said}; status page {location}" if location else said


def _send_pingback(endpoint: str, source: str, target: str) -> str:
    try:
        answer = fetch.post(
            endpoint, body=render_pingback_request(source, target), content_type="text/xml"
        )
    except FetchError as error:
        raise _fetch_failure(error, "The pingback server refused it") from error
    result = parse_pingback_response(answer.body)
    if result.done:
        return result.message if result.ok else f"Already registered (fault {result.fault_code})."
    if result.fault_code is None:
        raise _Refused(f"The pingback server answered nonsense: {result.message}.", transient=True)
    raise _Refused(
        f"The pingback server answered fault {result.fault_code}: {result.message}".rstrip(": "),
        transient=result.fault_code in TRANSIENT_FAULTS,
    )


def _claim(pk: int) -> OutgoingLinkback | None:
    """Mark a due linkback as being sent, so that no other worker sends it too."""
    now = timezone.now()
    claimed = (
        OutgoingLinkback.objects.network()
        .due(now)
        .filter(pk=pk)
        .update(status=Status.SENDING, updated_at=now)
    )
    return OutgoingLinkback.objects.get(pk=pk) if claimed else None


def deliver(pk: int) -> OutgoingLinkback | None:
    """Try once to send the linkback ``pk``; return it with its outcome, or None if not due."""
    row = _claim(pk)
    if row is None:
        return None
    post = row.source
    if post is None or not (post.is_live and pings_wanted(post) and network_enabled()):
        _finish(row, Status.SKIPPED, error="Not sent: the post is not live or sends no pings.")
        return row
    source = permalink(post)
    still_linked = row.target_url in outgoing_links(post).external
    row.attempts += 1
    try:
        try:
            page = fetch.get(row.target_url, accept=None)
        except FetchError as error:
            raise _fetch_failure(error, "The linked page could not be read") from error
        endpoint = choose_endpoint(page)
        if endpoint is None:
            _finish(row, Status.NO_ENDPOINT, error="The page advertises no webmention or pingback.")
            return row
        row.protocol, row.endpoint = endpoint.protocol, endpoint.url[:URL_MAX_LENGTH]
        if endpoint.protocol == Protocol.WEBMENTION:
            answer = _send_webmention(endpoint.url, source, row.target_url)
        elif still_linked:
            answer = _send_pingback(endpoint.url, source, row.target_url)
        else:
            _finish(row, Status.SKIPPED, error="The link was removed; pingback cannot say so.")
            return row
    except _Refused as refused:
        _fail(row, refused)
        return row
    _finish(row, Status.SENT, answer=answer)
    return row


def due_ids(now=None) -> list[int]:
    """Return the ids of the linkbacks to send again now, freeing any a dead worker held."""
    now = now or timezone.now()
    stalled_after = timedelta(seconds=2 * settings.LINKBACK_DEADLINE + 60)
    OutgoingLinkback.objects.stalled(older_than=stalled_after, now=now).update(
        status=Status.RETRYING, next_retry_at=now
    )
    return list(OutgoingLinkback.objects.network().due(now).values_list("pk", flat=True))
