"""Shared test set-up: settings for speed and isolation, and the path to ../shared."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("BIOXCLUSTERS_SHARED_DIR", ROOT.parent / "shared")).resolve()
REDIS_DATABASES = 16  # Redis's default number of databases (0-15).


def pytest_configure(config):
    # Under pytest-xdist (`make test` runs one worker per core), each worker gw<N> takes
    # REDIS_URL's database number + N: tests clear the cache (FLUSHDB) and count in it, and must
    # not see another worker's keys. Each worker already has its own test database.
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    cache = django_settings.CACHES["default"]
    if not worker or not cache["BACKEND"].endswith("RedisCache"):
        return
    url = urlsplit(cache["LOCATION"])
    number = int(url.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    if number >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"{worker} would use Redis database {number}: each test worker takes the next database"
            f" after REDIS_URL's ({cache['LOCATION']}); give a lower one or fewer workers (-n)."
        )
    cache["LOCATION"] = url._replace(path=f"/{number}").geturl()


@pytest.fixture
def shared_dir() -> Path:
    """Return ../shared (or $BIOXCLUSTERS_SHARED_DIR), skipping with a reason when it is absent."""
    if not (SHARED_DIR / "testdata").is_dir():
        pytest.skip(f"shared test data not found at {SHARED_DIR}; set BIOXCLUSTERS_SHARED_DIR")
    return SHARED_DIR


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SITE_URL = "https://bioxclusters.test"
    settings.ALLOWED_HOSTS = ["testserver", "bioxclusters.test"]
    if settings.CACHES["default"]["BACKEND"].endswith(".DatabaseCache"):
        # Many tests use the cache without a database; the shared database cache itself is
        # tested across processes (tests/stack/test_embedded.py).
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _site_language():
    """Start and end each test in English: a request to /fr/… leaves French active in its thread,
    and what a test creates must be written in the English fields (clusters/translation.py)."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


def shared_lines(path: Path, *, comment: str | None = None) -> list[str]:
    """Return the distinct non-empty lines of a test data file, without ``comment`` lines."""
    lines = [line.removesuffix("\r") for line in path.read_text(encoding="utf-8").split("\n")]
    return list(
        dict.fromkeys(
            line for line in lines if line.strip() and not (comment and line.startswith(comment))
        )
    )


@pytest.fixture
def naughty_strings(shared_dir) -> list[str]:
    """Return the Big List of Naughty Strings."""
    strings = shared_lines(shared_dir / "testdata/blns/blns.txt", comment="#")
    assert len(strings) > 500
    return strings


@pytest.fixture
def all_xss_payloads(shared_dir) -> list[str]:
    """Return every payload of payloadbox's XSS list."""
    payloads = shared_lines(shared_dir / "testdata/payloadbox-xss/xss-payload-list.txt")
    assert len(payloads) > 6000
    return payloads
