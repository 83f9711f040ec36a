"""What everybody sees of a discussion comes from the cache, and is never stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from comments.services import comment_delete, comment_edit, comment_set_status
from tests.comments.factories import make_comment
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db


def view(client, post):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(post.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_second_view_takes_the_threaded_list_from_the_cache(client):
    post = make_post()
    for number in range(5):
        make_comment(post, body=f"Cached comment {number}")

    first, first_queries = view(client, post)
    second, second_queries = view(client, post)

    assert "Cached comment 4" in second
    assert second_queries < first_queries
    assert (
        first.split('<section id="comments"')[1].split("</ol>")[0]
        == (second.split('<section id="comments"')[1].split("</ol>")[0])
    )


def test_an_approved_comment_shows_at_once_despite_the_cache(client):
    post = make_post()
    make_comment(post)
    waiting = make_comment(post, status=Comment.Status.PENDING, body="Freshly approved")
    assert "Freshly approved" not in view(client, post)[0]

    comment_set_status(comment=waiting, status=Comment.Status.APPROVED, by=make_user())

    assert "Freshly approved" in view(client, post)[0]


def test_an_edited_or_deleted_comment_changes_at_once_despite_the_cache(client):
    post = make_post()
    comment = make_comment(post, body="Before the edit")
    assert "Before the edit" in view(client, post)[0]

    comment.body = "After the edit"
    comment_edit(comment=comment, by=make_user())  # As the admin's form saves it.
    assert "After the edit" in view(client, post)[0]

    comment_set_status(comment=comment, status=Comment.Status.TRASH, by=make_user())
    assert "After the edit" not in view(client, post)[0]
    comment_delete(comment=comment, by=make_user())
    assert "After the edit" not in view(client, post)[0]


def test_closing_the_discussion_removes_reply_links_despite_the_cache(client):
    post = make_post()
    make_comment(post)
    assert "comment-reply-link" in view(client, post)[0]

    post.allow_comments = False
    post.save()

    html = view(client, post)[0]
    assert "comment-reply-link" not in html and "Comments are closed." in html
