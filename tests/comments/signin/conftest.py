"""Fixtures for signing in: provider configurations, a local OpenID Connect provider, pages."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

# No test here may reach a real provider: sockets may only connect to 127.0.0.1.
from tests.comments.linkbacks.conftest import _only_loopback_connections  # noqa: F401

from .oidc_server import CLIENT_ID, CLIENT_SECRET, OIDCProvider

OIDC_ID = "lyonbiopole"
OIDC_NAME = "Lyonbiopole ID"
APP = {"client_id": "app123id", "secret": "dummy"}


@pytest.fixture(autouse=True)
def _sign_in_settings(settings):
    # A comment may be sent at once after its form was shown; no provider unless a test says so.
    settings.COMMENTS_FORM_MIN_SECONDS = 0
    settings.SOCIALACCOUNT_PROVIDERS = providers()


def providers(**apps) -> dict:
    """Return SOCIALACCOUNT_PROVIDERS as settings.py builds it, with ``apps`` configured."""
    configured = {
        "google": {"SCOPE": ["profile", "email"], "OAUTH_PKCE_ENABLED": True},
        "facebook": {"METHOD": "oauth2", "SCOPE": ["email", "public_profile"]},
        "twitter_oauth2": {},
        "wordpress_com": {},
        "openid_connect": {"OAUTH_PKCE_ENABLED": True},
    }
    for provider, app in apps.items():
        key = "APPS" if provider == "openid_connect" else "APP"
        configured[provider][key] = app
    return configured


@pytest.fixture
def oidc(settings):
    """Return a running OpenID Connect provider on 127.0.0.1, configured as the cluster's own."""
    provider = OIDCProvider().start()
    settings.SOCIALACCOUNT_PROVIDERS = providers(
        openid_connect=[
            {
                "provider_id": OIDC_ID,
                "name": OIDC_NAME,
                "client_id": CLIENT_ID,
                "secret": CLIENT_SECRET,
                "settings": {"server_url": provider.issuer},
            }
        ]
    )
    yield provider
    provider.stop()


class _SignInButtons(HTMLParser):
    """Map each "Log in to comment with" button's text to the address it leads to."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.buttons: dict[str, str] = {}
        self._href = None
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "data-provider" in attrs:
            self._href, self._text = attrs["href"], []

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._text is not None:
            self.buttons[" ".join("".join(self._text).split())] = html.unescape(self._href)
            self._text = None


def sign_in_buttons(page: str) -> dict[str, str]:
    """Return {"Log in with Google": "/accounts/google/login/?…", …} from a page's comment form.

    Each leads to allauth's page asking to confirm, whose form posts back to the same address:
    a test posts there directly."""
    parser = _SignInButtons()
    parser.feed(page)
    return parser.buttons


def local(url: str) -> str:
    """Return the path and query of ``url``, as the test client takes them."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
