"""A comment's prepared markup follows comments/comment.html, and its listing follows the card."""

import copy

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.cards import listing_version_key
from comments.models import Comment
from tests.comments.conftest import comment_form
from tests.comments.factories import make_comment
from tests.factories import make_post

pytestmark = pytest.mark.django_db

CARD = django_settings.BASE_DIR / "templates" / "comments" / "comment.html"
MARK = '<span class="edited-card">edited template</span>'


@pytest.fixture
def edit_card_template(settings, tmp_path):
    """Return a function that puts an edited comments/comment.html before the project's own."""

    def edit():
        folder = tmp_path / "edited" / "comments"
        folder.mkdir(parents=True)
        (folder / "comment.html").write_text(MARK + CARD.read_text())
        templates = copy.deepcopy(settings.TEMPLATES)
        templates[0]["DIRS"] = [tmp_path / "edited", *templates[0]["DIRS"]]
        settings.TEMPLATES = templates

    return edit


def test_editing_the_comment_template_changes_the_next_page_view(client, edit_card_template):
    post = make_post()
    comment = make_comment(post, body="Seen before and after.")
    assert MARK not in client.get(post.get_absolute_url()).content.decode()

    edit_card_template()
    page = client.get(post.get_absolute_url()).content.decode()

    assert MARK in page and "Seen before and after." in page
    comment.refresh_from_db()
    assert comment.card_html.startswith(MARK)  # Stored: the next view renders nothing again.


def test_rerender_comments_renders_outdated_cards_and_drops_the_cached_listing(
    client, edit_card_template, capsys
):
    post = make_post()
    make_comment(post)
    make_comment(make_post())
    client.get(post.get_absolute_url())  # Cached now.
    key = listing_version_key(ContentType.objects.get_for_model(post).pk, post.pk)
    version = cache.get(key)

    edit_card_template()
    call_command("rerender_comments")

    assert "2 comments rendered again." in capsys.readouterr().out
    cards = Comment.objects.values_list("card_html", flat=True)
    assert all(card.startswith(MARK) for card in cards)
    assert cache.get(key) != version
    assert MARK in client.get(post.get_absolute_url()).content.decode()
    call_command("rerender_comments")
    assert "0 comments rendered again." in capsys.readouterr().out


def test_a_submitted_comment_is_written_with_one_insert_and_one_update(client):
    post = make_post()

    with CaptureQueriesContext(connection) as captured:
        response = client.post("/comments/post/", comment_form(post))

    assert response.status_code == 302
    table = Comment._meta.db_table
    writes = [
        query["sql"].split()[0]
        for query in captured
        if query["sql"].startswith(("INSERT", "UPDATE", "DELETE")) and f'"{table}"' in query["sql"]
    ]
    assert writes == ["INSERT", "UPDATE"]
    comment = Comment.objects.get()
    assert comment.path and comment.thread == comment.pk and comment.card_html
