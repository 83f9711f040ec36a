"""What mail goes to whom: a comment held or approved, a post live, a digest due, a data request.

Each function renders its mails into the outbox and returns them; the task that called it
queues their delivery. They read the comment again and check it is still in the state that
called for mail: a task may run minutes after the change that queued it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bioxclusters.common import absolute_url
from comments import privacy, registry
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
# sets, the button's label, what the moderator is told once it is done, and if it was already.
MODERATION_ACTIONS = {
    "approve": (
        Status.APPROVED,
        _("Approve"),
        _("Comment #%(pk)s by %(author)s: approved."),
        _("Comment #%(pk)s was already approved; nothing changed."),
    ),
    "spam": (
        Status.SPAM,
        _("Mark as spam"),
        _("Comment #%(pk)s by %(author)s: marked as spam."),
        _("Comment #%(pk)s was already marked as spam; nothing changed."),
    ),
    "trash": (
        Status.TRASH,
        _("Move to trash"),
        _("Comment #%(pk)s by %(author)s: moved to the trash."),
        _("Comment #%(pk)s was already moved to the trash; nothing changed."),
    ),
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


def _moderator_mail(
    moderator: AbstractBaseUser, *, kind: str, template: str, waiting: int, **context
) -> OutgoingMail:
    """Render a mail to ``moderator`` about the queue, with ``context`` for ``template``."""
    return mail.render(
        to=moderator.email,
        kind=kind,
        template=template,
        context={
            **context,
            "moderator": moderator,
            "waiting": waiting,
            "validity": tokens.MODERATE.validity,
            "queue_url": _queue_url(),
            "preferences_url": _preferences_url(),
        },
        unsubscribe_url=_opt_out_url(moderator, "moderation"),
    )


def comment_held(comment_id: int) -> list[OutgoingMail]:
    """Mail each moderator who wants single mails about the comment waiting for them."""
    comment = Comment.objects.pending().filter(pk=comment_id).first()
    if comment is None:
        return []
    waiting = Comment.objects.pending().count()
    return mail.store(
        [
            _moderator_mail(
                moderator,
                kind=OutgoingMail.Kind.MODERATION,
                template="moderation",
                waiting=waiting,
                **_held_item(comment, moderator),
            )
            for moderator in recipients.moderators(MailPreference.Moderation.EACH)
        ]
    )


def comment_approved(comment_id: int) -> list[OutgoingMail]:
    """Mail the post's author and the subscribers the first time a comment is approved."""
    comment = Comment.objects.approved().filter(pk=comment_id).first()
    target = comment.content_object if comment is not None else None
    if target is None or not target.is_live:
        return []
    _, first_time = ApprovedCommentNotice.objects.get_or_create(comment=comment)
    if not first_time:
        return []
    context = {
        "comment": comment,
        "target": target,
        "target_url": mail.page_link(target),
        "comment_url": mail.comment_link(comment),
        "excerpt": mail.excerpt(comment.body),
    }
    mails = []
    author = recipients.post_author(comment)
    if author is not None:
        mails.append(
            mail.render(
                to=author.email,
                kind=OutgoingMail.Kind.AUTHOR,
                template="comment_on_your_post",
                context={**context, "author": author, "preferences_url": _preferences_url()},
                unsubscribe_url=_opt_out_url(author, "own_posts"),
            )
        )
    if not comment.is_linkback:
        exclude = {author.email.lower()} if author is not None else set()
        followers = recipients.followers(comment, exclude=exclude)
        manage_urls = subscriptions.manage_urls(followers)
        mails.extend(
            mail.render(
                to=email,
                kind=OutgoingMail.Kind.FOLLOWUP,
                template="followup",
                context={
                    **context,
                    "subscriptions": followed,
                    "is_reply": any(s.kind == Subscription.Kind.REPLIES for s in followed),
                    "manage_url": manage_urls[email],
                },
                unsubscribe_url=subscriptions.unsubscribe_url(followed),
                language=subscriptions.language_of(followed),
            )
            for email, followed in followers.items()
        )
    return mail.store(mails)


def _due_posts(now: datetime) -> list:
    """Return the posts (of every model registered as ``announced``) gone live, not announced."""
    due = []
    for entry in registry.entries():
        if not entry.announced:
            continue
        content_type = ContentType.objects.get_for_model(entry.model)
        announced = PostAnnouncement.objects.filter(content_type=content_type)
        due.extend(
            entry.live()
            .filter(published_at__gte=now - NEW_POST_WINDOW, published_at__lte=now)
            .exclude(pk__in=announced.values("object_id"))
        )
    return sorted(due, key=lambda post: post.published_at)


def new_posts(now: datetime) -> list[OutgoingMail]:
    """Mail the new-post subscribers about each post gone live recently and not announced yet."""
    due = _due_posts(now)
    if not due:
        return []
    subscribers = list(
        Subscription.objects.confirmed().filter(kind=Subscription.Kind.POSTS).order_by("email")
    )
    # A subscriber's links are the same in each post's mail: made once per subscriber.
    manage_urls = subscriptions.manage_urls(subscription.email for subscription in subscribers)
    links = [
        (manage_urls[subscription.email], subscriptions.unsubscribe_url([subscription]))
        for subscription in subscribers
    ]
    mails = []
    for post in due:
        try:
            with transaction.atomic():
                PostAnnouncement.objects.create(post=post)
        except IntegrityError:
            continue  # Another worker announced it meanwhile.
        context = {
            "post": post,
            "post_url": mail.page_link(post),
            "summary": mail.excerpt(post.summary, 600),
        }
        mails.extend(
            mail.render(
                to=subscription.email,
                kind=OutgoingMail.Kind.NEW_POST,
                template="new_post",
                context={**context, "manage_url": manage_url},
                unsubscribe_url=unsubscribe_url,
                language=subscription.language,
            )
            for subscription, (manage_url, unsubscribe_url) in zip(subscribers, links, strict=True)
        )
    return mail.store(mails)


def moderation_digests(now: datetime) -> list[OutgoingMail]:
    """Mail each moderator who chose the digest the comments waiting, if any, once a day."""
    pending = list(
        Comment.objects.pending()
        .prefetch_related("content_object")
        .order_by("created_at", "pk")[:DIGEST_LENGTH]
    )
    if not pending:
        return []
    waiting = Comment.objects.pending().count()
    spam = Comment.objects.filter(status=Status.SPAM, created_at__gte=now - timedelta(days=1))
    spam_count = spam.count()
    mails = []
    mailed = []
    for moderator in recipients.moderators(MailPreference.Moderation.DIGEST):
        # Only a saved preference chooses the digest: the row is there, fetched with the user.
        since = moderator.mail_preference.last_digest_at
        if since and since > now - DIGEST_INTERVAL:
            continue
        items = [
            {
                **_held_item(comment, moderator),
                "is_new": since is None or comment.created_at > since,
            }
            for comment in pending
        ]
        mails.append(
            _moderator_mail(
                moderator,
                kind=OutgoingMail.Kind.DIGEST,
                template="moderation_digest",
                waiting=waiting,
                items=items,
                more=waiting - len(items),
                spam_count=spam_count,
            )
        )
        mailed.append(moderator.pk)
    MailPreference.objects.filter(user__in=mailed).update(last_digest_at=now)
    return mail.store(mails)


def privacy_link(email: str, language: str = settings.LANGUAGE_CODE) -> list[OutgoingMail]:
    """Mail ``email`` the link to its data, if the discussion holds any about it, in
    ``language`` (the page it was asked from)."""
    email = privacy.normalise(email)
    if not privacy.holds_data_about(email):
        return []
    token = tokens.make(tokens.PRIVACY, e=email)
    return [
        mail.compose(
            to=email,
            kind=OutgoingMail.Kind.PRIVACY,
            template="privacy_link",
            context={
                "privacy_url": mail.link("notifications:privacy", token),
                "manage_url": subscriptions.manage_url(email),
                "validity": tokens.PRIVACY.validity,
            },
            language=language,
        )
    ]
