"""Protection without a CAPTCHA: a signed form token, a honeypot, flood control and a rate limit.

The form carries a token naming its target and the time the page was rendered, signed with the
site's key: a changed target or time breaks the signature, a post sent seconds after the page
opened is a robot's, and one sent days later is stale. Flood control and the rate limit count
per IP address in Django's cache, so they hold across processes when the cache is Redis.
"""

from __future__ import annotations

import ipaddress
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac

TOKEN_SALT = "comments.form"
# The trap field: hidden from people by CSS and from screen readers by aria-hidden.
# Named so that no browser autofill takes it for a contact field (a person would be spam).
HONEYPOT_FIELD = "topic"


class TokenError(Exception):
    """The form token is missing, altered or unreadable."""


@dataclass(frozen=True)
class FormToken:
    target: str  # "app_label.model_name:pk"
    issued_at: int

    def age(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.issued_at


def make_form_token(target: str, *, now: float | None = None) -> str:
    """Return a signed token for a form about ``target``, issued ``now``."""
    issued_at = int(time.time() if now is None else now)
    return signing.dumps({"target": target, "at": issued_at}, salt=TOKEN_SALT)


def read_form_token(token: str) -> FormToken:
    """Return the token's content, or raise ``TokenError`` if it was not signed by us."""
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT)
        return FormToken(target=str(data["target"]), issued_at=int(data["at"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise TokenError from error


# A form token as a page carries it: base64 of '{"target":' opens it, then the time and the
# signature (TimestampSigner). Each one found is checked before it is counted as ours.
_TOKEN_IN_PAGE = re.compile(rb"eyJ0YXJnZXQi[\w-]*:[\w-]+:[\w-]+")


def cut_at_form_tokens(content: bytes) -> list:
    """Return ``content`` as [bytes, target, bytes, target, …, bytes], cut at its form tokens.

    A page kept in the page cache is served for minutes: ``fresh_form_tokens`` gives each
    visitor a token of their own moment, so "sent too fast" and "expired" keep their meaning.
    """
    parts, start = [], 0
    for match in _TOKEN_IN_PAGE.finditer(content):
        try:
            token = read_form_token(match.group().decode())
        except TokenError:
            continue
        parts += [content[start : match.start()], token.target]
        start = match.end()
    parts.append(content[start:])
    return parts


def fresh_form_tokens(parts: list, *, now: float | None = None) -> dict[str, bytes]:
    """Return a token issued ``now`` for each target of what ``cut_at_form_tokens`` returned."""
    return {target: make_form_token(target, now=now).encode() for target in set(parts[1::2])}


def joined(parts: list, tokens: dict[str, bytes]) -> bytes:
    """Join what ``cut_at_form_tokens`` returned, with the ``tokens`` of its targets."""
    return b"".join(tokens[part] if index % 2 else part for index, part in enumerate(parts))


def client_ip(meta: dict) -> str | None:
    """Return the client's address from the configured request header, if it is one."""
    value = meta.get(settings.COMMENTS_CLIENT_IP_HEADER, "") or ""
    # A proxy appends the address it saw: the last one is the one we can trust.
    candidate = value.split(",")[-1].strip()
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return None
    return str(getattr(address, "ipv4_mapped", None) or address)


def _flood_key(ip: str | None) -> str:
    return f"comments:flood:{ip or 'unknown'}"


def is_flooding(ip: str | None) -> bool:
    """Return True if this address stored a comment less than the flood interval ago."""
    return settings.COMMENTS_FLOOD_SECONDS > 0 and cache.get(_flood_key(ip)) is not None


def note_comment_stored(ip: str | None) -> None:
    """Start the flood interval for this address."""
    if settings.COMMENTS_FLOOD_SECONDS > 0:
        cache.set(_flood_key(ip), 1, settings.COMMENTS_FLOOD_SECONDS)


def is_rate_limited(ip: str | None, *, now: float | None = None) -> bool:
    """Count one post from this address and return True if it went over the limit."""
    return over_limit(
        f"comments:rate:{ip or 'unknown'}",
        limit=settings.COMMENTS_RATE_LIMIT,
        window=settings.COMMENTS_RATE_WINDOW,
        now=now,
    )


def over_limit(key: str, *, limit: int, window: int, now: float | None = None) -> bool:
    """Count one request under ``key`` in a fixed window; True if it went over ``limit`` (0: off).

    Counted in Django's cache, so with Redis the limit holds across processes.
    """
    if not limit:
        return False
    slot = int((time.time() if now is None else now) // window)
    key = f"{key}:{slot}"
    cache.add(key, 0, window)
    try:
        return cache.incr(key) > limit
    except ValueError:  # The key expired between add() and incr().
        cache.set(key, 1, window)
        return False


def visitor_key(ip: str | None) -> str:
    """Return a keyed hash of the visitor's address: it tells visitors apart without storing it."""
    return salted_hmac("comments.report", ip or "unknown").hexdigest()


def is_reporting_too_much(ip: str | None) -> bool:
    """Count one report from this address and return True if it went over the limit."""
    return over_limit(
        f"comments:report:{ip or 'unknown'}",
        limit=settings.COMMENTS_REPORT_RATE_LIMIT,
        window=settings.COMMENTS_RATE_WINDOW,
    )
