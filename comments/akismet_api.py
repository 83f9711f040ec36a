"""Ask Akismet about a new comment and tell it what moderators decided, when a key is set.

Nothing is sent unless ``AKISMET_API_KEY`` is set. Requests go to ``AKISMET_URL`` (the real
service by default; the tests point it at a fake server on 127.0.0.1) with a short timeout: the
check runs while the visitor waits, so a slow or broken Akismet only holds the comment for a
moderator ("Akismet could not check it") and never fails the post.
"""

from __future__ import annotations

import logging

import akismet
import httpx
from django.conf import settings

from comments.moderation import AkismetVerdict

logger = logging.getLogger(__name__)


class _RebasedTransport(httpx.HTTPTransport):
    """Send the client's requests to ``AKISMET_URL`` instead of the address it has built in."""

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.base = httpx.URL(base_url)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(
            scheme=self.base.scheme, host=self.base.host, port=self.base.port
        )
        request.headers["Host"] = self.base.netloc.decode("ascii")
        return super().handle_request(request)


def is_enabled() -> bool:
    return bool(settings.AKISMET_API_KEY)


def _http_client() -> httpx.Client:
    return httpx.Client(
        headers={"User-Agent": akismet.USER_AGENT},
        timeout=settings.AKISMET_TIMEOUT,
        transport=_RebasedTransport(settings.AKISMET_URL),
    )


def _client(http: httpx.Client) -> akismet.SyncClient:
    config = akismet.Config(key=settings.AKISMET_API_KEY, url=settings.SITE_URL)
    return akismet.SyncClient(config=config, http_client=http)


def _arguments(
    *,
    kind: str,
    is_reply: bool,
    author_name: str,
    author_email: str,
    author_url: str,
    body: str,
    user_agent: str,
    referrer: str,
    permalink: str,
) -> dict:
    if kind == "comment":
        comment_type = "reply" if is_reply else "comment"
    else:
        comment_type = kind
    arguments = {
        "comment_type": comment_type,
        "comment_author": author_name,
        "comment_author_email": author_email,
        "comment_author_url": author_url,
        "comment_content": body,
        "user_agent": user_agent,
        "referrer": referrer,
        "permalink": permalink,
        "blog_lang": "en",
        "blog_charset": "UTF-8",
    }
    return {name: value for name, value in arguments.items() if value}


def check(*, ip_address: str | None, **fields) -> AkismetVerdict:
    """Return Akismet's verdict on a new comment (``UNCHECKED`` without a key)."""
    if not is_enabled():
        return AkismetVerdict.UNCHECKED
    try:
        with _http_client() as http:
            answer = _client(http).comment_check(ip_address or "", **_arguments(**fields))
    except akismet.AkismetError:
        logger.warning("Akismet could not check a comment", exc_info=True)
        return AkismetVerdict.ERROR
    return {
        akismet.CheckResponse.HAM: AkismetVerdict.HAM,
        akismet.CheckResponse.SPAM: AkismetVerdict.SPAM,
        akismet.CheckResponse.DISCARD: AkismetVerdict.DISCARD,
    }[answer]


def report(comment, *, is_spam: bool, permalink: str = "") -> None:
    """Tell Akismet that a moderator found ``comment`` to be spam (or not spam)."""
    if not is_enabled():
        return
    arguments = _arguments(
        kind=comment.kind,
        is_reply=comment.parent_id is not None,
        author_name=comment.author_name,
        author_email=comment.author_email,
        author_url=comment.author_url,
        body=comment.body,
        user_agent=comment.user_agent,
        referrer="",
        permalink=permalink,
    )
    try:
        with _http_client() as http:
            client = _client(http)
            submit = client.submit_spam if is_spam else client.submit_ham
            submit(comment.ip_address or "", **arguments)
    except akismet.AkismetError:
        logger.warning("Akismet did not take a moderator's decision", exc_info=True)
