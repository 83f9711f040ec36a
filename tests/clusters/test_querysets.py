from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from clusters.models import Page, Post, Status
from tests.factories import make_page, make_post

pytestmark = pytest.mark.django_db


def test_published_returns_only_published_and_due_scheduled_posts():
    now = timezone.now()
    live = make_post(status=Status.PUBLISHED, published_at=now - timedelta(hours=1))
    due = make_post(status=Status.SCHEDULED, published_at=now - timedelta(minutes=1))
    make_post(status=Status.DRAFT, published_at=now - timedelta(days=3))
    make_post(status=Status.SCHEDULED, published_at=now + timedelta(hours=1))
    make_post(status=Status.PUBLISHED, published_at=now + timedelta(days=1))

    assert set(Post.objects.published()) == {live, due}


def test_a_scheduled_post_appears_by_itself_when_its_time_comes():
    publish_at = timezone.now() + timedelta(days=2)
    post = make_post(status=Status.SCHEDULED, published_at=publish_at)

    assert post not in Post.objects.published()
    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert post in Post.objects.published()


def test_pages_share_the_published_rule():
    page = make_page(status=Status.PUBLISHED)
    make_page(status=Status.DRAFT)

    assert list(Page.objects.published()) == [page]


def test_is_live_agrees_with_published():
    now = timezone.now()
    assert make_post(published_at=now - timedelta(seconds=5)).is_live
    assert not make_post(status=Status.DRAFT).is_live
    assert not make_post(status=Status.SCHEDULED, published_at=now + timedelta(hours=1)).is_live


def test_summary_falls_back_to_the_body_as_plain_text():
    post = make_post(excerpt="", body="<p>First <strong>words</strong> of the body.</p>")

    assert post.summary == "First words of the body."
