"""Self-pings: our posts linking to our own pages leave an approved pingback there, without HTTP.

This is how the old "Who we are" page got its two pingbacks; the seed makes them the same way.
No test here starts a server: any connection would fail the network guard of conftest.py.
"""

import pytest
from django.core.management import call_command

from clusters.seed import load_seed_content
from comments import services
from comments.linkbacks import tasks
from comments.linkbacks.models import OutgoingLinkback
from comments.models import Comment
from tests.factories import make_page, make_post, make_user

from .helpers import linkbacks_on, url_of

pytestmark = pytest.mark.django_db

Status = OutgoingLinkback.Status


@pytest.fixture
def about():
    return make_page(title="About the clusters", slug="about")


def linking(*hrefs, **kwargs):
    body = "".join(f'<p>Read <a href="{href}">this page</a> first.</p>' for href in hrefs)
    return make_post(body=body, **kwargs)


def test_the_seed_gives_who_we_are_its_two_pingbacks(client):
    load_seed_content()

    page = client.get("/who-we-are/").content.decode()

    assert "2 thoughts on “Who we are”" in page
    assert page.count('<span class="ping-kind">Pingback:</span>') == 2
    assert (
        ">Japan Mission Report: 60 European healthcare SMEs have participated in a very "
        "successful mission</a>"
    ) in page
    assert ">International expansion to Canada and America in healthcare" in page
    pingbacks = Comment.objects.filter(kind=Comment.Kind.PINGBACK)
    assert {c.status for c in pingbacks} == {Comment.Status.APPROVED}
    assert {c.body for c in pingbacks} == {
        "[…] Meet the meta-cluster’s partners on the Who we are page. […]",
        "[…] Find out more about each of the meta-cluster’s innovative partners on the Who we are "
        "page. […]",
    }


def test_loading_the_seed_again_adds_no_pingback():
    load_seed_content()
    load_seed_content()
    call_command("send_linkbacks")

    assert Comment.objects.filter(kind=Comment.Kind.PINGBACK).count() == 2


def test_a_post_linking_to_our_page_leaves_an_approved_pingback(about):
    post = linking("/about/", title="Our news")

    tasks.notify_linked_sites(post)

    pingback = linkbacks_on(about).get()
    assert (pingback.kind, pingback.status) == (Comment.Kind.PINGBACK, Comment.Status.APPROVED)
    assert (pingback.author_name, pingback.source_url) == ("Our news", url_of(post))
    assert pingback.body == "[…] Read this page first. […]"
    change = pingback.status_changes.get()
    assert change.reasons == [{"code": "self_ping", "url": url_of(post)}]
    assert change.note_text() == f"self-ping from {url_of(post)}"
    row = OutgoingLinkback.objects.for_object(post).get()
    assert (row.protocol, row.status, row.target_url) == ("self", Status.SENT, url_of(about))


def test_absolute_links_to_our_site_are_self_pings_too(about):
    post = linking("https://www.bioxclusters.test/about/#team")

    tasks.notify_linked_sites(post)

    assert linkbacks_on(about).count() == 1


def test_self_pings_are_made_once(about):
    post = linking("/about/")
    tasks.notify_linked_sites(post)
    tasks.notify_linked_sites(post)

    assert linkbacks_on(about).count() == 1


def test_a_self_ping_a_moderator_trashed_is_not_made_again(about):
    post = linking("/about/")
    tasks.notify_linked_sites(post)
    services.comment_set_status(comment=linkbacks_on(about).get(), status="trash", by=make_user())

    post.body += "<p>An update.</p>"
    tasks.notify_linked_sites(post)

    assert linkbacks_on(about).get().status == Comment.Status.TRASH


def test_self_pings_need_no_sending_setting(about, settings):
    settings.LINKBACK_SEND = False
    tasks.notify_linked_sites(linking("/about/"))

    assert linkbacks_on(about).count() == 1


@pytest.mark.parametrize("switch", ["post", "site"])
def test_the_pings_switches_stop_self_pings(about, discussion, switch):
    if switch == "site":
        discussion.send_pings = False
        discussion.save()
    post = linking("/about/", allow_pings=switch != "post")

    tasks.notify_linked_sites(post)

    assert not linkbacks_on(about).exists()


def test_a_page_with_pings_closed_gets_none_and_the_outcome_says_so(about):
    about.allow_pings = False
    about.save()
    post = linking("/about/")

    tasks.notify_linked_sites(post)

    assert not linkbacks_on(about).exists()
    row = OutgoingLinkback.objects.for_object(post).get()
    assert (row.status, row.error) == (Status.SKIPPED, "This page does not accept linkbacks.")


def test_links_to_our_pages_that_take_no_pings_are_skipped():
    post = linking("/blog/", "/clusters/", "/no-such-page/")

    tasks.notify_linked_sites(post)

    assert not Comment.objects.exists()
    assert set(OutgoingLinkback.objects.values_list("status", flat=True)) == {Status.SKIPPED}


def test_a_post_linking_to_itself_pings_nothing():
    post = make_post(slug="self-aware")
    post.body = f'<p><a href="{post.get_absolute_url()}">Permalink</a></p>'
    post.save()

    tasks.notify_linked_sites(post)

    assert not Comment.objects.exists()


def test_a_draft_makes_no_self_ping_until_it_is_published(about):
    post = linking("/about/", status="draft")
    tasks.notify_linked_sites(post)
    assert not linkbacks_on(about).exists()

    post.status = "published"
    post.save()
    tasks.notify_linked_sites(post)

    assert linkbacks_on(about).count() == 1


def test_a_post_published_outside_the_admin_is_self_pinged_by_the_sweep(about):
    post = linking("/about/")
    # Published without the admin (a shell, an import): the sweep catches up.
    call_command("send_linkbacks")

    assert linkbacks_on(about).get().source_url == url_of(post)
