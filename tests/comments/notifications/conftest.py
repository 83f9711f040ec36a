"""Fixtures for discussion mail: people, a comment posted as a browser does, and mail links."""

import itertools
import re

import pytest

from tests.comments.conftest import comment_form
from tests.factories import make_post, make_user

SITE = "https://bioxclusters.test"
_addresses = itertools.count(1)
LINK = re.compile(rf"{re.escape(SITE)}(/[^\s<>\"]*)")


@pytest.fixture
def moderator(db):
    return make_user(
        username="mo", email="mo@example.org", is_staff=True, groups=["Moderators"], first_name="Mo"
    )


@pytest.fixture
def post(db):
    """Return a post whose author wants no mail, so that only subscribers' mail is sent."""
    post = make_post(title="Genomics in Lyon")
    post.author.email = ""
    post.author.save()
    return post


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """Return a context manager that runs what waits for the commit (mail tasks) on leaving."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def post_comment(client, target, **fields):
    """Send the comment form about ``target`` as a visitor's browser does, each from its address."""
    address = f"198.51.100.{next(_addresses)}"
    return client.post("/comments/post/", comment_form(target, **fields), REMOTE_ADDR=address)


def links(message) -> list[str]:
    """Return the paths of the site's links in a mail's plain-text part."""
    return LINK.findall(message.body)


def link(message, start: str) -> str:
    """Return the path of the one link in ``message`` that starts with ``start``."""
    found = [path for path in links(message) if path.startswith(start)]
    assert len(found) == 1, (start, links(message))
    return found[0]


def moderation_links(message) -> list[str]:
    """Return the approve, spam and trash links of a moderation mail, in that order."""
    found = [path for path in links(message) if path.startswith("/discussion/moderate/")]
    assert len(found) == 3, links(message)
    return found


def html(message) -> str:
    """Return a mail's HTML part."""
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def unsubscribe_path(message) -> str:
    """Return the path of a mail's List-Unsubscribe header, checking RFC 8058's pair."""
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith(f"<{SITE}/") and header.endswith(">"), header
    return header[len(SITE) + 1 : -1]
