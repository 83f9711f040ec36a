"""Personal data in the discussion: export it, erase it, and forget old IP addresses.

Everything is found by e-mail address: the comments written with it (or by an account that
has it), the subscriptions and the outbox rows of mail sent to it, and any note in a comment's
history that mentions it.

Erasure follows ``DiscussionSettings.erasure_mode``, and never breaks a thread:

- *anonymise* keeps each comment and its text, as “Anonymous”, with no e-mail, website, IP
  address, user agent or account;
- *remove* deletes the comments nobody replied to; a comment with replies is anonymised and its
  text replaced by ``REMOVED_BODY``, so that the replies keep their place and still make sense.

Comments are saved one by one (not with ``update()``) so that their rendered markup follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from bioxclusters.common import absolute_url
from comments.cards import forget_listing_of
from comments.models import Comment, CommentStatusChange, DiscussionSettings
from comments.notifications import tokens
from comments.notifications.models import OutgoingMail, Subscription, normalise_email

ANONYMOUS = "Anonymous"
REMOVED_BODY = "This comment was removed at its author’s request."
ERASED = "[erased]"


# Every address is looked up as comments and subscriptions store it: stripped and lower-case.
normalise = normalise_email


def comments_of(email: str):
    """Return the comments written with ``email``, or by a signed-in account that has it."""
    email = normalise(email)
    if not email:
        return Comment.objects.none()
    return Comment.objects.filter(Q(author_email=email) | Q(user__email__iexact=email))


def holds_data_about(email: str) -> bool:
    """Return True if anything in the discussion is stored about ``email``."""
    return (
        comments_of(email).exists()
        or Subscription.objects.for_email(email).exists()
        or OutgoingMail.objects.filter(to__iexact=normalise(email)).exists()
        or _social_accounts(email).exists()
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _on(target) -> dict | None:
    if target is None:
        return None
    return {
        "type": str(target._meta.verbose_name),
        "title": target.title,
        "url": absolute_url(target.get_absolute_url()),
    }


def _mentioning(email: str):
    """Return the history rows whose note or reasons (a word of the lists, say) hold ``email``."""
    return CommentStatusChange.objects.filter(
        Q(note__icontains=email) | Q(reasons__icontains=email)
    )


def _erased(value, email: str):
    """Return ``value`` (a note, or a reason's value) with ``email`` replaced by ``ERASED``."""
    if not isinstance(value, str):
        return value
    return re.sub(re.escape(email), ERASED, value, flags=re.IGNORECASE)


def _comment_data(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "kind": comment.kind,
        "status": comment.status,
        "on": _on(comment.content_object),
        "in_reply_to": comment.parent_id,
        "permalink": absolute_url(comment.get_absolute_url()),
        "created_at": _iso(comment.created_at),
        "author_name": comment.author_name,
        "author_email": comment.author_email,
        "author_url": comment.author_url,
        "body": comment.body,
        "ip_address": comment.ip_address,
        "user_agent": comment.user_agent,
        "signed_in_as": comment.user.get_username() if comment.user else None,
        "signed_in_with": comment.auth_provider,
        # In the language the export is asked in, as the page that offers it.
        "held_reasons": comment.held_reason_texts(),
        # Who moderated is the moderator's data, not the commenter's: only what and when.
        "history": [
            {
                "at": _iso(change.at),
                "from": change.old_status,
                "to": change.new_status,
                "note": change.note_text(),
            }
            for change in comment.status_changes.all()
        ],  # fmt: skip
    }


def export(email: str) -> dict:
    """Return everything stored about ``email``, ready to be written as JSON."""
    email = normalise(email)
    comments = list(
        comments_of(email)
        .select_related("user")
        .prefetch_related("content_object", "status_changes")
        .order_by("created_at", "pk")
    )
    subscriptions = Subscription.objects.for_email(email).with_targets().order_by("created_at")
    mentions = _mentioning(email).exclude(comment__in=comments).order_by("at", "pk")
    return {
        "site": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "email": email,
        "exported_at": _iso(timezone.now()),
        "comments": [_comment_data(comment) for comment in comments],
        "subscriptions": [
            {
                "kind": subscription.kind,
                "what": subscription.describe(),
                "on": _on(subscription.target) if subscription.kind != "posts" else None,
                "created_at": _iso(subscription.created_at),
                "confirmed_at": _iso(subscription.confirmed_at),
            }
            for subscription in subscriptions
        ],
        "mail_sent": [
            {
                "kind": mail.kind,
                "subject": mail.subject,
                "status": mail.status,
                "created_at": _iso(mail.created_at),
                "sent_at": _iso(mail.sent_at),
            }
            for mail in OutgoingMail.objects.filter(to__iexact=email).order_by("created_at")
        ],
        "social_accounts": social_accounts_of(email),
        "mentioned_in_moderation_notes": [
            {"comment": change.comment_id, "at": _iso(change.at), "note": change.note_text()}
            for change in mentions
        ],
    }


def json_download(data: dict, filename: str) -> JsonResponse:
    """Return ``data`` (an export) as a JSON file for the browser to save as ``filename``."""
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dataclass(frozen=True)
class Erasure:
    """What an erasure did, for the page or the admin message that reports it."""

    anonymised: int = 0
    removed: int = 0
    subscriptions: int = 0
    mails: int = 0
    social_accounts: int = 0

    @property
    def summary(self) -> str:
        parts = [
            (
                self.removed,
                ngettext_lazy("%(count)d comment removed", "%(count)d comments removed", "count"),
            ),
            (
                self.anonymised,
                ngettext_lazy(
                    "%(count)d comment anonymised", "%(count)d comments anonymised", "count"
                ),
            ),
            (
                self.subscriptions,
                ngettext_lazy(
                    "%(count)d subscription deleted", "%(count)d subscriptions deleted", "count"
                ),
            ),
            (
                self.mails,
                ngettext_lazy(
                    "%(count)d mail record deleted", "%(count)d mail records deleted", "count"
                ),
            ),
            (
                self.social_accounts,
                ngettext_lazy(
                    "%(count)d sign-in account link deleted",
                    "%(count)d sign-in account links deleted",
                    "count",
                ),
            ),
        ]
        return ", ".join(phrase % {"count": count} for count, phrase in parts)


def _anonymise(comment: Comment, *, remove_text: bool) -> None:
    comment.author_name = ANONYMOUS
    comment.author_email = comment.author_url = comment.user_agent = comment.auth_provider = ""
    comment.ip_address = None
    comment.user = None
    if remove_text:
        comment.body = REMOVED_BODY
    comment.save()
    forget_listing_of(comment)


def _has_replies(comment: Comment) -> bool:
    return Comment.objects.filter(
        thread=comment.thread, path__startswith=f"{comment.path}/"
    ).exists()


def erase(email: str, *, mode: str | None = None) -> Erasure:
    """Erase what is stored about ``email`` as ``mode`` (the site's setting if not given) says."""
    email = normalise(email)
    mode = mode or DiscussionSettings.load().erasure_mode
    remove = mode == DiscussionSettings.ErasureMode.REMOVE
    anonymised = removed = 0
    with transaction.atomic():
        # Deepest first: a removed reply no longer keeps its parent, by the same author, alive.
        locked = comments_of(email).select_for_update(of=("self",))
        for comment in locked.order_by("-depth", "-pk"):
            if remove and not _has_replies(comment):
                comment.delete()
                forget_listing_of(comment)
                removed += 1
            else:
                _anonymise(comment, remove_text=remove)
                anonymised += 1
        for change in _mentioning(email):
            change.note = _erased(change.note, email)
            change.reasons = [
                {key: _erased(value, email) for key, value in reason.items()}
                for reason in change.reasons
            ]
            change.save(update_fields=["note", "reasons"])
        subscriptions, _ = Subscription.objects.for_email(email).delete()
        mails, _ = OutgoingMail.objects.filter(to__iexact=email).delete()
        social_accounts = erase_social_accounts(email)
    return Erasure(
        anonymised=anonymised,
        removed=removed,
        subscriptions=subscriptions,
        mails=mails,
        social_accounts=social_accounts,
    )


def retention_cutoff(now: datetime | None = None, *, days: int | None = None) -> datetime:
    """Return the moment before which comments keep no IP address or user agent.

    ``days`` is the retention period, the site's setting if not given.
    """
    if days is None:
        days = DiscussionSettings.load().ip_retention_days
    return (now or timezone.now()) - timedelta(days=days)


def forgotten_after(comment: Comment) -> int | None:
    """Return the retention period in days if ``comment`` is past it, else None."""
    days = DiscussionSettings.load().ip_retention_days
    return days if comment.created_at < retention_cutoff(days=days) else None


def forget_old_ips(now: datetime | None = None) -> int:
    """Drop the IP address and user agent of comments past retention; return how many changed.

    The same daily clean-up drops the records of mail sent before the retention cutoff, and the
    subscription requests nobody confirmed while their confirmation link worked.
    """
    now = now or timezone.now()
    cutoff = retention_cutoff(now)
    OutgoingMail.objects.filter(status=OutgoingMail.Status.SENT, sent_at__lt=cutoff).delete()
    Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - tokens.CONFIRM.max_age
    ).delete()
    return (
        Comment.objects.filter(created_at__lt=cutoff)
        .exclude(ip_address__isnull=True, user_agent="")
        .update(ip_address=None, user_agent="")
    )


# Provider accounts (comments.signin): what Google, X, WordPress.com… told us about a commenter
# ------------------------------------------------------------------------------
# An account is linked to the e-mail address by its own address or one it confirmed. Deleting a
# provider account also deletes its tokens; the site account and its comments stay as they are.


def _social_accounts(email: str):
    email = normalise(email)
    if not email:
        return SocialAccount.objects.none()
    confirmed = EmailAddress.objects.filter(email__iexact=email).values("user")
    return SocialAccount.objects.filter(Q(user__email__iexact=email) | Q(user__in=confirmed))


def social_accounts_of(email: str) -> list[dict]:
    """Return, for the export, the provider accounts of the users that have ``email``."""
    return [
        {
            "provider": account.provider,
            "uid": account.uid,
            "data_from_provider": account.extra_data,
            "linked_at": _iso(account.date_joined),
            "last_login": _iso(account.last_login),
        }
        for account in _social_accounts(email).order_by("date_joined", "pk")
    ]


def erase_social_accounts(email: str) -> int:
    """Delete the provider accounts of the users that have ``email``; return how many."""
    accounts = _social_accounts(email)
    _, deleted = accounts.delete()
    return deleted.get(accounts.model._meta.label, 0)
