"""services.linkback_receive and linkback_withdraw: the one door every linkback goes through."""

import pytest

from comments import services
from comments.models import Comment, CommentStatusChange
from comments.reasons import reason
from comments.services import CommentRejected
from tests.factories import make_post, make_user

from .helpers import linkbacks_on

pytestmark = pytest.mark.django_db

Kind, Status = Comment.Kind, Comment.Status
SOURCE = "https://elsewhere.example/2024/05/a-post/"
GONE = reason("source_gone")


@pytest.fixture
def post():
    return make_post()


def receive(post, kind=Kind.PINGBACK, **fields):
    fields.setdefault("source_url", SOURCE)
    fields.setdefault("title", "A post elsewhere")
    fields.setdefault("excerpt", "[…] they link to us […]")
    return services.linkback_receive(target=post, kind=kind, **fields)


@pytest.mark.parametrize("kind", [Kind.PINGBACK, Kind.TRACKBACK, Kind.WEBMENTION])
def test_a_linkback_is_held_with_its_reason_and_recorded(post, kind):
    comment, created = receive(post, kind)

    assert created
    assert (comment.kind, comment.status) == (kind, Status.PENDING)
    assert comment.held_reasons == [{"code": kind.value, "host": "elsewhere.example"}]
    assert comment.held_reason_texts() == [f"{kind.value} from elsewhere.example awaits moderation"]
    change = CommentStatusChange.objects.get(comment=comment)
    assert (change.old_status, change.new_status, change.by) == ("", "pending", None)
    assert (change.reasons, change.note) == (comment.held_reasons, "")


def test_a_self_ping_is_approved(post):
    comment, _ = receive(post, self_ping=True, source_url="https://bioxclusters.test/blog/x/")
    assert (comment.status, comment.held_reasons) == (Status.APPROVED, [])


def test_the_word_lists_apply_to_linkbacks(post, discussion):
    discussion.disallowed_words = "casino"
    discussion.moderation_words = "pharma"
    discussion.save()

    spam, _ = receive(post, title="Best casino", source_url="https://a.example/1")
    held, _ = receive(post, excerpt="pharma news", source_url="https://b.example/2")

    assert (spam.status, spam.held_reasons) == (
        Status.SPAM,
        [{"code": "disallowed_word", "word": "casino", "field": "name"}],
    )
    assert held.status == Status.PENDING
    assert {"code": "moderation_word", "word": "pharma", "field": "body"} in held.held_reasons


@pytest.mark.parametrize("kind", [Kind.PINGBACK, Kind.TRACKBACK])
def test_a_pingback_or_trackback_is_stored_once(post, kind):
    receive(post, kind)
    with pytest.raises(CommentRejected) as caught:
        receive(post, kind)

    assert (caught.value.code, caught.value.status) == ("duplicate", 409)
    assert linkbacks_on(post).count() == 1


def test_the_same_source_may_ping_and_mention(post):
    receive(post, Kind.PINGBACK)
    receive(post, Kind.WEBMENTION)
    assert linkbacks_on(post).count() == 2


def test_a_webmention_sent_again_updates_the_stored_one(post):
    first, _ = receive(post, Kind.WEBMENTION, title="First", data={"response_type": "reply"})

    again, created = receive(post, Kind.WEBMENTION, title="Second", excerpt="New words")

    assert not created and again.pk == first.pk
    again.refresh_from_db()
    assert (again.author_name, again.body, again.linkback_data) == ("Second", "New words", {})
    assert again.status == Status.PENDING


def test_a_withdrawn_webmention_returns_to_moderation_when_linked_again(post):
    comment, _ = receive(post, Kind.WEBMENTION)
    services.comment_set_status(comment=comment, status="approved", by=None)

    withdrawn = services.linkback_withdraw(
        target=post, kind=Kind.WEBMENTION, source_url=SOURCE, reason=GONE
    )
    assert withdrawn.pk == comment.pk
    comment.refresh_from_db()
    assert comment.status == Status.TRASH
    assert (
        services.linkback_withdraw(
            target=post, kind=Kind.WEBMENTION, source_url=SOURCE, reason=GONE
        )
        is None
    )

    receive(post, Kind.WEBMENTION)
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    notes = [change.note_text() for change in comment.status_changes.all()]
    assert notes[-2:] == ["The source is gone (HTTP 410).", "its source links here again"]


def test_a_mention_restored_then_trashed_by_a_moderator_stays_in_the_trash(post):
    moderator = make_user()
    comment, _ = receive(post, Kind.WEBMENTION)
    services.linkback_withdraw(target=post, kind=Kind.WEBMENTION, source_url=SOURCE, reason=GONE)
    comment.refresh_from_db()
    services.comment_restore(comment=comment, by=moderator)
    services.comment_set_status(comment=comment, status="trash", by=moderator)

    receive(post, Kind.WEBMENTION)

    comment.refresh_from_db()
    assert comment.status == Status.TRASH


def test_withdrawing_what_was_never_received_does_nothing(post):
    assert (
        services.linkback_withdraw(
            target=post, kind=Kind.WEBMENTION, source_url=SOURCE, reason=GONE
        )
        is None
    )


def test_a_target_that_takes_no_linkbacks_is_refused(discussion):
    closed = make_post(allow_pings=False)
    with pytest.raises(CommentRejected) as caught:
        receive(closed)
    assert caught.value.code == "closed"

    discussion.pings_open = False
    discussion.save()
    with pytest.raises(CommentRejected):
        receive(make_post())
    assert not Comment.objects.exists()


def test_a_comment_is_not_a_linkback(post):
    with pytest.raises(ValueError):
        receive(post, Kind.COMMENT)


def test_a_long_name_is_cut_with_an_ellipsis_and_a_missing_one_is_the_host(post):
    long, _ = receive(post, title="x" * 400, source_url="https://a.example/1")
    bare, _ = receive(post, title="", excerpt="", source_url="https://b.example/2")

    assert long.author_name == "x" * 244 + "…"
    assert (bare.author_name, bare.body) == ("b.example", "b.example")
