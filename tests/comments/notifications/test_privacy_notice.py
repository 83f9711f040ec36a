"""The privacy notice: an editable page the seed publishes and the comment form links to."""

import pytest

from clusters.models import Page, Post
from clusters.seed import load_seed_content

pytestmark = pytest.mark.django_db


def test_the_seed_publishes_a_privacy_notice_that_the_comment_form_links(client):
    load_seed_content()

    page = Page.objects.published().get(slug="privacy")
    notice = client.get("/privacy/").content.decode()
    form = client.get(Post.objects.published().first().get_absolute_url()).content.decode()

    assert (page.title, page.allow_comments, page.menu_order) == ("Privacy notice", False, None)
    assert 'href="/discussion/your-data/"' in notice and "60 days" in notice
    assert client.get("/discussion/your-data/").status_code == 200
    assert '<a href="/privacy/">How we use your data: our privacy notice</a>' in form


def test_an_editors_notice_survives_the_seed_and_an_unpublished_one_is_not_linked(client):
    load_seed_content()
    Page.objects.filter(slug="privacy").update(body="<p>Our own words.</p>", status="draft")

    load_seed_content()

    assert Page.objects.get(slug="privacy").body == "<p>Our own words.</p>"
    form = client.get(Post.objects.published().first().get_absolute_url()).content.decode()
    assert 'href="/privacy/"' not in form
