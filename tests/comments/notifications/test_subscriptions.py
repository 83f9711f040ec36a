"""Follow-up subscriptions from the comment form: double opt-in, follow-up mail, unsubscribing."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from comments import services
from comments.models import Comment
from comments.notifications.models import Subscription
from tests.comments.factories import make_comment
from tests.comments.notifications.conftest import (
    html,
    link,
    links,
    post_comment,
    unsubscribe_path,
)
from tests.factories import make_page, make_post, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status
Kind = Subscription.Kind


def subscribe(client, after_commit, post, *, email="ada@example.org", **choices):
    """Comment on ``post`` with the subscription choices ticked; return the comment."""
    with after_commit():
        post_comment(client, post, author_email=email, **choices)
    return Comment.objects.latest("pk")


def confirm_from(client, message):
    """Open the confirmation link of ``message`` and press its button."""
    path = link(message, "/discussion/subscriptions/confirm/")
    assert client.post(path).status_code == 200


def approved_reply(after_commit, parent, **fields):
    """Approve a reply to ``parent`` the way a moderator does, after it waited."""
    fields.setdefault("author_email", "grace@example.org")
    fields.setdefault("author_name", "Grace Hopper")
    reply = make_comment(
        parent.content_object, parent=parent, status=Status.PENDING, body="A reply.", **fields
    )
    with after_commit():
        services.comment_set_status(comment=reply, status=Status.APPROVED, by=make_user())
    return reply


def test_the_comment_form_offers_both_subscriptions_and_links_the_privacy_notice(client, post):
    html_before = client.get(post.get_absolute_url()).content.decode()
    make_page(slug="privacy", title="Privacy notice")

    html_after = client.get(post.get_absolute_url()).content.decode()

    for page in (html_before, html_after):
        assert "Notify me of follow-up comments by e-mail" in page
        assert 'name="notify_followup"' in page
        assert "Replies to my comment" in page and "The whole thread" in page
        assert "Notify me of new posts by e-mail" in page and 'name="notify_posts"' in page
    assert 'href="/privacy/"' not in html_before
    assert 'href="/privacy/">How we use your data' in html_after


def test_subscribing_sends_one_confirmation_and_nothing_before_the_click(
    client, post, after_commit, mailoutbox
):
    comment = subscribe(client, after_commit, post, notify_followup="replies", notify_posts="on")
    make_comment(post, author_email="ada@example.org")  # Approved since: replies can come.

    [message] = mailoutbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "[bioXclusters plus] Please confirm your subscriptions"
    assert "replies to your comment on “Genomics in Lyon”" in message.body
    assert "new posts on bioXclusters plus" in message.body
    assert link(message, "/discussion/subscriptions/confirm/") in html(message)
    assert unsubscribe_path(message).startswith("/discussion/unsubscribe/")
    subscriptions = Subscription.objects.filter(email="ada@example.org")
    assert {s.kind for s in subscriptions} == {Kind.REPLIES, Kind.POSTS}
    assert not any(s.is_confirmed for s in subscriptions)

    Comment.objects.filter(pk=comment.pk).update(status=Status.APPROVED)
    mailoutbox.clear()
    approved_reply(after_commit, Comment.objects.get(pk=comment.pk))

    assert [m.to for m in mailoutbox if "ada@example.org" in m.to] == []


def test_a_scanner_opening_the_confirmation_link_confirms_nothing(
    client, post, after_commit, mailoutbox
):
    subscribe(client, after_commit, post, notify_followup="discussion")
    path = link(mailoutbox[0], "/discussion/subscriptions/confirm/")

    page = Client().get(path)

    assert page.status_code == 200 and "Confirm your subscription" in page.content.decode()
    assert not Subscription.objects.get().is_confirmed


def test_a_confirmed_subscriber_gets_a_follow_up_when_a_reply_is_approved(
    client, post, after_commit, mailoutbox
):
    comment = subscribe(client, after_commit, post, notify_followup="replies")
    confirm_from(Client(), mailoutbox[0])
    assert Subscription.objects.get().is_confirmed
    Comment.objects.filter(pk=comment.pk).update(status=Status.APPROVED)
    comment.refresh_from_db()
    mailoutbox.clear()

    reply = make_comment(post, parent=comment, status=Status.PENDING, body="Ten of them.")
    with after_commit():
        services.comment_set_status(comment=reply, status=Status.SPAM, by=make_user())
        services.comment_set_status(comment=reply, status=Status.PENDING, by=make_user())
    assert mailoutbox == []  # Never for spam, nor while it waits.

    with after_commit():
        services.comment_set_status(comment=reply, status=Status.APPROVED, by=make_user())

    [message] = mailoutbox
    assert message.to == ["ada@example.org"]
    assert message.subject == (
        "[bioXclusters plus] New reply to your comment on “Genomics in Lyon”"
    )
    assert "Ten of them." in message.body and "Ten of them." in html(message)
    followed = Client().get(link(message, f"/comments/{reply.pk}/"))
    assert followed.status_code == 302
    assert followed["Location"].endswith(f"#comment-{reply.pk}")
    assert link(message, "/discussion/subscriptions/") in html(message)
    assert unsubscribe_path(message) in html(message)

    mailoutbox.clear()
    with after_commit():
        services.comment_set_status(comment=reply, status=Status.PENDING, by=make_user())
        services.comment_set_status(comment=reply, status=Status.APPROVED, by=make_user())
    assert mailoutbox == []  # One mail per reply, however often it is approved.


def test_the_whole_thread_brings_every_new_comment_but_never_ones_own(
    client, post, after_commit, mailoutbox
):
    subscribe(client, after_commit, post, notify_followup="discussion")
    confirm_from(Client(), mailoutbox[0])
    mailoutbox.clear()
    make_comment(post, author_email="ada@example.org")  # Ada is now a known author.

    with after_commit():
        post_comment(client, post, author_email="ada@example.org", body="Me again.")
    assert Comment.objects.latest("pk").status == Status.APPROVED
    assert mailoutbox == []

    other = make_comment(post, status=Status.PENDING, body="Someone else.")
    with after_commit():
        services.comment_set_status(comment=other, status=Status.APPROVED, by=make_user())

    [message] = mailoutbox
    assert message.subject == "[bioXclusters plus] New comment on “Genomics in Lyon”"
    assert "every new comment on “Genomics in Lyon”" in message.body


def test_one_click_unsubscribe_works_by_post_with_no_session_or_csrf_token(
    client, post, after_commit, mailoutbox
):
    comment = subscribe(client, after_commit, post, notify_followup="replies")
    confirm_from(Client(), mailoutbox[0])
    Comment.objects.filter(pk=comment.pk).update(status=Status.APPROVED)
    comment.refresh_from_db()
    mailoutbox.clear()
    approved_reply(after_commit, comment)
    path = unsubscribe_path(mailoutbox[0])
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not Subscription.objects.exists()
    mailoutbox.clear()
    approved_reply(after_commit, comment, author_email="third@example.org")
    assert mailoutbox == []
    assert mail_client.post(path).status_code == 200  # Twice is harmless.


def test_the_unsubscribe_link_in_the_body_asks_before_acting(
    client, post, after_commit, mailoutbox
):
    subscribe(client, after_commit, post, notify_posts="on")
    path = unsubscribe_path(mailoutbox[0])
    assert path in links(mailoutbox[0])

    page = Client().get(path)

    assert page.status_code == 200 and "Stop e-mail about new posts" in page.content.decode()
    assert Subscription.objects.exists()


def test_a_subscriber_manages_their_subscriptions_from_the_link(
    client, post, after_commit, mailoutbox
):
    comment = subscribe(client, after_commit, post, notify_followup="replies", notify_posts="on")
    confirm_from(Client(), mailoutbox[0])
    Comment.objects.filter(pk=comment.pk).update(status=Status.APPROVED)
    comment.refresh_from_db()
    mailoutbox.clear()
    approved_reply(after_commit, comment)
    manage = link(mailoutbox[0], "/discussion/subscriptions/")
    visitor = Client()

    page = visitor.get(manage).content.decode()
    assert "Replies to your comment on “Genomics in Lyon”" in page
    assert "New posts on bioXclusters plus" in page

    replies = Subscription.objects.get(kind=Kind.REPLIES)
    response = visitor.post(manage, {"end": replies.pk}, follow=True)

    assert "1 subscription ended." in response.content.decode()
    assert list(Subscription.objects.values_list("kind", flat=True)) == [Kind.POSTS]
    visitor.post(manage, {"all": "1"})
    assert not Subscription.objects.exists()


def test_confirmation_links_expire_after_seven_days(client, post, after_commit, mailoutbox):
    subscribe(client, after_commit, post, notify_posts="on")
    path = link(mailoutbox[0], "/discussion/subscriptions/confirm/")

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = Client().post(path)

    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert 'href="/discussion/your-data/"' in response.content.decode()
    assert not Subscription.objects.get().is_confirmed


def test_a_confirmation_link_whose_subscription_was_ended_says_so(
    client, post, after_commit, mailoutbox
):
    subscribe(client, after_commit, post, notify_posts="on")
    Subscription.objects.all().delete()

    response = Client().get(link(mailoutbox[0], "/discussion/subscriptions/confirm/"))

    assert response.status_code == 404
    assert "These subscriptions no longer exist." in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/discussion/subscriptions/confirm/x/",
        "/discussion/subscriptions/x/",
        "/discussion/unsubscribe/x/",
    ],
)
def test_broken_subscription_links_get_a_clear_page(client, path):
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 400
        assert "This link is incomplete or was changed" in response.content.decode()


def test_ticking_a_subscription_needs_an_email_address(client, post, discussion, mailoutbox):
    discussion.require_name_email = False
    discussion.save()

    response = post_comment(client, post, author_email="", notify_posts="on")

    assert response.status_code == 400
    assert "Fill in your e-mail address to get e-mail from us." in response.content.decode()
    assert not Comment.objects.exists()


def test_spam_subscribes_nobody(client, post, after_commit, mailoutbox):
    subscribe(client, after_commit, post, notify_posts="on", topic="a robot filled this")

    assert Comment.objects.get().status == Status.SPAM
    assert not Subscription.objects.exists() and mailoutbox == []


def test_subscribing_again_to_what_is_confirmed_sends_nothing(
    client, post, after_commit, mailoutbox
):
    subscribe(client, after_commit, post, notify_posts="on")
    confirm_from(Client(), mailoutbox[0])
    mailoutbox.clear()

    subscribe(client, after_commit, make_post(), notify_posts="on", body="On another post.")

    assert Subscription.objects.get().is_confirmed
    assert [message.subject for message in mailoutbox if "confirm" in message.subject] == []


def test_after_asking_for_a_subscription_the_page_says_to_check_the_inbox(
    client, post, after_commit
):
    with after_commit():
        response = post_comment(
            client, post, author_email="ada@example.org", notify_followup="replies"
        )
    page = client.get(response["Location"]).content.decode()
    assert "Check your inbox: we sent you a link to confirm your subscription." in page

    with after_commit():
        response = post_comment(client, post, author_email="bob@example.org", body="No mail.")
    assert "Check your inbox" not in client.get(response["Location"]).content.decode()
