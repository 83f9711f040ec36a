"""Visitors report comments; enough reports hold one back. Staff and authors wear a badge."""

import pytest
from django.test import Client

from comments.models import Comment, CommentStatusChange, DiscussionSettings
from tests.comments.factories import make_comment
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status
JSON = {"HTTP_ACCEPT": "application/json"}


def report(comment, ip, **extra):
    return Client(REMOTE_ADDR=ip).post(f"/comments/{comment.pk}/report/", **extra)


def test_every_published_comment_has_a_report_form_without_a_token(client):
    post = make_post()
    comment = make_comment(post, author_name="Ada")

    html = client.get(post.get_absolute_url()).content.decode()

    assert (
        f'<form class="comment-report" method="post" action="/comments/{comment.pk}/report/">'
        in html
    )
    assert 'aria-label="Report the comment by Ada">Report</button>' in html


def test_three_visitors_reporting_hold_the_comment_with_its_reason(client):
    post = make_post()
    comment = make_comment(post, body="Rude words here")

    for number, ip in enumerate(["198.51.100.1", "198.51.100.2"], start=1):
        response = report(comment, ip)
        assert response.status_code == 200
        assert "a moderator will look at this comment" in response.content.decode()
        assert Comment.objects.get(pk=comment.pk).status == Status.APPROVED, number
    response = report(comment, "198.51.100.3", **JSON)

    assert response.json() == {"message": "Thank you: a moderator will look at this comment."}
    held = Comment.objects.get(pk=comment.pk)
    assert held.status == Status.PENDING
    assert held.held_reasons == [{"code": "reported", "count": 3}]
    assert held.held_reason_texts() == ["reported by 3 visitors"]
    change = CommentStatusChange.objects.filter(comment=held).last()
    assert (change.by, change.new_status, change.reasons) == (
        None,
        "pending",
        [{"code": "reported", "count": 3}],
    )
    assert "Rude words here" not in client.get(post.get_absolute_url()).content.decode()


def test_a_visitor_reports_a_comment_once(client):
    comment = make_comment(make_post())
    for _ in range(3):
        response = report(comment, "198.51.100.9", **JSON)

    assert response.json()["message"] == "You have reported this comment already."
    assert comment.reports.count() == 1
    assert Comment.objects.get(pk=comment.pk).status == Status.APPROVED


def test_reports_are_rate_limited_per_address(settings):
    settings.COMMENTS_REPORT_RATE_LIMIT = 2
    post = make_post()
    comments = [make_comment(post) for _ in range(3)]

    answers = [report(comment, "198.51.100.20", **JSON) for comment in comments]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert "Try again later" in answers[2].json()["message"]
    assert report(comments[2], "198.51.100.21").status_code == 200


def test_the_number_of_reports_that_hold_is_a_setting():
    discussion = DiscussionSettings.load()
    discussion.reports_to_hold = 1
    discussion.save()
    comment = make_comment(make_post())

    report(comment, "198.51.100.30")

    held = Comment.objects.get(pk=comment.pk)
    assert held.held_reasons == [{"code": "reported", "count": 1}]
    assert held.held_reason_texts() == ["reported by 1 visitor"]


def test_only_published_comments_can_be_reported():
    post = make_post()
    pending = make_comment(post, status=Status.PENDING)
    assert report(pending, "198.51.100.40").status_code == 404
    assert Client().get(f"/comments/{make_comment(post).pk}/report/").status_code == 405


def test_moderators_see_the_reports_in_the_queue_and_on_the_comment(moderator_client):
    comment = make_comment(make_post())
    for ip in ["198.51.100.50", "198.51.100.51", "198.51.100.52"]:
        report(comment, ip)

    queue = moderator_client.get("/admin/comments/comment/").content.decode()
    assert "reported by 3 visitors" in queue and "Reported by 3 visitors" in queue
    page = moderator_client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    assert "3 visitors:" in page


def test_a_moderators_reply_says_staff_and_the_posts_author_says_author(client, moderator):
    writer = make_user(first_name="Wanda", last_name="Writer")
    post = make_post(author=writer)
    parent = make_comment(post)
    make_comment(post, parent=parent, user=moderator, author_name="Mo Derator")
    make_comment(post, parent=parent, user=writer, author_name="Wanda Writer")
    make_comment(post, author_name="Visitor")

    html = client.get(post.get_absolute_url()).content.decode()

    assert html.count('class="comment-badge badge-staff">Staff</span>') == 1
    assert html.count('class="comment-badge badge-author">Author</span>') == 1
