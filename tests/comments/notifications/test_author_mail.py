"""A post's author hears about each comment on it once it is approved, unless they said no."""

import pytest
from django.test import Client

from comments import services
from comments.models import Comment
from comments.notifications.models import MailPreference
from tests.comments.factories import make_comment
from tests.comments.notifications.conftest import html, link, post_comment, unsubscribe_path
from tests.factories import make_page, make_post, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status


@pytest.fixture
def author():
    return make_user(username="emilie", email="emilie@example.org", is_staff=True)


def approve(after_commit, comment):
    with after_commit():
        services.comment_set_status(comment=comment, status=Status.APPROVED, by=make_user())


def test_the_author_is_mailed_when_a_comment_on_their_post_is_approved(
    client, author, after_commit, mailoutbox
):
    post = make_post(title="Osaka agreement", author=author)
    with after_commit():
        post_comment(client, post, body="Congratulations to the four clusters!")
    comment = Comment.objects.get()
    assert mailoutbox == []  # Held: the author hears nothing yet.

    approve(after_commit, comment)

    [message] = mailoutbox
    assert message.to == ["emilie@example.org"]
    assert message.subject == "[bioXclusters plus] Comment: “Osaka agreement”"
    assert "Ada Lovelace commented on your post “Osaka agreement”" in message.body
    assert "Congratulations to the four clusters!" in html(message)
    permalink = link(message, f"/comments/{comment.pk}/")
    assert Client().get(permalink)["Location"].endswith(f"#comment-{comment.pk}")
    assert link(message, "/discussion/preferences/")
    assert unsubscribe_path(message).startswith("/discussion/unsubscribe/")


def test_approving_the_same_comment_again_mails_nobody_twice(author, after_commit, mailoutbox):
    comment = make_comment(make_post(author=author), status=Status.PENDING)
    approve(after_commit, comment)
    with after_commit():
        services.comment_set_status(comment=comment, status=Status.TRASH, by=make_user())
    approve(after_commit, comment)

    assert len(mailoutbox) == 1


def test_authors_who_switched_it_off_and_their_own_comments_get_no_mail(
    client, author, after_commit, mailoutbox
):
    post = make_post(author=author)
    own = make_comment(post, status=Status.PENDING, user=author, author_email=author.email)
    approve(after_commit, own)
    assert mailoutbox == []

    MailPreference.objects.create(user=author, comments_on_my_posts=False)
    approve(after_commit, make_comment(post, status=Status.PENDING))
    assert mailoutbox == []


def test_comments_on_pages_mail_no_author(after_commit, mailoutbox):
    approve(after_commit, make_comment(make_page(), status=Status.PENDING))

    assert mailoutbox == []


def test_the_author_turns_it_off_in_one_click_from_the_mail(author, after_commit, mailoutbox):
    post = make_post(author=author)
    approve(after_commit, make_comment(post, status=Status.PENDING))

    response = Client(enforce_csrf_checks=True).post(unsubscribe_path(mailoutbox[0]))

    assert response.status_code == 200
    assert "We no longer send you e-mail about comments on your posts." in (
        response.content.decode()
    )
    assert MailPreference.for_user(author).comments_on_my_posts is False
