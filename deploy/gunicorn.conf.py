"""gunicorn's configuration for bioXclusters (``make serve``; deploy/bioxclusters-web.service).

Every value can be set from the environment. Threads (the gthread worker) keep a slow client
from holding a whole process, and nginx in front buffers request and response bodies
(deploy/nginx.conf), so gunicorn only ever talks to a fast local client. ``timeout`` ends a
worker stuck in one request. The gthread worker's timeout does not end a thread blocked reading
a request body, so ``pre_request`` gives the socket a timeout of its own: a request whose body
is shorter than its Content-Length waits at most ``GUNICORN_TIMEOUT`` seconds for the rest (and
behind nginx, which buffers the whole body first, never reaches gunicorn at all).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request that takes longer than this ends its worker; a body that stops arriving for this
# long ends its request (pre_request).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Idle keep-alive connections from nginx are closed after this many seconds.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A fresh process now and then keeps a slow leak from growing.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# The request log is the site's own (one JSON line per request, bioxclusters.middleware);
# gunicorn's error log goes to standard error with it.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Request line and headers: as small as the site needs.
limit_request_line = 8190
limit_request_fields = 100
# nginx in front on the same host or network sets X-Forwarded-Proto; trust it only from there.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def pre_request(worker, req):
    """Give the request's socket a timeout: a body that stops arriving frees the thread."""
    sock = getattr(req.unreader, "sock", None)
    if sock is not None:
        sock.settimeout(timeout)
