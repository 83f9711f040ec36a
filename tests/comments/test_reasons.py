"""What a moderator reads of a reason: stored as data, put in words in their admin's language."""

import importlib

import pytest
from django.utils import translation

from comments.reasons import MESSAGES, reason, text, texts

# The migration that turned the sentences older versions stored into reasons.
migration = importlib.import_module("comments.migrations.0010_reasons_as_data")

# One reason of each code, with the values its sentence needs.
EXAMPLES = [
    reason("disallowed_word", word="viagra", field="body"),
    reason("honeypot"),
    reason("akismet_spam"),
    reason("akismet_discard"),
    reason("manual_approval"),
    reason("links", count=1),
    reason("links", count=3),
    reason("moderation_word", word="casino", field="user_agent"),
    reason("first_comment"),
    reason("akismet_error"),
    reason("pingback", host="elsewhere.example"),
    reason("trackback", host="elsewhere.example"),
    reason("webmention", host="elsewhere.example"),
    reason("reported", count=1),
    reason("reported", count=3),
    reason("submitted"),
    reason("self_ping", url="https://bioxclusters.test/blog/2026/03/news/"),
    reason("approved_by_replying"),
    reason("approved_with_reply", reply=42),
    reason("moderator_reply"),
    reason("mail_link"),
    reason("undone"),
    reason("source_gone"),
    reason("source_unlinked"),
    reason("links_again"),
]


# What a language writes as English does.
SAME_IN = {"it": {"1 link"}}


def test_a_reason_is_stored_as_its_code_and_values():
    assert reason("moderation_word", word="casino", field="body") == {
        "code": "moderation_word",
        "word": "casino",
        "field": "body",
    }
    with pytest.raises(ValueError, match="Unknown reason 'casino'"):
        reason("casino")


@pytest.mark.parametrize(
    "stored, english",
    [
        (reason("disallowed_word", word="pills", field="body"), "disallowed word 'pills' in body"),
        (reason("moderation_word", word="10.0.0", field="ip"), "moderation word '10.0.0' in IP"),
        (reason("moderation_word", word="win", field="email"), "moderation word 'win' in e-mail"),
        (reason("links", count=1), "1 link"),
        (reason("links", count=2), "2 links"),
        (reason("first_comment"), "first comment by this author"),
        (reason("pingback", host="blog.example"), "pingback from blog.example awaits moderation"),
        (reason("reported", count=3), "reported by 3 visitors"),
        (reason("approved_with_reply", reply=12), "approved with its reply #12"),
    ],
)  # fmt: skip
def test_reasons_read_in_english(stored, english):
    assert text(stored) == english


def test_reasons_read_in_german_with_the_fields_named_in_german():
    stored = [
        reason("moderation_word", word="casino", field="body"),
        reason("disallowed_word", word="viagra", field="user_agent"),
        reason("links", count=1),
        reason("links", count=3),
        reason("first_comment"),
        reason("reported", count=2),
        reason("trackback", host="blog.example"),
    ]

    with translation.override("de"):
        assert texts(stored) == [
            "Moderationswort „casino“ im Feld „Text“",
            "unzulässiges Wort „viagra“ im Feld „User-Agent“",
            "1 Link",
            "3 Links",
            "erster Kommentar dieses Autors",
            "von 2 Besuchern gemeldet",
            "Trackback von blog.example wartet auf Moderation",
        ]


def test_reasons_read_in_french():
    with translation.override("fr"):
        assert texts(
            [reason("moderation_word", word="casino", field="email"), reason("honeypot")]
        ) == ["mot de modération « casino » dans le champ « e-mail »", "champ piège rempli"]


@pytest.mark.parametrize("language", ["fr", "es", "ca", "de", "it"])
def test_every_reason_has_its_own_words_in_every_language(language):
    english = texts(EXAMPLES)
    with translation.override(language):
        translated = texts(EXAMPLES)

    same = {words for words, theirs in zip(english, translated, strict=True) if words == theirs}
    assert same == SAME_IN.get(language, set())


def test_a_sentence_older_versions_stored_is_shown_as_it_is():
    imported = reason("text", text="held: 2 links or more")

    with translation.override("de"):
        assert texts([imported, "a sentence a process of the last release stored"]) == [
            "held: 2 links or more",
            "a sentence a process of the last release stored",
        ]


def test_every_code_is_an_example():
    assert {example["code"] for example in EXAMPLES} == set(MESSAGES)


@pytest.mark.parametrize("stored", EXAMPLES, ids=lambda stored: stored["code"])
def test_the_english_is_the_sentence_older_versions_stored(stored):
    # The migration recognises what the site wrote before; the site writes the same English.
    assert migration.in_english(stored) == text(stored)
    assert migration.recognised(text(stored)) == stored


@pytest.mark.parametrize(
    "sentence",
    ["1 links", "007 links", "reported by 1 visitors", "held: 2 links or more", "Honeypot filled"],
)
def test_the_migration_recognises_only_what_the_site_wrote(sentence):
    assert migration.recognised(sentence) is None
