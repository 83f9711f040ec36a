"""Editors translate content in the admin; visitors read it in their language, or in English."""

import re

import pytest
from django.utils import translation

from clusters.models import Post, SearchEntry
from clusters.seed import load_seed_content
from comments.models import Comment
from tests.admin_forms import form_data
from tests.comments.conftest import comment_form
from tests.comments.factories import make_comment
from tests.factories import make_post

pytestmark = pytest.mark.django_db

NOTE = "This page is not yet available in %(language)s."


def address(obj, language: str | None = None) -> str:
    """Return ``obj``'s address in ``language`` (None: English, unprefixed)."""
    with translation.override(language or "en-gb"):
        return obj.get_absolute_url()


def note_in(language: str) -> str:
    """Return the fallback note as a visitor reading ``language`` sees it."""
    with translation.override(language):
        name = translation.pgettext("this page's language", "English")
        return translation.gettext(NOTE) % {"language": name}


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_an_editor_adds_an_italian_translation_in_the_admin_and_it_appears_under_it(
    client, editor_client
):
    post = make_post(title="Partnering days in Lyon", body="<p>Two days of meetings.</p>")
    change = f"/admin/clusters/post/{post.pk}/change/"
    form = editor_client.get(change)
    assert 'name="title_it"' in form.content.decode()  # Beside the English title.

    response = editor_client.post(
        change,
        form_data(
            form,
            title_it="Giornate di partenariato a Lione",
            body_it="<p>Due giorni di incontri.</p><script>alert(1)</script>",
        ),
    )

    assert response.status_code == 302
    italian = text_of(client.get(address(post, "it")))
    assert "Giornate di partenariato a Lione" in italian
    assert "<p>Due giorni di incontri.</p>" in italian and "alert(1)" not in italian
    assert "translation-note" not in italian
    english = text_of(client.get(address(post)))
    assert "Partnering days in Lyon" in english and "Giornate" not in english
    assert "Giornate di partenariato a Lione" in text_of(client.get("/it/blog/"))
    # Search finds each language's text, at that language's address.
    entries = SearchEntry.objects.filter(kind="post", object_id=post.pk)
    english_entry, italian_entry = entries.get(language="en-gb"), entries.get(language="it")
    assert (english_entry.title, english_entry.url) == ("Partnering days in Lyon", address(post))
    assert (italian_entry.title, italian_entry.url) == (
        "Giornate di partenariato a Lione",
        address(post, "it"),
    )


def test_an_untranslated_post_shows_the_english_text_marked_as_english_under_a_note(client):
    post = make_post(title="Japan mission report", body="<p>Sixty SMEs went.</p>")

    german = text_of(client.get(address(post, "de")))

    assert note_in("de") in german
    assert '<h1 lang="en">Japan mission report</h1>' in german
    assert '<div class="prose" lang="en"><p>Sixty SMEs went.</p></div>' in german
    english = text_of(client.get(address(post)))
    assert "translation-note" not in english and '<h1 lang="en">' not in english


def test_a_list_shows_each_post_in_the_visitors_language_where_it_exists(client):
    make_post(title="Translated", title_fr="Traduit", body_fr="<p>Corps.</p>")
    make_post(title="Only in English")

    french = text_of(client.get("/fr/blog/"))

    assert ">Traduit</a>" in french and "Translated" not in french
    assert '<a href="/fr/blog/' in french
    assert re.search(r'lang="en">Only in English</a>', french)


def test_a_feed_per_language_lists_only_the_posts_written_in_it(client):
    make_post(title="Translated", title_fr="Traduit", body_fr="<p>Corps.</p>")
    make_post(title="Only in English")

    french = text_of(client.get("/fr/blog/feed/"))
    english = text_of(client.get("/blog/feed/"))

    assert "<title>Traduit</title>" in french and "Only in English" not in french
    assert "/fr/blog/" in french
    assert "<title>Translated</title>" in english and "<title>Only in English</title>" in english
    assert "Traduit" not in english
    assert "<entry>" not in text_of(client.get("/de/blog/feed/atom/"))


def test_a_comment_is_one_discussion_on_every_language_version_of_the_page(client):
    post = make_post(title="Partnering days", title_fr="Journées de partenariat")
    make_comment(post, author_email="ada@example.org", body="Written on the English page.")
    french_page = address(post, "fr")
    assert "Written on the English page." in text_of(client.get(french_page))

    response = client.post(
        "/comments/post/",
        comment_form(post, body="Écrit sur la page française."),
        HTTP_REFERER=f"https://bioxclusters.test{french_page}",
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 302
    assert Comment.objects.get(body="Écrit sur la page française.").status == "approved"
    for url in (address(post), french_page):
        page = text_of(client.get(url))
        assert "Written on the English page." in page and "Écrit sur la page française." in page


def test_the_french_who_we_are_shows_the_french_introduction(client):
    load_seed_content()

    french = text_of(client.get("/fr/who-we-are/"))
    english = text_of(client.get("/who-we-are/"))

    assert "bioXclusters plus est le méta-cluster européen de premier plan" in french
    assert "translation-note" not in french.split('id="lyonbiopole"')[0]
    assert "C’est le cluster qui coordonne bioXclusters plus." in french
    # Biocat's profile is not translated: English, and said to be.
    biocat = french.split('id="biocat"')[1].split("</section>")[0]
    assert '<p class="lead" lang="en">Biocat coordinates and promotes' in biocat
    assert "méta-cluster" not in english
    home = text_of(client.get("/fr/"))
    assert "Le méta-cluster européen de premier plan en santé personnalisée" in home


def test_saving_in_another_language_writes_no_translation_by_itself():
    post = make_post(title="English title", body="<p>English body.</p>")

    with translation.override("de"):
        post = Post.objects.get(pk=post.pk)
        post.save()
        assert post.title == "English title"  # The English text, as a fallback…

    post.refresh_from_db()
    assert (post.title_de, post.body_de) in {(None, None), ("", ""), (None, ""), ("", None)}
