"""The moderation rules, tested as the pure function they are: no database, no request."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from comments.models import DiscussionSettings
from comments.moderation import (
    AkismetVerdict,
    Candidate,
    Decision,
    Facts,
    comments_open,
    decide,
    word_matches,
)

KNOWN = Facts(author_has_approved_comment=True)
FIRST_COMMENT = {"code": "first_comment"}
NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def policy(**overrides):
    """Return unsaved discussion settings with WordPress's defaults, changed by ``overrides``."""
    return DiscussionSettings(**overrides)


def candidate(**overrides):
    values = {
        "author_name": "Ada Lovelace",
        "author_email": "ada@example.org",
        "author_url": "https://ada.example.org/",
        "body": "A plain, friendly remark.",
        "ip_address": "192.0.2.10",
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    }
    return Candidate(**{**values, **overrides})


def test_a_known_author_with_a_plain_comment_is_approved_at_once():
    assert decide(candidate(), policy(), KNOWN) == Decision("approved")


def test_a_first_comment_waits_for_a_moderator_by_default():
    assert decide(candidate(), policy(), Facts()) == Decision("pending", (FIRST_COMMENT,))


def test_without_the_known_author_rule_a_first_comment_is_approved():
    assert decide(candidate(), policy(auto_approve_known_authors=False), Facts()).status == (
        "approved"
    )


def test_manual_approval_holds_even_known_authors():
    assert decide(candidate(), policy(manual_approval=True), KNOWN) == Decision(
        "pending", ({"code": "manual_approval"},)
    )


def links(count):
    return {"code": "links", "count": count}


@pytest.mark.parametrize(
    "body, hold_links, expected",
    [
        ("one https://a.example/", 2, Decision("approved")),
        ("https://a.example/ https://b.example/", 2, Decision("pending", (links(2),))),
        ("https://a.example/ www.b.example http://c.example", 2, Decision("pending", (links(3),))),
        ("https://a.example/", 1, Decision("pending", (links(1),))),
        ("https://a.example/ " * 10, 0, Decision("approved")),
    ],
)
def test_comments_with_many_links_are_held(body, hold_links, expected):
    assert decide(candidate(body=body), policy(hold_links=hold_links), KNOWN) == expected


@pytest.mark.parametrize(
    "attribute, value, field",
    [
        ("body", "Try our CASINO tonight", "body"),
        ("author_name", "Casino Royale", "name"),
        ("author_email", "win@casinos.example", "email"),
        ("author_url", "https://best-casino.example/", "url"),
        ("user_agent", "CasinoBot/1.0", "user_agent"),
    ],
)
def test_a_moderation_word_anywhere_holds_the_comment_and_says_where(attribute, value, field):
    decision = decide(candidate(**{attribute: value}), policy(moderation_words="casino"), KNOWN)

    assert decision == Decision(
        "pending", ({"code": "moderation_word", "word": "casino", "field": field},)
    )


def test_an_ip_address_in_the_moderation_list_holds_its_comments():
    settings = policy(moderation_words="\n  192.0.2.10  \n\n")

    assert decide(candidate(), settings, KNOWN).reasons == (
        {"code": "moderation_word", "word": "192.0.2.10", "field": "ip"},
    )


def test_a_disallowed_word_makes_the_comment_spam():
    decision = decide(candidate(body="Cheap VIAGRA here"), policy(disallowed_words="viagra"), KNOWN)

    assert decision == Decision(
        "spam", ({"code": "disallowed_word", "word": "viagra", "field": "body"},)
    )


def test_spam_wins_over_holding_and_every_reason_is_kept():
    decision = decide(
        candidate(body="casino viagra https://a.example https://b.example"),
        policy(moderation_words="casino", disallowed_words="viagra"),
        Facts(honeypot_filled=True),
    )

    assert decision.status == "spam"
    assert decision.reasons == (
        {"code": "disallowed_word", "word": "viagra", "field": "body"},
        {"code": "honeypot"},
        links(2),
        {"code": "moderation_word", "word": "casino", "field": "body"},
        FIRST_COMMENT,
    )


def test_a_filled_honeypot_is_spam():
    assert decide(candidate(), policy(), Facts(True, honeypot_filled=True)) == Decision(
        "spam", ({"code": "honeypot"},)
    )


@pytest.mark.parametrize(
    "verdict, expected",
    [
        (AkismetVerdict.HAM, Decision("approved")),
        (AkismetVerdict.UNCHECKED, Decision("approved")),
        (AkismetVerdict.SPAM, Decision("spam", ({"code": "akismet_spam"},))),
        (AkismetVerdict.DISCARD, Decision("spam", ({"code": "akismet_discard"},))),
        (AkismetVerdict.ERROR, Decision("pending", ({"code": "akismet_error"},))),
    ],
)
def test_akismet_verdicts(verdict, expected):
    assert decide(candidate(), policy(), Facts(True, akismet=verdict)) == expected


def test_a_moderator_is_approved_whatever_the_words():
    decision = decide(
        candidate(body="casino viagra", by_moderator=True),
        policy(manual_approval=True, moderation_words="casino", disallowed_words="viagra"),
        Facts(),
    )

    assert decision == Decision("approved")


def test_linkbacks_are_not_held_as_a_first_comment():
    assert decide(candidate(is_linkback=True), policy(), Facts()) == Decision("approved")


def test_words_match_case_insensitively_inside_words_and_blank_lines_are_ignored():
    settings = policy(moderation_words="PRESS\n\n   \n")

    assert word_matches(settings.moderation_word_list, candidate(body="wordpress rocks")) == [
        ("PRESS", "body")
    ]
    assert settings.moderation_word_list == ["PRESS"]


def test_non_latin_words_match_case_insensitively():
    decision = decide(candidate(body="ΚΑΖΙΝΟ"), policy(moderation_words="καζινο"), KNOWN)

    assert decision.status == "pending"


def target(label="clusters.post", *, live=True, allow=True, age_days=1):
    return SimpleNamespace(
        _meta=SimpleNamespace(label_lower=label),
        is_live=live,
        allow_comments=allow,
        published_at=NOW - timedelta(days=age_days),
    )


@pytest.mark.parametrize(
    "obj, rules, expected",
    [
        (target(), policy(), True),
        (target(allow=False), policy(), False),
        (target(live=False), policy(), False),
        (target(), policy(comments_open=False), False),
        (target(age_days=15), policy(close_after_days=14), False),
        (target(age_days=13), policy(close_after_days=14), True),
        (target("clusters.page", age_days=400), policy(close_after_days=14), True),
        (target("clusters.cluster", age_days=400), policy(close_after_days=14), True),
    ],
)
def test_when_comments_are_open(obj, rules, expected):
    assert comments_open(obj, rules, now=NOW) is expected
