"""The background work of discussion mail, run by django-tasks (``manage.py db_worker``).

Every task that decides on mail renders it into the outbox inside a transaction and queues one
``deliver`` per mail with it: the database backend's task is a row of the same transaction, so
the mail and its delivery are committed together (a worker dying in between leaves neither);
another backend queues after commit, so a worker never looks for a row that is not there yet.
``deliver`` sends one mail; when the mail server fails it records the attempt and queues itself
again, later each time, up to ``DISCUSSION_MAIL_MAX_ATTEMPTS``; the comment that caused the mail
was committed long before and is never touched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task
from django_tasks_db import DatabaseBackend

from bioxclusters.worker.recovery import once
from comments import privacy
from comments.notifications import mail, notify
from comments.notifications.models import OutgoingMail

logger = logging.getLogger(__name__)

Status = OutgoingMail.Status


def retry_delay(attempts: int) -> timedelta:
    """Return how long to wait after ``attempts`` failed tries: 1 minute, 5, 25, 2 hours…"""
    return timedelta(seconds=settings.DISCUSSION_MAIL_RETRY_SECONDS * 5 ** (attempts - 1))


def dispatch(mails: Iterable[OutgoingMail]) -> None:
    """Queue the delivery of ``mails`` with the transaction that stored them."""
    in_transaction = isinstance(deliver.get_backend(), DatabaseBackend)
    for outgoing in mails:
        if in_transaction:
            deliver.enqueue(outgoing.pk)
        else:
            transaction.on_commit(partial(deliver.enqueue, outgoing.pk), robust=True)


def _compose_and_dispatch(
    compose: Callable[..., list[OutgoingMail]],
    *args,
    context: TaskContext | None = None,
    part: object = "",
) -> int:
    """Compose and queue mails once per task (and ``part`` of it: one comment of a bulk task)."""
    with transaction.atomic():
        # Run again after its worker died, a task that stored its mails stores none twice.
        if context is not None and not once(f"mail:{context.task_result.id}:{part}"):
            return 0
        mails = compose(*args)
        dispatch(mails)
    return len(mails)


def _retry(outgoing: OutgoingMail) -> None:
    later = deliver
    # The database backend runs it when due; a backend that cannot wait (tests) runs it now.
    if deliver.get_backend().supports_defer:
        later = deliver.using(run_after=outgoing.next_attempt_at)
    later.enqueue(outgoing.pk)


@task()
def deliver(mail_id: int) -> str:
    """Send one outbox mail; on a mail server error, try again later, a few times at most."""
    outgoing = OutgoingMail.objects.filter(pk=mail_id, status=Status.QUEUED).first()
    if outgoing is None:
        return "nothing to send"  # Sent, given up on, or erased meanwhile.
    # Claim this attempt: a second worker holding the same row finds the count changed.
    claimed = OutgoingMail.objects.filter(
        pk=mail_id, status=Status.QUEUED, attempts=outgoing.attempts
    ).update(attempts=outgoing.attempts + 1)
    if not claimed:
        return "taken by another worker"
    outgoing.attempts += 1
    try:
        mail.message(outgoing).send()
    except OSError as error:  # smtplib.SMTPException is one, as is a refused connection.
        outgoing.last_error = f"{type(error).__name__}: {error}"[:500]
        if outgoing.attempts >= settings.DISCUSSION_MAIL_MAX_ATTEMPTS:
            outgoing.status = Status.FAILED
            outgoing.next_attempt_at = None
            logger.error("Mail %s failed %s times; giving up", mail_id, outgoing.attempts)
        else:
            outgoing.next_attempt_at = timezone.now() + retry_delay(outgoing.attempts)
        outgoing.save()
        if outgoing.status == Status.QUEUED:
            _retry(outgoing)
        return f"attempt {outgoing.attempts} failed"
    outgoing.status = Status.SENT
    outgoing.sent_at = timezone.now()
    outgoing.next_attempt_at = None
    # The links in a sent mail are the recipient's; the outbox keeps only that it went.
    outgoing.body_text = outgoing.body_html = ""
    outgoing.headers = {}
    outgoing.save()
    return "sent"


@task(takes_context=True)
def mail_held_comments(context: TaskContext, comment_ids: list[int]) -> int:
    """Mail the moderators about comments held for moderation (one task for a bulk change)."""
    return sum(
        _compose_and_dispatch(notify.comment_held, pk, context=context, part=pk)
        for pk in comment_ids
    )


@task(takes_context=True)
def mail_approved_comments(context: TaskContext, comment_ids: list[int]) -> int:
    """Mail the posts' authors and the subscribers about approved comments."""
    return sum(
        _compose_and_dispatch(notify.comment_approved, pk, context=context, part=pk)
        for pk in comment_ids
    )


@task()
def announce_new_posts() -> int:
    """Mail the new-post subscribers about the posts that went live."""
    return _compose_and_dispatch(notify.new_posts, timezone.now())


@task()
def send_moderation_digest() -> int:
    """Mail the daily digest to the moderators who chose it."""
    return _compose_and_dispatch(notify.moderation_digests, timezone.now())


@task(takes_context=True)
def mail_privacy_link(context: TaskContext, email: str, language: str = "") -> int:
    """Mail an address that asked for it the link to its data, if we hold any (in ``language``)."""
    return _compose_and_dispatch(notify.privacy_link, email, language, context=context)


@task()
def forget_commenter_ips() -> int:
    """Drop the IP addresses and user agents of comments older than the retention period."""
    return privacy.forget_old_ips()
