"""The signed links: one purpose each, an age limit always, and once only where it matters."""

import base64
import zlib
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from comments.notifications import tokens
from comments.notifications.models import UsedToken
from tests.comments.conftest import comment_form
from tests.comments.notifications.conftest import links
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def test_a_token_carries_json_and_opens_only_links_of_its_own_purpose():
    token = tokens.make(tokens.CONFIRM, e="ada@example.org", s=[1, 2])

    assert tokens.read(tokens.CONFIRM, token) == {"e": "ada@example.org", "s": [1, 2]}
    for other in (tokens.MODERATE, tokens.MANAGE, tokens.UNSUBSCRIBE, tokens.PRIVACY):
        with pytest.raises(tokens.TokenError):
            tokens.read(other, token)
    # Plain JSON under Django's signature: nothing a reader of the link could not see anyway.
    assert signing.loads(token, salt=tokens.CONFIRM.salt) == {"e": "ada@example.org", "s": [1, 2]}


@pytest.mark.parametrize(
    "purpose, lasts",
    [
        (tokens.MODERATE, timedelta(days=7)),
        (tokens.CONFIRM, timedelta(days=7)),
        (tokens.MANAGE, timedelta(days=30)),
        (tokens.UNSUBSCRIBE, timedelta(days=180)),
        (tokens.PRIVACY, timedelta(hours=24)),
    ],
)
def test_every_kind_of_link_expires(purpose, lasts):
    token = tokens.make(purpose, e="ada@example.org")

    with time_machine.travel(timezone.now() + lasts - timedelta(minutes=1)):
        tokens.read(purpose, token)
    with time_machine.travel(timezone.now() + lasts + timedelta(minutes=1)):
        with pytest.raises(tokens.TokenExpired):
            tokens.read(purpose, token)


def test_a_changed_token_is_refused():
    token = tokens.make(tokens.MANAGE, e="ada@example.org")
    forged = signing.dumps({"e": "eve@example.org"}, salt=tokens.MANAGE.salt, key="guessed")

    flipped = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]

    for bad in (token[:-1], flipped, forged, "", "x" * 300):
        with pytest.raises(tokens.TokenError):
            tokens.read(tokens.MANAGE, bad)


def test_a_single_use_token_is_spent_once():
    token = tokens.make(tokens.PRIVACY, e="ada@example.org")
    payload = tokens.read(tokens.PRIVACY, token)

    tokens.spend(tokens.PRIVACY, payload)

    with pytest.raises(tokens.TokenUsed):
        tokens.read(tokens.PRIVACY, token)
    with pytest.raises(tokens.TokenUsed):
        tokens.spend(tokens.PRIVACY, payload)
    assert UsedToken.objects.count() == 1


def test_mail_links_come_from_site_url_never_from_the_host_header(
    client, moderator, after_commit, mailoutbox, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]

    with after_commit():
        client.post(
            "/comments/post/",
            comment_form(make_post(), notify_posts="on"),
            HTTP_HOST="evil.example",
        )

    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert "evil.example" not in message.body + message.alternatives[0][0]
        assert links(message)


def test_subscription_links_never_carry_the_email_address(client, after_commit, mailoutbox):
    with after_commit():
        client.post("/comments/post/", comment_form(make_post(), notify_posts="on"))

    [message] = mailoutbox
    for path in links(message) + [message.extra_headers["List-Unsubscribe"]]:
        token = path.rstrip("/>").rsplit("/", 1)[-1]
        payload = token.split(":")[0].lstrip(".")
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        if token.startswith("."):
            decoded = zlib.decompress(decoded)
        assert b"@" not in decoded, path
