"""Providers come from the environment, and a half-made configuration stops the site starting."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "import json, bioxclusters.settings as s; print(json.dumps("
    "[s.SOCIALACCOUNT_PROVIDERS, getattr(s, 'ALLAUTH_TRUSTED_CLIENT_IP_HEADER', None)]))"
)
OIDC = {"OIDC_SERVER_URL": "https://id.example", "OIDC_CLIENT_ID": "c", "OIDC_SECRET": "s"}


def start_with(**environment) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with only ``environment`` set."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SECRET_KEY": "not-secret",
        "SITE_URL": "https://bioxclusters.test",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def configured(**environment):
    started = start_with(**environment)
    assert started.returncode == 0, started.stderr
    return json.loads(started.stdout)


def test_without_credentials_no_provider_is_configured():
    providers, ip_header = configured()

    assert not any("APP" in entry or "APPS" in entry for entry in providers.values())
    assert providers["facebook"]["METHOD"] == "oauth2"  # Never Facebook's JavaScript SDK.
    assert ip_header is None


def test_each_provider_reads_its_client_id_and_secret():
    providers, _ = configured(
        GOOGLE_CLIENT_ID="g-id",
        GOOGLE_SECRET="g-secret",
        X_CLIENT_ID="x-id",
        X_SECRET="x-secret",
        WORDPRESS_COM_CLIENT_ID="w-id",
        WORDPRESS_COM_SECRET="w-secret",
    )

    assert providers["google"]["APP"] == {"client_id": "g-id", "secret": "g-secret"}
    assert providers["twitter_oauth2"]["APP"] == {"client_id": "x-id", "secret": "x-secret"}
    assert providers["wordpress_com"]["APP"]["client_id"] == "w-id"
    assert "APP" not in providers["facebook"]


def test_a_clusters_openid_connect_provider_is_configured_from_its_server_url():
    providers, _ = configured(
        OIDC_SERVER_URL="https://id.lyonbiopole.example",
        OIDC_PROVIDER_ID="lyonbiopole",
        OIDC_NAME="Lyonbiopole ID",
        OIDC_CLIENT_ID="client",
        OIDC_SECRET="secret",
    )

    assert providers["openid_connect"]["APPS"] == [
        {
            "provider_id": "lyonbiopole",
            "name": "Lyonbiopole ID",
            "client_id": "client",
            "secret": "secret",
            "settings": {"server_url": "https://id.lyonbiopole.example"},
        }
    ]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"GOOGLE_CLIENT_ID": "g-id"}, "Set both GOOGLE_CLIENT_ID and GOOGLE_SECRET"),
        ({"OIDC_SERVER_URL": "https://id.example"}, "needs OIDC_CLIENT_ID and OIDC_SECRET"),
        ({**OIDC, "OIDC_SERVER_URL": "http://id.example"}, "OIDC_SERVER_URL must use https"),
        ({**OIDC, "OIDC_PROVIDER_ID": "../login"}, "OIDC_PROVIDER_ID: up to 40"),
    ],
)
def test_a_half_made_configuration_stops_the_site_starting(environment, message):
    started = start_with(**environment)

    assert started.returncode != 0
    assert message in started.stderr


def test_allauth_counts_attempts_per_client_address_from_the_comments_header():
    _, ip_header = configured(COMMENTS_CLIENT_IP_HEADER="HTTP_X_REAL_IP")

    assert ip_header == "X-REAL-IP"
