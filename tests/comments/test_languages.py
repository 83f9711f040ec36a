"""One discussion per object, in every language: each visitor reads the words of their page.

English pages are unprefixed, French ones under /fr/ (bioxclusters/urls.py). What the tests
compare is what Django's own catalogues translate (month names), so they need no catalogue of ours.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from comments.services import comment_edit, comment_set_status
from tests.comments.conftest import comment_form
from tests.comments.factories import make_comment
from tests.factories import make_post

pytestmark = pytest.mark.django_db

FRENCH_MONTHS = ["", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre"]  # fmt: skip


def english_date(comment) -> str:
    return f"{timezone.localtime(comment.created_at):%-d %B %Y at %H:%M}"


def french_date(comment) -> str:
    moment = timezone.localtime(comment.created_at)
    return f"{moment.day} {FRENCH_MONTHS[moment.month]} {moment.year} {moment:%H:%M}"


def page(client, path) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def discussion(html: str) -> str:
    return html.split('<section id="comments"')[1].split("</section>")[0]


def comments(html: str) -> str:
    """Return the list of comments of a page (without the form)."""
    return html.split('<ol class="comment-list')[1].split("</ol>")[0]


def test_a_comment_posted_from_the_french_page_is_in_the_one_discussion_of_every_language(client):
    post = make_post()
    path = post.get_absolute_url()

    response = client.post("/comments/post/", comment_form(post, language="fr"))

    assert response.status_code == 302
    assert response.url.startswith(f"/fr{path}")  # Back to the page it was written on.
    comment = Comment.objects.get()
    assert comment.language == "fr"
    comment_set_status(comment=comment, status=Comment.Status.APPROVED, by=None)
    english, french = discussion(page(client, path)[0]), discussion(page(client, f"/fr{path}")[0])
    assert comment.body in english and comment.body in french
    assert english_date(comment) in english and french_date(comment) not in english
    assert french_date(comment) in french and english_date(comment) not in french
    comment.refresh_from_db()
    assert english_date(comment) in comment.card_html  # The stored card is the site's language.


def test_the_page_cache_and_the_listing_cache_never_give_one_language_the_others_words(client):
    post = make_post()
    comment = make_comment(post)
    path = post.get_absolute_url()

    english, _ = page(client, path)
    assert page(client, path)[1] == 0  # From the page cache now.
    french, queries = page(client, f"/fr{path}")

    assert queries > 0  # Not the English page's entry.
    assert '<html lang="fr">' in french and french_date(comment) in discussion(french)
    # (The pages differ only by the comment form's token, issued afresh for each visitor.)
    again, queries = page(client, f"/fr{path}")
    assert queries == 0 and comments(again) == comments(french)
    again, queries = page(client, path)
    assert queries == 0 and comments(again) == comments(english)
    assert english_date(comment) in discussion(english)
    german, _ = page(client, f"/de{path}")  # A third language: its own listing too.
    assert english_date(comment) not in german and '<html lang="de">' in german


def test_a_translated_card_is_kept_and_rendered_again_once_its_comment_changes(client):
    post = make_post()
    comment = make_comment(post, body="Before the edit.")
    path = f"/fr{post.get_absolute_url()}"
    page(client, path)
    comment.refresh_from_db()
    assert "Before the edit." in comment.card_translations["fr"]

    comment.body = "After the edit."
    comment_edit(comment=comment, by=None)

    french = discussion(page(client, path)[0])
    assert "After the edit." in french and "Before the edit." not in french
    comment.refresh_from_db()
    assert "After the edit." in comment.card_translations["fr"]


def test_a_french_discussion_lists_from_stored_cards_in_a_fixed_number_of_queries(client):
    post = make_post()
    path = f"/fr{post.get_absolute_url()}"
    for _ in range(3):
        make_comment(post)
    page(client, path)  # Renders the three French cards, once.
    make_comment(post)  # Drops the cached listing and page: the next view lists again.
    _, four = page(client, path)  # Renders only the new comment's card.
    for _ in range(6):
        make_comment(post)
    page(client, path)
    make_comment(post)
    _, eleven = page(client, path)

    assert eleven == four
