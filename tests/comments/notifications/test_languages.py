"""Mail goes out in the language of the page its recipient subscribed or commented from."""

import pytest
from django.test import Client

from comments import services
from comments.models import Comment
from comments.notifications.models import Subscription
from tests.comments.factories import make_comment
from tests.comments.notifications.conftest import html, link, links, post_comment
from tests.factories import make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status


def test_a_french_subscriber_gets_their_follow_up_in_french(client, post, after_commit, mailoutbox):
    path = post.get_absolute_url()  # In English: a request to /fr/ leaves French active.
    with after_commit():
        post_comment(
            client, post, author_email="ada@example.org", notify_followup="replies", language="fr"
        )
    comment = Comment.objects.get()
    subscription = Subscription.objects.get()
    assert (comment.language, subscription.language) == ("fr", "fr")
    [confirmation] = mailoutbox
    assert '<html lang="fr">' in html(confirmation)
    confirm = link(confirmation, "/fr/discussion/subscriptions/confirm/")  # French pages.
    assert Client().post(confirm).status_code == 200
    Comment.objects.filter(pk=comment.pk).update(status=Status.APPROVED)
    mailoutbox.clear()

    reply = make_comment(post, parent=comment, status=Status.PENDING, body="Dix d’entre eux.")
    with after_commit():
        services.comment_set_status(comment=reply, status=Status.APPROVED, by=make_user())

    [message] = mailoutbox
    assert message.subject == (
        "[bioXclusters plus] Nouvelle réponse à votre commentaire sur "
        "«\u00a0Genomics in Lyon\u00a0»"
    )
    assert '<html lang="fr">' in html(message)
    assert f'href="https://bioxclusters.test/fr{path}"' in html(message)
    site_links = [path for path in links(message) if "/discussion/" in path]
    assert site_links and all(path.startswith("/fr/discussion/") for path in site_links)
    followed = Client().get(link(message, f"/comments/{reply.pk}/"))
    assert followed["Location"] == f"/fr{path}#comment-{reply.pk}"


def test_an_english_subscriber_still_gets_english_on_the_same_discussion(
    client, post, after_commit, mailoutbox
):
    with after_commit():
        post_comment(client, post, author_email="ada@example.org", notify_followup="discussion")
        post_comment(
            client, post, author_email="marie@example.org", notify_followup="discussion",
            language="fr", body="Un autre avis.",
        )  # fmt: skip
    for message in mailoutbox:  # Each confirms from their own link.
        [confirm] = [path for path in links(message) if "/subscriptions/confirm/" in path]
        Client().post(confirm)
    assert Subscription.objects.confirmed().count() == 2
    mailoutbox.clear()

    reply = make_comment(post, status=Status.PENDING, author_email="grace@example.org")
    with after_commit():
        services.comment_set_status(comment=reply, status=Status.APPROVED, by=make_user())

    subjects = {message.to[0]: message.subject for message in mailoutbox}
    assert subjects == {
        "ada@example.org": "[bioXclusters plus] New comment on “Genomics in Lyon”",
        "marie@example.org": (
            "[bioXclusters plus] Nouveau commentaire sur «\u00a0Genomics in Lyon\u00a0»"
        ),
    }
