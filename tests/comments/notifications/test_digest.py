"""Moderators who chose it get one daily digest of the comments waiting, with the same links."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment
from comments.notifications.models import MailPreference
from tests.comments.factories import make_comment
from tests.comments.notifications.conftest import html, links, unsubscribe_path
from tests.factories import make_post

pytestmark = pytest.mark.django_db

Status = Comment.Status


@pytest.fixture
def digest_moderator(moderator):
    MailPreference.objects.create(user=moderator, moderation=MailPreference.Moderation.DIGEST)
    return moderator


def test_the_digest_lists_every_comment_waiting_with_its_links(
    client, digest_moderator, after_commit, mailoutbox
):
    post = make_post(title="Genomics in Lyon")
    waiting = [
        make_comment(post, status=Status.PENDING, body="First question."),
        make_comment(post, status=Status.PENDING, body="Second question."),
    ]
    make_comment(post, status=Status.SPAM, body="Cheap pills")

    with after_commit():
        call_command("send_moderation_digest")

    [message] = mailoutbox
    assert message.to == ["mo@example.org"]
    assert message.subject == "[bioXclusters plus] 2 comments waiting for approval"
    assert "1 more went to spam in the last day" in message.body
    assert "First question." in message.body and "Second question." in html(message)
    assert "Cheap pills" not in message.body
    moderate = [path for path in links(message) if path.startswith("/discussion/moderate/")]
    assert len(moderate) == 6
    assert unsubscribe_path(message).startswith("/discussion/unsubscribe/")

    client.force_login(digest_moderator)
    client.post(moderate[0])
    assert Comment.objects.get(pk=waiting[0].pk).status == Status.APPROVED


def test_one_digest_a_day_and_none_when_nothing_waits(digest_moderator, after_commit, mailoutbox):
    with after_commit():
        call_command("send_moderation_digest")
    assert mailoutbox == []

    make_comment(make_post(), status=Status.PENDING)
    with after_commit():
        call_command("send_moderation_digest")
        call_command("send_moderation_digest")
    assert len(mailoutbox) == 1

    with time_machine.travel(timezone.now() + timedelta(days=1)), after_commit():
        call_command("send_moderation_digest")
    assert len(mailoutbox) == 2


def test_moderators_on_single_mails_get_no_digest(moderator, after_commit, mailoutbox):
    make_comment(make_post(), status=Status.PENDING)

    with after_commit():
        call_command("send_moderation_digest")

    assert mailoutbox == []
