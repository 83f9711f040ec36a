"""Submitting, moderating and replying go through the services, each change recorded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clusters.models import Status as PublishStatus
from comments.models import Comment, CommentStatusChange
from comments.services import (
    CommentRejected,
    comment_delete,
    comment_reply_as_staff,
    comment_restore,
    comment_set_status,
    comment_submit,
)
from tests.comments.factories import make_comment
from tests.factories import make_cluster, make_page, make_post, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status


def submit(target, **kwargs):
    kwargs.setdefault("body", "Well said.")
    kwargs.setdefault("author_name", "Grace Hopper")
    kwargs.setdefault("author_email", "grace@example.org")
    kwargs.setdefault("ip_address", "192.0.2.1")
    return comment_submit(target=target, **kwargs)


def test_a_first_comment_is_held_with_its_reason_and_its_creation_recorded():
    post = make_post()

    comment = submit(post)

    assert comment.status == Status.PENDING
    assert comment.held_reasons == [{"code": "first_comment"}]
    assert comment.body_html == "<p>Well said.</p>"
    change = comment.status_changes.get()
    assert (change.old_status, change.new_status, change.by) == ("", Status.PENDING, None)
    assert (change.reasons, change.note) == ([{"code": "first_comment"}], "")
    assert change.note_text() == "first comment by this author"


def test_an_author_with_an_approved_comment_is_approved_at_once_whatever_the_case_of_the_email():
    post = make_post()
    make_comment(post, author_email="grace@example.org")

    comment = submit(post, author_email="Grace@Example.org", ip_address="192.0.2.2")

    assert comment.status == Status.APPROVED
    assert comment.author_email == "grace@example.org"


@pytest.mark.parametrize("make_target", [make_post, make_page, make_cluster])
def test_posts_pages_and_cluster_profiles_take_comments(make_target, discussion):
    discussion.auto_approve_known_authors = False
    discussion.save()
    target = make_target()

    comment = submit(target)

    assert comment.content_object == target
    assert Comment.objects.for_object(target).approved().get() == comment


def test_a_new_comment_starts_a_thread_and_a_reply_joins_it():
    post = make_post()
    root = make_comment(post)

    reply = submit(post, parent=root)

    reply.refresh_from_db()
    assert root.thread == root.pk
    assert (reply.thread, reply.parent, reply.depth) == (root.pk, root, 2)
    assert reply.path == f"{root.path}/{reply.pk:010d}"


def test_a_reply_deeper_than_the_limit_is_attached_at_the_deepest_level(discussion):
    discussion.thread_depth = 3
    discussion.save()
    post = make_post()
    first = make_comment(post)
    second = make_comment(post, parent=first)
    third = make_comment(post, parent=second)

    reply = submit(post, parent=third)

    reply.refresh_from_db()
    assert (reply.parent, reply.depth, reply.thread) == (second, 3, first.pk)
    assert reply.path == f"{second.path}/{reply.pk:010d}"


def test_with_threading_off_a_reply_starts_its_own_thread(discussion):
    discussion.thread_depth = 1
    discussion.save()
    post = make_post()

    reply = submit(post, parent=make_comment(post))

    assert (reply.parent, reply.depth, reply.thread) == (None, 1, reply.pk)


def test_a_reply_to_a_comment_on_another_page_is_refused():
    post, other = make_post(), make_post()

    with pytest.raises(CommentRejected) as rejection:
        submit(post, parent=make_comment(other))

    assert rejection.value.code == "parent"
    assert not Comment.objects.for_object(post).exists()


@pytest.mark.parametrize("status", [Status.PENDING, Status.SPAM, Status.TRASH])
def test_a_reply_to_a_comment_that_is_not_approved_is_refused(status):
    post = make_post()

    with pytest.raises(CommentRejected, match="only reply to a published comment"):
        submit(post, parent=make_comment(post, status=status))


@pytest.mark.parametrize(
    "change",
    [
        {"allow_comments": False},
        {"status": PublishStatus.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1), "status": PublishStatus.SCHEDULED},
    ],
)
def test_closed_or_unpublished_objects_refuse_comments(change):
    post = make_post(**change)

    with pytest.raises(CommentRejected) as rejection:
        submit(post)

    assert rejection.value.status in {403, 404}


def test_the_site_wide_switch_closes_every_discussion(discussion):
    discussion.comments_open = False
    discussion.save()

    with pytest.raises(CommentRejected, match="Comments are closed."):
        submit(make_cluster())


def test_old_posts_close_after_the_configured_days(discussion):
    discussion.close_after_days = 14
    discussion.save()

    with pytest.raises(CommentRejected, match="Comments are closed."):
        submit(make_post(published_at=timezone.now() - timedelta(days=15)))
    assert submit(make_post(published_at=timezone.now() - timedelta(days=13))).pk


def test_signing_in_can_be_required(discussion):
    discussion.require_sign_in = True
    discussion.save()
    post = make_post()

    with pytest.raises(CommentRejected, match="logged in"):
        submit(post)
    user = make_user(first_name="Katherine", last_name="Johnson", email="KJ@Example.org")
    comment = submit(post, user=user, author_name="someone else", author_email="x@example.org")
    assert (comment.author_name, comment.author_email, comment.user) == (
        "Katherine Johnson",
        "kj@example.org",
        user,
    )


def test_name_and_email_are_required_unless_the_settings_say_otherwise(discussion):
    post = make_post()
    with pytest.raises(CommentRejected, match="required fields"):
        submit(post, author_email="")

    discussion.require_name_email = False
    discussion.save()
    assert submit(post, author_name="", author_email="").author_name == ""


def test_the_same_comment_twice_is_a_duplicate_but_in_another_thread_it_is_not():
    post = make_post()
    first = submit(post)

    with pytest.raises(CommentRejected) as rejection:
        submit(post, ip_address="192.0.2.99")
    assert (rejection.value.status, rejection.value.code) == (409, "duplicate")

    first.status = Status.APPROVED
    first.save()
    assert submit(post, parent=first, ip_address="192.0.2.98").parent == first


def test_a_duplicate_of_a_trashed_comment_may_be_sent_again():
    post = make_post()
    first = submit(post)
    comment_set_status(comment=first, status=Status.TRASH, by=None)

    assert submit(post, ip_address="192.0.2.7").pk != first.pk


def test_one_address_may_comment_once_every_fifteen_seconds(settings):
    post = make_post()
    submit(post, body="First.")

    with pytest.raises(CommentRejected) as rejection:
        submit(post, body="Second.")
    assert (rejection.value.status, rejection.value.code) == (429, "flood")
    assert submit(post, body="From elsewhere.", ip_address="192.0.2.50").pk


def test_moderators_are_not_flood_controlled_and_are_approved():
    moderator = make_user(groups=["Moderators"])
    post = make_post()

    first = submit(post, user=moderator, body="One.")
    second = submit(post, user=moderator, body="Two.")

    assert [first.status, second.status] == [Status.APPROVED, Status.APPROVED]


def test_a_spammy_comment_lands_in_spam_with_its_reasons(discussion):
    discussion.disallowed_words = "casino"
    discussion.save()

    comment = submit(make_post(), body="Best CASINO bonus https://x.example https://y.example")

    assert comment.status == Status.SPAM
    assert comment.held_reasons == [
        {"code": "disallowed_word", "word": "casino", "field": "body"},
        {"code": "links", "count": 2},
        {"code": "first_comment"},
    ]


def test_a_filled_honeypot_is_kept_as_spam_not_lost():
    comment = submit(make_post(), honeypot_filled=True)

    assert comment.status == Status.SPAM
    assert {"code": "honeypot"} in comment.held_reasons


def test_every_status_change_is_recorded_with_who_when_from_and_to():
    moderator = make_user(groups=["Moderators"])
    comment = make_comment(make_post(), status=Status.PENDING)

    changed = comment_set_status(comment=comment, status=Status.APPROVED, by=moderator)

    assert changed == [comment]
    assert comment.status == Status.APPROVED
    change = CommentStatusChange.objects.get(comment=comment)
    assert (change.by, change.old_status, change.new_status) == (moderator, "pending", "approved")
    assert timezone.now() - change.at < timedelta(seconds=5)


def test_setting_the_same_status_again_changes_and_records_nothing():
    comment = make_comment(make_post())

    assert comment_set_status(comment=comment, status=Status.APPROVED, by=None) == []
    assert not CommentStatusChange.objects.exists()


@pytest.mark.parametrize("removed", [Status.SPAM, Status.TRASH])
@pytest.mark.parametrize("before", [Status.APPROVED, Status.PENDING])
def test_spam_and_trash_remember_the_status_to_restore(removed, before):
    comment = make_comment(make_post(), status=before)
    comment_set_status(comment=comment, status=removed, by=None)
    comment_set_status(comment=comment, status=Status.TRASH, by=None)

    comment_restore(comment=comment, by=None)

    comment.refresh_from_db()
    assert (comment.status, comment.status_before_removal) == (before, "")


def test_approving_a_reply_approves_its_pending_ancestors_too():
    post = make_post()
    root = make_comment(post, status=Status.PENDING)
    middle = make_comment(post, parent=root, status=Status.PENDING)
    reply = make_comment(post, parent=middle, status=Status.PENDING)
    unrelated = make_comment(post, status=Status.PENDING)

    changed = comment_set_status(comment=reply, status=Status.APPROVED, by=None)

    assert changed == [reply, root, middle]
    assert set(Comment.objects.approved()) == {root, middle, reply}
    assert Comment.objects.get(pk=unrelated.pk).status == Status.PENDING
    change = CommentStatusChange.objects.get(comment=root)
    assert change.reasons == [{"code": "approved_with_reply", "reply": reply.pk}]
    assert change.note_text() == f"approved with its reply #{reply.pk}"


def test_a_staff_reply_is_approved_at_once_and_approves_its_parent():
    moderator = make_user(groups=["Moderators"], first_name="Mo", last_name="Derator")
    post = make_post()
    parent = make_comment(post, status=Status.PENDING)

    reply = comment_reply_as_staff(parent=parent, user=moderator, body="Thanks!\n\nWe agree.")

    parent.refresh_from_db()
    assert parent.status == Status.APPROVED
    assert (reply.status, reply.parent, reply.user, reply.author_name) == (
        Status.APPROVED,
        parent,
        moderator,
        "Mo Derator",
    )
    assert reply.body_html == "<p>Thanks!</p>\n<p>We agree.</p>"
    assert reply.status_changes.get().by == moderator


def test_a_staff_reply_to_spam_is_refused():
    moderator = make_user(groups=["Moderators"])
    spam = make_comment(make_post(), status=Status.SPAM)

    with pytest.raises(CommentRejected):
        comment_reply_as_staff(parent=spam, user=moderator, body="No.")


def test_only_spam_and_trash_can_be_deleted_for_good():
    moderator = make_user(groups=["Moderators"])
    post = make_post()
    approved, trashed = make_comment(post), make_comment(post, status=Status.TRASH)

    with pytest.raises(CommentRejected):
        comment_delete(comment=approved, by=moderator)
    comment_delete(comment=trashed, by=moderator)

    assert list(Comment.objects.all()) == [approved]


def test_deleting_a_parent_for_good_keeps_its_replies_in_their_thread():
    moderator = make_user(groups=["Moderators"])
    post = make_post()
    parent = make_comment(post)
    reply = make_comment(post, parent=parent)
    comment_set_status(comment=parent, status=Status.TRASH, by=moderator)

    comment_delete(comment=parent, by=moderator)

    reply.refresh_from_db()
    assert (reply.parent, reply.thread, reply.depth) == (None, reply.ancestor_ids[0], 2)
    assert not Comment.objects.filter(pk=reply.ancestor_ids[0]).exists()


def test_a_too_deep_reply_whose_ancestor_was_deleted_stays_under_its_parent(discussion):
    discussion.thread_depth = 2
    discussion.save()
    moderator = make_user(groups=["Moderators"])
    post = make_post()
    root = make_comment(post, status=Status.TRASH)
    child = make_comment(post, parent=root)
    comment_delete(comment=root, by=moderator)
    child.refresh_from_db()

    reply = submit(post, parent=child)

    assert (reply.parent, reply.depth) == (child, 3)


def test_linkbacks_are_found_by_object_kind_and_source_address():
    post = make_post()
    pingback = make_comment(
        post,
        kind=Comment.Kind.PINGBACK,
        author_name="A post that links here",
        source_url="https://elsewhere.example/post/",
        author_email="",
        body="[…] an excerpt […]",
    )

    found = Comment.objects.for_object(post).filter(
        kind=Comment.Kind.PINGBACK, source_url="https://elsewhere.example/post/"
    )

    assert list(found) == [pingback]
    assert pingback.is_linkback and str(pingback).startswith("Pingback")
