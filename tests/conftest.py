"""Shared test set-up: settings for speed and isolation, and the path to ../shared."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("BIOXCLUSTERS_SHARED_DIR", ROOT.parent / "shared")).resolve()


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
