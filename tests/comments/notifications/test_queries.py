"""Deciding and rendering discussion mail costs the same few queries for one reader or many."""

import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import privacy
from comments.models import Comment
from comments.notifications import notify, subscriptions, tokens
from comments.notifications.models import MailPreference, OutgoingMail, Subscription
from tests.comments.factories import make_comment
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db

Kind = Subscription.Kind
Status = Comment.Status
_addresses = itertools.count(1)


def queries(work) -> tuple[int, object]:
    """Return how many queries ``work()`` ran, and what it returned."""
    with CaptureQueriesContext(connection) as captured:
        result = work()
    return len(captured), result


def subscribe(kind, **about) -> Subscription:
    return Subscription.objects.create(
        email=f"reader{next(_addresses)}@example.org",
        kind=kind,
        confirmed_at=timezone.now(),
        **about,
    )


def follow_up(followers: int) -> tuple[int, list[OutgoingMail]]:
    """Approve a reply followed by one reply subscriber and ``followers`` thread subscribers."""
    post = make_post()
    parent = make_comment(post)
    subscribe(Kind.REPLIES, comment=parent)
    for _ in range(followers):
        subscribe(
            Kind.DISCUSSION,
            content_type=ContentType.objects.get_for_model(post),
            object_id=post.pk,
        )
    reply = make_comment(post, parent=parent)
    return queries(lambda: notify.comment_approved(reply.pk))


def test_follow_up_mail_queries_do_not_grow_with_the_followers():
    one, one_mails = follow_up(1)
    five, five_mails = follow_up(5)

    kinds = [[mail.kind for mail in mails] for mails in (one_mails, five_mails)]
    assert [kind.count(OutgoingMail.Kind.FOLLOWUP) for kind in kinds] == [2, 6]
    assert five == one


def new_posts(subscribers: int) -> tuple[int, list[OutgoingMail]]:
    """Announce two new posts to ``subscribers`` confirmed new-post subscribers."""
    Subscription.objects.filter(kind=Kind.POSTS).delete()
    for _ in range(subscribers):
        subscribe(Kind.POSTS)
    make_post(), make_post()
    return queries(lambda: notify.new_posts(timezone.now()))


def test_new_post_mail_queries_do_not_grow_with_the_subscribers():
    one, one_mails = new_posts(1)
    five, five_mails = new_posts(5)

    assert (len(one_mails), len(five_mails)) == (2, 10)
    assert five == one


def moderators(count: int, mode: str) -> None:
    for _ in range(count):
        user = make_user(is_staff=True, groups=["Moderators"])
        if mode != MailPreference.Moderation.EACH:
            MailPreference.objects.create(user=user, moderation=mode)


def test_moderation_mail_queries_do_not_grow_with_the_moderators():
    post = make_post()
    first, second = (make_comment(post, status=Status.PENDING) for _ in range(2))
    moderators(1, MailPreference.Moderation.EACH)
    one, one_mails = queries(lambda: notify.comment_held(first.pk))
    moderators(4, MailPreference.Moderation.EACH)
    five, five_mails = queries(lambda: notify.comment_held(second.pk))

    assert (len(one_mails), len(five_mails)) == (1, 5)
    assert five == one


def test_digest_queries_do_not_grow_with_the_moderators_nor_the_comments():
    make_comment(make_post(), status=Status.PENDING)
    moderators(1, MailPreference.Moderation.DIGEST)
    one, one_mails = queries(lambda: notify.moderation_digests(timezone.now()))

    Comment.objects.all().delete()
    MailPreference.objects.update(last_digest_at=None)
    for _ in range(5):
        make_comment(make_post(), status=Status.PENDING)
    moderators(4, MailPreference.Moderation.DIGEST)
    five, five_mails = queries(lambda: notify.moderation_digests(timezone.now()))

    assert (len(one_mails), len(five_mails)) == (1, 5)
    assert five == one
    assert not MailPreference.objects.filter(last_digest_at=None).exists()


def subscriptions_of(email: str, count: int) -> list[Subscription]:
    """Subscribe ``email`` to ``count`` threads and to the replies to one of its comments."""
    made = []
    for _ in range(count):
        post = make_post()
        made.append(
            Subscription.objects.create(
                email=email,
                kind=Kind.DISCUSSION,
                content_type=ContentType.objects.get_for_model(post),
                object_id=post.pk,
            )
        )
    mine = make_comment(make_post(), author_email=email)
    made.append(Subscription.objects.create(email=email, kind=Kind.REPLIES, comment=mine))
    return made


def page_of(page: str, made: list[Subscription]) -> str:
    """Return the address of ``page`` about the subscriptions ``made``."""
    if page == "manage":
        return subscriptions.manage_url(made[0].email)
    if page == "confirm":
        token = tokens.make(tokens.CONFIRM, s=[subscription.pk for subscription in made])
        return f"/discussion/subscriptions/confirm/{token}/"
    if page == "unsubscribe":
        return subscriptions.unsubscribe_url(made)
    return "/admin/notifications/subscription/"


@pytest.mark.parametrize("page", ["manage", "confirm", "unsubscribe", "admin"])
def test_subscription_pages_queries_do_not_grow_with_the_subscriptions(admin_client, page):
    client = admin_client if page == "admin" else Client()

    def count(email, number):
        path = page_of(page, subscriptions_of(email, number))
        number_of_queries, response = queries(lambda: client.get(path))
        assert response.status_code == 200
        Subscription.objects.all().delete()
        return number_of_queries

    assert count("one@example.org", 1) == count("five@example.org", 5)


def test_the_export_queries_do_not_grow_with_the_subscriptions():
    subscriptions_of("one@example.org", 1)
    subscriptions_of("five@example.org", 5)

    one, _ = queries(lambda: privacy.export("one@example.org"))
    five, export = queries(lambda: privacy.export("five@example.org"))

    assert len(export["subscriptions"]) == 6
    assert five == one
