"""Akismet, when a key is set: asked about each new comment and told each moderator's verdict.

A fake Akismet runs on 127.0.0.1 inside the test; the real service is never contacted.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from comments.models import Comment
from comments.services import comment_set_status
from tests.comments.conftest import comment_form
from tests.comments.factories import make_comment
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status
URL = "/comments/post/"


class FakeAkismet(BaseHTTPRequestHandler):
    """Answer as Akismet does; words such as "spam-please" in the comment pick the answer."""

    def do_POST(self):
        data = {
            key: values[0]
            for key, values in parse_qs(
                self.rfile.read(int(self.headers["Content-Length"])).decode()
            ).items()
        }
        self.server.received.append((self.path, data))
        text, headers, status = self.answer(data)
        if "slow-please" in data.get("comment_content", ""):
            time.sleep(1)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text.encode())

    def answer(self, data):
        content = data.get("comment_content", "")
        if self.path == "/1.1/comment-check":
            if "break-please" in content:
                return "oops", {}, 500
            if "discard-please" in content:
                return "true", {"X-akismet-pro-tip": "discard"}, 200
            return ("true" if "spam-please" in content else "false"), {}, 200
        if self.path in {"/1.1/submit-spam", "/1.1/submit-ham"}:
            return "Thanks for making the web a better place.", {}, 200
        return "invalid", {}, 200

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # The slow answer meets a client that has already given up: expected.


@pytest.fixture
def fake_akismet(settings):
    server = QuietServer(("127.0.0.1", 0), FakeAkismet)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    settings.AKISMET_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.AKISMET_API_KEY = "test-key-123"
    settings.AKISMET_TIMEOUT = 0.5
    yield server.received
    server.shutdown()
    server.server_close()


@pytest.fixture
def moderator_client(client):
    client.force_login(make_user(is_staff=True, groups=["Moderators"]))
    return client


def test_without_a_key_nothing_is_sent(client, fake_akismet, settings):
    settings.AKISMET_API_KEY = ""

    client.post(URL, comment_form(make_post(), body="spam-please"))

    assert fake_akismet == []
    assert Comment.objects.get().status == Status.PENDING


def test_a_new_comment_is_checked_with_what_akismet_uses(client, fake_akismet):
    post = make_post()

    client.post(
        URL,
        comment_form(post),
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="Mozilla/5.0 Test",
        HTTP_REFERER="https://bioxclusters.test/somewhere/",
    )

    [(path, data)] = fake_akismet
    assert path == "/1.1/comment-check"
    assert data == {
        "api_key": "test-key-123",
        "blog": "https://bioxclusters.test",
        "user_ip": "198.51.100.7",
        "user_agent": "Mozilla/5.0 Test",
        "referrer": "https://bioxclusters.test/somewhere/",
        "permalink": f"https://bioxclusters.test{post.get_absolute_url()}",
        "comment_type": "comment",
        "comment_author": "Ada Lovelace",
        "comment_author_email": "ada@example.org",
        "comment_author_url": "https://ada.example.org/",
        "comment_content": "A thoughtful remark about personalised healthcare.",
        "blog_lang": "en",
        "blog_charset": "UTF-8",
    }
    assert Comment.objects.get().held_reasons == [{"code": "first_comment"}]


def test_a_reply_is_checked_as_a_reply(client, fake_akismet):
    post = make_post()
    parent = make_comment(post)

    client.post(URL, comment_form(post, parent=str(parent.pk)))

    assert fake_akismet[0][1]["comment_type"] == "reply"


@pytest.mark.parametrize(
    "body, code",
    [("Buy now spam-please", "akismet_spam"), ("Buy now discard-please", "akismet_discard")],
)
def test_what_akismet_calls_spam_lands_in_spam_with_the_reason(client, fake_akismet, body, code):
    client.post(URL, comment_form(make_post(), body=body))

    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert {"code": code} in comment.held_reasons


@pytest.mark.parametrize("body", ["break-please", "slow-please"])
def test_when_akismet_fails_the_comment_waits_for_a_moderator(client, fake_akismet, body):
    make_comment(make_post(), author_email="ada@example.org")

    response = client.post(URL, comment_form(make_post(), body=body))

    assert response.status_code == 302
    comment = Comment.objects.latest("pk")
    assert (comment.status, comment.held_reasons) == (
        Status.PENDING,
        [{"code": "akismet_error"}],
    )


def test_a_moderator_marking_spam_teaches_akismet(
    moderator_client, fake_akismet, django_capture_on_commit_callbacks
):
    comment = make_comment(make_post(), body="Subtle spam", ip_address="198.51.100.9")

    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            "/admin/comments/comment/?status=approved",
            {"action": "mark_spam", "_selected_action": [comment.pk]},
        )

    [(path, data)] = fake_akismet
    assert path == "/1.1/submit-spam"
    assert (data["comment_content"], data["user_ip"]) == ("Subtle spam", "198.51.100.9")
    assert data["permalink"].startswith("https://bioxclusters.test/blog/")


def test_a_moderator_rescuing_a_comment_from_spam_teaches_akismet(
    moderator_client, fake_akismet, django_capture_on_commit_callbacks
):
    comment = make_comment(make_post(), status=Status.SPAM)
    comment.status_before_removal = Status.APPROVED
    comment.save()

    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            "/admin/comments/comment/?status=spam",
            {"action": "mark_not_spam", "_selected_action": [comment.pk]},
        )

    assert [path for path, _ in fake_akismet] == ["/1.1/submit-ham"]
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED


def test_decisions_the_site_makes_by_itself_are_not_reported(
    fake_akismet, django_capture_on_commit_callbacks
):
    comment = make_comment(make_post())

    with django_capture_on_commit_callbacks(execute=True):
        comment_set_status(comment=comment, status=Status.SPAM, by=None)

    assert fake_akismet == []


def test_nothing_is_reported_before_the_change_is_committed(
    fake_akismet, django_capture_on_commit_callbacks
):
    comment = make_comment(make_post())

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment_set_status(comment=comment, status=Status.SPAM, by=make_user())

    assert fake_akismet == [] and callbacks
    for callback in callbacks:  # The commit.
        callback()
    assert [path for path, _ in fake_akismet] == ["/1.1/submit-spam"]
