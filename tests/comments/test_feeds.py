"""RSS and Atom feeds of approved comments, site-wide and per post, linked from SITE_URL."""

import xml.etree.ElementTree as ET

import pytest

from clusters.models import Status as PublishStatus
from comments.models import Comment
from tests.comments.factories import make_comment
from tests.factories import make_cluster, make_page, make_post

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(response):
    assert response.status_code == 200
    return ET.fromstring(response.content).findall("channel/item")


def test_the_site_feed_lists_the_latest_approved_comments_everywhere(client):
    post, page, cluster = make_post(title="Genomics"), make_page(), make_cluster(name="BioM")
    make_comment(post, author_name="Ada", body="On the post <b>bold</b>")
    make_comment(page, body="On the page")
    on_cluster = make_comment(cluster, body="On the cluster")
    make_comment(post, status=Comment.Status.PENDING, body="Not yet")
    make_comment(post, status=Comment.Status.SPAM, body="Never")

    items = rss_items(client.get("/comments/feed/"))

    assert "Comment on Genomics by Ada" in [item.findtext("title") for item in items]
    descriptions = " ".join(item.findtext("description") for item in items)
    assert "On the post &lt;b&gt;bold&lt;/b&gt;" in descriptions
    assert "On the page" in descriptions and "On the cluster" in descriptions
    assert "Not yet" not in descriptions and "Never" not in descriptions
    links = [item.findtext("link") for item in items]
    assert f"https://bioxclusters.test/comments/{on_cluster.pk}/" in links
    assert all(link.startswith("https://bioxclusters.test/") for link in links)


def test_comments_on_unpublished_posts_stay_out_of_the_feed(client):
    draft = make_post(status=PublishStatus.DRAFT)
    make_comment(draft, body="Written before unpublishing")

    assert rss_items(client.get("/comments/feed/")) == []


def test_the_atom_feed_lists_the_same_comments(client):
    make_comment(make_post(), body="In Atom too")

    response = client.get("/comments/feed/atom/")

    root = ET.fromstring(response.content)
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "In Atom too" in root.find(f"{ATOM}entry/{ATOM}summary").text
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == (
        "https://bioxclusters.test/comments/feed/atom/"
    )


def test_a_post_has_its_own_comment_feed(client):
    post, other = make_post(title="Biobanks"), make_post()
    make_comment(post, author_name="Ada", body="About biobanks")
    make_comment(other, body="About something else")
    make_comment(post, kind=Comment.Kind.PINGBACK, author_name="Their post", body="excerpt")

    rss = client.get(f"/comments/feed/post/{post.pk}/")
    atom = client.get(f"/comments/feed/post/{post.pk}/atom/")

    titles = [item.findtext("title") for item in rss_items(rss)]
    assert sorted(titles) == ["Comment on Biobanks by Ada", "Pingback on Biobanks: Their post"]
    assert ET.fromstring(rss.content).findtext("channel/title") == "Comments on “Biobanks”"
    assert atom.status_code == 200 and b"About biobanks" in atom.content
    assert b"About something else" not in rss.content


def test_the_feed_of_an_unpublished_or_unknown_post_is_not_found(client):
    draft = make_post(status=PublishStatus.DRAFT)

    assert client.get(f"/comments/feed/post/{draft.pk}/").status_code == 404
    assert client.get("/comments/feed/post/999999/").status_code == 404
