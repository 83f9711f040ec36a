"""A mail server that fails loses no comment, shows the visitor no error, and is tried again."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import default_task_backend

from comments.models import Comment
from comments.notifications import tasks
from comments.notifications.models import OutgoingMail
from tests.comments.notifications import failing_backend
from tests.comments.notifications.conftest import post_comment
from tests.factories import make_post

pytestmark = pytest.mark.django_db

FAILING = "tests.comments.notifications.failing_backend.FailingBackend"


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = FAILING
    failing_backend.attempts.clear()
    yield failing_backend.attempts
    failing_backend.attempts.clear()


def test_a_comment_is_kept_and_its_author_sees_no_error_when_the_mail_server_fails(
    client, moderator, mail_server_down, after_commit, settings
):
    post = make_post()

    with after_commit():
        response = post_comment(client, post, notify_posts="on")

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    outbox = {mail.kind: mail for mail in OutgoingMail.objects.all()}
    assert set(outbox) == {OutgoingMail.Kind.MODERATION, OutgoingMail.Kind.CONFIRM}
    for mail in outbox.values():
        # The immediate backend cannot wait, so the retries ran at once, up to the limit.
        assert mail.status == OutgoingMail.Status.FAILED
        assert mail.attempts == settings.DISCUSSION_MAIL_MAX_ATTEMPTS
        assert mail.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
        assert mail.body_text  # Kept, so that staff can send it again.
    assert sorted(mail_server_down) == sorted(
        ["mo@example.org", "ada@example.org"] * settings.DISCUSSION_MAIL_MAX_ATTEMPTS
    )


def test_a_failed_try_is_queued_again_later_each_time(mail_server_down, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    mail = OutgoingMail.objects.create(to="ada@example.org", kind="confirm", subject="Hello")
    before = timezone.now()

    tasks.deliver.call(mail.pk)
    tasks.deliver.call(mail.pk)

    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (OutgoingMail.Status.QUEUED, 2)
    first, second = [result.task.run_after for result in default_task_backend.results]
    assert timedelta(seconds=59) < first - before < timedelta(seconds=61)
    assert timedelta(minutes=5) <= second - before < timedelta(minutes=5, seconds=2)
    assert mail.next_attempt_at == second


def test_a_mail_that_went_keeps_no_links_and_is_never_sent_twice(mailoutbox):
    mail = OutgoingMail.objects.create(
        to="ada@example.org",
        kind="confirm",
        subject="Please confirm",
        body_text="https://bioxclusters.test/discussion/subscriptions/confirm/secret/",
        body_html="<p>secret</p>",
        headers={"Auto-Submitted": "auto-generated"},
    )

    tasks.deliver.call(mail.pk)
    tasks.deliver.call(mail.pk)

    mail.refresh_from_db()
    assert len(mailoutbox) == 1
    assert (mail.status, mail.attempts, mail.body_text, mail.body_html, mail.headers) == (
        OutgoingMail.Status.SENT,
        1,
        "",
        "",
        {},
    )


def test_staff_send_failed_mail_again_from_the_outbox(
    admin_client, mail_server_down, mailoutbox, settings, after_commit
):
    mail = OutgoingMail.objects.create(
        to="ada@example.org", kind="confirm", subject="Please confirm", body_text="Hello"
    )
    tasks.deliver.call(mail.pk)
    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with after_commit():
        admin_client.post(
            "/admin/notifications/outgoingmail/",
            {"action": "send_again", "_selected_action": [mail.pk]},
        )

    mail.refresh_from_db()
    assert mail.status == OutgoingMail.Status.SENT
    assert [message.subject for message in mailoutbox] == ["Please confirm"]
