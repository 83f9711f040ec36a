"""Anonymous visitors get whole pages from the page cache, and never a stale or personal one."""

import gzip
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusters.models import KeyFigure, MetaCluster, Status
from comments.antispam import read_form_token
from comments.models import Comment, DiscussionSettings
from comments.selectors import PENDING_COOKIE
from comments.services import comment_edit, comment_set_status
from tests.comments.factories import make_comment
from tests.factories import make_category, make_cluster, make_page, make_post, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion(db):
    return DiscussionSettings.load()


def fetch(client, url, **headers):
    """Return the response to a GET of ``url`` and the number of database queries it made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


def html(client, url) -> str:
    response, _ = fetch(client, url)
    assert response.status_code == 200
    return response.content.decode()


def cached(client, url) -> str:
    """Return the page at ``url``, asserting that it came from the page cache."""
    response, queries = fetch(client, url)
    assert response.status_code == 200 and queries == 0
    return response.content.decode()


def warm(client, *urls):
    for url in urls:
        html(client, url)
        cached(client, url)


def form_fields(page: str) -> dict:
    """Return the comment form's fields as a browser would send them, from the page's HTML."""
    form = re.search(r'<form [^>]*id="commentform".*?</form>', page, re.S)[0]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    fields.update(
        body="Sent from a page the cache gave me.",
        author_name="Grace Hopper",
        author_email="grace@example.org",
        topic="",
    )
    return fields


# What a cached page is
# ------------------------------------------------------------------------------


def test_the_second_anonymous_view_comes_from_the_cache_with_validators_and_no_cookie(client):
    post = make_post(title="Precision oncology in Lyon")
    first, first_queries = fetch(client, post.get_absolute_url())
    second, queries = fetch(client, post.get_absolute_url())

    assert first_queries > 0 and queries == 0
    assert "Precision oncology in Lyon" in second.content.decode()
    assert second["ETag"].startswith('W/"') and second["ETag"] == first["ETag"]
    assert second["Last-Modified"] == first["Last-Modified"]
    assert second["Cache-Control"] == "no-cache"
    assert "Cookie" in second["Vary"]
    assert not first.cookies and not second.cookies
    assert "Set-Cookie" not in second.headers
    assert "csrfmiddlewaretoken" not in second.content.decode()


def test_a_conditional_request_for_an_unchanged_page_gets_304(client):
    post = make_post()
    first, _ = fetch(client, post.get_absolute_url())

    again, queries = fetch(client, post.get_absolute_url(), if_none_match=first["ETag"])
    since, _ = fetch(client, post.get_absolute_url(), if_modified_since=first["Last-Modified"])

    assert (again.status_code, since.status_code, queries) == (304, 304, 0)
    assert again.content == b"" and again["ETag"] == first["ETag"]


def test_a_conditional_request_after_a_change_gets_the_new_page(client):
    post = make_post(title="Before")
    first, _ = fetch(client, post.get_absolute_url())
    post.title = "After"
    post.save()

    again, _ = fetch(client, post.get_absolute_url(), if_none_match=first["ETag"])

    assert again.status_code == 200 and "After" in again.content.decode()


def test_head_is_answered_from_the_cache_too(client):
    warm(client, "/")
    with CaptureQueriesContext(connection) as queries:
        response = client.head("/")
    assert response.status_code == 200 and len(queries) == 0 and response["ETag"]


@pytest.mark.parametrize("from_cache", [False, True])
def test_a_client_that_accepts_gzip_gets_the_same_page_gzipped(client, from_cache):
    post = make_post(title="Precision oncology in Lyon")
    make_comment(post, body="A first thought on oncology.")
    url = post.get_absolute_url()
    with time_machine.travel(timezone.now(), tick=False):  # One second: the same form token.
        if from_cache:
            html(client, url)
        plain, _ = fetch(client, url)
        zipped, queries = fetch(client, url, accept_encoding="gzip, deflate, br")

    assert zipped.status_code == 200 and queries == 0
    assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gzip.decompress(zipped.content) == plain.content
    assert "A first thought on oncology." in plain.content.decode()
    assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content)
    for response in (plain, zipped):
        assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in response["Vary"].split(",")}
    assert zipped["ETag"] == plain["ETag"]


def test_a_conditional_request_with_gzip_gets_304_and_a_changed_page_gets_the_new_one(client):
    post = make_post(title="Before")
    first, _ = fetch(client, post.get_absolute_url(), accept_encoding="gzip")

    again, queries = fetch(
        client, post.get_absolute_url(), accept_encoding="gzip", if_none_match=first["ETag"]
    )
    assert (again.status_code, again.content, queries) == (304, b"", 0)

    post.title = "After"
    post.save()
    changed, _ = fetch(
        client, post.get_absolute_url(), accept_encoding="gzip", if_none_match=first["ETag"]
    )
    assert changed.status_code == 200 and "After" in gzip.decompress(changed.content).decode()


def test_the_form_token_of_a_cached_page_follows_the_clock_each_second(client):
    post = make_post()
    url = post.get_absolute_url()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        html(client, url)
        first = read_form_token(form_fields(cached(client, url))["target"])
        traveller.shift(timedelta(seconds=2))
        plain = read_form_token(form_fields(cached(client, url))["target"])
        response, _ = fetch(client, url, accept_encoding="gzip")
        zipped = read_form_token(form_fields(gzip.decompress(response.content).decode())["target"])

    assert plain.issued_at == zipped.issued_at == first.issued_at + 2


def test_the_comment_form_token_of_a_cached_page_is_the_moment_it_was_served(client, settings):
    post = make_post()
    with time_machine.travel(timezone.now() - timedelta(minutes=5), tick=False) as traveller:
        html(client, post.get_absolute_url())
        traveller.move_to(timezone.now() + timedelta(minutes=5))
        page = cached(client, post.get_absolute_url())
        token = read_form_token(form_fields(page)["target"])
        assert token.age() < settings.COMMENTS_FORM_MIN_SECONDS

        # Sent at once from the page: a robot's speed, refused as ever.
        too_fast = Client(enforce_csrf_checks=True).post(
            reverse("comments:post"), form_fields(page)
        )
        assert too_fast.status_code == 400
        assert "very quickly" in too_fast.content.decode()


def test_an_anonymous_visitor_posts_a_comment_from_a_cached_page():
    post = make_post()
    browser = Client(enforce_csrf_checks=True)  # As a browser: no CSRF token, no exemption.
    html(browser, post.get_absolute_url())
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        page = cached(browser, post.get_absolute_url())
        with time_machine.travel(timezone.now() + timedelta(seconds=30)):
            response = browser.post(reverse("comments:post"), form_fields(page))

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.author_name == "Grace Hopper" and comment.status == Comment.Status.PENDING
    assert "Sent from a page the cache gave me." in html(browser, post.get_absolute_url())


# Who never gets a cached page, and whose page is never kept
# ------------------------------------------------------------------------------


def test_a_signed_in_visitors_page_is_never_cached_nor_served_to_others(client):
    post = make_post()
    member = Client()
    member.force_login(make_user(first_name="Rosalind", last_name="Franklin"))
    warm(client, post.get_absolute_url())

    own, queries = fetch(member, post.get_absolute_url())
    assert queries > 0 and "Logged in as Rosalind Franklin" in own.content.decode()
    assert "Rosalind" not in cached(client, post.get_absolute_url())


def test_staff_previews_are_never_cached(client):
    draft = make_post(status=Status.DRAFT, title="Not yet public")
    editor = Client()
    editor.force_login(make_user(is_staff=True, groups=["Editors"]))

    preview, _ = fetch(editor, draft.get_absolute_url())
    again, queries = fetch(editor, draft.get_absolute_url())

    assert "Not yet public" in preview.content.decode() and queries > 0
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_pending_comment_is_seen_by_its_author_only_and_never_cached(client):
    post = make_post()
    warm(client, post.get_absolute_url())
    author = Client()
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        page = html(author, post.get_absolute_url())
        with time_machine.travel(timezone.now() + timedelta(seconds=30)):
            response = author.post(reverse("comments:post"), form_fields(page))
    assert response.cookies[PENDING_COOKIE].value

    for _ in range(2):
        mine, queries = fetch(author, post.get_absolute_url())
        assert queries > 0 and "Your comment is awaiting moderation." in mine.content.decode()
    assert "Sent from a page" not in html(client, post.get_absolute_url())
    assert "awaiting moderation" not in cached(client, post.get_absolute_url())


def test_a_post_is_never_answered_from_the_cache(client):
    post = make_post()
    warm(client, post.get_absolute_url())

    assert client.post(post.get_absolute_url()).status_code == 405


def test_pages_with_other_query_parameters_render_without_the_cache(client):
    post = make_post()
    comment = make_comment(post)
    url = f"{post.get_absolute_url()}?replyto={comment.pk}"

    for address in (url, url, "/?utm_source=mail", "/?utm_source=mail"):
        assert fetch(client, address)[1] > 0
    html(client, "/blog/?page=1")
    cached(client, "/blog/?page=1")


def test_when_the_cache_fails_pages_render_without_it(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        # Nothing listens there: every read and write fails, as when Redis is down.
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        },
    }
    settings.PAGE_CACHE_ALIAS = "pages"
    post = make_post(title="Still served")

    for _ in range(2):
        response, queries = fetch(client, post.get_absolute_url())
        assert response.status_code == 200 and queries > 0
        assert "Still served" in response.content.decode()
    post.title = "Still changed"
    post.save()  # Telling the cache fails too, without failing the save.
    assert "Still changed" in html(client, post.get_absolute_url())


# Every change a page shows is seen at once
# ------------------------------------------------------------------------------


def test_an_edited_post_shows_at_once_on_its_page_the_blog_and_home(client):
    post = make_post(title="First title")
    warm(client, post.get_absolute_url(), "/blog/", "/")

    post.title = "Second title"
    post.save()

    for url in (post.get_absolute_url(), "/blog/", "/"):
        assert "Second title" in html(client, url)


def test_a_post_published_from_the_admin_list_shows_at_once(client):
    draft = make_post(status=Status.DRAFT, title="Fresh news")
    warm(client, "/", "/blog/")
    editor = Client()
    editor.force_login(make_user(is_staff=True, is_superuser=True))

    editor.post(
        reverse("admin:clusters_post_changelist"),
        {"action": "publish_now", "_selected_action": [draft.pk]},
    )

    assert "Fresh news" in html(client, "/") and "Fresh news" in html(client, "/blog/")
    editor.post(
        reverse("admin:clusters_post_changelist"),
        {"action": "make_draft", "_selected_action": [draft.pk]},
    )
    assert "Fresh news" not in html(client, "/")


def test_a_scheduled_post_shows_the_moment_it_goes_live(client):
    goes_live = timezone.now() + timedelta(hours=2)
    make_post(status=Status.SCHEDULED, published_at=goes_live, title="Announced for later")

    with time_machine.travel(goes_live - timedelta(seconds=1)):
        warm(client, "/", "/blog/")
        assert "Announced for later" not in cached(client, "/")
    with time_machine.travel(goes_live + timedelta(seconds=1)):
        assert "Announced for later" in html(client, "/")
        assert "Announced for later" in html(client, "/blog/")


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_blog_sidebar_and_menu_change_by_the_clock_too(client, signed_in):
    """The sidebar and menus outlive comments' changes, not a post or page going live."""
    goes_live = timezone.now() + timedelta(hours=2)
    older = make_post(categories=[make_category(name="Oncology")])
    make_post(
        status=Status.SCHEDULED, published_at=goes_live, categories=[make_category(name="Rare")]
    )
    make_page(title="Opens later", menu_order=9, status=Status.SCHEDULED, published_at=goes_live)
    if signed_in:
        client.force_login(make_user())

    # Half a minute before: the first page (templates, menus) may take more than a second.
    with time_machine.travel(goes_live - timedelta(seconds=30)):
        before = html(client, older.get_absolute_url())
        make_comment(older, body="A comment re-renders the page, not its sidebar.")
        again = html(client, older.get_absolute_url())
    with time_machine.travel(goes_live + timedelta(seconds=1)):
        after = html(client, older.get_absolute_url())

    assert "Oncology</a> (1)" in before and "Rare</a>" not in before + again
    assert "Opens later" not in before + again
    assert "A comment re-renders the page" in again
    assert "Rare</a> (1)" in after and "Opens later" in after


def test_a_discussion_closing_with_age_shows_at_once(client, discussion):
    discussion.close_after_days = 14
    discussion.save()
    post = make_post(published_at=timezone.now() - timedelta(days=13))
    closes = post.published_at + timedelta(days=14)

    with time_machine.travel(closes - timedelta(minutes=1)):
        warm(client, post.get_absolute_url())
        assert 'id="commentform"' in cached(client, post.get_absolute_url())
    with time_machine.travel(closes + timedelta(seconds=1)):
        assert 'id="commentform"' not in html(client, post.get_absolute_url())


@pytest.mark.parametrize(
    ("start", "change", "shows"),
    [
        (Comment.Status.PENDING, Comment.Status.APPROVED, True),
        (Comment.Status.APPROVED, Comment.Status.PENDING, False),
        (Comment.Status.APPROVED, Comment.Status.SPAM, False),
        (Comment.Status.APPROVED, Comment.Status.TRASH, False),
        (Comment.Status.TRASH, Comment.Status.APPROVED, True),
    ],
)
def test_a_moderated_comment_shows_or_goes_at_once(client, start, change, shows):
    post = make_post()
    comment = make_comment(post, status=start, body="Under moderation")
    warm(client, post.get_absolute_url(), "/blog/")
    count_before = "1 comment" in html(client, "/blog/")

    comment_set_status(comment=comment, status=change, by=make_user())

    assert ("Under moderation" in html(client, post.get_absolute_url())) is shows
    assert ("1 comment" in html(client, "/blog/")) is shows is not count_before


def test_an_edited_comment_shows_at_once(client):
    post = make_post()
    comment = make_comment(post, body="Before the edit")
    warm(client, post.get_absolute_url())

    comment.body = "After the edit"
    comment_edit(comment=comment, by=make_user())  # As the admin's form saves it.

    assert "After the edit" in html(client, post.get_absolute_url())


def test_a_cluster_changed_in_the_admin_shows_at_once(client):
    cluster = make_cluster(name="Lyonbiopole")
    figure = KeyFigure.objects.create(cluster=cluster, label="SMEs", value="168")
    warm(client, "/", cluster.get_absolute_url())

    cluster.tagline = "A new tagline for the cluster."
    cluster.save()
    assert "A new tagline for the cluster." in html(client, "/")
    figure.value = "170"
    figure.save()
    assert ">170<" in html(client, cluster.get_absolute_url())
    figure.delete()
    assert ">170<" not in html(client, cluster.get_absolute_url())


def test_a_page_and_the_menu_change_at_once(client):
    page = make_page(title="Our programmes", body="<p>Old words.</p>")
    warm(client, page.get_absolute_url(), "/")

    page.body = "<p>New words.</p>"
    page.menu_order = 1
    page.save()

    assert "New words." in html(client, page.get_absolute_url())
    menu = html(client, "/").split("<main")[0]
    assert "Our programmes" in menu


def test_discussion_settings_change_every_page_at_once(client, discussion):
    post = make_post()
    warm(client, post.get_absolute_url())

    discussion.comments_open = False
    discussion.save()

    assert 'id="commentform"' not in html(client, post.get_absolute_url())
    assert DiscussionSettings.load().comments_open is False


def test_the_meta_clusters_introduction_changes_the_home_page_at_once(client):
    MetaCluster.objects.create(tagline="One", introduction="<p>First words.</p>", sme_count=3300)
    warm(client, "/")

    meta = MetaCluster.load()
    meta.introduction = "<p>Second words.</p>"
    meta.save()

    assert "Second words." in html(client, "/")


def test_a_new_tag_on_a_post_shows_at_once(client):
    from clusters.models import Tag

    post = make_post()
    warm(client, post.get_absolute_url())

    post.tags.add(Tag.objects.create(name="Genomics", slug="genomics"))

    assert "Genomics" in html(client, post.get_absolute_url())


def test_a_sign_in_provider_shows_at_once_and_its_pages_stay_in_the_cache(client):
    from allauth.socialaccount.models import SocialApp

    post = make_post()
    warm(client, post.get_absolute_url())

    SocialApp.objects.create(provider="google", name="Google", client_id="id", secret="secret")

    response, queries = fetch(client, post.get_absolute_url())
    assert 'data-provider="google"' in response.content.decode() and queries > 0
    # The buttons are links, with no CSRF token: the next visitor gets the page from the cache.
    response, queries = fetch(client, post.get_absolute_url())
    assert 'data-provider="google"' in response.content.decode()
    assert (queries, "ETag" in response.headers) == (0, True)
