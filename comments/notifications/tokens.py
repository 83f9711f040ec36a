"""The signed links in discussion mail: what each carries, how long it works, and if only once.

A token is Django signing's JSON (never a pickle), salted per purpose so that a link of one kind
never opens another, and read with a ``max_age``: no link works for ever. Links that act once
(moderation, erasure) carry a random nonce, written to ``UsedToken`` in the same transaction as
the action; a second use finds it there.

    token = tokens.make(tokens.MODERATE, c=comment.pk, a="approve", u=moderator.pk)
    payload = tokens.read(tokens.MODERATE, token)   # raises TokenError with a message
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.notifications.models import UsedToken


@dataclass(frozen=True)
class Purpose:
    name: str
    max_age: timedelta
    single_use: bool = False

    @property
    def salt(self) -> str:
        return f"comments.notifications.{self.name}"

    @property
    def validity(self) -> str:
        """Return how long the link works, as people say it ("7 days", "24 hours")."""
        if self.max_age >= timedelta(days=2):
            days = self.max_age.days
            return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
        hours = int(self.max_age.total_seconds()) // 3600
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


MODERATE = Purpose("moderate", timedelta(days=7), single_use=True)
CONFIRM = Purpose("confirm", timedelta(days=7))
MANAGE = Purpose("manage", timedelta(days=30))
# Long enough for an old mail's one-click unsubscribe to work, and yet not eternal.
UNSUBSCRIBE = Purpose("unsubscribe", timedelta(days=180))
PRIVACY = Purpose("privacy", timedelta(hours=24), single_use=True)


class TokenError(Exception):
    """A link that cannot be used, with the sentence its visitor reads."""

    message = _("This link is incomplete or was changed. Copy the whole address from the e-mail.")

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message


class TokenExpired(TokenError):
    """A link past its ``max_age``; its message says how long links of its kind work."""


class TokenUsed(TokenError):
    message = _("This link was already used: each one works once.")


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


def make(purpose: Purpose, **payload) -> str:
    """Return a signed token carrying ``payload``; single-use purposes get a nonce ``n``."""
    if purpose.single_use:
        payload.setdefault("n", new_nonce())
    return signing.dumps(payload, salt=purpose.salt, compress=True)


def read(purpose: Purpose, token: str) -> dict:
    """Return the payload of ``token``, or raise ``TokenError`` saying why it cannot be used."""
    try:
        payload = signing.loads(token, salt=purpose.salt, max_age=purpose.max_age)
    except signing.SignatureExpired:
        raise TokenExpired(
            _("This link has expired: links of this kind work for %(validity)s.")
            % {"validity": purpose.validity}
        ) from None
    except signing.BadSignature:
        raise TokenError() from None
    if not isinstance(payload, dict):
        raise TokenError()
    if purpose.single_use and UsedToken.objects.filter(nonce=payload.get("n", "")).exists():
        raise TokenUsed()
    return payload


def spend(purpose: Purpose, payload: dict) -> None:
    """Record that the single-use link with ``payload`` acted; raise ``TokenUsed`` if it had.

    Call inside the transaction of the action, so that a failed action leaves the link usable.
    """
    try:
        with transaction.atomic():
            UsedToken.objects.create(nonce=payload["n"], purpose=purpose.name)
    except IntegrityError:
        raise TokenUsed() from None
