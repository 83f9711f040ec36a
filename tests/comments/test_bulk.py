"""The queue at scale: pages of any size in the same queries, bulk actions in a few queries."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from comments import services
from comments.models import Comment, CommentStatusChange
from tests.comments.factories import make_comment
from tests.factories import make_page, make_post

pytestmark = pytest.mark.django_db

Status = Comment.Status
CHANGELIST = "/admin/comments/comment/"


def test_a_page_of_5_or_of_40_comments_takes_the_same_queries(moderator_client, monkeypatch):
    post, page = make_post(), make_page()
    for number in range(40):
        make_comment((post, page)[number % 2], status=Status.PENDING, auth_provider="local")
    queue = admin.site._registry[Comment]

    def queries_for_a_page_of(size):
        monkeypatch.setattr(queue, "list_per_page", size)
        with CaptureQueriesContext(connection) as queries:
            response = moderator_client.get(CHANGELIST)
        assert response.status_code == 200
        assert response.content.decode().count('class="comment-row ') == size
        return len(queries)

    queries_for_a_page_of(1)  # Warm-up: the content types are cached from the first page on.
    assert queries_for_a_page_of(5) == queries_for_a_page_of(40)


def test_the_queue_filters_by_the_kinds_of_object_registered(moderator_client):
    on_post, on_page = make_comment(make_post()), make_comment(make_page())
    html = moderator_client.get(f"{CHANGELIST}?status=all").content.decode()
    assert "By object type" in html and ">post<" in html and ">page<" in html
    page_type = on_page.content_type_id
    filtered = moderator_client.get(f"{CHANGELIST}?status=all&content_type__id__exact={page_type}")
    assert f"comment-row-{on_page.pk}" in filtered.content.decode()
    assert f"comment-row-{on_post.pk}" not in filtered.content.decode()
    # A value that is no kind of object is no filter, not an error.
    nonsense = moderator_client.get(f"{CHANGELIST}?status=all&content_type__id__exact=x")
    assert nonsense.status_code == 200


def test_setting_the_status_of_10_or_40_comments_takes_the_same_queries(moderator):
    post, page = make_post(), make_page()

    def queries_to_approve(count):
        ids = [
            make_comment((post, page)[number % 2], status=Status.PENDING).pk
            for number in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            changed = services.comments_set_status(ids, Status.APPROVED, by=moderator)
        assert sorted(comment.pk for comment in changed) == ids
        return len(queries)

    assert queries_to_approve(10) == queries_to_approve(40)


def test_a_bulk_change_records_each_comment_and_queues_one_mail_task(
    moderator, settings, django_capture_on_commit_callbacks
):
    post = make_post()
    parent = make_comment(post, status=Status.PENDING)
    reply = make_comment(post, parent=parent, status=Status.PENDING)
    other = make_comment(post, status=Status.PENDING)
    already = make_comment(post)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    with django_capture_on_commit_callbacks(execute=True):
        changed = services.comments_set_status(
            Comment.objects.filter(pk__in=[reply.pk, other.pk, already.pk]),
            Status.APPROVED,
            by=moderator,
        )

    assert [c.pk for c in changed] == [reply.pk, other.pk, parent.pk]
    assert set(Comment.objects.values_list("status", flat=True)) == {Status.APPROVED}
    changes = CommentStatusChange.objects.filter(by=moderator)
    notes = {change.comment_id: change.note_text() for change in changes}
    assert notes == {reply.pk: "", other.pk: "", parent.pk: f"approved with its reply #{reply.pk}"}
    task = DBTaskResult.objects.get()  # The readers' mail of all three, queued once.
    assert task.task_path.endswith("mail_approved_comments")
    assert sorted(task.args_kwargs["args"][0]) == sorted([reply.pk, other.pk, parent.pk])


def test_spam_then_not_spam_in_bulk_gives_back_each_comments_status(moderator_client):
    post = make_post()
    was_approved = make_comment(post)
    was_pending = make_comment(post, status=Status.PENDING)
    chosen = {ACTION_CHECKBOX_NAME: [was_approved.pk, was_pending.pk], "index": "0"}

    moderator_client.post(f"{CHANGELIST}?status=all", {**chosen, "action": "mark_spam"})
    assert {Comment.objects.get(pk=c.pk).status for c in (was_approved, was_pending)} == {
        Status.SPAM
    }
    response = moderator_client.post(
        f"{CHANGELIST}?status=spam", {**chosen, "action": "mark_not_spam"}, follow=True
    )

    assert Comment.objects.get(pk=was_approved.pk).status == Status.APPROVED
    assert Comment.objects.get(pk=was_pending.pk).status == Status.PENDING
    assert "2 comments restored from spam." in response.content.decode()


def test_approve_with_select_all_across_pages_approves_every_pending_comment(
    moderator_client, monkeypatch
):
    monkeypatch.setattr(admin.site._registry[Comment], "list_per_page", 5)
    post = make_post()
    for _ in range(12):
        make_comment(post, status=Status.PENDING)
    spam = make_comment(post, status=Status.SPAM)

    response = moderator_client.post(
        CHANGELIST,
        {"action": "approve", "select_across": "1", "index": "0", ACTION_CHECKBOX_NAME: "1"},
        follow=True,
    )

    assert "12 comments approved." in response.content.decode()
    assert not Comment.objects.filter(status=Status.PENDING).exists()
    assert Comment.objects.get(pk=spam.pk).status == Status.SPAM
