"""Every public page in every language: the switcher, hreflang alternates, lang, the sitemap."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.utils import timezone

from clusters.models import Menu, MenuItem
from tests.factories import make_cluster, make_page, make_post

pytestmark = pytest.mark.django_db

CODES = [code for code, _ in settings.LANGUAGES]
PREFIXES = {code: "" if code == settings.LANGUAGE_CODE else f"/{code}" for code in CODES}
SITE = "https://bioxclusters.test"


class Languages(HTMLParser):
    """Collect the page's lang, its hreflang alternates and the switcher's links."""

    def __init__(self):
        super().__init__()
        self.lang, self.alternates, self.switcher = None, {}, []
        self._in_switcher = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates[attrs["hreflang"]] = attrs["href"]
        elif tag == "nav" and "language-switcher" in attrs.get("class", ""):
            self._in_switcher = True
        elif tag == "a" and self._in_switcher:
            self.switcher.append(attrs)

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switcher = False


def languages_of(response) -> Languages:
    assert response.status_code == 200, response.request["PATH_INFO"]
    parser = Languages()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def site_pages(db):
    """Return the English address of one public page of each kind."""
    cluster = make_cluster(slug="biocat", name="Biocat")
    page = make_page(slug="who-we-are", title="Who we are")
    post = make_post(slug="in-the-news", title="In the news")
    return ["/", "/clusters/", cluster.get_absolute_url(), page.get_absolute_url(), "/blog/",
            post.get_absolute_url(), "/search/?q=news"]  # fmt: skip


def test_every_page_has_its_language_and_links_to_itself_in_every_language(client, site_pages):
    for english in site_pages:
        path, _, query = english.partition("?")
        for code in CODES:
            address = PREFIXES[code] + english
            page = languages_of(client.get(address))

            assert page.lang == code, address
            # The switcher keeps the page (and its query), in each language.
            assert [link["href"] for link in page.switcher] == [
                PREFIXES[other] + english for other in CODES
            ]
            assert [(link["hreflang"], link["lang"]) for link in page.switcher] == [
                (other, other) for other in CODES
            ]
            assert [link.get("aria-current") for link in page.switcher] == [
                "page" if other == code else None for other in CODES
            ]
            # Alternates: every language, and English as x-default, without the query.
            assert page.alternates == {
                **{other: SITE + PREFIXES[other] + path for other in CODES},
                "x-default": SITE + path,
            }


def test_every_hreflang_address_answers(client, site_pages):
    seen = set()
    for english in site_pages:
        page = languages_of(client.get(PREFIXES["fr"] + english))
        seen |= set(page.alternates.values())
    for address in seen:
        path = urlsplit(address).path
        assert client.get(path).status_code == 200, path


def test_pages_outside_the_languages_have_no_switcher_and_error_pages_their_lang(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert languages_of(response).switcher == []

    missing = client.get("/fr/no-such-page/")
    assert missing.status_code == 404
    assert '<html lang="fr">' in missing.content.decode()


def test_a_menu_address_of_the_site_leads_to_the_page_in_the_language_shown(client, site_pages):
    menu = Menu.objects.get_or_create(place=Menu.Place.MAIN)[0]
    MenuItem.objects.create(menu=menu, label="Our blog", url="/blog/", sort_order=1)
    MenuItem.objects.create(menu=menu, label="Elsewhere", url="https://example.org/", sort_order=2)

    html = client.get("/de/").content.decode()

    assert 'href="/de/blog/"' in html and 'href="https://example.org/"' in html


def test_the_sitemap_lists_every_page_in_every_language_with_its_alternates(client, site_pages):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = root.findall("s:url", ns)
    locations = [url.findtext("s:loc", namespaces=ns) for url in urls]

    post_path = site_pages[5]
    for code in CODES:
        assert f"{SITE}{PREFIXES[code]}{post_path}" in locations
    for url in urls:
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        assert set(alternates) == {*CODES, "x-default"}
        assert url.findtext("s:loc", namespaces=ns) in alternates.values()
        english = alternates[settings.LANGUAGE_CODE]
        assert alternates["x-default"] == english
        for code in CODES:
            assert alternates[code] == SITE + PREFIXES[code] + english.removeprefix(SITE)
    for location in set(locations):
        assert client.get(urlsplit(location).path).status_code == 200, location


def test_dates_are_written_in_the_language_of_the_page(client):
    post = make_post(slug="dated", title="Dated")
    path, month = post.get_absolute_url(), timezone.localtime(post.published_at).month
    pages = {code: client.get(PREFIXES[code] + path).content.decode() for code in CODES}
    months = ["", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
    day_month = f"{timezone.localtime(post.published_at).day} {months[month]}"
    assert day_month in pages["fr"]  # "1 décembre 2026"
    english = timezone.localtime(post.published_at).strftime(
        "%-d %B %Y"
    )  # As ever: "1 December 2026".
    assert english in pages["en-gb"] and english not in pages["fr"]
