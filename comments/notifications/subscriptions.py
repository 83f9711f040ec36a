"""Subscribing from the comment form (double opt-in), confirming, unsubscribing, opting out.

Nothing is ever mailed to a subscription before its owner confirmed it from the link mailed to
the address; until then the only mail the address gets is that one confirmation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments.models import Comment
from comments.notifications import mail, tokens
from comments.notifications.models import MailPreference, OutgoingMail, Subscription

Kind = Subscription.Kind

# The follow-up choice of the comment form: the empty choice subscribes to nothing.
FOLLOWUP_CHOICES = [
    ("", _("No, thanks")),
    (Kind.REPLIES.value, Kind.REPLIES.label),
    (Kind.DISCUSSION.value, Kind.DISCUSSION.label),
]

# What a one-click opt-out of a staff member's own mail turns off.
OPT_OUTS = {
    "moderation": ("moderation", MailPreference.Moderation.NONE, _("moderation e-mail")),
    "own_posts": ("comments_on_my_posts", False, _("e-mail about comments on your posts")),
}


# Subscription links carry subscription ids, never the address: a signature is not encryption,
# and links end up in browser histories and web server logs.


def unsubscribe_url(subscriptions: list[Subscription]) -> str:
    """Return the one-click link that ends ``subscriptions``."""
    token = tokens.make(tokens.UNSUBSCRIBE, s=[s.pk for s in subscriptions])
    return mail.link("notifications:unsubscribe", token)


def _manage_link(ids: list[int]) -> str:
    return mail.link("notifications:manage", tokens.make(tokens.MANAGE, s=ids))


def manage_url(email: str) -> str:
    """Return the link to the page where ``email`` sees its subscriptions, or "" if it has none."""
    ids = list(Subscription.objects.for_email(email).order_by("pk").values_list("pk", flat=True))
    return _manage_link(ids) if ids else ""


def manage_urls(emails: Iterable[str]) -> dict[str, str]:
    """Return ``manage_url`` of each of ``emails`` (as stored: normalised), in one query."""
    emails = set(emails)
    ids: dict[str, list[int]] = defaultdict(list)
    rows = Subscription.objects.filter(email__in=emails).order_by("pk")
    for email, pk in rows.values_list("email", "pk"):
        ids[email].append(pk)
    return {email: _manage_link(ids[email]) if email in ids else "" for email in emails}


def subscribe_from_comment(
    comment: Comment, *, followup: str = "", posts: bool = False
) -> OutgoingMail | None:
    """Record what the commenter asked for, unconfirmed, and compose the mail that confirms it.

    Returns the confirmation mail, or None when nothing new waits for confirmation. Spam
    subscribes to nothing: the form must not become a way to mail strangers.
    """
    email = comment.author_email
    if not email or comment.status == Comment.Status.SPAM:
        return None
    wanted = []
    # Its mail is written in the language of the page the comment was written from.
    language = {"language": comment.language}
    if followup == Kind.REPLIES:
        wanted.append(
            Subscription.objects.get_or_create(
                email=email, kind=followup, comment=comment, defaults=language
            )
        )
    elif followup == Kind.DISCUSSION:
        wanted.append(
            Subscription.objects.get_or_create(
                email=email,
                kind=followup,
                content_type_id=comment.content_type_id,
                object_id=comment.object_id,
                defaults=language,
            )
        )
    if posts:
        wanted.append(
            Subscription.objects.get_or_create(email=email, kind=Kind.POSTS, defaults=language)
        )
    waiting = [subscription for subscription, _ in wanted if not subscription.is_confirmed]
    if not waiting:
        return None
    token = tokens.make(tokens.CONFIRM, s=[s.pk for s in waiting])
    return mail.compose(
        to=email,
        kind=OutgoingMail.Kind.CONFIRM,
        template="confirm_subscription",
        context={
            "subscriptions": waiting,
            "confirm_url": mail.link("notifications:confirm", token),
            "validity": tokens.CONFIRM.validity,
        },
        unsubscribe_url=unsubscribe_url(waiting),
        language=comment.language,
    )


def language_of(subscriptions: list[Subscription]) -> str:
    """Return the language to write to the owner of ``subscriptions`` in: their latest one's."""
    return max(subscriptions, key=lambda subscription: subscription.pk).language


def _named(payload: dict):
    ids = [pk for pk in payload.get("s", []) if isinstance(pk, int)]
    return Subscription.objects.filter(pk__in=ids).order_by("pk")


def from_token(payload: dict) -> list[Subscription]:
    """Return the subscriptions a token names (those still there), with what they are about."""
    return list(_named(payload).with_targets())


def email_from_token(payload: dict) -> str:
    """Return the address of the subscriptions a token names, or "" if none is left."""
    return _named(payload).values_list("email", flat=True).first() or ""


def confirm(subscriptions: list[Subscription]) -> None:
    """Confirm ``subscriptions``; confirming again changes nothing."""
    now = timezone.now()
    for subscription in subscriptions:
        if not subscription.is_confirmed:
            subscription.confirmed_at = now
            subscription.save(update_fields=["confirmed_at"])


def opt_out(user, preference: str) -> str:
    """Turn off one kind of ``user``'s own mail; return what was turned off, for the page."""
    field, value, description = OPT_OUTS[preference]
    mail_preference = MailPreference.for_user(user)
    setattr(mail_preference, field, value)
    mail_preference.save()
    return description
