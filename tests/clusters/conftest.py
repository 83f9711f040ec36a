"""Fixtures for the site's tests: a clean cache."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # The cache outlives each test's database: the privacy notice's address or a discussion
    # listing cached by one test must not show in the next.
    cache.clear()
    yield
    cache.clear()
