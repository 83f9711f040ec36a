"""Tell other sites where to send linkbacks, on the pages that take them and no others.

A detail view with ``AdvertiseLinkbacksMixin`` puts ``linkback_endpoints`` in its context and,
when its object takes linkbacks now, adds the ``X-Pingback`` header (Pingback 1.0) and a
``Link: <…>; rel="webmention"`` header (Webmention 3.1.2) to its response; ``base.html`` then
includes ``linkbacks/tags/discovery.html``: the matching ``<link>`` elements and trackback RDF.
Every address is built from ``SITE_URL``, never from the request's Host header.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.http import HttpResponse
from django.urls import reverse

from bioxclusters.common import absolute_url
from comments.models import DiscussionSettings

from .targets import accepts_pings, kind_of, permalink


@dataclass(frozen=True)
class Endpoints:
    """The page's own address and title, and where its linkbacks go."""

    url: str
    title: str
    pingback: str
    webmention: str
    trackback: str


def endpoints_for(
    obj: models.Model | None, discussion: DiscussionSettings | None = None
) -> Endpoints | None:
    """Return the endpoints to advertise on ``obj``'s page, or None if it takes no linkbacks."""
    if obj is None or not accepts_pings(obj, discussion):
        return None
    trackback = reverse("linkbacks:trackback", kwargs={"kind": kind_of(obj), "pk": obj.pk})
    return Endpoints(
        url=permalink(obj),
        title=obj.title,
        pingback=absolute_url(reverse("linkbacks:xmlrpc")),
        webmention=absolute_url(reverse("linkbacks:webmention")),
        trackback=absolute_url(trackback),
    )


def add_headers(response: HttpResponse, endpoints: Endpoints) -> None:
    """Add the X-Pingback header and the webmention Link header (kept beside any other Link)."""
    response["X-Pingback"] = endpoints.pingback
    link = f'<{endpoints.webmention}>; rel="webmention"'
    response["Link"] = f"{response['Link']}, {link}" if response.has_header("Link") else link


class AdvertiseLinkbacksMixin:
    """For the detail views of posts, pages and clusters: advertise the linkback endpoints."""

    def get_context_data(self, **kwargs):
        discussion = DiscussionSettings.for_request(self.request)
        kwargs.setdefault("linkback_endpoints", endpoints_for(self.object, discussion))
        return super().get_context_data(**kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if endpoints := context.get("linkback_endpoints"):
            add_headers(response, endpoints)
        return response
