"""Decide what happens to a new comment: approved, held for a moderator, or spam, and why.

``decide`` is a pure function of three things the service gathers first: the candidate (what was
typed, from where), the discussion settings row, and the facts that need a look-up (has this
e-mail an approved comment already? what did Akismet say?). It writes nothing and reads no
database, so every rule is tested directly::

    decision = decide(
        Candidate(author_name="Ann", author_email="ann@example.org", body="Nice casino."),
        DiscussionSettings(moderation_words="casino"),
        Facts(author_has_approved_comment=True),
    )
    assert decision == Decision(
        "pending", ({"code": "moderation_word", "word": "casino", "field": "body"},)
    )

The rules follow WordPress's ``check_comment`` and ``wp_check_comment_disallowed_list``: words
match case-insensitively anywhere in the name, e-mail, URL, body, IP address and user agent.
Spam wins over holding; every reason found is kept so the moderator sees all of them. The
reasons are data (``comments/reasons.py``), put in words in the reader's language where they
are shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from comments import registry
from comments.reasons import reason
from comments.rendering import find_links

APPROVED, PENDING, SPAM = "approved", "pending", "spam"


class AkismetVerdict(StrEnum):
    UNCHECKED = "unchecked"  # No key configured, or nothing to ask.
    HAM = "ham"
    SPAM = "spam"
    DISCARD = "discard"  # Akismet's "blatant spam".
    ERROR = "error"  # Akismet could not be reached or answered nonsense.


class Policy(Protocol):
    """What ``decide`` reads from ``DiscussionSettings``."""

    manual_approval: bool
    auto_approve_known_authors: bool
    hold_links: int

    @property
    def moderation_word_list(self) -> list[str]: ...

    @property
    def disallowed_word_list(self) -> list[str]: ...


@dataclass(frozen=True)
class Candidate:
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    body: str = ""
    ip_address: str = ""
    user_agent: str = ""
    is_linkback: bool = False
    by_moderator: bool = False

    def fields(self) -> list[tuple[str, str]]:
        """Return (field, value) of every field the word lists are matched against."""
        return [
            ("name", self.author_name),
            ("email", self.author_email),
            ("url", self.author_url),
            ("body", self.body),
            ("ip", self.ip_address),
            ("user_agent", self.user_agent),
        ]


@dataclass(frozen=True)
class Facts:
    author_has_approved_comment: bool = False
    honeypot_filled: bool = False
    akismet: AkismetVerdict = AkismetVerdict.UNCHECKED


@dataclass(frozen=True)
class Decision:
    status: str
    reasons: tuple[dict, ...] = ()


def word_matches(words: list[str], candidate: Candidate) -> list[tuple[str, str]]:
    """Return (word, field) for each word found, in the first field it is found in."""
    folded = [(field, value.casefold()) for field, value in candidate.fields()]
    found = []
    for word in words:
        needle = word.casefold()
        for field, value in folded:
            if needle in value:
                found.append((word, field))
                break
    return found


def decide(candidate: Candidate, settings: Policy, facts: Facts) -> Decision:
    """Return the status a new comment gets and the reasons it is not simply approved."""
    if candidate.by_moderator:
        return Decision(APPROVED)

    spam = [
        reason("disallowed_word", word=word, field=field)
        for word, field in word_matches(settings.disallowed_word_list, candidate)
    ]
    if facts.honeypot_filled:
        spam.append(reason("honeypot"))
    if facts.akismet == AkismetVerdict.SPAM:
        spam.append(reason("akismet_spam"))
    elif facts.akismet == AkismetVerdict.DISCARD:
        spam.append(reason("akismet_discard"))

    hold = []
    if settings.manual_approval:
        hold.append(reason("manual_approval"))
    links = len(find_links(candidate.body))
    if settings.hold_links and links >= settings.hold_links:
        hold.append(reason("links", count=links))
    hold.extend(
        reason("moderation_word", word=word, field=field)
        for word, field in word_matches(settings.moderation_word_list, candidate)
    )
    if (
        settings.auto_approve_known_authors
        and not candidate.is_linkback
        and not facts.author_has_approved_comment
    ):
        hold.append(reason("first_comment"))
    if facts.akismet == AkismetVerdict.ERROR:
        hold.append(reason("akismet_error"))

    if spam:
        return Decision(SPAM, tuple(spam + hold))
    if hold:
        return Decision(PENDING, tuple(hold))
    return Decision(APPROVED)


def comments_open(target, settings, *, now: datetime) -> bool:
    """Return True if visitors may comment on ``target`` now."""
    if not (settings.comments_open and getattr(target, "allow_comments", False)):
        return False
    if not target.is_live:
        return False
    # The content app says which models close with age (``registry.register``).
    if settings.close_after_days and registry.closes_with_age(target):
        return now - target.published_at <= timedelta(days=settings.close_after_days)
    return True
