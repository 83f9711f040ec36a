"""Providers' HTTP answers faked on our side of ``requests``, as allauth's own provider tests do.

allauth's ``OAuth2TestsMixin`` swaps ``requests.Session.request`` for canned answers (its
``mocked_response``): the flow runs through allauth's real views, adapter and client, and no
request leaves the machine. ``provider_answers`` does the same with answers keyed by URL, so a
test reads as the conversation it fakes, and any request to an address it does not expect fails.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock

import requests


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    params: dict
    data: dict
    headers: dict


def _response(method: str, url: str, status: int, body) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.url = url
    response.request = requests.Request(method, url).prepare()
    if isinstance(body, str):
        response._content = body.encode()
        response.headers["Content-Type"] = "text/plain"
    else:
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
    return response


@contextmanager
def provider_answers(answers: dict[str, tuple[int, object]]) -> Iterator[list[Call]]:
    """Answer requests to each URL (without its query) with ``(status, JSON body or text)``.

    Yields the list of requests made, in order.
    """
    calls: list[Call] = []

    def request(session, method, url, params=None, data=None, headers=None, **kwargs):
        calls.append(Call(method, url, dict(params or {}), dict(data or {}), dict(headers or {})))
        address = url.partition("?")[0]
        assert address in answers, f"no faked answer for {method} {url}"
        status, body = answers[address]
        return _response(method, url, status, body)

    with mock.patch.object(requests.Session, "request", request):
        yield calls
