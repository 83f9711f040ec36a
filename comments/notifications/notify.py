"""What mail goes to whom when a comment is held or approved, a post goes live, a digest is due.

Each function renders its mails into the outbox and returns them; the task that called it
queues their delivery. They read the comment again and check it is still in the state that
called for mail: a task may run minutes after the change that queued it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse

from clusters.links import absolute_url
from clusters.models import Post
from comments.models import Comment
from comments.notifications import mail, recipients, subscriptions, tokens
from comments.notifications.models import (
    ApprovedCommentNotice,
    MailPreference,
    OutgoingMail,
    PostAnnouncement,
    Subscription,
)

Status = Comment.Status

# What the links in a moderation mail do: the action's name in the link, then the status it
# sets, the button's label and what the moderator is told once it is done.
MODERATION_ACTIONS = {
    "approve": (Status.APPROVED, "Approve", "approved"),
    "spam": (Status.SPAM, "Mark as spam", "marked as spam"),
    "trash": (Status.TRASH, "Move to trash", "moved to the trash"),
}
DIGEST_LENGTH = 50
# A digest goes at most this often to one moderator, however often the command runs.
DIGEST_INTERVAL = timedelta(hours=20)
# Only posts that went live this recently are announced: publishing an old post again, or the
# first run on a site with years of posts, mails nobody about the past.
NEW_POST_WINDOW = timedelta(days=3)


def _queue_url() -> str:
    return absolute_url(reverse("admin:comments_comment_changelist"))


def _preferences_url() -> str:
    return absolute_url(reverse("notifications:preferences"))


def _opt_out_url(user: AbstractBaseUser, preference: str) -> str:
    return mail.link(
        "notifications:unsubscribe", tokens.make(tokens.UNSUBSCRIBE, u=user.pk, p=preference)
    )


def moderation_links(comment: Comment, moderator: AbstractBaseUser) -> dict[str, str]:
    """Return the approve, spam and trash links of ``comment`` for ``moderator``.

    The three share one nonce: once one of them acted, the other two are used up as well.
    """
    nonce = tokens.new_nonce()
    return {
        action: mail.link(
            "notifications:moderate",
            tokens.make(tokens.MODERATE, c=comment.pk, a=action, u=moderator.pk, n=nonce),
        )
        for action in MODERATION_ACTIONS
    }


def _held_item(comment: Comment, moderator: AbstractBaseUser) -> dict:
    target = comment.content_object
    return {
        "comment": comment,
        "target": target,
        "target_url": absolute_url(target.get_absolute_url()) if target is not None else "",
        "excerpt": mail.excerpt(comment.body),
        "links": moderation_links(comment, moderator),
        "admin_url": absolute_url(reverse("admin:comments_comment_change", args=[comment.pk])),
    }


def comment_held(comment_id: int) -> list[OutgoingMail]:
    """Mail each moderator who wants single mails about the comment waiting for them."""
    comment = Comment.objects.filter(pk=comment_id, status=Status.PENDING).first()
    if comment is None:
        return []
    waiting = Comment.objects.pending().count()
    return [
        mail.compose(
            to=moderator.email,
            kind=OutgoingMail.Kind.MODERATION,
            template="moderation",
            context={
                **_held_item(comment, moderator),
                "moderator": moderator,
                "waiting": waiting,
                "validity": tokens.MODERATE.validity,
                "queue_url": _queue_url(),
                "preferences_url": _preferences_url(),
            },
            unsubscribe_url=_opt_out_url(moderator, "moderation"),
        )
        for moderator in recipients.moderators(MailPreference.Moderation.EACH)
    ]


def comment_approved(comment_id: int) -> list[OutgoingMail]:
    """Mail the post's author and the subscribers the first time a comment is approved."""
    comment = Comment.objects.filter(pk=comment_id, status=Status.APPROVED).first()
    target = comment.content_object if comment is not None else None
    if target is None or not target.is_live:
        return []
    _, first_time = ApprovedCommentNotice.objects.get_or_create(comment=comment)
    if not first_time:
        return []
    context = {
        "comment": comment,
        "target": target,
        "target_url": absolute_url(target.get_absolute_url()),
        "comment_url": absolute_url(comment.get_absolute_url()),
        "excerpt": mail.excerpt(comment.body),
    }
    mails = []
    author = recipients.post_author(comment)
    if author is not None:
        mails.append(
            mail.compose(
                to=author.email,
                kind=OutgoingMail.Kind.AUTHOR,
                template="comment_on_your_post",
                context={**context, "author": author, "preferences_url": _preferences_url()},
                unsubscribe_url=_opt_out_url(author, "own_posts"),
            )
        )
    if comment.is_linkback:
        return mails
    exclude = {author.email.lower()} if author is not None else set()
    for email, followed in recipients.followers(comment, exclude=exclude).items():
        mails.append(
            mail.compose(
                to=email,
                kind=OutgoingMail.Kind.FOLLOWUP,
                template="followup",
                context={
                    **context,
                    "subscriptions": followed,
                    "is_reply": any(s.kind == Subscription.Kind.REPLIES for s in followed),
                    "manage_url": subscriptions.manage_url(email),
                },
                unsubscribe_url=subscriptions.unsubscribe_url(followed),
            )
        )
    return mails


def new_posts(now: datetime) -> list[OutgoingMail]:
    """Mail the new-post subscribers about each post gone live recently and not announced yet."""
    due = (
        Post.objects.published()
        .filter(published_at__gte=now - NEW_POST_WINDOW, published_at__lte=now)
        .exclude(pk__in=PostAnnouncement.objects.values("post_id"))
        .order_by("published_at")
    )
    subscribers = list(
        Subscription.objects.confirmed().filter(kind=Subscription.Kind.POSTS).order_by("email")
    )
    mails = []
    for post in due:
        try:
            with transaction.atomic():
                PostAnnouncement.objects.create(post=post)
        except IntegrityError:
            continue  # Another worker announced it meanwhile.
        context = {
            "post": post,
            "post_url": absolute_url(post.get_absolute_url()),
            "summary": mail.excerpt(post.summary, 600),
        }
        mails.extend(
            mail.compose(
                to=subscription.email,
                kind=OutgoingMail.Kind.NEW_POST,
                template="new_post",
                context={**context, "manage_url": subscriptions.manage_url(subscription.email)},
                unsubscribe_url=subscriptions.unsubscribe_url([subscription]),
            )
            for subscription in subscribers
        )
    return mails


def moderation_digests(now: datetime) -> list[OutgoingMail]:
    """Mail each moderator who chose the digest the comments waiting, if any, once a day."""
    pending = list(Comment.objects.pending().order_by("created_at", "pk")[:DIGEST_LENGTH])
    if not pending:
        return []
    waiting = Comment.objects.pending().count()
    spam = Comment.objects.filter(status=Status.SPAM, created_at__gte=now - timedelta(days=1))
    spam_count = spam.count()
    mails = []
    for moderator in recipients.moderators(MailPreference.Moderation.DIGEST):
        preference = MailPreference.for_user(moderator)
        if preference.last_digest_at and preference.last_digest_at > now - DIGEST_INTERVAL:
            continue
        since = preference.last_digest_at
        items = [
            {
                **_held_item(comment, moderator),
                "is_new": since is None or comment.created_at > since,
            }
            for comment in pending
        ]
        mails.append(
            mail.compose(
                to=moderator.email,
                kind=OutgoingMail.Kind.DIGEST,
                template="moderation_digest",
                context={
                    "moderator": moderator,
                    "items": items,
                    "waiting": waiting,
                    "more": waiting - len(items),
                    "spam_count": spam_count,
                    "validity": tokens.MODERATE.validity,
                    "queue_url": _queue_url(),
                    "preferences_url": _preferences_url(),
                },
                unsubscribe_url=_opt_out_url(moderator, "moderation"),
            )
        )
        preference.last_digest_at = now
        preference.save()
    return mails
