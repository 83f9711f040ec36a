"""The scripts' texts come from Django's JavaScript catalog, in the page's language."""

import pytest
from django.core.cache import cache
from django.utils import translation

from tests.factories import make_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("prefix", ["", "/fr", "/de"])
def test_the_catalog_is_a_script_browsers_may_keep(client, prefix):
    response = client.get(f"{prefix}/jsi18n/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "django.gettext = function" in response.content.decode()
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]
    again = client.get(f"{prefix}/jsi18n/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_a_discussion_loads_the_catalog_of_its_language_before_its_script(client, prefix):
    with translation.override("en-gb"):
        address = make_post().get_absolute_url()

    html = client.get(f"{prefix}{address}").content.decode()

    catalog = html.index(f'<script src="{prefix}/jsi18n/" defer></script>')
    assert catalog < html.index("comments/comments.js")
