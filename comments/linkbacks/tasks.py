"""The linkback work done in the background, and the calls that queue it.

``notify_linked_sites(post)`` is what the content's publish service (``clusters.services``)
calls when a post is live and saved: self-pings at once (no network), then, after commit, a
task that plans the post's linkbacks to other sites and queues one task per link. "Post" is any
object of a model registered with ``sends_linkbacks`` (``comments.registry``). A failed send is
queued again at its retry time. Deferring needs a backend that supports it (the database
backend of ``manage.py db_worker``); ``manage.py send_linkbacks`` (``sweep``) catches up on
anything else: posts that went live or changed while no worker ran, and retries that are due.
"""

from __future__ import annotations

from functools import partial

from django.db import models, transaction
from django_tasks import task

from comments import registry
from comments.models import DiscussionSettings

from . import receive, send
from .models import OutgoingLinkback, ReceivedWebmention


def _can_defer() -> bool:
    return send_linkback.get_backend().supports_defer


def _send_for(post: models.Model) -> int:
    """Make ``post``'s self-pings and queue its linkbacks to other sites; return how many."""
    send.send_self_pings(post)
    if not send.network_enabled():
        return 0
    planned = send.plan(post)
    for pk in planned:
        send_linkback.enqueue(pk)
    return len(planned)


def _senders():
    return [entry for entry in registry.entries() if entry.sends_linkbacks]


@task()
def send_post_linkbacks(label: str, pk: int) -> None:
    """Make the self-pings of a live post and queue its linkbacks to other sites."""
    entry = registry.entry_for(label)
    post = entry.live().filter(pk=pk).first() if entry and entry.sends_linkbacks else None
    if post is not None and send.pings_wanted(post):
        _send_for(post)


@task()
def send_linkback(linkback_id: int) -> None:
    """Try to send one linkback; queue the next try when it failed for a while."""
    row = send.deliver(linkback_id)
    if row is not None and row.status == OutgoingLinkback.Status.RETRYING and _can_defer():
        send_linkback.using(run_after=row.next_retry_at).enqueue(row.pk)


@task()
def verify_webmention(received_id: int) -> None:
    """Verify a received webmention's source and store, update or withdraw the mention."""
    receive.verify_webmention(received_id)


def notify_linked_sites(post: models.Model) -> None:
    """Tell the pages ``post`` links to about it: self-pings now, other sites in a task.

    Nothing happens for a post that is not live, whose pings are off, or when the site sends
    none; other sites are told only when ``LINKBACK_SEND`` is on.
    """
    if not (post.is_live and send.pings_wanted(post)):
        return
    send.send_self_pings(post)
    if send.network_enabled():
        label = post._meta.label_lower
        transaction.on_commit(partial(send_post_linkbacks.enqueue, label, post.pk))


def queue_verification(received: ReceivedWebmention) -> None:
    """Verify ``received`` in a task, once the request that recorded it is committed."""
    transaction.on_commit(partial(verify_webmention.enqueue, received.pk))


def retry(rows) -> int:
    """Queue the given outgoing linkbacks to be sent again now; return how many."""
    ids = list(rows.network().values_list("pk", flat=True))
    rows.model.objects.filter(pk__in=ids).update(
        status=OutgoingLinkback.Status.QUEUED, attempts=0, next_retry_at=None, error=""
    )
    for pk in ids:
        transaction.on_commit(partial(send_linkback.enqueue, pk))
    return len(ids)


def sweep(post_ids=None) -> dict:
    """Send what is due: retries, and the linkbacks of live posts not handled yet.

    Returns the number of posts looked at and of linkbacks queued.
    """
    if not DiscussionSettings.load().send_pings:
        return {"posts": 0, "queued": 0}
    due = send.due_ids() if send.network_enabled() else []
    for pk in due:
        send_linkback.enqueue(pk)
    counts = {"posts": 0, "queued": len(due)}
    for entry in _senders():
        posts = entry.live().filter(allow_pings=True)
        if post_ids:
            posts = posts.filter(pk__in=post_ids)
        for post in posts.iterator():
            counts["posts"] += 1
            counts["queued"] += _send_for(post)
    return counts
