"""Site search in each language: what a visitor of that language reads, stemmed as it is written."""

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from clusters.models import Post, SearchEntry, Status
from clusters.search import index
from clusters.search.backends import PostgresBackend
from clusters.seed import load_seed_content
from tests.factories import make_category, make_cluster, make_post, make_tag

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming of languages other than English"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 tables")


def address(obj, language: str) -> str:
    with translation.override(language):
        return obj.get_absolute_url()


def search(language: str, q: str, **params):
    """Return the results page of ``q`` on the site in ``language``."""
    with translation.override(language):
        url = reverse("search:search")
    response = Client().get(url, {"q": q, **params})
    assert response.status_code == 200
    return response


def found(language: str, q: str, **params) -> list[tuple[str, str]]:
    """Return (title, address) of what a visitor of ``language`` finds for ``q``, best first."""
    return [
        (hit.entry.title, hit.entry.url) for hit in search(language, q, **params).context["hits"]
    ]


def titles(language: str, q: str, **params) -> list[str]:
    return [title for title, _url in found(language, q, **params)]


# The seed's French
# ------------------------------------------------------------------------------


def test_a_french_word_of_the_french_text_is_found_on_the_french_site_only():
    load_seed_content()

    response = search("fr", "croissance")

    [hit] = response.context["hits"]
    assert (hit.entry.title, hit.entry.url) == ("Qui sommes-nous", "/fr/who-we-are/")
    html = response.content.decode()
    assert '<a href="/fr/who-we-are/">Qui sommes-nous</a>' in html
    assert "<mark>croissance</mark> la plus rapide" in html
    assert titles("en-gb", "croissance") == []


def test_french_accents_do_not_matter():
    load_seed_content()

    response = search("fr", "medecine")

    assert {"Qui sommes-nous", "Lyonbiopole"} <= set(titles("fr", "medecine"))
    assert "<mark>médecine</mark>" in response.content.decode()


@postgres_only
def test_french_text_is_stemmed_as_french():
    load_seed_content()

    # "médecine" in the French texts; "coordonne" in "Qui sommes-nous" and Lyonbiopole's profile.
    assert {"Qui sommes-nous", "Lyonbiopole"} <= set(titles("fr", "médecines"))
    assert {"Qui sommes-nous", "Lyonbiopole"} <= set(titles("fr", "coordonner"))
    assert "<mark>coordonne</mark>" in search("fr", "coordonner").content.decode()


@sqlite_only
def test_on_sqlite_text_in_other_languages_is_matched_word_for_word():
    # FTS5 stems English only: the French text's words are found as they are written.
    load_seed_content()

    assert "Qui sommes-nous" in titles("fr", "coordonne")
    assert titles("fr", "coordonner") == []


@postgres_only
@pytest.mark.parametrize(
    ("language", "title", "q"),
    [
        ("es", "Jornadas de colaboración en los hospitales", "hospital jornada colaboracion"),
        ("de", "Partnertage in den Krankenhäusern Münchens", "Krankenhaus München"),
        ("it", "Giornate di partenariato negli ospedali", "giornata ospedale"),
    ],
)
def test_each_language_is_stemmed_as_it_is_written(language, title, q):
    post = make_post(
        title="Partnering days",
        **{f"title_{language}": title, f"body_{language}": f"<p>{title}.</p>"},
    )

    assert found(language, q) == [(title, address(post, language))]
    assert found("en-gb", q) == []


def test_catalan_is_searched_without_its_accents():
    post = make_post(
        title="Innovation days",
        title_ca="Jornades d’innovació a Barcelona",
        body_ca="<p>Dues jornades de trobades.</p>",
    )

    assert found("ca", "innovacio") == [("Jornades d’innovació a Barcelona", address(post, "ca"))]
    assert titles("ca", "trobades jornades") == ["Jornades d’innovació a Barcelona"]
    assert titles("fr", "innovacio") == []


def test_every_language_has_its_configuration_on_postgresql():
    assert set(PostgresBackend.configs) == set(LANGUAGES)


# What is not translated
# ------------------------------------------------------------------------------


def test_an_untranslated_post_is_found_by_its_english_words_at_its_french_address():
    post = make_post(title="Japan mission report", body="<p>Sixty SMEs went to Osaka.</p>")

    response = search("fr", "missions")  # English text: stemmed as English.

    assert found("fr", "missions") == [("Japan mission report", address(post, "fr"))]
    html = response.content.decode()
    assert f'<h2 class="h5 mb-1" lang="en"><a href="{address(post, "fr")}">' in html
    assert "Japan <mark>mission</mark> report" in html
    assert address(post, "fr").startswith("/fr/blog/")


def test_a_cluster_profile_shows_on_the_french_site_as_the_french_page_does():
    load_seed_content()

    # Lyonbiopole is translated; BioM is not, but the names of its focus areas are.
    assert ("Lyonbiopole", "/fr/clusters/lyonbiopole/") in found("fr", "territoire")
    assert ("BioM", "/fr/clusters/biom/") in found("fr", "Bavaria")
    assert ("BioM", "/fr/clusters/biom/") in found("fr", "personnalisée")
    assert "BioM" not in titles("en-gb", "personnalisée")


def test_a_tag_or_category_is_found_by_its_name_in_the_language_shown():
    tag = make_tag(name="Japan", name_fr="Japon")
    category = make_category(name="Partnering events")

    assert found("fr", "japon") == [("Japon", address(tag, "fr"))]
    assert titles("en-gb", "japon") == []
    assert found("fr", "partnering") == [("Partnering events", address(category, "fr"))]
    assert found("de", "japan") == [("Japan", address(tag, "de"))]


def test_saving_a_translation_updates_that_languages_entry_at_once():
    post = make_post(title="Partnering days in Lyon", body="<p>Two days of meetings.</p>")
    assert titles("it", "giornate") == []

    post.title_it = "Giornate di partenariato a Lione"
    post.body_it = "<p>Due giorni di incontri.</p>"
    post.save()

    assert found("it", "giornate") == [("Giornate di partenariato a Lione", address(post, "it"))]
    assert titles("it", "partnering") == []  # The Italian page shows the Italian text only.
    assert titles("fr", "partnering") == ["Partnering days in Lyon"]
    assert titles("en-gb", "giornate") == []


# The rules and filters, in every language
# ------------------------------------------------------------------------------


def test_drafts_filters_and_suggestions_work_in_french():
    biom = make_cluster(name="BioM", slug="biom", tagline="Munich.", tagline_fr="Munich.")
    make_post(title="Munich news", title_fr="Nouvelles de Munich", body_fr="<p>Corps.</p>",
              clusters=[biom])  # fmt: skip
    make_post(title="Munich draft", status=Status.DRAFT)

    assert sorted(titles("fr", "munich")) == ["BioM", "Nouvelles de Munich"]
    assert titles("fr", "munich", type="post") == ["Nouvelles de Munich"]
    assert sorted(titles("fr", "munich", cluster="biom")) == ["BioM", "Nouvelles de Munich"]
    suggested = search("fr", "nouvelles munic").context["suggestions"]
    assert [(entry.title, entry.url) for entry in suggested] == [
        ("Nouvelles de Munich", address(Post.objects.get(title_en_gb="Munich news"), "fr"))
    ]


def test_a_search_costs_as_many_queries_in_french_as_in_english():
    load_seed_content()

    def queries(language):
        with CaptureQueriesContext(connection) as captured:
            search(language, "cluster")
        return len(captured)

    queries("fr"), queries("en-gb")  # The menus and sidebar cached, in each language.
    assert queries("fr") == queries("en-gb")


def test_staff_find_an_object_by_its_text_in_any_language_it_is_written_in(client, admin_user):
    make_post(title="Partnering days", title_fr="Journées de partenariat", body_fr="<p>Corps.</p>")
    make_post(title="Partnering in Japan")
    client.force_login(admin_user)
    changelist = reverse("admin:clusters_post_changelist")

    def listed(q):
        return [post.title for post in client.get(changelist, {"q": q}).context["cl"].result_list]

    assert listed("journées") == ["Partnering days"]
    assert sorted(listed("partnering")) == ["Partnering days", "Partnering in Japan"]  # Once each.


# Keeping the entries
# ------------------------------------------------------------------------------


def test_every_object_has_an_entry_per_language_and_a_delete_removes_them_all():
    post = make_post(title="Partnering days", title_fr="Journées", body_fr="<p>Corps.</p>")
    entries = SearchEntry.objects.filter(kind="post", object_id=post.pk)
    assert sorted(entries.values_list("language", flat=True)) == sorted(LANGUAGES)
    assert dict(entries.values_list("language", "text_language"))["fr"] == "fr"
    assert dict(entries.values_list("language", "text_language"))["de"] == "en-gb"

    post.delete()

    assert not SearchEntry.objects.exists()
    assert titles("fr", "journées") == []
    assert titles("de", "partnering") == []


def test_rebuilding_writes_an_entry_per_object_and_language():
    load_seed_content()
    objects = SearchEntry.objects.filter(language=settings.LANGUAGE_CODE).count()

    assert index.rebuild() == objects * len(LANGUAGES)
    assert titles("fr", "croissance") == ["Qui sommes-nous"]


def test_migrating_to_entries_per_language_writes_the_index_again():
    post = make_post(title="Original")
    Post.objects.filter(pk=post.pk).update(title="Renamed")  # No signal: the index is behind.
    migration = MigrationLoader(connection).get_migration("clusters", "0014_search_languages")

    index._migrated(sender=None, plan=[(migration, True)])  # Backwards: nothing to write.
    assert titles("fr", "renamed") == []
    index._migrated(sender=None, plan=[(migration, False)])
    assert titles("fr", "renamed") == ["Renamed"]
