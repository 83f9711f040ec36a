"""Helpers for the endpoint and sending tests: source pages, XML-RPC calls, our addresses."""

from __future__ import annotations

import html
from xmlrpc import client as stdlib

from django.contrib.contenttypes.models import ContentType

from bioxclusters.common import absolute_url
from comments.models import Comment

from .http_server import HTML, Reply

XML = "text/xml"


def url_of(obj) -> str:
    """Return the public address of a post, page or cluster, as other sites link to it."""
    return absolute_url(obj.get_absolute_url())


def page_linking_to(target: str, *, title: str = "A post elsewhere", text: str = "") -> Reply:
    """Return an HTML page whose paragraph links to ``target``."""
    body = (
        f"<!doctype html><html><head><title>{html.escape(title)}</title></head><body>"
        f'<p>{text or "We read"} <a href="{html.escape(target)}">their news</a> today.</p>'
        "</body></html>"
    )
    return Reply(200, list(HTML), body.encode())


def xmlrpc_call(client, method: str, *params, **extra):
    """POST an XML-RPC call made by Python's xmlrpc.client; return its value or raise Fault."""
    body = stdlib.dumps(params, method)
    response = client.post("/xmlrpc/", body, content_type=XML, **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    (value,), _ = stdlib.loads(response.content)
    return value


def fault_code(client, method: str, *params) -> int:
    """Return the fault code an XML-RPC call gets (failing the test if it succeeds)."""
    try:
        value = xmlrpc_call(client, method, *params)
    except stdlib.Fault as fault:
        return fault.faultCode
    raise AssertionError(f"expected a fault, got {value!r}")


def linkbacks_on(obj, **filters):
    """Return the linkbacks stored on ``obj``."""
    return Comment.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, **filters
    ).exclude(kind=Comment.Kind.COMMENT)
