"""Sending: publishing a post tells the blogs it links to, once, and records what they said.

The linked blogs are real servers on 127.0.0.1 that advertise a webmention endpoint or a
pingback server and record every request. EXPECTATIONS.md sections 2c (webmention.rocks update
tests), 6 (wordpress-webmention's sender tests) and 7 (mention-client-php).
"""

import re
from datetime import timedelta
from urllib.parse import parse_qs
from xmlrpc import client as stdlib

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from clusters.models import Post
from clusters.services import entry_save
from comments.linkbacks import tasks
from comments.linkbacks.models import OutgoingLinkback
from comments.linkbacks.xmlrpc import render_fault, render_response
from tests.factories import make_post, make_user

from .helpers import url_of
from .http_server import HTML, Reply

pytestmark = pytest.mark.django_db

Status = OutgoingLinkback.Status


@pytest.fixture(autouse=True)
def _sending_on(settings):
    settings.LINKBACK_SEND = True


@pytest.fixture
def blog(server):
    """Return a blog on 127.0.0.1: /article takes webmentions, /old-article pingbacks."""
    server.routes["/article"] = Reply(
        200, [*HTML, ("Link", '</webmention?key=1>; rel="webmention"')], b"<p>An article</p>"
    )
    server.routes["/webmention"] = Reply(202, [("Content-Type", "text/plain")], b"queued")
    server.routes["/old-article"] = Reply(
        200, [*HTML, ("X-Pingback", server.url("/xmlrpc.php"))], b"<p>An old article</p>"
    )
    server.routes["/xmlrpc.php"] = Reply(
        200, [("Content-Type", "text/xml")], render_response("Pingback registered.")
    )
    server.routes["/plain"] = Reply(200, list(HTML), b"<p>No endpoint here</p>")
    return server


def links(*urls) -> str:
    return "".join(f'<p>See <a href="{url}">this</a>.</p>' for url in urls)


def posts_to(server, path):
    return [r for r in server.requests if r.method == "POST" and r.path.startswith(path)]


def form(request) -> dict:
    return {key: values[0] for key, values in parse_qs(request.body.decode()).items()}


@pytest.fixture
def editor_client(client):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    return client


@pytest.fixture
def publish(editor_client, django_capture_on_commit_callbacks):
    """Return a function that publishes drafts with the admin's "Publish now" action."""

    def publish(*posts):
        with django_capture_on_commit_callbacks(execute=True):
            editor_client.post(
                "/admin/clusters/post/",
                {"action": "publish_now", "_selected_action": [post.pk for post in posts]},
            )
        for post in posts:
            post.refresh_from_db()

    return publish


@pytest.fixture
def notify(django_capture_on_commit_callbacks):
    """Return a function that saves a post and notifies, as the admin does after a save."""

    def notify(post):
        with django_capture_on_commit_callbacks(execute=True):
            post.save()
            tasks.notify_linked_sites(post)

    return notify


# Publishing delivers exactly one linkback per link


def test_publishing_a_post_sends_the_linked_blog_one_webmention(blog, publish):
    post = make_post(status="draft", body=links(blog.url("/article")))

    publish(post)

    (sent,) = posts_to(blog, "/webmention")
    assert sent.path == "/webmention?key=1"  # the endpoint's query string is kept
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form(sent) == {"source": url_of(post), "target": blog.url("/article")}
    row = OutgoingLinkback.objects.for_object(post).get()
    assert (row.protocol, row.status, row.attempts) == ("webmention", Status.SENT, 1)
    assert row.endpoint == blog.url("/webmention?key=1")
    assert row.answer == "202 Accepted"
    assert row.sent_at is not None


def test_a_blog_that_takes_pingbacks_gets_one_pingback(blog, publish):
    post = make_post(status="draft", body=links(blog.url("/old-article")))

    publish(post)

    (sent,) = posts_to(blog, "/xmlrpc.php")
    params, method = stdlib.loads(sent.body)
    assert (method, params) == ("pingback.ping", (url_of(post), blog.url("/old-article")))
    assert sent.headers["Content-Type"] == "text/xml"
    row = OutgoingLinkback.objects.for_object(post).get()
    assert (row.protocol, row.status, row.answer) == (
        "pingback",
        Status.SENT,
        "Pingback registered.",
    )


def test_already_registered_counts_as_sent(blog, publish):
    blog.routes["/xmlrpc.php"] = Reply(200, [("Content-Type", "text/xml")], render_fault(48, "x"))
    post = make_post(status="draft", body=links(blog.url("/old-article")))

    publish(post)

    row = OutgoingLinkback.objects.for_object(post).get()
    assert (row.status, row.answer) == (Status.SENT, "Already registered (fault 48).")


def test_a_page_without_an_endpoint_is_recorded_and_not_posted_to(blog, publish):
    post = make_post(status="draft", body=links(blog.url("/plain")))

    publish(post)

    assert posts_to(blog, "/") == []
    assert OutgoingLinkback.objects.for_object(post).get().status == Status.NO_ENDPOINT


def test_the_endpoint_is_found_after_redirects_and_in_the_page(blog, publish):
    blog.routes["/moved"] = Reply(301, [("Location", "/blog/article")])
    blog.routes["/blog/article"] = Reply(
        200, list(HTML), b'<html><head><link rel="webmention" href="wm"></head></html>'
    )
    blog.routes["/blog/wm"] = Reply(201, [("Location", "/status/1")], b"")
    post = make_post(status="draft", body=links(blog.url("/moved")))

    publish(post)

    (sent,) = posts_to(blog, "/blog/wm")
    assert form(sent)["target"] == blog.url("/moved")  # the link as the post has it
    row = OutgoingLinkback.objects.for_object(post).get()
    assert row.answer == "201 Created; status page /status/1"


def test_only_links_worth_notifying_are_sent(blog, publish):
    body = links(
        blog.url("/article"),
        blog.url("/article#comments"),  # the same page
        blog.url("/"),  # a site root
        blog.url("/report.pdf"),  # a file
        blog.url("/photo.JPG"),
        "mailto:someone@example.org",
        "https://bioxclusters.test/who-we-are/",  # our own site: a self-ping, no HTTP
        "/clusters/",
    )
    post = make_post(status="draft", body=body)

    publish(post)

    assert [r.path for r in blog.requests] == ["/article", "/webmention?key=1"]
    assert list(OutgoingLinkback.objects.network().values_list("target_url", flat=True)) == [
        blog.url("/article")
    ]


def test_the_admin_shows_the_outcome_on_the_post(blog, publish, editor_client):
    post = make_post(status="draft", body=links(blog.url("/article"), blog.url("/plain")))
    publish(post)

    page = editor_client.get(f"/admin/clusters/post/{post.pk}/change/").content.decode()

    assert "Linkbacks sent" in page
    assert blog.url("/article") in page
    assert "202 Accepted" in page
    assert "The page advertises no webmention or pingback." in page
    listing_url = re.search(r'href="([^"]+)">Open in the list of outgoing', page)[1]
    listing = editor_client.get(listing_url.replace("&amp;", "&")).content.decode()
    assert blog.url("/plain") in listing


def test_saving_a_post_in_the_admin_sends_and_saving_it_again_sends_nothing(
    blog, editor_client, django_capture_on_commit_callbacks
):
    post = make_post(status="draft", body=links(blog.url("/article")))
    data = {
        "title_en_gb": post.title,
        "slug": post.slug,
        "author": post.author.pk,
        "body_en_gb": post.body,
        "status": "published",
        "published_at_0": "2016-05-01",
        "published_at_1": "10:00:00",
        "allow_comments": "on",
        "allow_pings": "on",
    }

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(f"/admin/clusters/post/{post.pk}/change/", data)
        assert response.status_code == 302

    assert len(posts_to(blog, "/webmention")) == 1


def test_saving_never_waits_for_the_network(blog, django_capture_on_commit_callbacks):
    post = make_post(body=links(blog.url("/article")))

    with django_capture_on_commit_callbacks() as callbacks:
        tasks.notify_linked_sites(post)

    assert blog.requests == []
    assert len(callbacks) == 1  # the sending task, queued after commit


# Changes (webmention.rocks update tests; wordpress-webmention's sender tests)


def test_a_changed_body_resends_webmentions_to_old_and_new_links(blog, notify):
    blog.routes["/article/part-2"] = blog.routes["/article"]
    post = make_post(body=links(blog.url("/article")))
    notify(post)

    post.body = links(blog.url("/article"), blog.url("/article/part-2"))
    notify(post)

    targets = [form(request)["target"] for request in posts_to(blog, "/webmention")]
    assert sorted(targets) == sorted(
        [blog.url("/article"), blog.url("/article"), blog.url("/article/part-2")]
    )


def test_a_removed_link_is_told_with_a_webmention(blog, notify):
    blog.routes["/article/part-2"] = blog.routes["/article"]
    post = make_post(body=links(blog.url("/article"), blog.url("/article/part-2")))
    notify(post)

    post.body = links(blog.url("/article"))
    notify(post)

    targets = [form(request)["target"] for request in posts_to(blog, "/webmention")]
    assert sorted(targets) == sorted([blog.url("/article"), blog.url("/article/part-2")] * 2)


def test_an_unchanged_body_is_not_sent_again(blog, notify):
    post = make_post(body=links(blog.url("/article"), blog.url("/old-article")))
    notify(post)
    post.title = "A new title, same body"
    notify(post)

    assert len(posts_to(blog, "/webmention")) == 1
    assert len(posts_to(blog, "/xmlrpc.php")) == 1


def test_a_pinged_link_is_not_pinged_again_when_the_body_changes(blog, notify):
    post = make_post(body=links(blog.url("/old-article")))
    notify(post)

    post.body = links(blog.url("/old-article")) + "<p>An update.</p>"
    notify(post)
    post.body = "<p>The link is gone.</p>"
    notify(post)

    assert len(posts_to(blog, "/xmlrpc.php")) == 1


# Failures: recorded, retried with backoff, given up


def test_a_failure_is_recorded_and_retried_later(blog, notify):
    blog.routes["/webmention"] = Reply(503, [("Content-Type", "text/plain")], b"busy")
    post = make_post(body=links(blog.url("/article")))
    notify(post)

    row = OutgoingLinkback.objects.for_object(post).get()
    assert (row.status, row.attempts) == (Status.RETRYING, 1)
    assert row.error == "The webmention endpoint refused it: the server answered HTTP 503."
    wait = row.next_retry_at - timezone.now()
    assert timedelta(minutes=4) < wait <= timedelta(minutes=5)

    call_command("send_linkbacks")  # not due yet
    assert len(posts_to(blog, "/webmention")) == 1

    blog.routes["/webmention"] = Reply(202, [("Content-Type", "text/plain")], b"ok")
    with time_machine.travel(row.next_retry_at + timedelta(seconds=1)):
        call_command("send_linkbacks")

    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == (Status.SENT, 2, "")
    assert len(posts_to(blog, "/webmention")) == 2


def test_retries_back_off_then_give_up(blog, notify, settings):
    settings.LINKBACK_SEND_ATTEMPTS = 3
    blog.routes["/webmention"] = Reply(500, [("Content-Type", "text/plain")], b"broken")
    post = make_post(body=links(blog.url("/article")))
    notify(post)
    waits, now = [], timezone.now()
    row = OutgoingLinkback.objects.for_object(post).get()
    while row.status == Status.RETRYING:
        waits.append(round((row.next_retry_at - now).total_seconds() / 60))
        now = row.next_retry_at + timedelta(seconds=1)
        with time_machine.travel(now, tick=False):
            call_command("send_linkbacks")
        row.refresh_from_db()

    assert waits == [5, 20]
    assert (row.status, row.attempts, row.next_retry_at) == (Status.FAILED, 3, None)
    assert len(posts_to(blog, "/webmention")) == 3


@pytest.mark.parametrize(
    ("route", "reply", "error"),
    [
        (
            "/webmention",
            Reply(400, [("Content-Type", "text/plain")], b"invalid_target"),
            "The webmention endpoint refused it: the server answered HTTP 400.",
        ),
        (
            "/article",
            Reply(404, list(HTML), b"no"),
            "The linked page could not be read: the server answered HTTP 404.",
        ),
    ],
)
def test_a_refusal_is_final(blog, notify, route, reply, error):
    blog.routes[route] = reply
    post = make_post(body=links(blog.url("/article")))
    notify(post)

    row = OutgoingLinkback.objects.for_object(post).get()
    assert (row.status, row.error, row.next_retry_at) == (Status.FAILED, error, None)


def test_a_pingback_fault_is_recorded(blog, notify):
    blog.routes["/xmlrpc.php"] = Reply(
        200, [("Content-Type", "text/xml")], render_fault(33, "Not pingable.")
    )
    post = make_post(body=links(blog.url("/old-article")))
    notify(post)

    row = OutgoingLinkback.objects.for_object(post).get()
    assert (row.status, row.error) == (
        Status.FAILED,
        "The pingback server answered fault 33: Not pingable.",
    )


def test_staff_can_send_again_from_the_admin(
    blog, notify, editor_client, django_capture_on_commit_callbacks
):
    blog.routes["/webmention"] = Reply(400, [("Content-Type", "text/plain")], b"no")
    post = make_post(body=links(blog.url("/article")))
    notify(post)
    blog.routes["/webmention"] = Reply(202, [("Content-Type", "text/plain")], b"ok")
    row = OutgoingLinkback.objects.for_object(post).get()

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/linkbacks/outgoinglinkback/",
            {"action": "send_again", "_selected_action": [row.pk]},
        )

    row.refresh_from_db()
    assert row.status == Status.SENT


def test_a_worker_that_died_mid_send_does_not_hold_the_link_forever(blog, notify):
    post = make_post(body=links(blog.url("/article")))
    row = OutgoingLinkback.objects.create(source=post, target_url=blog.url("/article"))
    OutgoingLinkback.objects.filter(pk=row.pk).update(status=Status.SENDING)

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        call_command("send_linkbacks")

    row.refresh_from_db()
    assert row.status == Status.SENT


# The network rules apply to sending too


@pytest.mark.parametrize("link", ["http://10.0.0.1/article", "http://169.254.169.254/latest/"])
def test_links_to_private_addresses_are_never_fetched(notify, link):
    post = make_post(body=links(link))
    notify(post)

    row = OutgoingLinkback.objects.for_object(post).get()
    assert (row.status, row.error) == (
        Status.FAILED,
        "The linked page could not be read: the host is not on a public address.",
    )


def test_an_endpoint_on_a_private_address_is_never_posted_to(blog, notify):
    blog.routes["/article"] = Reply(
        200, [*HTML, ("Link", '<http://10.0.0.1/webmention>; rel="webmention"')], b""
    )
    post = make_post(body=links(blog.url("/article")))
    notify(post)

    row = OutgoingLinkback.objects.for_object(post).get()
    assert row.status == Status.FAILED
    assert "not on a public address" in row.error


# The switches that stop sending


@pytest.mark.parametrize("switch", ["setting", "post", "site"])
def test_each_switch_stops_all_sending(blog, notify, settings, discussion, switch):
    post = make_post(body=links(blog.url("/article")))
    if switch == "setting":
        settings.LINKBACK_SEND = False
    elif switch == "post":
        post.allow_pings = False
    else:
        discussion.send_pings = False
        discussion.save()

    notify(post)
    call_command("send_linkbacks")

    assert blog.requests == []
    assert not OutgoingLinkback.objects.network().exists()


def test_sending_resumes_when_turned_back_on(blog, notify, settings):
    post = make_post(body=links(blog.url("/article")))
    settings.LINKBACK_SEND = False
    notify(post)
    settings.LINKBACK_SEND = True

    call_command("send_linkbacks")

    assert len(posts_to(blog, "/webmention")) == 1


def test_drafts_send_nothing(blog, notify):
    notify(make_post(status="draft", body=links(blog.url("/article"))))
    assert blog.requests == []


# Scheduled posts go live by themselves


def test_a_scheduled_post_is_sent_once_it_is_live(blog, notify, capsys):
    post = make_post(
        status="scheduled",
        published_at=timezone.now() + timedelta(hours=2),
        body=links(blog.url("/article")),
    )
    notify(post)
    call_command("send_linkbacks")
    assert blog.requests == []

    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        call_command("send_linkbacks")
        call_command("send_linkbacks")

    assert len(posts_to(blog, "/webmention")) == 1
    assert "1 queued" in capsys.readouterr().out


def test_with_the_database_worker_a_scheduled_post_goes_live_at_its_time(
    settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    when = timezone.now() + timedelta(hours=2)
    post = make_post(status="scheduled", published_at=when, body=links("https://a.example/x"))

    with django_capture_on_commit_callbacks(execute=True):
        entry_save(post)

    # The same went-live steps as "Publish now", run by the worker at the post's time.
    task = DBTaskResult.objects.get()
    assert task.task_path == "clusters.tasks.entry_went_live"
    assert task.run_after == when
    assert task.args_kwargs == {
        "args": ["clusters.post", post.pk, when.isoformat()],
        "kwargs": {},
    }


def test_with_the_database_worker_a_retry_is_deferred_to_its_time(blog, notify, settings):
    from django_tasks_db.models import DBTaskResult

    blog.routes["/webmention"] = Reply(503, [("Content-Type", "text/plain")], b"busy")
    post = make_post(body=links(blog.url("/article")))
    row = OutgoingLinkback.objects.create(source=post, target_url=blog.url("/article"))
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    tasks.send_linkback.call(row.pk)

    row.refresh_from_db()
    task = DBTaskResult.objects.get()
    assert task.task_path == "comments.linkbacks.tasks.send_linkback"
    assert task.run_after == row.next_retry_at


def test_every_post_is_found_by_the_sweep(blog, capsys):
    Post.objects.all().delete()
    make_post(body=links(blog.url("/article")))
    make_post(body="<p>No links.</p>")

    call_command("send_linkbacks")

    assert capsys.readouterr().out == "Linkbacks: 2 live posts looked at, 1 queued.\n"
