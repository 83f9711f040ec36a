"""New-post subscribers get one mail per post, when it is published or when its time comes."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks import default_task_backend

from clusters.models import Post
from clusters.tasks import entry_went_live
from comments.notifications.models import Subscription
from tests.comments.notifications.conftest import html, link, unsubscribe_path
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriber():
    Subscription.objects.create(email="unconfirmed@example.org", kind=Subscription.Kind.POSTS)
    return Subscription.objects.create(
        email="reader@example.org", kind=Subscription.Kind.POSTS, confirmed_at=timezone.now()
    )


@pytest.fixture
def editor_client(client):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    return client


def post_form(author, *, when, status="published", **overrides):
    local = timezone.localtime(when)
    return {
        "title_en_gb": "BIO-Europe Spring in Barcelona", "slug": "bio-europe-spring",
        "author": author.pk, "excerpt_en_gb": "The partnering conference, co-hosted by Biocat.",
        "body_en_gb": "<p>March 2017.</p>", "status": status,
        "published_at_0": local.strftime("%Y-%m-%d"), "published_at_1": local.strftime("%H:%M:%S"),
        **overrides,
    }  # fmt: skip


def test_publishing_a_post_in_the_admin_mails_the_confirmed_subscribers_once(
    editor_client, subscriber, after_commit, mailoutbox
):
    author = make_user(groups=["Editors"])  # Posts are written by editors.
    with after_commit():
        response = editor_client.post(
            "/admin/clusters/post/add/", post_form(author, when=timezone.now())
        )
    assert response.status_code == 302

    [message] = mailoutbox
    assert message.to == ["reader@example.org"]
    assert message.subject == "[bioXclusters plus] New post: “BIO-Europe Spring in Barcelona”"
    assert "The partnering conference, co-hosted by Biocat." in message.body
    post = Post.objects.get()
    assert link(message, post.get_absolute_url()) in html(message)
    assert Client().get(post.get_absolute_url()).status_code == 200
    assert unsubscribe_path(message).startswith("/discussion/unsubscribe/")

    with after_commit():
        editor_client.post(
            f"/admin/clusters/post/{post.pk}/change/",
            post_form(author, when=post.published_at, title="Edited"),
        )
    assert len(mailoutbox) == 1


def test_publish_now_in_the_post_list_mails_the_subscribers(
    editor_client, subscriber, after_commit, mailoutbox
):
    draft = make_post(status="draft", title="A draft")

    with after_commit():
        editor_client.post(
            "/admin/clusters/post/", {"action": "publish_now", "_selected_action": [draft.pk]}
        )

    assert [message.subject for message in mailoutbox] == [
        "[bioXclusters plus] New post: “A draft”"
    ]


def test_a_scheduled_post_is_announced_when_its_time_comes(
    editor_client, subscriber, after_commit, mailoutbox, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    when = timezone.now() + timedelta(days=2)

    with after_commit():
        editor_client.post(
            "/admin/clusters/post/add/",
            post_form(make_user(groups=["Editors"]), when=when, status="scheduled"),
        )

    # One task, at the post's time, runs the steps "Publish now" runs (clusters.services).
    deferred = [r for r in default_task_backend.results if r.task.name == "entry_went_live"]
    assert [r.task.run_after for r in deferred] == [Post.objects.get().published_at]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("send_new_post_mail")
    assert mailoutbox == []

    with time_machine.travel(when + timedelta(minutes=5)), after_commit():
        call_command("send_new_post_mail")

    assert [message.to for message in mailoutbox] == [["reader@example.org"]]


def test_posts_published_long_ago_are_never_announced(subscriber, after_commit, mailoutbox):
    make_post(published_at=timezone.now() - timedelta(days=30))

    with after_commit():
        call_command("send_new_post_mail")

    assert mailoutbox == []


def test_the_task_queued_for_a_scheduled_post_announces_it_when_its_time_comes(
    subscriber, after_commit, mailoutbox
):
    when = timezone.now() + timedelta(days=2)
    post = make_post(status="scheduled", published_at=when)

    with after_commit():
        assert entry_went_live.call("clusters.post", post.pk, when.isoformat()) is False
    assert mailoutbox == []

    with time_machine.travel(when + timedelta(minutes=5)), after_commit():
        assert entry_went_live.call("clusters.post", post.pk, when.isoformat()) is True

    assert [message.to for message in mailoutbox] == [["reader@example.org"]]
