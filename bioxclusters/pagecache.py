"""The page cache: whole pages for anonymous visitors, from the shared cache, never stale.

One rule makes it exact: every cached page belongs to a *generation* of the site, a number kept
in the cache. ``pages_changed()`` starts a new generation; every writer of what a page shows
calls it (content models through ``watch``, comments where their listing cache is dropped), and
an entry of an older generation is never served. The generation is read before a page renders,
so a page rendered while a change was being committed is filed under the generation before the
change, and thrown away. Changes that happen by the clock alone (a scheduled post going live, a
discussion closing with age) come from the ``deadline`` functions: an entry is served only until
the next such moment.

A page is filed under its address, which says its language (English unprefixed, /fr/… for the
others), and under the site's templates and catalogues. Only what is the same for every visitor is
kept: a GET with no cookie but the CSRF cookie, no ``Authorization``, and no query but page numbers;
answered 200 with HTML, without a cookie, a CSRF token or a ``Cache-Control`` of its own (staff
previews say ``private``). The comment form's signed token (the time the page was shown, to the
second) is issued afresh each second, and the page joined around it once a second per process
(``Bodies``). Clients that accept gzip get the page gzipped (compressed once, when stored, and its
tokens each second; ``Vary: Accept-Encoding``): the form's token is no secret, and no CSRF token is
ever in a cached page. Cached pages carry ``ETag`` and ``Last-Modified`` and answer conditional
requests with 304. Any error of the cache backend lets the request render as if there were no cache.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import struct
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from comments import antispam

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
ENTRY_LAYOUT = 2  # Part of every page's key: a new layout of ``Entry`` never reads an old one.
# The only query parameters a cached page may have: page numbers. Anything else (a reply form
# opened with ?replyto=, a tracking parameter) renders without the cache.
PAGE_PARAMETERS = frozenset({"page", "cpage"})
# Each returns the next moment (after ``now``) at which pages change without a write, or None.
_deadlines: list[Callable[[datetime], datetime | None]] = []


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def pages_changed(*, fragments: bool = True) -> None:
    """Make every cached page stale, now and again when the current transaction commits.

    Now, so that the writer's own next request (and a test's) sees the change; after commit,
    because a page rendered meanwhile by another process read the data from before it. With
    ``fragments`` (any write but a comment's), the fragments too (``remembered``).
    """
    changes = [_new_generation, _new_fragments_version] if fragments else [_new_generation]
    connection = transaction.get_connection()
    for change in changes:
        change()
        if not any(func is change for _, func, _ in connection.run_on_commit):
            transaction.on_commit(change)  # Once per transaction, however many writes.


def _new_generation() -> tuple[int, float | None] | None:
    """Start a generation of pages, which lasts until the next change by the clock."""
    moment = timezone.now()
    try:
        ends = [end.timestamp() for func in _deadlines if (end := func(moment)) is not None]
    except Exception:
        logger.exception("The next change by the clock is unknown; asking again in a minute")
        ends = [time.time() + 60]
    state = (time.time_ns(), min(ends, default=None))
    try:
        _cache().set(GENERATION_KEY, state, None)
    except Exception:
        # Entries expire by themselves after PAGE_CACHE_SECONDS at most.
        logger.exception("The page cache could not be told that pages changed")
        return None
    return state


def _changed(sender, **kwargs) -> None:
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        return  # Signing in changes no page.
    if kwargs.get("action", "post_").startswith("post_"):  # m2m_changed: once, after.
        pages_changed()


# Fragments: what pages show beside their own content
# ------------------------------------------------------------------------------
# The menus, the blog's sidebar, the discussion settings, an anonymous visitor's comment form:
# built from rows of the watched models only, so they outlive the generations that comments
# start (a comment approved renders its post's page again, not the menus). Any write to a
# watched model starts a new version of them (``pages_changed``); each is kept no longer than
# its generation's next change by the clock.

FRAGMENTS_KEY = "pagecache:fragments"
FRAGMENT_SECONDS = 24 * 3600


def _new_fragments_version() -> None:
    try:
        _cache().set(FRAGMENTS_KEY, time.time_ns(), None)
    except Exception:
        logger.exception("The page cache could not be told that fragments changed")


def remembered(name: str, build: Callable[[], object]):
    """Return ``build()``, kept in the shared cache until a watched model or the clock changes it.

    ``name`` says everything the value depends on besides the watched models (a page's address,
    the language). Any error of the cache backend builds the value afresh.
    """
    cache = _cache()
    try:
        found = cache.get_many([GENERATION_KEY, FRAGMENTS_KEY])
        state, version = found.get(GENERATION_KEY), found.get(FRAGMENTS_KEY)
        if version is None:  # The cache was emptied.
            cache.add(FRAGMENTS_KEY, time.time_ns(), None)
            version = cache.get(FRAGMENTS_KEY)
        key = f"pagecache:fragment:{_site_fingerprint()}:{version}:{name}"
        kept = cache.get(key)
    except Exception:
        logger.exception("The page cache cannot be read; the fragment is built afresh")
        return build()
    now = time.time()
    if kept is not None and (kept[1] is None or now < kept[1]):
        return kept[0]
    value = build()
    if state is None:
        state = _new_generation()
    if version is not None and state is not None and (state[1] is None or now < state[1]):
        try:
            cache.set(key, (value, state[1]), FRAGMENT_SECONDS)
        except Exception:
            logger.exception("The page cache cannot be written")
    return value


def watch(*models) -> None:
    """Start a new generation whenever a row of ``models`` is saved or deleted, whoever writes it.

    For the models pages show, each written in many places (admin forms and inlines, the seed,
    the shell); a queryset ``update()`` sends no signal, so its caller calls ``pages_changed``.
    """
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"pagecache:{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"pagecache:{model._meta.label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _changed,
                sender=field.remote_field.through,
                dispatch_uid=f"pagecache:{model._meta.label}.{field.name}",
            )


def deadline(func: Callable[[datetime], datetime | None]):
    """Register ``func(now)``: the next moment pages change by the clock alone, or None.

    Asked when a generation starts (a write, or the previous generation's end), never per page.
    """
    _deadlines.append(func)
    return func


_fingerprint: str | None = None
_FINGERPRINTED = {"TEMPLATES", "SITE_URL", "SITE_NAME", "DEBUG", "SOCIALACCOUNT_PROVIDERS",
                  "LANGUAGES", "LOCALE_PATHS"}  # fmt: skip


def _settings_changed(*, setting, **kwargs) -> None:
    # Settings change while the site runs only in tests; a process is restarted to change them.
    global _fingerprint
    if setting in _FINGERPRINTED:
        _fingerprint = None


setting_changed.connect(_settings_changed, dispatch_uid="pagecache-fingerprint")


def _site_fingerprint() -> str:
    """Return a digest of the templates and settings pages are made of, as this process has them.

    Part of every key, so that a deploy or a new configuration never serves pages cached before.
    """
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256()
        for directory in settings.TEMPLATES[0]["DIRS"]:
            for path in sorted(Path(directory).rglob("*")):
                if path.is_file():
                    digest.update(str(path).encode() + path.read_bytes())
        # The words pages are written in: a new translation serves no page cached before it.
        for directory in settings.LOCALE_PATHS:
            for path in sorted(Path(directory).glob("*/LC_MESSAGES/*.mo")):
                digest.update(str(path).encode() + path.read_bytes())
        digest.update(repr(settings.LANGUAGES).encode())
        digest.update(repr((settings.SITE_URL, settings.SITE_NAME, settings.DEBUG)).encode())
        digest.update(repr(getattr(settings, "SOCIALACCOUNT_PROVIDERS", {})).encode())
        _fingerprint = digest.hexdigest()[:16]
    return _fingerprint


@dataclass(frozen=True, slots=True)
class Entry:
    """A page as every visitor gets it: the body cut around its form tokens, and its headers."""

    generation: int
    parts: list  # bytes, then alternately a form target and bytes (comments.antispam).
    deflated: list  # The bytes of ``parts`` deflated, each on its own (``_deflated``).
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: float
    valid_until: float

    @property
    def size(self) -> int:
        return sum(len(part) for part in self.parts) + sum(map(len, self.deflated[::2]))


# Clients that take gzip, as Django's GZipMiddleware reads Accept-Encoding.
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
_GZIP_FROM_BYTES = 200  # Smaller bodies gain nothing from it.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # No name, no time, any OS.
_DEFLATE_END = b"\x03\x00"  # An empty last block.


def _deflated(data: bytes) -> bytes:
    """Return ``data`` as raw deflate blocks, byte-aligned, that more blocks may follow.

    Pieces compressed each on its own and put end to end make one valid deflate stream (each
    refers back only within itself): a page is compressed once, when it is stored, and only its
    form tokens each second.
    """
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def _deflate_parts(parts: list) -> list:
    return [_deflated(part) if index % 2 == 0 else part for index, part in enumerate(parts)]


class Bodies:
    """The bytes of an entry for visitors of one second, plain and gzipped, made once each.

    Form tokens say the time to the second (``signing.dumps``): every visitor of that second
    gets the same bytes, so a process joins a page once a second at most, however many
    visitors ask for it.
    """

    __slots__ = ("entry", "_current")

    def __init__(self, entry: Entry):
        self.entry = entry
        self._current: tuple[int, bytes, bytes | None] = (-1, b"", None)

    def get(self, *, gzipped: bool) -> tuple[bytes, bool]:
        """Return the body for now, and whether it is the gzipped one."""
        second = int(time.time())
        current = self._current  # One read: another thread may replace it meanwhile.
        if current[0] != second:
            parts = self.entry.parts
            tokens = antispam.fresh_form_tokens(parts, now=second)
            body = antispam.joined(parts, tokens)
            zipped = None
            if len(body) >= _GZIP_FROM_BYTES:
                deflated = {target: _deflated(token) for target, token in tokens.items()}
                zipped = b"".join([
                    _GZIP_HEADER,
                    *(deflated[p] if i % 2 else p for i, p in enumerate(self.entry.deflated)),
                    _DEFLATE_END,
                    struct.pack("<II", zlib.crc32(body), len(body) & 0xFFFFFFFF),
                ])  # fmt: skip
            current = self._current = (second, body, zipped)
        if gzipped and current[2] is not None:
            return current[2], True
        return current[1], False

    def response_for(self, request):
        entry = self.entry
        gzipped = bool(_ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
        body, gzipped = self.get(gzipped=gzipped)
        response = HttpResponse(body)
        headers = response.headers
        for name, value in entry.headers:
            headers[name] = value
        if gzipped:
            headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(body))
        headers["ETag"] = entry.etag
        headers["Last-Modified"] = http_date(entry.last_modified)
        return get_conditional_response(
            request, etag=entry.etag, last_modified=int(entry.last_modified), response=response
        )


def _is_anonymous_request(request) -> bool:
    if request.method not in {"GET", "HEAD"} or "HTTP_AUTHORIZATION" in request.META:
        return False
    # The session (signed in or not), a pending comment's marker, messages: all personal.
    if any(name != settings.CSRF_COOKIE_NAME for name in request.COOKIES):
        return False
    return only_page_numbers(request)


def only_page_numbers(request) -> bool:
    """Return True if the request's query has nothing but short page numbers (or is empty)."""
    return all(
        name in PAGE_PARAMETERS and value.isdigit() and len(value) < 6
        for name, value in request.GET.items()
    )


def _is_for_everybody(request, response) -> bool:
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not response.has_header("Cache-Control")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (user is not None and user.is_authenticated)
    )


def _key(request) -> str:
    address = request.get_full_path()
    digest = hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()
    # The address says the language (LocaleMiddleware, after this one, reads it from there: an
    # address without a language prefix is English); named in the key all the same.
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    return f"pagecache:page:{ENTRY_LAYOUT}:{_site_fingerprint()}:{language}:{digest}"


def _is_current(entry: Entry | None, generation: int | None, now: float) -> bool:
    return entry is not None and entry.generation == generation and now < entry.valid_until


# This process's copies of the pages it served last, at most LOCAL_COPIES_BYTES of them: a page
# of a megabyte then need not cross the network for each visitor, only the generation does.
# A copy counts twice its page, plain and gzipped: stored, and joined for the current second.
LOCAL_COPIES_BYTES = 32 * 1024 * 1024
_copies: OrderedDict[str, tuple[Bodies, int]] = OrderedDict()
_copies_size = 0
_copies_lock = threading.Lock()  # gunicorn's threads share them.


def _copy_of(key: str) -> Bodies | None:
    with _copies_lock:
        found = _copies.get(key)
        if found is not None:
            _copies.move_to_end(key)
        return found[0] if found else None


def _keep_copy(key: str, entry: Entry) -> Bodies:
    """Return ``entry``'s bodies, kept in this process when it is not too big."""
    global _copies_size
    bodies, size = Bodies(entry), 2 * entry.size
    with _copies_lock:
        if (old := _copies.pop(key, None)) is not None:
            _copies_size -= old[1]
        if size > LOCAL_COPIES_BYTES // 8:
            return bodies  # Too big to keep here: from the shared cache each time.
        _copies[key] = (bodies, size)
        _copies_size += size
        while _copies_size > LOCAL_COPIES_BYTES:
            _copies_size -= _copies.popitem(last=False)[1][1]
    return bodies


class PageCacheMiddleware:
    """Answer anonymous visitors from the page cache; keep what every visitor would get.

    Placed after the security headers and static files and before the session: a page from the
    cache costs one cache round trip (the generation, and the page unless this process has a
    current copy of it), no database query, and no work of the session, CSRF, messages or
    authentication middleware, which come after it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or not _is_anonymous_request(request):
            return self.get_response(request)
        key = _key(request)
        cache = _cache()
        copy = _copy_of(key)
        try:
            if copy is None:
                found = cache.get_many([GENERATION_KEY, key])
                state, entry = found.get(GENERATION_KEY), found.get(key)
            else:
                state, entry = cache.get(GENERATION_KEY), copy.entry
        except Exception:
            logger.exception("The page cache cannot be read; the page renders without it")
            return self.get_response(request)
        now = time.time()
        if state is None or (state[1] is not None and now >= state[1]):
            # The first request after the cache was emptied, or a post went live: a new era.
            state, entry = _new_generation(), None
        generation = state[0] if state else None
        if copy is not None and entry is copy.entry:
            if _is_current(entry, generation, now):
                return copy.response_for(request)
            try:  # This process's copy is old; another may have stored the page anew.
                entry = cache.get(key)
            except Exception:
                logger.exception("The page cache cannot be read")
                entry = None
        if _is_current(entry, generation, now):
            return _keep_copy(key, entry).response_for(request)

        response = self.get_response(request)
        if generation is None or request.method != "GET":
            return response
        if not _is_for_everybody(request, response):
            return response
        # Vary: each visitor's cookies decide whether the cache answers; gzip or not, the body.
        patch_vary_headers(response, ["Cookie", "Accept-Encoding"])
        response.headers["Cache-Control"] = "no-cache"  # Kept by browsers, asked again each time.
        entry = Entry(
            generation=generation,
            parts=(parts := antispam.cut_at_form_tokens(response.content)),
            deflated=_deflate_parts(parts),
            headers=tuple(response.headers.items()),
            etag=f'W/"{secrets.token_hex(8)}"',
            last_modified=now,
            valid_until=now + settings.PAGE_CACHE_SECONDS,
        )
        try:
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("The page cache cannot be written")
            return Bodies(entry).response_for(request)
        return _keep_copy(key, entry).response_for(request)
