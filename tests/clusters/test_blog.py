from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from clusters.models import Status
from tests.factories import make_category, make_post, make_tag, make_user

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_blog_lists_published_posts_newest_first(client):
    older = make_post(title="Older news", published_at=timezone.now() - timedelta(days=3))
    newer = make_post(title="Newer news", published_at=timezone.now() - timedelta(days=1))
    make_post(title="Secret draft", status=Status.DRAFT)

    page = client.get("/blog/").content.decode()

    assert page.index(newer.title) < page.index(older.title)
    assert "Secret draft" not in page


def test_blog_is_paginated_ten_posts_a_page(client):
    for day in range(12):
        make_post(title=f"News {day:02d}", published_at=timezone.now() - timedelta(days=day + 1))

    first = client.get("/blog/")
    second = client.get("/blog/?page=2")

    assert first.content.decode().count('<article class="mb-4">') == 10
    assert second.content.decode().count('<article class="mb-4">') == 2
    assert "Page 2 of 2" in second.content.decode()
    assert client.get("/blog/?page=3").status_code == 404
    assert client.get("/blog/?page=abc").status_code == 404


def test_post_is_served_at_its_year_month_and_slug(client):
    post = make_post(
        slug="japan-mission", published_at=datetime(2016, 11, 30, 23, 30, tzinfo=PARIS)
    )

    assert post.get_absolute_url() == "/blog/2016/11/japan-mission/"
    response = client.get("/blog/2016/11/japan-mission/")
    assert response.status_code == 200
    assert post.title in response.content.decode()


def test_a_wrong_date_in_a_post_address_redirects_to_the_right_one(client):
    make_post(slug="canada", published_at=datetime(2017, 3, 20, 10, tzinfo=PARIS))

    response = client.get("/blog/2016/01/canada/")

    assert response.status_code == 301
    assert response["Location"] == "/blog/2017/03/canada/"


@pytest.mark.parametrize(
    "status, delay",
    [
        (Status.DRAFT, timedelta(days=-1)),
        (Status.SCHEDULED, timedelta(days=1)),
        (Status.PUBLISHED, timedelta(days=1)),
    ],  # fmt: skip
)
def test_drafts_and_future_posts_are_not_found_by_the_public(client, status, delay):
    post = make_post(status=status, published_at=timezone.now() + delay)

    assert client.get(post.get_absolute_url()).status_code == 404


def test_staff_who_may_edit_posts_preview_drafts_never_cached(client):
    post = make_post(title="Draft in progress", status=Status.DRAFT)
    editor = make_user(is_staff=True, groups=["Editors"])
    client.force_login(editor)

    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    assert "Preview." in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_staff_without_the_change_permission_cannot_preview(client):
    post = make_post(status=Status.DRAFT)
    client.force_login(make_user(is_staff=True))

    assert client.get(post.get_absolute_url()).status_code == 404


def test_category_tag_and_author_archives_list_their_posts(client):
    news = make_category(name="News", slug="news")
    japan = make_tag(name="Japan", slug="japan")
    author = make_user(username="emilie", first_name="Emilie", last_name="Romeo")
    in_both = make_post(title="Mission to Japan", categories=[news], tags=[japan], author=author)
    elsewhere = make_post(title="Something else")

    for url, heading in [("/blog/category/news/", "Category: News"),
                         ("/blog/tag/japan/", "Tag: Japan"),
                         ("/blog/author/emilie/", "Author: Emilie Romeo")]:  # fmt: skip
        page = client.get(url).content.decode()
        assert heading in page
        assert in_both.title in page
        assert elsewhere.title not in page

    assert client.get("/blog/category/nothing/").status_code == 404
    assert client.get("/blog/author/nobody/").status_code == 404


def test_month_and_year_archives_use_local_dates(client):
    # 23:30 in Paris on 31 May is already June in no zone but is May for our readers.
    post = make_post(title="Late in May", published_at=datetime(2016, 5, 31, 23, 30, tzinfo=PARIS))

    assert post.title in client.get("/blog/2016/05/").content.decode()
    assert post.title not in client.get("/blog/2016/06/").content.decode()
    assert post.title in client.get("/blog/2016/").content.decode()
    assert client.get("/blog/2016/13/").status_code == 404


def test_sidebar_lists_categories_with_counts_and_months(client):
    news = make_category(name="News", slug="news")
    make_post(categories=[news], published_at=datetime(2016, 5, 10, tzinfo=PARIS))
    make_post(categories=[news], status=Status.DRAFT)

    page = client.get("/blog/").content.decode()

    assert "News</a> (1)" in page
    assert 'href="/blog/2016/05/">May 2016' in page
