"""Who gets which discussion mail: moderators, post authors and subscribers."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q, Value
from django.db.models.functions import Coalesce

from comments.models import Comment
from comments.notifications.models import MailPreference, Subscription


def moderators(mode: str):
    """Return the active users with an address who may moderate and chose ``mode`` of mail.

    Superusers count: on a small site the only moderator is often the one who installed it.
    """
    permission = Permission.objects.filter(
        content_type__app_label="comments", codename="can_moderate"
    )
    may_moderate = (
        Q(is_superuser=True)
        | Q(groups__permissions__in=permission)
        | Q(user_permissions__in=permission)
    )
    # Distinct ids first: joining groups and permissions repeats a user, and PostgreSQL cannot
    # combine DISTINCT with the annotation below.
    ids = get_user_model().objects.filter(may_moderate).values("pk").distinct()
    return (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .exclude(email="")
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
        .exclude(email__in={comment.author_email, *exclude} - {""})
        .order_by("email", "kind", "pk")
    )
    for subscription in subscriptions:
        grouped[subscription.email].append(subscription)
    return dict(grouped)
