"""The migration that turns the English sentences older versions stored into reasons, and back.

Its two functions run on the models as the migration sees them; the schema is the same before
and after it (a data migration), so the test database of today is theirs.
"""

import importlib

import pytest
from django.db.migrations.loader import MigrationLoader

from comments.models import Comment, CommentStatusChange
from tests.comments.factories import make_comment
from tests.factories import make_post

migration = importlib.import_module("comments.migrations.0010_reasons_as_data")

pytestmark = pytest.mark.django_db

OLD_HELD = [
    "disallowed word 'casino' in e-mail",
    "honeypot filled",
    "2 links",
    "moderation word 'pharma' in user agent",
    "first comment by this author",
]
NOTE = "; ".join(OLD_HELD)


@pytest.fixture(scope="module")
def apps():
    """Return the models as the migration sees them (no database needed to read the graph)."""
    return MigrationLoader(None).project_state(("comments", "0010_reasons_as_data")).apps


def stored(comment):
    """Write what older versions stored: sentences in held_reasons and in the history's note."""
    Comment.objects.filter(pk=comment.pk).update(held_reasons=comment.old_held)
    CommentStatusChange.objects.filter(comment=comment).update(note=comment.old_note, reasons=[])


def old_comment(post, held, note):
    comment = make_comment(post, status=Comment.Status.SPAM, note="(replaced below)")
    comment.old_held, comment.old_note = held, note
    stored(comment)
    return comment


def test_forwards_the_sentences_become_reasons_and_what_is_not_recognised_stays(apps):
    post = make_post()
    spam = old_comment(post, OLD_HELD, NOTE)
    imported = old_comment(post, ["held: 2 links or more", "2 links"], "imported; 2 links")
    untouched = make_comment(post, note="approved by a person who typed this")

    migration.sentences_to_data(apps, None)

    spam.refresh_from_db()
    assert spam.held_reasons == [
        {"code": "disallowed_word", "word": "casino", "field": "email"},
        {"code": "honeypot"},
        {"code": "links", "count": 2},
        {"code": "moderation_word", "word": "pharma", "field": "user_agent"},
        {"code": "first_comment"},
    ]
    assert spam.held_reason_texts() == OLD_HELD
    change = spam.status_changes.get()
    assert (change.reasons, change.note) == (spam.held_reasons, "")
    assert change.note_text() == NOTE

    imported.refresh_from_db()
    assert imported.held_reasons == [
        {"code": "text", "text": "held: 2 links or more"},
        {"code": "links", "count": 2},
    ]
    # A note with a part not recognised is kept whole, as it was.
    assert (imported.status_changes.get().reasons, imported.status_changes.get().note) == (
        [],
        "imported; 2 links",
    )
    assert untouched.status_changes.get().note == "approved by a person who typed this"


def test_backwards_every_reason_is_the_english_sentence_again(apps):
    post = make_post()
    spam = old_comment(post, OLD_HELD, NOTE)
    imported = old_comment(post, ["held: 2 links or more"], "imported; 2 links")

    migration.sentences_to_data(apps, None)
    migration.data_to_sentences(apps, None)

    for comment in (spam, imported):
        comment.refresh_from_db()
        assert comment.held_reasons == comment.old_held
        change = comment.status_changes.get()
        assert (change.note, change.reasons) == (comment.old_note, [])


def test_backwards_a_reason_the_site_wrote_today_is_written_out_in_english(apps):
    comment = make_comment(make_post(), status=Comment.Status.PENDING, held_reasons=[])
    Comment.objects.filter(pk=comment.pk).update(
        held_reasons=[{"code": "reported", "count": 3}, {"code": "text", "text": "imported"}]
    )
    CommentStatusChange.objects.create(
        comment=comment,
        new_status="pending",
        reasons=[{"code": "reported", "count": 3}],
        note="and a word from a person",
    )

    migration.data_to_sentences(apps, None)

    comment.refresh_from_db()
    assert comment.held_reasons == ["reported by 3 visitors", "imported"]
    change = comment.status_changes.get()
    assert (change.note, change.reasons) == ("reported by 3 visitors; and a word from a person", [])


def test_running_forwards_twice_changes_nothing_more(apps):
    spam = old_comment(make_post(), OLD_HELD, NOTE)
    migration.sentences_to_data(apps, None)
    spam.refresh_from_db()
    once = (spam.held_reasons, spam.status_changes.get().reasons)

    migration.sentences_to_data(apps, None)

    spam.refresh_from_db()
    assert (spam.held_reasons, spam.status_changes.get().reasons) == once
