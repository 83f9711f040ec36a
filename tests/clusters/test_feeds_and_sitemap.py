import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from clusters.models import Status
from tests.factories import make_category, make_cluster, make_page, make_post

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def posts():
    news = make_category(name="News", slug="news")
    return {
        "news": make_post(title="In the news", categories=[news]),
        "other": make_post(title="Elsewhere", published_at=timezone.now() - timedelta(days=2)),
        "draft": make_post(title="Draft", status=Status.DRAFT, categories=[news]),
        "future": make_post(
            title="Future", status=Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1)
        ),
    }


def parse(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)


def test_rss_feed_lists_published_posts_with_links_on_the_site_address(client, posts):
    root = parse(client.get("/blog/feed/", HTTP_HOST="testserver"))

    items = root.findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["In the news", "Elsewhere"]
    link = items[0].findtext("link")
    assert link == "https://bioxclusters.test" + posts["news"].get_absolute_url()
    assert items[0].findtext("category") == "News"


def test_atom_feed_lists_the_same_posts(client, posts):
    root = parse(client.get("/blog/feed/atom/"))

    titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
    assert titles == ["In the news", "Elsewhere"]
    self_link = root.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == "https://bioxclusters.test/blog/feed/atom/"


def test_category_feeds_list_only_that_category(client, posts):
    rss = parse(client.get("/blog/category/news/feed/"))
    atom = parse(client.get("/blog/category/news/feed/atom/"))

    assert [item.findtext("title") for item in rss.findall("./channel/item")] == ["In the news"]
    assert [e.findtext(f"{ATOM}title") for e in atom.findall(f"{ATOM}entry")] == ["In the news"]
    assert client.get("/blog/category/missing/feed/").status_code == 404


def test_sitemap_lists_public_content_only(client, posts):
    cluster = make_cluster(slug="biocat")
    page = make_page(slug="who-we-are")
    make_page(slug="hidden", status=Status.DRAFT)

    root = parse(client.get("/sitemap.xml", HTTP_HOST="testserver"))

    locations = {url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")}
    base = "https://bioxclusters.test"
    english = {
        "/",
        "/clusters/",
        "/blog/",
        cluster.get_absolute_url(),
        page.get_absolute_url(),
        posts["news"].get_absolute_url(),
        posts["other"].get_absolute_url(),
    }
    # Each in every language: English unprefixed, the others under /fr/, /es/… (README).
    prefixes = ["", "/fr", "/es", "/ca", "/de", "/it"]
    assert {base + prefix + path for prefix in prefixes for path in english} == locations


def test_robots_txt_points_at_the_sitemap_and_keeps_robots_out_of_admin(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: https://bioxclusters.test/sitemap.xml" in text
