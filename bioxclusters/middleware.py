"""The site's own middleware: health checks, the request log, the public address, headers."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import secrets
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("bioxclusters.requests")

# A request id from the proxy in front is kept if it looks like one; otherwise we make one.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def readiness_problems() -> list[str]:
    """Return what keeps this process from serving: the database or the cache not answering."""
    problems = []
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        problems.append(f"database: {type(error).__name__}")
    token = secrets.token_hex(8)
    try:
        cache.set("readyz", token, 30)
        if cache.get("readyz") != token:
            problems.append("cache: not answering")
    except Exception as error:  # noqa: BLE001 - whatever the backend raises, the cache is out.
        problems.append(f"cache: {type(error).__name__}")
    return problems


class HealthCheckMiddleware:
    """``/healthz``: the process answers (nothing else is asked). ``/readyz``: 503 unless the
    database and the cache answer. For a load balancer: before the Host check and the https
    redirect, never logged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return HttpResponse("ok\n", content_type="text/plain")
        if request.path == "/readyz":
            if problems := readiness_problems():
                text = "\n".join(problems) + "\n"
                return HttpResponse(text, content_type="text/plain", status=503)
            return HttpResponse("ready\n", content_type="text/plain")
        return self.get_response(request)


class RequestLogMiddleware:
    """One JSON line per request: method, path, status, duration in ms, request id.

    The id comes from the ``X-Request-ID`` header when the proxy sent one, and goes back in the
    response's, so a line of nginx's log, of ours and a visitor's report can be matched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if REQUEST_ID.fullmatch(incoming) else secrets.token_hex(16)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        logger.info(
            json.dumps(
                {
                    "method": request.method,
                    # Never the query string: what visitors search for is not logged.
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "request_id": request.request_id,
                }
            )
        )
        return response


class SiteUrlMiddleware:
    """Build every absolute address from ``SITE_URL``, never from the Host header a client sends
    (allauth's OAuth ``redirect_uri``, password-reset and confirmation links and the site name
    in their mail among them); send the Permissions-Policy header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.get_host()  # Checked against ALLOWED_HOSTS first: a 400 for a host not ours.
        host = urlsplit(settings.SITE_URL).netloc
        request.get_host = lambda: host

        def build_absolute_uri(location: str | None = None) -> str:
            if location is None:
                location = request.get_full_path()
            return urljoin(settings.SITE_URL + request.path, location)

        request.build_absolute_uri = build_absolute_uri
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


IMPORT_MAP = re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S)
# The <style> element TipTap (the editor's engine, in django-prose-editor's editor.js) puts in the
# page, by the hash of its exact text; django-prose-editor offers no way to give it a nonce or to
# turn it off. A version that changes that text fails tests/stack/test_production.py.
EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


class EditorHashesMiddleware:
    """Let the Content-Security-Policy accept what the admin's rich-text editor
    (django-prose-editor) puts inline, by hashes: a page's import maps (JSON, no code) and
    TipTap's stylesheet. No other inline script or style is allowed. Between django-csp's
    middleware and the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.streaming or "html" not in response.get("Content-Type", ""):
            return response
        if b'type="importmap"' not in response.content:
            return response  # A plain search: the pattern below costs ~1 ms a megabyte.
        if hashes := [
            f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for body in IMPORT_MAP.findall(response.content)
        ]:
            # Only the editor's pages have an import map (its modules), so only they get its style.
            response._csp_update = {"script-src": hashes, "style-src": [EDITOR_STYLE_HASH]}
        return response
