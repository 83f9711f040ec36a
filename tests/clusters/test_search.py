"""Site search, on whichever database the tests run: what a visitor finds and how it is shown."""

import json
import logging
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clusters import services
from clusters.models import Contact, Post, SearchEntry, Status
from clusters.search import query as search_query
from clusters.search.results import Results, public_entries
from clusters.seed import load_seed_content
from tests.factories import make_category, make_cluster, make_page, make_post, make_tag, make_user

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")


def found(q: str, **filters) -> list[str]:
    """Return the titles the public finds for ``q``, best first (the first page)."""
    response = _search(q, **filters)
    assert response.status_code == 200
    return [hit.entry.title for hit in response.context["hits"]]


def _search(q: str, **params):
    from django.test import Client

    return Client().get(SEARCH, {"q": q, **params})


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add((tag, tuple(attrs)))

    handle_startendtag = handle_starttag


def markup_in(html: str) -> set:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


# Ranking and matching
# ------------------------------------------------------------------------------


def test_a_title_match_beats_an_excerpt_match_which_beats_a_body_match():
    make_post(title="About the body", body="<p>Oncology research in the body.</p>")
    make_post(title="About the title: oncology", body="<p>Nothing else.</p>")
    make_post(title="About the excerpt", excerpt="Oncology in the excerpt.")

    assert found("oncology") == ["About the title: oncology", "About the excerpt", "About the body"]


def test_a_plural_finds_the_singular_and_an_accent_does_not_matter(client):
    make_post(title="One cluster in Rhône", body="<p>Lyon.</p>")
    make_post(title="Rhone valley", body="<p>Without its accent.</p>")

    assert found("clusters") == ["One cluster in Rhône"]
    assert sorted(found("Rhone")) == ["One cluster in Rhône", "Rhone valley"]
    assert sorted(found("rhône")) == ["One cluster in Rhône", "Rhone valley"]
    html = client.get(SEARCH, {"q": "Rhone"}).content.decode()
    assert "One cluster in <mark>Rhône</mark>" in html
    assert "<mark>Rhone</mark> valley" in html


def test_quotes_search_a_phrase_and_a_minus_leaves_a_word_out():
    make_post(title="Together", body="<p>Personalised medicine for patients.</p>")
    make_post(title="Apart", body="<p>Medicine that is personalised.</p>")
    make_post(title="Canada", body="<p>Personalised medicine in Canada.</p>")

    assert sorted(found("personalised medicine")) == ["Apart", "Canada", "Together"]
    assert sorted(found('"personalised medicine"')) == ["Canada", "Together"]
    assert found('"personalised medicine" -canada') == ["Together"]


def test_clusters_are_found_by_their_focus_areas_key_figures_and_contacts():
    cluster = make_cluster(name="Lyonbiopole", tagline="A health cluster.")
    cluster.focus_areas.create(name="Infectious diseases", slug="infectious-diseases")
    cluster.key_figures.create(label="Members", value="190")
    Contact.objects.create(cluster=cluster, name="Emilie Romeo")

    assert found("infectious") == ["Lyonbiopole"]
    assert found("Members") == ["Lyonbiopole"]
    assert found("Emilie Romeo") == ["Lyonbiopole"]


def test_categories_and_tags_are_found_by_name():
    make_category(name="Partnering events")
    make_tag(name="Japan")

    assert found("partnering") == ["Partnering events"]
    assert found("japan") == ["Japan"]


# What the public may see
# ------------------------------------------------------------------------------


def test_drafts_scheduled_and_hidden_entries_are_never_found():
    later = timezone.now() + timedelta(days=2)
    make_post(title="Draft oncology", status=Status.DRAFT)
    make_post(title="Scheduled oncology", status=Status.SCHEDULED, published_at=later)
    make_post(title="Hidden oncology", noindex=True)
    make_page(title="Hidden page oncology", noindex=True)
    make_cluster(name="Hidden oncology cluster", noindex=True)
    make_post(title="Public oncology")

    assert found("oncology") == ["Public oncology"]
    with time_machine.travel(later + timedelta(minutes=1)):
        assert sorted(found("oncology")) == ["Public oncology", "Scheduled oncology"]


def test_the_index_follows_an_edit_a_publish_a_draft_and_a_delete():
    post = make_post(title="Old words", status=Status.DRAFT)
    assert found("old") == []

    services.entries_publish_now(Post.objects.filter(pk=post.pk))
    assert found("old") == ["Old words"]

    post.refresh_from_db()
    post.title = "New words"
    services.entry_save(post)
    assert found("old") == []
    assert found("new") == ["New words"]

    services.entries_make_draft([post])
    assert found("new") == []

    services.entries_publish_now([post])
    post.delete()
    assert found("new") == []
    assert not SearchEntry.objects.exists()


def test_rebuilding_the_index_finds_what_a_bulk_update_wrote():
    post = make_post(title="Original")
    Post.objects.filter(pk=post.pk).update(title="Renamed")  # No signal: the index is behind.
    assert found("renamed") == []

    call_command("rebuild_search_index", stdout=StringIO())

    assert found("renamed") == ["Renamed"]
    assert SearchEntry.objects.count() == len(settings.LANGUAGES)  # One in each language.


# The results page
# ------------------------------------------------------------------------------


def test_every_page_has_a_search_box_and_the_results_page_is_not_indexed(client):
    home = client.get("/").content.decode()
    assert f'action="{SEARCH}"' in home
    assert '<label class="visually-hidden" for="site-search-q">Search the site</label>' in home
    assert 'rel="search" type="application/opensearchdescription+xml"' in home

    results = client.get(SEARCH, {"q": "anything"}).content.decode()
    assert '<meta name="robots" content="noindex">' in results


def test_a_result_shows_its_type_date_and_the_matched_words_marked(client):
    published = timezone.now() - timedelta(days=3)
    body = "<p>Sixty SMEs went to Japan.</p>"
    make_post(title="Japan mission", body=body, published_at=published)

    html = client.get(SEARCH, {"q": "japan"}).content.decode()

    assert "<mark>Japan</mark> mission" in html
    assert "Sixty SMEs went to <mark>Japan</mark>." in html
    assert ">Post</span>" in html
    assert timezone.localtime(published).strftime("%Y-%m-%d") in html


def test_filters_by_type_cluster_and_year():
    biom = make_cluster(name="BioM", slug="biom", tagline="Munich.")
    make_post(title="Munich news", clusters=[biom], published_at=timezone.now().replace(year=2016))
    make_post(title="Munich today")
    make_page(title="Munich page")

    assert sorted(found("munich")) == ["BioM", "Munich news", "Munich page", "Munich today"]
    assert sorted(found("munich", type="post")) == ["Munich news", "Munich today"]
    assert sorted(found("munich", cluster="biom")) == ["BioM", "Munich news"]
    assert found("munich", year="2016") == ["Munich news"]
    assert _search("munich", year="1066").status_code == 400  # Not a year with content.


def test_results_come_a_page_at_a_time(client):
    author = make_user()
    for number in range(13):
        make_post(title=f"Mission {number}", author=author)

    first = client.get(SEARCH, {"q": "mission", "type": "post"})
    second = client.get(SEARCH, {"q": "mission", "type": "post", "page": 2})

    assert len(first.context["hits"]) == 10
    assert len(second.context["hits"]) == 3
    titles = {hit.entry.title for hit in [*first.context["hits"], *second.context["hits"]]}
    assert len(titles) == 13
    assert "q=mission&amp;type=post&amp;page=2" in first.content.decode()


def test_nothing_found_suggests_the_nearest_titles(client):
    make_post(title="Munich mission")

    response = client.get(SEARCH, {"q": "munic"})

    assert response.context["hits"] == []
    assert [entry.title for entry in response.context["suggestions"]] == ["Munich mission"]
    assert "Nothing found for “munic”." in response.content.decode()


# Odd input
# ------------------------------------------------------------------------------


def test_odd_queries_get_a_page_or_a_clear_400_never_a_500(client, naughty_strings):
    make_post(title="Anything", body="<p>Text.</p>")
    odd = ["", " ", '"', '""', "-", "- -", '"unclosed', "AND", "NOT x", "a OR", "*", "^", "(", ")",
           "title:x", "NEAR(a b)", "\\", "'", ";--", "%", "_"]  # fmt: skip
    for q in odd + naughty_strings[::5]:
        assert client.get(SEARCH, {"q": q}).status_code in {200, 400}, q
    assert client.get(SEARCH + "?q=a%00b").status_code == 400


def test_a_query_of_a_thousand_characters_gets_a_clear_message(client):
    response = client.get(SEARCH, {"q": "a" * 1000})

    assert response.status_code == 400
    assert "Search for at most 200 characters" in response.content.decode()


def test_an_empty_search_shows_the_form_and_no_results(client):
    response = client.get(SEARCH, {"q": ""})

    assert response.status_code == 200
    assert "Type what you are looking for" in response.content.decode()


def test_highlighting_never_makes_markup_of_a_query_or_content(all_xss_payloads):
    # A sample (every payload as content and as query would take minutes): one in seven as
    # content, one in twenty-five as queries.
    content, payloads = all_xss_payloads[::7], all_xss_payloads[::25]
    for number, chunk in enumerate(range(0, len(content), 100)):
        text = "\n".join(content[chunk : chunk + 100])
        make_post(title=f"Payloads {number} alert", excerpt=text, body=f"<p>{text}</p>")
    entries = public_entries()
    only_marks = {("mark", ())}
    for payload in [*payloads, "alert", "script", "onerror", "img src"]:
        for hit in Results(entries, search_query.parse(payload))[0:10]:
            assert markup_in(hit.title) <= only_marks, payload
            assert markup_in(hit.snippet) <= only_marks, payload


def test_payload_queries_through_the_page_render_escaped(client, all_xss_payloads):
    make_post(title="Script alert", body="<p>alert(1) script img onerror</p>")
    for payload in all_xss_payloads[::60]:
        response = client.get(SEARCH, {"q": payload})
        assert response.status_code in {200, 400}, payload
        if response.status_code == 200:
            assert payload not in response.content.decode() or "<" not in payload, payload


# OpenSearch, logs, admin
# ------------------------------------------------------------------------------


def test_the_opensearch_description_is_well_formed(client):
    response = client.get(reverse("search:opensearch"))

    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    ns = {"os": "http://a9.com/-/spec/opensearch/1.1/"}
    url = root.find("os:Url[@type='text/html']", ns)
    assert url.get("template") == "https://bioxclusters.test/search/?q={searchTerms}"
    assert len(root.find("os:ShortName", ns).text) <= 16


def test_the_request_log_never_holds_a_query(client, caplog):
    with caplog.at_level(logging.INFO, logger="bioxclusters.requests"):
        client.get(SEARCH, {"q": "secret words"})

    lines = [json.loads(record.getMessage()) for record in caplog.records]
    assert [line["path"] for line in lines] == [SEARCH]
    assert "secret" not in caplog.text


def test_staff_search_the_change_lists_with_the_site_search(client, admin_user):
    make_post(title="Draft about Rhône", status=Status.DRAFT)
    make_post(title="Other")
    client.force_login(admin_user)

    response = client.get(reverse("admin:clusters_post_changelist"), {"q": "rhone"})

    assert [post.title for post in response.context["cl"].result_list] == ["Draft about Rhône"]


@pytest.mark.parametrize("model", ["post", "page", "cluster"])
def test_staff_searches_list_the_best_match_first(client, admin_user, model):
    # The body match comes first in each list's own order (newest, or by name), not by relevance.
    earlier = timezone.now() - timedelta(days=2)
    if model == "cluster":
        make_cluster(name="Zeta oncology", tagline="")
        make_cluster(name="Alpha", tagline="", description="<p>Oncology research.</p>")
    else:
        make = make_post if model == "post" else make_page
        make(title="Zeta oncology", body="<p>Nothing else.</p>", published_at=earlier)
        make(title="Alpha", body="<p>Oncology research.</p>")
    client.force_login(admin_user)
    changelist = reverse(f"admin:clusters_{model}_changelist")

    def listed(**params):
        rows = client.get(changelist, params).context["cl"].result_list
        return [getattr(row, "title", None) or row.name for row in rows]

    assert listed(q="oncology") == ["Zeta oncology", "Alpha"]
    assert listed(q="oncology", o="1") == ["Alpha", "Zeta oncology"]  # A column chosen: its order.


# The seed site, as a new visitor tries it
# ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "first", "marked"),
    [
        ("Munich", "BioM", "<mark>Munich</mark>"),
        ("oncology", "Who we are", "<mark>oncology</mark>"),
        ("Emilie Romeo", "Lyonbiopole", "<mark>Emilie</mark> <mark>Romeo</mark>"),
        ("Japan mission", "Japan Mission Report", "<mark>Japan</mark> <mark>Mission</mark>"),
    ],
)
def test_the_seed_site_answers_a_visitors_first_searches(client, q, first, marked):
    load_seed_content()

    response = client.get(SEARCH, {"q": q})

    best = response.context["hits"][0]
    assert best.entry.title.startswith(first)
    assert marked in best.title + best.snippet
    assert marked in response.content.decode()
