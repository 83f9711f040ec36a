"""Every public page, with the seed content a new visitor sees after `make run`."""

from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters.management.commands.bench_discussion import make_discussion
from clusters.models import Cluster, Page, Post, Status
from clusters.seed import load_seed_content
from tests.factories import make_category, make_cluster, make_post, make_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    load_seed_content()


class PageStructure(HTMLParser):
    """Collect what accessibility and search engines need from a page."""

    def __init__(self):
        super().__init__()
        self.tags, self.images_without_alt, self.meta, self.links, self.title = [], [], {}, [], ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "img" and "alt" not in attrs:
            self.images_without_alt.append(attrs.get("src"))
        if tag == "meta":
            self.meta[attrs.get("name") or attrs.get("property")] = attrs.get("content")
        if tag == "link":
            self.links.append(attrs)
        # Only the document's title: an inline SVG has <title> elements of its own.
        self._in_title = tag == "title" and "body" not in [name for name, _ in self.tags]

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def structure(response):
    assert response.status_code == 200
    parser = PageStructure()
    parser.feed(response.content.decode())
    return parser


def public_urls():
    posts = Post.objects.published()
    return [
        "/",
        "/who-we-are/",
        "/clusters/",
        *[cluster.get_absolute_url() for cluster in Cluster.objects.all()],
        "/blog/",
        *[post.get_absolute_url() for post in posts],
        "/blog/category/news/",
        f"/blog/{posts[0].published_at.year}/",
    ]


def test_every_public_page_has_title_description_canonical_open_graph_and_landmarks(client, seeded):
    for url in public_urls():
        page = structure(client.get(url))
        names = [tag for tag, _ in page.tags]
        assert "bioXclusters plus" in page.title, url
        assert page.meta.get("description"), url
        canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
        assert canonical == [f"https://bioxclusters.test{url}"], url
        assert page.meta.get("og:title") and page.meta.get("og:url"), url
        assert page.meta["og:image"].startswith("https://bioxclusters.test/"), url
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in names, (url, landmark)
        assert ("a", {"class": "skip-link visually-hidden-focusable", "href": "#main-content"}) in (
            page.tags
        ), url
        assert page.images_without_alt == [], url
        assert names.count("h1") == 1, url


def test_home_introduces_the_meta_cluster_with_map_clusters_and_news(client, seeded):
    html = client.get("/").content.decode()

    assert "bioXclusters plus" in html
    assert "3300" in html.replace(",", "").replace("\u202f", "")
    assert "Personalised medicine" in html
    assert 'role="group"' in html and "europe.svg" in html
    for cluster in Cluster.objects.all():
        assert f'href="{cluster.get_absolute_url()}" aria-label="{cluster.name}' in html
    for post in Post.objects.published():
        assert post.title in html


def test_who_we_are_reproduces_every_fact_and_contact_of_the_old_page(client, seeded):
    html = client.get("/who-we-are/").content.decode()

    assert "leading, European meta-cluster on personalised healthcare" in html
    for cluster in Cluster.objects.prefetch_related("key_figures", "contacts", "awards"):
        assert cluster.name in html
        for figure in cluster.key_figures.all():
            assert figure.label in html and figure.value in html, figure
        for award in cluster.awards.all():
            assert award.name in html, award
        for contact in cluster.contacts.all():
            assert contact.name in html
            if contact.email:
                assert f'href="mailto:{contact.email}"' in html
        if cluster.website:
            assert f'href="{cluster.website}"' in html
    assert "Emilie Romeo" in html and "emilie.romeo@lyonbiopole.com" in html
    assert "Gold Label" in html and "ECEI" in html and "168" in html


def test_cluster_profile_shows_figures_awards_contacts_and_its_posts(client, seeded):
    lyonbiopole = Cluster.objects.get(slug="lyonbiopole")
    post = make_post(title="Lyonbiopole at BIO", clusters=[lyonbiopole])
    make_post(title="Unrelated news")

    html = client.get("/clusters/lyonbiopole/").content.decode()

    assert "Auvergne-Rhône-Alpes" in html and "a French healthcare cluster" in html
    assert "Coordinator of bioXclusters plus" in html
    assert "SMEs" in html and "almost 168" in html
    assert "European cluster excellence “Gold Label”, ECEI, 2014" in html
    assert post.title in html and "Unrelated news" not in html
    assert client.get("/clusters/atlantis/").status_code == 404


def test_unpublished_pages_are_not_found(client, seeded):
    Page.objects.filter(slug="who-we-are").update(status=Status.DRAFT)

    assert client.get("/who-we-are/").status_code == 404
    assert "Who we are" not in client.get("/").content.decode().split("<main")[0]


def test_not_found_page_is_in_the_site_design_and_helps(client, seeded):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/blog/"' in html and 'id="main-content"' in html


def test_server_error_page_needs_nothing_but_static_files():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")

    assert "Something went wrong on our side" in html


def test_home_and_who_we_are_queries_do_not_grow_with_the_number_of_clusters(
    client, seeded, django_assert_max_num_queries
):
    def count(url):
        from django.core.cache import cache
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()  # Each count from an empty cache: the discussion listing is cached.
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = {url: count(url) for url in ("/", "/who-we-are/", "/clusters/")}
    for number in range(6):
        cluster = make_cluster()
        cluster.key_figures.create(label="SMEs", value=str(number))
        cluster.contacts.create(name=f"Contact {number}", email=f"c{number}@example.org")
    after = {url: count(url) for url in before}

    assert after == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner and JIT")
def test_no_query_of_a_public_page_is_costly_enough_to_be_compiled(client, seeded, settings):
    """PostgreSQL compiles a query to machine code when its estimated cost passes
    ``jit_above_cost``: 0.6 s more on each uncached post page, once, for the related posts."""
    settings.PAGE_CACHE_SECONDS = 0
    tag, news, cluster = make_tag(), make_category(), make_cluster()
    post = make_post(tags=[tag], categories=[news], clusters=[cluster])
    for number in range(20):
        make_post(title=f"Neighbour {number}", tags=[tag], categories=[news], clusters=[cluster])
    make_discussion(post, 20)
    urls = [*public_urls(), "/search/?q=munich", "/blog/feed/", "/comments/feed/", "/fr/"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit_above_cost")
        ceiling = float(cursor.fetchone()[0])

    costs = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {query['sql']}")
                costs[url, query["sql"][:100]] = cursor.fetchone()[0][0]["Plan"]["Total Cost"]
    assert len(costs) > 50
    assert {key: cost for key, cost in costs.items() if cost >= ceiling} == {}
