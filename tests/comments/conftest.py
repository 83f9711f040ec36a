"""Fixtures for the comments tests: a clean cache, the discussion settings, and a visitor's form."""

import time

import pytest
from django.core.cache import cache

from comments.antispam import make_form_token
from comments.forms import target_label
from comments.models import DiscussionSettings
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _clear_cache():
    # Flood control and rate limits live in the cache: no test may inherit another's posts.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def discussion(db):
    """Return the discussion settings row; change it and ``save()`` in the test."""
    return DiscussionSettings.load()


@pytest.fixture
def moderator():
    """Return a staff member of the Moderators group, Mo Derator."""
    return make_user(is_staff=True, groups=["Moderators"], first_name="Mo", last_name="Derator")


@pytest.fixture
def moderator_client(client, moderator):
    """Return the test client, signed in as ``moderator``."""
    client.force_login(moderator)
    return client


def form_token(obj, *, age=10):
    """Return the token of a form about ``obj`` rendered ``age`` seconds ago."""
    return make_form_token(target_label(obj), now=time.time() - age)


def comment_form(obj, **overrides):
    """Return the POST data of a valid comment on ``obj``, as a visitor's browser sends it."""
    data = {
        "body": "A thoughtful remark about personalised healthcare.",
        "author_name": "Ada Lovelace",
        "author_email": "ada@example.org",
        "author_url": "https://ada.example.org/",
        "target": form_token(obj),
        "parent": "",
        "topic": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
