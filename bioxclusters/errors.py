"""The server error page: a 503 "back in a moment" while the database is away, a 500 otherwise."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

# How long a visitor's browser (and the load balancer) should wait before trying again.
RETRY_AFTER_SECONDS = 30


def _database_unavailable(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: Django calls it while handling the exception, so it can look at it."""
    if not _database_unavailable(sys.exc_info()[1]):
        return defaults.server_error(request)
    # Rendered without context processors: they would ask the database.
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
