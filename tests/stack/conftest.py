"""Real processes for the production-stack tests: a migrated SQLite file, the collected static
files, manage.py commands, gunicorn and run_worker, each on 127.0.0.1 and a free port."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRET_KEY = "tests-only-not-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, *, seconds: float = 30, what: str = "the condition"):
    """Poll ``condition`` until it returns something true; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    pytest.fail(f"Gave up waiting for {what}")


def site_env(database_url: str, static_root: Path, media_root: Path, **extra) -> dict[str, str]:
    """The environment of a production process of the site (DEBUG off) behind a TLS proxy."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_", "AWS_", "SITE_", "PYTEST", "DATABASE_"))
    }
    env.update(
        DJANGO_SECRET_KEY=SECRET_KEY,
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_MEDIA_ROOT=str(media_root),
        SITE_URL="http://127.0.0.1:8000",
        DJANGO_BEHIND_TLS_PROXY="1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        COMMENTS_FORM_MIN_SECONDS="0",
        COMMENTS_FLOOD_SECONDS="0",
        COMMENTS_RATE_LIMIT="0",
        LINKBACK_SEND="0",
        DATABASE_CONN_MAX_AGE="60",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run a manage.py command; return its standard output, failing the test if it fails."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def shell(env: dict[str, str], code: str) -> str:
    return manage(env, "shell", "--no-imports", "-c", code).strip()


class Process:
    """A server or worker the test started; stopped (its whole group) when the test ends."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.log = log
        self.args = args
        self.env = env
        self.start()

    def start(self) -> None:
        self._out = self.log.open("ab")
        self.popen = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)
        self._out.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def processes(tmp_path) -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in reversed(started):
        process.kill(signal.SIGTERM)


def gunicorn(env, port: int, log: Path, *, workers: int = 2, threads: int = 4) -> Process:
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
    }
    args = [str(BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "bioxclusters.wsgi"]
    return Process(args, env, log)


def worker(env, log: Path, *extra: str) -> Process:
    args = [sys.executable, "manage.py", "run_worker", "--no-reload", "--interval", "0.2", *extra]
    return Process(args, env, log)


def wait_for_http(url: str, *, seconds: float = 60) -> None:
    def answers():
        try:
            return requests.get(url, timeout=5).status_code < 500
        except requests.RequestException:
            return False

    wait_until(answers, seconds=seconds, what=url)


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """The static files, collected once as ``make serve`` does (hashed and compressed)."""
    root = tmp_path_factory.mktemp("staticfiles")
    env = site_env("sqlite://:memory:", root, root / "media")
    manage(env, "collectstatic", "--noinput", "-v0", timeout=300)
    return root


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A migrated SQLite database file with the cache table and the seed content, made once."""
    path = tmp_path_factory.mktemp("sqlite-template") / "db.sqlite3"
    env = site_env(f"sqlite:///{path}", path.parent, path.parent)
    manage(env, "migrate", "--noinput", "-v0", timeout=300)
    manage(env, "createcachetable")
    manage(env, "load_seed_content")
    return path


@pytest.fixture
def sqlite_site(tmp_path, migrated_sqlite, static_root) -> dict[str, str]:
    """The environment of a site on a fresh copy of the migrated SQLite file."""
    database = tmp_path / "db.sqlite3"
    shutil.copy(migrated_sqlite, database)
    return site_env(f"sqlite:///{database}", static_root, tmp_path / "media")


MAKE_POST = (
    "from tests.factories import make_post; "
    "post = make_post(title='Stack test'); print(post.get_absolute_url())"
)


class _Fields(HTMLParser):
    """The named inputs of the comment form (#commentform) of a page."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._inside = attrs.get("id") == "commentform"
        elif self._inside and tag in {"input", "textarea"} and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


def comment_form_fields(html: str) -> dict[str, str]:
    parser = _Fields()
    parser.feed(html)
    assert "target" in parser.fields, "no comment form on the page"
    return parser.fields


def post_comment(session: requests.Session, base: str, page: str, body: str, **fields):
    """Open ``page`` and send its comment form as a browser does; return the response."""
    opened = session.get(base + page, timeout=30)
    assert opened.status_code == 200, opened.status_code
    data = comment_form_fields(opened.text)
    data.update(
        body=body, author_name="Ada Lovelace", author_email="ada@example.org", author_url=""
    )
    data.update(fields)
    return session.post(
        base + "/comments/post/",
        data=data,
        timeout=30,
        allow_redirects=False,
        headers={"Referer": base + page},
    )


def inline_code(html: str) -> list[str]:
    """Return every inline script, style element and style attribute of a page (JSON data
    and import maps, which run no code, aside)."""
    found = []
    data = {"application/json", "importmap"}

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "style":
                found.append("<style>")
            if tag == "script" and "src" not in attrs and attrs.get("type") not in data:
                found.append("<script> without src")
            if "style" in attrs:
                found.append(f"style= on <{tag}>")
            found.extend(f"{name}= on <{tag}>" for name in attrs if re.fullmatch(r"on\w+", name))

    Finder().feed(html)
    return found
