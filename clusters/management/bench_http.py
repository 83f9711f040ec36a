"""The HTTP half of ``make bench``: the page cache beside a static file, and posting under load.

Both run against one gunicorn server, started as ``make serve`` starts it (``gunicorn --config
deploy/gunicorn.conf.py bioxclusters.wsgi``: workers and threads from ``GUNICORN_WORKERS`` and
``GUNICORN_THREADS``), on a free port of 127.0.0.1, over the benchmark's throw-away database.
Requests per second come from wrk (Debian's ``wrk`` package): for each page, wrk asks for it
from the page cache, then for a static file of exactly the same bytes that WhiteNoise serves
from the same server; then both again for a client that accepts gzip (the page cache gzips,
WhiteNoise serves the file's gzipped copy).
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

POSTERS = 32
GUNICORN_CONFIG = "deploy/gunicorn.conf.py"  # What `make serve` runs gunicorn with.
LOG_FILE = Path(settings.BASE_DIR) / "build" / "bench-server.log"
_TOKEN = re.compile(r'name="target" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def machine_load() -> str:
    """Return the load averages and the number of processors, as ``uptime`` and ``nproc`` say."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} processors"


def wrk_missing() -> str:
    """Return why wrk cannot run, or "" if it is installed."""
    if shutil.which("wrk"):
        return ""
    return "wrk is not installed: run `apt-get install -y wrk` (Debian's package), then again."


class Server:
    """A gunicorn server of the site over ``database_url``, for as long as the ``with`` lasts."""

    def __init__(self, *, port: int, database_url: str, environment: dict[str, str]):
        self.port = port
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SITE_URL": f"http://127.0.0.1:{port}",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_LOG_LEVEL": "warning",
            "DJANGO_REQUEST_LOG_LEVEL": "INFO",  # One line a request, as in production.
            # Plain http on loopback, as behind the reference nginx, which speaks TLS.
            "DJANGO_BEHIND_TLS_PROXY": "1",
            "DJANGO_LOG_LEVEL": "WARNING",
            # Tasks are queued in the database, as in production; no worker needs to run.
            "DJANGO_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            **environment,
        }
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        """Return gunicorn's command line, as ``make serve`` has it."""
        return [sys.executable, "-m", "gunicorn", "--config", GUNICORN_CONFIG, "bioxclusters.wsgi"]

    def describe(self) -> str:
        workers = self.env.get("GUNICORN_WORKERS") or min(2 * (os.cpu_count() or 1) + 1, 9)
        threads = self.env.get("GUNICORN_THREADS", "4")
        return f"gunicorn ({GUNICORN_CONFIG}): {workers} workers of {threads} threads"

    def __enter__(self) -> Server:
        # Its request log (one line a request, as in production) goes to a file, not the screen.
        LOG_FILE.parent.mkdir(exist_ok=True)
        with LOG_FILE.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=settings.BASE_DIR, env=self.env, start_new_session=True,
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start: see {LOG_FILE}")
            try:
                if get(self.port, "/robots.txt")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@dataclass
class WrkResult:
    requests_per_second: float
    errors: str


def wrk(url: str, *, seconds: int, connections: int = 16, gzip: bool = False) -> WrkResult:
    """Return wrk's requests per second for ``url``, and what went wrong, if anything.

    With ``gzip``, wrk says it accepts gzip, as browsers do (it never decompresses).
    """
    headers = ["-H", "Accept-Encoding: gzip"] if gzip else []
    output = subprocess.run(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    problems = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: [^\n]+)", output)
    return WrkResult(rate, "; ".join(problems))


@dataclass
class Posting:
    succeeded: list[str] = field(default_factory=list)  # The bodies answered with a redirect.
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)


def post_under_load(port: int, path: str, *, seconds: int, posters: int = POSTERS) -> Posting:
    """Have ``posters`` visitors post comments on the page at ``path`` for ``seconds``.

    Each opens the page once, as a browser does, and sends comment after comment from its form,
    each with a body of its own, until the time is up.
    """
    result = Posting()
    stop_at = time.monotonic() + seconds

    def poster(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("GET", path)
            token = _TOKEN.search(connection.getresponse().read().decode())[1]
            sent = 0
            while time.monotonic() < stop_at:
                sent += 1
                body = f"Bench comment {number}-{sent}: posting under load, stored exactly once."
                form = urllib.parse.urlencode({
                    "body": body, "author_name": f"Poster {number}",
                    "author_email": f"poster{number}@example.org", "author_url": "",
                    "target": token, "parent": "", "topic": "",
                })  # fmt: skip
                try:
                    connection.request(
                        "POST", "/comments/post/", form,
                        {"Content-Type": "application/x-www-form-urlencoded"},
                    )  # fmt: skip
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as error:
                    with result.lock:
                        result.errors[type(error).__name__] += 1
                    connection.close()
                    continue
                with result.lock:
                    result.statuses[response.status] += 1
                    if response.status in (302, 303):
                        result.succeeded.append(body)
        finally:
            connection.close()

    threads = [threading.Thread(target=poster, args=(n,)) for n in range(posters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


def write_static_copy(name: str, content: bytes) -> str:
    """Write ``content`` as a static file WhiteNoise serves, and return its path on the site.

    Its gzipped copy goes beside it, as collectstatic makes them: WhiteNoise serves that one to
    clients that accept gzip.
    """
    path = Path(settings.STATIC_ROOT) / "bench" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    path.with_name(name + ".gz").write_bytes(gzip.compress(content, 6, mtime=0))
    return f"{settings.STATIC_URL}bench/{name}"


def remove_static_copies() -> None:
    shutil.rmtree(Path(settings.STATIC_ROOT) / "bench", ignore_errors=True)
