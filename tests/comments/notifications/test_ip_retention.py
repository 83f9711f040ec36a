"""IP addresses and user agents are forgotten after the retention period, and staff see it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment, DiscussionSettings
from comments.notifications import tasks
from comments.notifications.models import OutgoingMail, Subscription
from tests.comments.factories import make_comment
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def aged(post, days, **fields):
    return make_comment(
        post,
        ip_address="203.0.113.9",
        user_agent="Firefox",
        created_at=timezone.now() - timedelta(days=days),
        **fields,
    )


def test_comments_older_than_sixty_days_forget_their_ip_and_browser(capsys):
    post = make_post()
    old, recent = aged(post, 61, body="Old"), aged(post, 59, body="Recent")

    call_command("forget_commenter_ips")

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_address, old.user_agent) == (None, "")
    assert (recent.ip_address, recent.user_agent) == ("203.0.113.9", "Firefox")
    assert old.body == "Old"
    assert capsys.readouterr().out == "1 comment(s) older than 60 days forgot their IP address.\n"


def test_the_retention_follows_the_setting_and_the_task_does_the_same(discussion):
    discussion.ip_retention_days = 10
    discussion.save()
    post = make_post()
    old = aged(post, 11)

    assert tasks.forget_commenter_ips.enqueue().return_value == 1

    old.refresh_from_db()
    assert old.ip_address is None


def test_the_clean_up_also_drops_old_mail_records_and_stale_subscription_requests():
    now = timezone.now()
    OutgoingMail.objects.create(
        to="a@example.org",
        kind="confirm",
        subject="Old",
        status="sent",
        sent_at=now - timedelta(days=61),
    )
    OutgoingMail.objects.create(
        to="a@example.org", kind="confirm", subject="New", status="sent", sent_at=now
    )
    Subscription.objects.create(
        email="a@example.org", kind="posts", created_at=now - timedelta(days=8)
    )
    Subscription.objects.create(
        email="b@example.org", kind="posts", created_at=now - timedelta(days=8), confirmed_at=now
    )

    call_command("forget_commenter_ips")

    assert list(OutgoingMail.objects.values_list("subject", flat=True)) == ["New"]
    assert list(Subscription.objects.values_list("email", flat=True)) == ["b@example.org"]


def test_staff_see_that_an_ip_address_was_forgotten(admin_client):
    post = make_post()
    old = aged(post, 61)
    recent = aged(post, 1)
    call_command("forget_commenter_ips")

    old_page = admin_client.get(f"/admin/comments/comment/{old.pk}/change/").content.decode()
    recent_page = admin_client.get(f"/admin/comments/comment/{recent.pk}/change/").content.decode()

    assert old_page.count("forgotten after 60 days") == 2  # IP address and user agent.
    assert "203.0.113.9" in recent_page and "forgotten after" not in recent_page
    assert DiscussionSettings.load().ip_retention_days == 60
    assert Comment.objects.get(pk=old.pk).ip_address is None
