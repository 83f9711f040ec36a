"""Fixtures for the site's tests: a clean cache, an editor signed in."""

import pytest
from django.core.cache import cache

from tests.factories import make_user


@pytest.fixture(autouse=True)
def _clear_cache():
    # The cache outlives each test's database: the privacy notice's address or a discussion
    # listing cached by one test must not show in the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    """Return a member of the Editors group, named Ada Lovelace."""
    return make_user(is_staff=True, groups=["Editors"], first_name="Ada", last_name="Lovelace")


@pytest.fixture
def editor_client(client, editor):
    """Return the test client, signed in as ``editor``."""
    client.force_login(editor)
    return client
