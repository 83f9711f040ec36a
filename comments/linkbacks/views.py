"""The linkback endpoints: XML-RPC for pingback, trackback, webmention and its status pages.

Each view reads the request, calls ``receive`` and writes the protocol's answer; all three are
CSRF-exempt because other sites' servers post to them, never a browser form of ours.
"""

from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.csrf import csrf_exempt

from bioxclusters.common import absolute_url
from comments import antispam

from . import receive, tasks
from .models import ReceivedWebmention
from .targets import live_object
from .xmlrpc import (
    INVALID_REQUEST,
    PING,
    XmlRpcFault,
    parse_pingback_request,
    public_fault,
    render_fault,
    render_response,
)

TRACKBACK_FIELDS = ("url", "title", "excerpt", "blog_name")
WEBMENTION_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
PLAIN_TEXT = "text/plain; charset=utf-8"


def _client(request) -> receive.Client:
    return receive.Client(
        ip_address=antispam.client_ip(request.META),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@csrf_exempt
def xmlrpc(request):
    """Answer ``pingback.ping`` and ``pingback.extensions.getPingbacks`` (and nothing else)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(
            ["POST"], "XML-RPC server accepts POST requests only.", content_type=PLAIN_TEXT
        )
    limit = settings.PINGBACK_MAX_REQUEST_BYTES
    try:
        if _content_length(request) > limit:
            # Refused before reading a byte of it.
            raise XmlRpcFault(INVALID_REQUEST, "server error. request too large")
        method, params = parse_pingback_request(request.read(limit + 1), max_bytes=limit)
        if method == PING:
            value = receive.receive_pingback(*params, client=_client(request))
        else:
            value = receive.pingbacks_of(*params, client=_client(request))
        body = render_response(value)
    except XmlRpcFault as fault:
        code, message = public_fault(fault.code, fault.message, settings.PINGBACK_HIDE_FAULTS)
        body = render_fault(code, message)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _trackback_answer(message: str = "", *, status: int = 200) -> HttpResponse:
    """Return the TrackBack spec's answer: error 0, or error 1 with a message."""
    error = (
        f"<error>1</error>\n<message>{escape(message)}</message>" if message else "<error>0</error>"
    )
    body = f'<?xml version="1.0" encoding="utf-8"?>\n<response>\n{error}\n</response>\n'
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


@csrf_exempt
def trackback(request, kind: str, pk: int):
    """Take a trackback ping (TrackBack 1.2) for a live post, page or cluster profile."""
    target = live_object(kind, pk=pk)
    if target is None:
        return _trackback_answer("The target does not exist.", status=404)
    if request.method != "POST" or not any(request.POST.get(f) for f in TRACKBACK_FIELDS):
        # Not a ping (a person following the link, as WordPress assumes): show them the page.
        return redirect(target)
    try:
        receive.receive_trackback(
            target,
            **{f: request.POST.get(f, "") for f in TRACKBACK_FIELDS},
            client=_client(request),
        )
    except receive.TrackbackRefused as refused:
        return _trackback_answer(refused.message, status=refused.status)
    return _trackback_answer()


@csrf_exempt
def webmention(request):
    """Take a webmention (W3C): check the target now, verify the source in a task.

    Answers 201 with the status page in ``Location`` (Webmention 3.2.1), or 400 or 429 with
    the reason as plain text.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(
            ["POST"], "Send webmentions with POST: source and target.", content_type=PLAIN_TEXT
        )
    if request.content_type not in WEBMENTION_CONTENT_TYPES:
        return HttpResponse(
            "invalid_content_type: Send source and target form-encoded.\n",
            status=400,
            content_type=PLAIN_TEXT,
        )
    try:
        received = receive.accept_webmention(
            request.POST.get("source", "").strip(),
            request.POST.get("target", "").strip(),
            client=_client(request),
        )
    except receive.WebmentionRefused as refused:
        return HttpResponse(
            f"{refused.code}: {refused.message}\n", status=refused.status, content_type=PLAIN_TEXT
        )
    tasks.queue_verification(received)
    status_page = absolute_url(received.get_absolute_url())
    response = HttpResponse(
        f"Received; it will be verified. Its status: {status_page}\n",
        status=201,
        content_type=PLAIN_TEXT,
    )
    response["Location"] = status_page
    return response


def webmention_status(request, token: str):
    """Show a received webmention's status to its sender, as plain text."""
    received = get_object_or_404(ReceivedWebmention, token=token)
    lines = [
        f"Status: {received.get_status_display()}",
        f"Source: {received.source}",
        f"Target: {received.target}",
        f"Received: {received.created_at.isoformat()}",
        f"Updated: {received.updated_at.isoformat()}",
    ]
    if received.reason:
        lines.append(f"Note: {received.reason}")
    response = HttpResponse("\n".join(lines) + "\n", content_type=PLAIN_TEXT)
    response["X-Robots-Tag"] = "noindex"
    return response
