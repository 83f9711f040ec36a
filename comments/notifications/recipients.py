"""Who gets which discussion mail: moderators, post authors and subscribers."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Value
from django.db.models.functions import Coalesce

from comments.models import Comment
from comments.notifications.models import MailPreference, Subscription

# ``with_perm`` asks one backend, named when the site has several: allauth's only adds signing
# in by e-mail address to Django's, whose user and group permissions both share.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def moderators(mode: str):
    """Return the active users with an address who may moderate and chose ``mode`` of mail.

    Superusers count: on a small site the only moderator is often the one who installed it.
    Each comes with their ``mail_preference`` row, if they have one.
    """
    return (
        get_user_model()
        .objects.with_perm("comments.can_moderate", backend=PERMISSION_BACKEND)
        .exclude(email="")
        .select_related("mail_preference")
        .annotate(
            mode=Coalesce("mail_preference__moderation", Value(MailPreference.Moderation.EACH))
        )
        .filter(mode=mode)
        .order_by("pk")
    )


def post_author(comment: Comment):
    """Return the author of the post ``comment`` is on, if they want mail about it, else None."""
    target = comment.content_object
    author = getattr(target, "author", None)
    if author is None or not author.is_active or not author.email:
        return None
    if comment.user_id == author.pk or comment.author_email == author.email.lower():
        return None
    if not MailPreference.for_user(author).comments_on_my_posts:
        return None
    return author


def followers(comment: Comment, *, exclude: set[str]) -> dict[str, list[Subscription]]:
    """Return, by address, the confirmed subscriptions ``comment`` is a follow-up for.

    Never the comment's own author, nor the addresses in ``exclude``.
    """
    grouped: dict[str, list[Subscription]] = defaultdict(list)
    subscriptions = (
        Subscription.objects.confirmed()
        .following(comment)
        .with_targets()
        .exclude(email__in={comment.author_email, *exclude} - {""})
        .order_by("email", "kind", "pk")
    )
    for subscription in subscriptions:
        grouped[subscription.email].append(subscription)
    return dict(grouped)
