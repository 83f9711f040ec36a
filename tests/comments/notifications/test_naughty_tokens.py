"""Any token in a mail link or a webmention status address gets a clear page, never a 500.

Every naughty string and a sample of XSS payloads is put, percent-encoded, where a link's token
goes, each string at one of the links (by its number), with GET or POST; malformed tokens go to
every link, as a visitor and as a moderator. A token is refused with the link's own sentence
(400 or 404), or the request with the site's 400.
"""

from urllib.parse import quote

import pytest

from comments.notifications import tokens
from tests.factories import make_user

pytestmark = pytest.mark.django_db

LINKS = [
    "/discussion/moderate/{}/",
    "/discussion/subscriptions/confirm/{}/",
    "/discussion/subscriptions/{}/",
    "/discussion/unsubscribe/{}/",
    "/discussion/your-data/{}/",
    "/webmention/{}/",
]
CLEAR = {400, 403, 404, 405}


@pytest.fixture(params=["visitor", "moderator"])
def as_whom(request, client):
    if request.param == "moderator":
        client.force_login(make_user(is_staff=True, groups=["Moderators"]))
    return client


def test_every_string_as_a_token_gets_a_clear_answer(client, naughty_strings, all_xss_payloads):
    for number, value in enumerate(naughty_strings + all_xss_payloads[::100]):
        url = LINKS[number % len(LINKS)].format(quote(value, safe=""))

        response = client.post(url) if number // len(LINKS) % 2 else client.get(url)

        # Moderation links send a visitor to the log-in page before reading the action.
        assert response.status_code in CLEAR or response.status_code == 302, (url, response)


MALFORMED = [
    "",
    "x" * 5000,
    "..%2F..%2Fetc%2Fpasswd",
    "%ED%A0%80",  # a lone surrogate in UTF-8
    "%FF%FE",
    "%00",
    "%EF%BF%BF",
]


def test_malformed_tokens_at_every_link(as_whom):
    truncated = tokens.make(tokens.MODERATE, c=1, a="approve", u=1)[:-3]
    other_purpose = tokens.make(tokens.MANAGE, e="ada@example.org")
    for link in LINKS:
        for token in [*MALFORMED, truncated, other_purpose + "x"]:
            response = as_whom.get(link.format(token))

            assert response.status_code in CLEAR or response.status_code == 302, (link, token)
