"""Linkbacks: the protocol and network layer of pingback, trackback and webmention.

The endpoints and tasks stay thin by calling these modules:

``fetch``
    The only code that opens sockets for linkbacks. ``get(url, accept=..., max_redirects=...)``
    and ``post(url, data=... | body=...)`` return a ``Response`` or raise
    ``FetchError(reason)``. Rules: http and https only, ports in ``LINKBACK_ALLOWED_PORTS``; the
    host is resolved once and every address must be public (no loopback, private, link-local,
    multicast, reserved or unspecified address, no cloud metadata address); the socket is
    opened to that vetted address, so DNS rebinding cannot redirect it; redirects are followed
    by hand, each hop vetted again, at most ``LINKBACK_MAX_REDIRECTS`` (pingback: none);
    ``LINKBACK_TIMEOUT`` per socket operation and ``LINKBACK_DEADLINE`` for the whole
    request; the body is read as a stream and refused past ``LINKBACK_MAX_BYTES``. Reasons:
    bad_url, bad_scheme, bad_port, dns, forbidden_address, connection, timeout, too_large,
    too_many_redirects, bad_content_type, http_status (with ``status``). Tests that run a
    server on 127.0.0.1 set ``LINKBACK_ALLOW_LOOPBACK``; it is off by default.

``verify``
    ``verify_source(text=, content_type=, source_url=, target_url=, microformats=)``: does
    the source link to exactly the target (Webmention 3.2.2 per media type: HTML href/src,
    JSON string values, text/plain occurrence)? Returns a ``VerifiedSource`` with title,
    WordPress-style excerpt ("[…] up to 100 characters either side […]") and, for
    webmention, the mf2 author, URL, content and response type; raises
    ``VerificationError(reason)``. Everything it returns is plain text or an http(s) URL.

``discovery``
    ``webmention_endpoint(page)``, ``pingback_endpoint(page)`` and ``choose_endpoint(page)``
    (webmention first, as mention-client-php does) on a fetched ``Response``.

``xmlrpc``
    Pingback 1.0 over XML-RPC (hixie.ch/specs/pingback/pingback-1.0): requests capped and
    parsed with defusedxml, only ``pingback.ping`` and ``pingback.extensions.getPingbacks``;
    the spec's faults 0, 16 (0x10), 17 (0x11), 32 (0x20), 33 (0x21), 48 (0x30), 49 (0x31),
    50 (0x32) with WordPress's messages; ``public_fault`` hides all but 48 behind a bare 0
    when ``PINGBACK_HIDE_FAULTS`` is on; ``render_pingback_request`` and
    ``parse_pingback_response`` for sending.

``links``
    ``external_links(html, site_url)``: the links of a post worth notifying, and its
    links to our own site (self-pings, made without HTTP).

``markup``
    ``feed(parser, html)``: runs html.parser over hostile HTML the way browsers read it
    (bogus ``<![`` sections skipped, markup left open at the end dropped), never crashing.

The Django app on top of it (label ``linkbacks``):

``targets``
    ``resolve_target(url)``: the live post, page or cluster profile an address of ours shows
    (else ``TargetError``: invalid, not_ours, not_found, not_pingable); ``accepts_pings(obj)``.

``receive``
    Each protocol's checks, cheapest first, ending in ``comments.services.linkback_receive``:
    ``receive_pingback`` and ``pingbacks_of`` (XML-RPC faults), ``receive_trackback``,
    ``accept_webmention`` and ``verify_webmention`` (run by a task). ``throttle`` counts
    requests per client address and per source host.

``send``, ``tasks``
    ``tasks.notify_linked_sites(post)`` after a post is saved or published: self-pings at once,
    then ``send.plan`` and ``send.deliver`` in tasks, with retries; ``tasks.sweep`` behind
    ``manage.py send_linkbacks``. ``models.OutgoingLinkback`` records each link's outcome.

``views``, ``urls``, ``advertise``, ``admin``
    ``/xmlrpc/``, ``/trackback/<kind>/<pk>/``, ``/webmention/`` and its status pages; the
    headers and ``<link>`` elements (``linkback_endpoints``) of the pages that take linkbacks;
    the outcomes in the post admin.
"""
