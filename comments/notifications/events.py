"""What the rest of the site calls when something may need mail; nothing here sends any.

``comments.services`` calls ``comment_created`` and ``comments_status_changed`` inside its
transaction; they queue a task only when the change calls for mail, and only after commit
(``robust``: a failure to queue never undoes a comment nor shows its author an error). The
comment view calls ``subscribe_from_form``; the content's publish service (``clusters.services``)
calls ``announce_new_posts`` when a post goes live.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from comments.models import Comment
from comments.notifications import subscriptions, tasks
from comments.notifications.models import PostAnnouncement

Status = Comment.Status


def _after_commit(task, *args) -> None:
    transaction.on_commit(partial(task.enqueue, *args), robust=True)


def comment_created(comment: Comment) -> None:
    """Queue the mail a new comment calls for: moderators if held, readers if approved."""
    if comment.status == Status.PENDING:
        _after_commit(tasks.mail_held_comments, [comment.pk])
    elif comment.status == Status.APPROVED:
        _after_commit(tasks.mail_approved_comments, [comment.pk])


def comments_status_changed(
    comments: list[Comment], *, new: str, by: AbstractBaseUser | None
) -> None:
    """Queue the mail a change of status of ``comments`` calls for: one task for them all.

    Approval mails the readers (once per comment, however often it is approved); a comment the
    site itself put back in the queue mails the moderators, one a moderator moved does not.
    Spam and trash never mail anyone.
    """
    ids = [comment.pk for comment in comments]
    if ids and new == Status.APPROVED:
        _after_commit(tasks.mail_approved_comments, ids)
    elif ids and new == Status.PENDING and by is None:
        _after_commit(tasks.mail_held_comments, ids)


def subscribe_from_form(comment: Comment, cleaned_data: dict) -> bool:
    """Record the subscriptions ticked on the comment form and queue their confirmation mail.

    Return True when a confirmation mail is on its way (the page then says to look for it).
    """
    confirmation = subscriptions.subscribe_from_comment(
        comment,
        followup=cleaned_data.get("notify_followup", ""),
        posts=cleaned_data.get("notify_posts", False),
    )
    if confirmation is None:
        return False
    tasks.dispatch([confirmation])
    return True


def record_as_announced(post) -> None:
    """Record ``post`` as announced, mailing nobody: it went live elsewhere before (an import)."""
    PostAnnouncement.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(post), object_id=post.pk
    )


def announce_new_posts() -> None:
    """Queue the new-post mail after commit: each live post not announced yet goes once."""
    _after_commit(tasks.announce_new_posts)
