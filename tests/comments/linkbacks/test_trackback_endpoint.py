"""The trackback endpoint: form posts to /trackback/<kind>/<pk>/, the spec's XML answers.

EXPECTATIONS.md section 3 (zinnia's trackback tests) and WordPress's wp-trackback.php limits.
Trackbacks carry no proof, so nothing is fetched and every one waits for a moderator.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from clusters.models import Status as PostStatus
from comments import services
from comments.models import Comment
from tests.factories import make_cluster, make_page, make_post, make_user

from .helpers import linkbacks_on

pytestmark = pytest.mark.django_db

PING = {
    "url": "https://blog.example/2024/05/biobanks/",
    "title": "Biobanks, seen from elsewhere",
    "excerpt": "A long look at what the clusters do with biobanks.",
    "blog_name": "Elsewhere blog",
}


@pytest.fixture
def post():
    return make_post(title="Biobanks in Europe", slug="biobanks")


def trackback_url(obj) -> str:
    return f"/trackback/{obj._meta.model_name}/{obj.pk}/"


def send(client, obj, **fields):
    return client.post(trackback_url(obj), {**PING, **fields})


def answer(response) -> tuple[str, str]:
    """Return (error, message) of a trackback answer, checking it is the spec's XML."""
    assert response["Content-Type"].startswith("text/xml")
    text = response.content.decode()
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<response>')
    error = re.search(r"<error>(\d)</error>", text).group(1)
    message = re.search(r"<message>(.*)</message>", text, re.DOTALL)
    return error, message.group(1) if message else ""


def test_a_trackback_is_accepted_and_waits_for_moderation(client, post):
    response = send(client, post)

    assert response.status_code == 200
    assert answer(response) == ("0", "")
    trackback = linkbacks_on(post).get()
    assert (trackback.kind, trackback.status) == (Comment.Kind.TRACKBACK, Comment.Status.PENDING)
    assert trackback.held_reasons == [{"code": "trackback", "host": "blog.example"}]
    assert trackback.source_url == PING["url"]
    assert trackback.author_name == PING["title"]
    assert trackback.body == PING["excerpt"]
    assert trackback.linkback_data == {"blog_name": "Elsewhere blog"}


def test_once_approved_it_shows_under_the_post(client, post):
    send(client, post)
    services.comment_set_status(comment=linkbacks_on(post).get(), status="approved", by=make_user())

    page = client.get(post.get_absolute_url()).content.decode()

    assert '<span class="ping-kind">Trackback:</span>' in page
    assert f'<a href="{PING["url"]}" rel="external nofollow ugc">{PING["title"]}</a>' in page


def test_a_trackback_is_never_verified_by_fetching_its_url(client, post, server):
    send(client, post, url=server.url("/their-post"))

    assert server.requests == []
    assert linkbacks_on(post).get().status == Comment.Status.PENDING


def test_the_same_trackback_twice_is_refused(client, post):
    send(client, post)

    assert answer(send(client, post)) == (
        "1",
        "We already have a ping from that URL for this item.",
    )
    assert linkbacks_on(post).count() == 1


def test_missing_fields_fall_back_to_the_url_and_the_title(client, post):
    response = client.post(trackback_url(post), {"url": PING["url"]})

    assert answer(response) == ("0", "")
    trackback = linkbacks_on(post).get()
    assert (trackback.author_name, trackback.body) == (PING["url"], PING["url"])
    assert trackback.linkback_data == {}


def test_long_fields_are_cut_as_wordpress_cuts_them(client, post):
    send(client, post, title="t" * 300, excerpt="e" * 300, blog_name="b" * 300)

    trackback = linkbacks_on(post).get()
    # The title is cut at 250 as WordPress does, then to the 245 characters a name may have.
    assert trackback.author_name == "t" * 244 + "…"
    assert trackback.body == "e" * 252 + "…"
    assert trackback.linkback_data["blog_name"] == "b" * 250 + "…"


def test_an_excerpt_of_255_characters_is_kept_whole(client, post):
    send(client, post, excerpt="e" * 255)
    assert linkbacks_on(post).get().body == "e" * 255


def test_markup_in_the_fields_is_kept_as_text_and_never_runs(client, post):
    send(
        client,
        post,
        title='<script>alert("t")</script>Hello <b>there</b>',
        excerpt='<img src=x onerror="alert(1)">An <a href="javascript:alert(2)">excerpt</a>',
        blog_name="<svg onload=alert(3)>",
    )
    trackback = linkbacks_on(post).get()
    assert trackback.author_name == "Hello there"
    assert trackback.body == "An excerpt"
    services.comment_set_status(comment=trackback, status="approved", by=make_user())

    page = client.get(post.get_absolute_url()).content.decode()
    assert "alert(" not in page
    assert "onerror" not in page


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "not a url", "ftp://blog.example/post", "https:///no-host", "x" * 10],
)
def test_a_trackback_without_a_web_address_is_refused(client, post, url):
    assert answer(send(client, post, url=url)) == ("1", "A valid URL was not provided.")
    assert not linkbacks_on(post).exists()


def test_a_trackback_from_the_post_itself_is_refused(client, post):
    from .helpers import url_of

    response = send(client, post, url=url_of(post))

    assert answer(response)[0] == "1"
    assert not linkbacks_on(post).exists()


def test_trackbacks_closed_on_the_post_are_refused_and_nothing_is_stored(client):
    closed = make_post(title="Closed", allow_pings=False)

    response = send(client, closed)

    assert response.status_code == 200
    assert answer(response) == ("1", "Sorry, trackbacks are closed for this item.")
    assert not linkbacks_on(closed).exists()


def test_the_site_wide_switch_closes_trackbacks(client, post, discussion):
    discussion.pings_open = False
    discussion.save()

    assert answer(send(client, post)) == ("1", "Sorry, trackbacks are closed for this item.")


@pytest.mark.parametrize(
    "state",
    [
        {"status": PostStatus.DRAFT},
        {"status": PostStatus.SCHEDULED, "published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "scheduled"],
)
def test_a_post_the_public_cannot_see_is_not_found(client, state):
    hidden = make_post(**state)

    response = send(client, hidden)

    assert response.status_code == 404
    assert answer(response) == ("1", "The target does not exist.")
    assert not linkbacks_on(hidden).exists()


@pytest.mark.parametrize("path", ["/trackback/post/999999/", "/trackback/user/1/"])
def test_an_unknown_target_is_not_found(client, path):
    response = client.post(path, PING)
    assert response.status_code == 404
    assert answer(response)[0] == "1"


def test_pages_and_cluster_profiles_take_trackbacks(client):
    for obj in (make_page(), make_cluster()):
        assert answer(send(client, obj)) == ("0", "")
        assert linkbacks_on(obj).count() == 1


def test_a_visitor_following_the_link_is_sent_to_the_post(client, post):
    assert client.get(trackback_url(post)).url == post.get_absolute_url()
    # A POST with none of the fields is not a ping either (WordPress and zinnia redirect too).
    assert client.post(trackback_url(post), {}).url == post.get_absolute_url()
    assert not linkbacks_on(post).exists()


def test_too_many_trackbacks_from_one_address_are_refused(client, post, settings):
    settings.LINKBACK_RATE_LIMIT = 2
    send(client, post, url="https://a.example/1")
    send(client, post, url="https://b.example/2")

    response = send(client, post, url="https://c.example/3")

    assert response.status_code == 429
    assert answer(response)[0] == "1"
    assert linkbacks_on(post).count() == 2


def test_too_many_trackbacks_from_one_site_are_refused(client, post, settings):
    settings.LINKBACK_SOURCE_RATE_LIMIT = 1
    send(client, post, url="https://a.example/1")

    response = send(client, post, url="https://a.example/2")

    assert response.status_code == 429
    assert linkbacks_on(post).count() == 1


def test_the_moderators_see_the_trackback_with_its_reason(client, post):
    send(client, post)
    client.force_login(make_user(is_staff=True, groups=["Moderators"]))

    queue = client.get("/admin/comments/comment/").content.decode()

    assert "trackback from blog.example awaits moderation" in queue
