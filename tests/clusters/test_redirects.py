"""Every old address answers: a 301 to where the content is now, or the usual 404."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from clusters.models import Category, Redirect, Status, Tag
from clusters.redirects import normalise_old_path, redirect_add, redirect_for
from tests.factories import make_cluster, make_page, make_post, make_user

PARIS = ZoneInfo("Europe/Paris")


def rows() -> dict[str, str]:
    return dict(Redirect.objects.values_list("old_path", "new_path"))


def assert_moved(response, location):
    assert response.status_code == 301
    assert response["Location"] == location


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    return client


@pytest.fixture
def japan(db):
    author = make_user(username="emilie")
    return make_post(
        title="Japan Mission Report",
        slug="japan-mission-report",
        author=author,
        categories=[Category.objects.create(name="News", slug="news")],
        tags=[Tag.objects.create(name="Japan", slug="japan")],
        published_at=datetime(2016, 11, 15, 10, tzinfo=PARIS),
    )


# One normal form for old addresses
# ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address, kept",
    [
        ("/2016/11/15/japan-mission-report/", "/2016/11/15/japan-mission-report/"),
        ("/2016/11/15/japan-mission-report", "/2016/11/15/japan-mission-report/"),
        ("https://bioxclusters.wordpress.com/who-we-are/", "/who-we-are/"),
        ("/2016//11", "/2016/11/"),
        ("/?p=123", "/?p=123"),
        ("?page_id=45", "/?page_id=45"),
        ("/?p=123&utm_source=newsletter&utm_medium=email", "/?p=123"),
        ("/?b=2&a=1", "/?a=1&b=2"),
        ("/wp-content/uploads/2016/11/photo.jpg", "/wp-content/uploads/2016/11/photo.jpg"),
        ("/caf%C3%A9/", "/café/"),
        ("/", "/"),
    ],
)
def test_an_old_address_is_kept_in_one_normal_form(address, kept):
    assert normalise_old_path(address) == kept


@pytest.mark.parametrize(
    "address",
    ["", "   ", "ftp://example.org/file/", "javascript:alert(1)", "/etc/passwd%00/", "/?p=1%00"],
)
def test_what_is_not_an_address_is_refused(address):
    with pytest.raises(ValueError):
        normalise_old_path(address)


@pytest.mark.django_db
def test_a_path_that_decodes_to_a_nul_is_a_plain_404(client):
    # "%2500" reaches the site as the text "%00", which the table's normal form would decode.
    response = client.get("/discussion/your-data/..%2F..%2Fetc%2Fpasswd%2500/")

    assert response.status_code == 404


# redirect_add: what the importer calls
# ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_adding_a_redirect_twice_keeps_one_row():
    redirect_add("/2016/11/15/japan/", "/blog/2016/11/japan/")
    redirect_add("https://old.example/2016/11/15/japan", "/blog/2016/11/japan/")

    assert rows() == {"/2016/11/15/japan/": "/blog/2016/11/japan/"}


@pytest.mark.django_db
def test_an_address_that_did_not_move_gets_no_row():
    redirect_add("https://bioxclusters.wordpress.com/who-we-are/", "/who-we-are/")

    assert rows() == {}


@pytest.mark.django_db
def test_a_redirect_to_an_address_that_moved_on_goes_straight_to_the_end():
    redirect_add("/b/", "/c/")
    redirect_add("/a/", "/b/")

    assert rows() == {"/a/": "/c/", "/b/": "/c/"}


@pytest.mark.django_db
def test_moving_a_target_on_updates_the_redirects_to_it():
    redirect_add("/a/", "/b/")
    redirect_add("/b/", "/c/")

    assert rows() == {"/a/": "/c/", "/b/": "/c/"}


@pytest.mark.django_db
def test_moving_back_undoes_the_move_instead_of_making_a_loop():
    redirect_add("/a/", "/b/")
    redirect_add("/b/", "/a/")

    assert rows() == {"/b/": "/a/"}


@pytest.mark.django_db
def test_a_redirect_may_lead_to_another_site():
    redirect_add("/?attachment_id=67", "https://old.example/wp-content/uploads/photo.jpg")

    assert redirect_for("/?attachment_id=67") == "https://old.example/wp-content/uploads/photo.jpg"


# Old addresses of imported content (rows of the table)
# ------------------------------------------------------------------------------


def test_an_old_post_id_on_the_home_page_leads_to_the_post(client, japan):
    redirect_add("/?p=123", japan.get_absolute_url())

    assert_moved(client.get("/?p=123"), "/blog/2016/11/japan-mission-report/")
    assert_moved(
        client.get("/", {"p": "123", "utm_source": "newsletter"}), japan.get_absolute_url()
    )
    assert client.get("/?p=123", follow=True).status_code == 200


def test_an_old_page_id_leads_to_the_page(client, db):
    page = make_page(title="Who we are", slug="who-we-are")
    redirect_add("/?page_id=45", page.get_absolute_url())

    assert_moved(client.get("/?page_id=45"), "/who-we-are/")


def test_an_old_permalink_with_another_slug_leads_to_the_post(client, japan):
    redirect_add("/2016/11/15/japan-mission-60-smes/", japan.get_absolute_url())

    assert_moved(client.get("/2016/11/15/japan-mission-60-smes/"), japan.get_absolute_url())
    assert_moved(client.get("/2016/11/15/japan-mission-60-smes"), japan.get_absolute_url())


def test_attachment_pages_lead_to_the_file(client, db):
    redirect_add("/2016/11/15/japan-mission-report/delegation/", "/media/2016/11/delegation.jpg")
    redirect_add("/?attachment_id=67", "/media/2016/11/delegation.jpg")

    assert_moved(
        client.get("/2016/11/15/japan-mission-report/delegation/"), "/media/2016/11/delegation.jpg"
    )
    assert_moved(client.get("/?attachment_id=67"), "/media/2016/11/delegation.jpg")


def test_a_query_the_table_does_not_know_leaves_the_page_alone(client, db):
    redirect_add("/?p=123", "/blog/")

    assert client.get("/?p=999").status_code == 200
    assert client.get("/?utm_source=newsletter").status_code == 200


def test_a_form_sent_to_an_old_address_is_not_redirected(client, db):
    redirect_add("/old/form/", "/blog/")

    assert client.post("/old/form/").status_code == 404


def test_a_live_page_wins_over_a_row_for_its_address(client, db):
    make_page(slug="about")
    Redirect.objects.create(old_path="/about/", new_path="/blog/")

    assert client.get("/about/").status_code == 200


def test_unknown_old_addresses_get_the_normal_not_found_page(client, db):
    redirect_add("/?p=123", "/blog/")

    for address in ["/no-such-page/", "/2016/11/15/no-such-post/", "/wp-admin/x.php", "/a/b/c/"]:
        response = client.get(address)
        assert response.status_code == 404, address
        assert "Page not found" in response.content.decode(), address


# WordPress's standard addresses (URL patterns)
# ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new",
    [
        ("/feed/", "/blog/feed/"),
        ("/feed/rss2/", "/blog/feed/"),
        ("/feed/atom/", "/blog/feed/atom/"),
        ("/category/news/", "/blog/category/news/"),
        ("/category/events/news/", "/blog/category/news/"),
        ("/tag/japan/", "/blog/tag/japan/"),
        ("/author/emilie/", "/blog/author/emilie/"),
        ("/2016/", "/blog/2016/"),
        ("/2016/11/", "/blog/2016/11/"),
        ("/2016/11/15/", "/blog/2016/11/"),
        ("/2016/11/15/japan-mission-report/", "/blog/2016/11/japan-mission-report/"),
        # WordPress's date, ours: the slug is what finds the post.
        ("/2016/11/14/japan-mission-report/", "/blog/2016/11/japan-mission-report/"),
    ],
)
def test_wordpress_addresses_lead_to_ours(client, japan, old, new):
    assert_moved(client.get(old), new)
    assert client.get(old, follow=True).status_code == 200


def test_the_comments_feed_keeps_its_wordpress_address(client, japan):
    response = client.get("/comments/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")


@pytest.mark.parametrize(
    "address",
    ["/category/no-such/", "/tag/no-such/", "/author/nobody/", "/2016/13/", "/2016/11/15/nothing/"],
)
def test_wordpress_addresses_of_nothing_are_not_found(client, japan, address):
    assert client.get(address).status_code == 404


def test_a_draft_is_not_found_by_its_wordpress_address(client, japan):
    japan.status = Status.DRAFT
    japan.save()

    assert client.get("/2016/11/15/japan-mission-report/").status_code == 404


# An editor's slug change leaves a redirect behind
# ------------------------------------------------------------------------------


def post_form(post, **changes):
    local = timezone.localtime(post.published_at)
    data = {
        "title_en_gb": post.title, "slug": post.slug, "author": post.author_id,
        "body_en_gb": post.body, "excerpt_en_gb": post.excerpt, "status": post.status,
        "published_at_0": f"{local:%Y-%m-%d}",
        "published_at_1": f"{local:%H:%M:%S}", "allow_comments": "on", "allow_pings": "on",
    }  # fmt: skip
    return {**data, **changes}


def test_changing_a_published_posts_slug_in_the_admin_keeps_the_old_address(editor_client, japan):
    old = japan.get_absolute_url()

    response = editor_client.post(
        f"/admin/clusters/post/{japan.pk}/change/", post_form(japan, slug="japan-2016")
    )

    assert response.status_code == 302
    editor_client.logout()
    assert_moved(editor_client.get(old), "/blog/2016/11/japan-2016/")
    assert editor_client.get("/blog/2016/11/japan-2016/").status_code == 200


def test_renaming_twice_redirects_the_first_address_straight_to_the_last(client, db):
    page = make_page(slug="partners")
    for slug in ("our-partners", "the-clusters"):
        page.slug = slug
        page.save()

    assert rows() == {"/partners/": "/the-clusters/", "/our-partners/": "/the-clusters/"}
    assert_moved(client.get("/partners/"), "/the-clusters/")


def test_renaming_back_leaves_no_loop(client, db):
    page = make_page(slug="partners")
    for slug in ("our-partners", "partners"):
        page.slug = slug
        page.save()

    assert rows() == {"/our-partners/": "/partners/"}
    assert client.get("/partners/").status_code == 200


def test_a_page_taking_a_moved_address_is_found_there(client, db):
    first = make_page(slug="team")
    first.slug = "people"
    first.save()
    second = make_page(slug="board")
    second.slug = "team"
    second.save()

    assert rows() == {"/board/": "/team/"}
    assert client.get("/team/").status_code == 200


def test_a_drafts_slug_changes_without_a_redirect(db):
    post = make_post(slug="draft-one", status=Status.DRAFT)
    post.slug = "draft-two"
    post.save()
    scheduled = make_post(slug="soon", published_at=timezone.now() + timedelta(days=1))
    scheduled.slug = "later"
    scheduled.save()

    assert rows() == {}


def test_a_cluster_profile_keeps_its_old_address(client, db):
    cluster = make_cluster(slug="lyon-biopole")
    cluster.slug = "lyonbiopole"
    cluster.save()

    assert_moved(client.get("/clusters/lyon-biopole/"), "/clusters/lyonbiopole/")


# Staff edit the table in the admin
# ------------------------------------------------------------------------------


def test_an_editor_adds_a_redirect_in_normal_form(editor_client):
    response = editor_client.post(
        "/admin/clusters/redirect/add/",
        {
            "old_path": "https://bioxclusters.wordpress.com/events?utm_source=x",
            "new_path": "/blog/",
        },
    )

    assert response.status_code == 302
    assert rows() == {"/events/": "/blog/"}
    assert "/events/" in editor_client.get("/admin/clusters/redirect/").content.decode()
    editor_client.logout()
    assert_moved(editor_client.get("/events/"), "/blog/")


def test_the_admin_keeps_the_tables_rules(editor_client):
    redirect_add("/b/", "/c/")

    editor_client.post("/admin/clusters/redirect/add/", {"old_path": "/a/", "new_path": "/b/"})

    assert rows() == {"/a/": "/c/", "/b/": "/c/"}


def test_an_editor_changes_a_redirects_old_address(editor_client):
    redirect_add("/a/", "/c/")
    row = Redirect.objects.get()

    response = editor_client.post(
        f"/admin/clusters/redirect/{row.pk}/change/", {"old_path": "/b/", "new_path": "/c/"}
    )

    assert response.status_code == 302
    assert rows() == {"/b/": "/c/"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"old_path": "/a/", "new_path": "a"}, "Enter a path on this site"),
        ({"old_path": "/a/", "new_path": "ftp://x.example/"}, "Enter a path on this site"),
        ({"old_path": "/a", "new_path": "/a/"}, "An address cannot redirect to itself."),
        ({"old_path": "mailto:x@example.org", "new_path": "/a/"}, "Enter a path such as"),
    ],
)
def test_the_admin_refuses_what_is_not_a_redirect(editor_client, data, message):
    response = editor_client.post("/admin/clusters/redirect/add/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert rows() == {}


def test_an_existing_old_address_is_refused_twice(editor_client):
    redirect_add("/a/", "/b/")

    response = editor_client.post(
        "/admin/clusters/redirect/add/", {"old_path": "/a", "new_path": "/c/"}
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert rows() == {"/a/": "/b/"}
