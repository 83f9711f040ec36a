"""The signed form token, the client address, flood control and the rate limit."""

import pytest
from django.core import signing

from comments.antispam import (
    TokenError,
    client_ip,
    is_flooding,
    is_rate_limited,
    make_form_token,
    note_comment_stored,
    read_form_token,
)


def test_a_token_names_its_target_and_when_the_page_was_rendered():
    token = read_form_token(make_form_token("clusters.post:12", now=1_000_000))

    assert (token.target, token.issued_at) == ("clusters.post:12", 1_000_000)
    assert token.age(now=1_000_030) == 30


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not a token",
        signing.dumps({"target": "clusters.post:1", "at": 0}, salt="another.purpose"),
        signing.dumps({"target": "clusters.post:1"}, salt="comments.form"),
        signing.dumps(["a list"], salt="comments.form"),
    ],
    # Signed tokens hold the time: ids of their own keep every xdist worker's collection equal.
    ids=["empty", "not-a-token", "another-purpose", "no-time", "a-list"],
)
def test_a_token_we_did_not_sign_for_this_form_is_refused(token):
    with pytest.raises(TokenError):
        read_form_token(token)


def test_changing_the_target_of_a_token_breaks_its_signature():
    token = make_form_token("clusters.post:12", now=0)
    other = make_form_token("clusters.post:13", now=0)
    forged = other.partition(":")[0] + ":" + token.partition(":")[2]

    with pytest.raises(TokenError):
        read_form_token(forged)


@pytest.mark.parametrize(
    "meta, expected",
    [
        ({"REMOTE_ADDR": "203.0.113.9"}, "203.0.113.9"),
        ({"REMOTE_ADDR": "::ffff:203.0.113.9"}, "203.0.113.9"),
        ({"REMOTE_ADDR": "2001:DB8::1"}, "2001:db8::1"),
        ({"REMOTE_ADDR": "not an address"}, None),
        ({}, None),
    ],
)
def test_the_client_address_is_read_and_checked(meta, expected):
    assert client_ip(meta) == expected


def test_behind_a_proxy_the_last_forwarded_address_is_trusted(settings):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"

    assert client_ip({"HTTP_X_FORWARDED_FOR": "10.0.0.1, 198.51.100.3"}) == "198.51.100.3"


def test_an_address_is_flooding_only_within_the_interval(settings):
    assert not is_flooding("198.51.100.1")

    note_comment_stored("198.51.100.1")

    assert is_flooding("198.51.100.1")
    assert not is_flooding("198.51.100.2")
    settings.COMMENTS_FLOOD_SECONDS = 0
    assert not is_flooding("198.51.100.1")


def test_the_rate_limit_counts_per_address_and_per_window(settings):
    settings.COMMENTS_RATE_LIMIT, settings.COMMENTS_RATE_WINDOW = 2, 3600

    assert [is_rate_limited("198.51.100.1", now=7200) for _ in range(3)] == [False, False, True]
    assert not is_rate_limited("198.51.100.2", now=7200)
    assert not is_rate_limited("198.51.100.1", now=7200 + 3600)
