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
import threading
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
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
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


def wait_for_http(url: str, *, seconds: float = 60, verify=True) -> None:
    def answers():
        try:
            return requests.get(url, timeout=5, verify=verify).status_code < 500
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


STORED = "from comments.models import Comment; print('\\n'.join(Comment.objects.values_list('body', flat=True)))"  # noqa: E501
TASKS_LEFT = (
    "from django_tasks_db.models import DBTaskResult; "
    "print(DBTaskResult.objects.ready().count() + DBTaskResult.objects.running().count())"
)


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


def post_comment(session, base: str, page: str, body: str, *, opened=None, **fields):
    """Open ``page`` (unless it was) and send its comment form as a browser does."""
    opened = opened or session.get(base + page, timeout=30)
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


NGINX = Path("/usr/sbin/nginx")


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


class Nginx:
    """nginx from deploy/nginx.conf in front of ``upstreams``, on a https origin of its own:
    configured at once (the app servers need the origin), started by ``start``."""

    def __init__(self, folder: Path, upstreams: list[int], static_root: Path, cert, key):
        folder.mkdir()
        self.folder = folder
        self.origin = f"https://127.0.0.1:{free_port()}"
        values = {
            "run_dir": folder,
            "log_dir": folder,
            "upstream_servers": " ".join(
                f"server 127.0.0.1:{port} max_fails=1 fail_timeout=30s;" for port in upstreams
            ),
            "http_listen": f"127.0.0.1:{free_port()}",
            "https_listen": self.origin.removeprefix("https://"),
            "server_name": "127.0.0.1",
            "site_url": self.origin,
            "certificate": cert,
            "certificate_key": key,
            "static_root": static_root,
            "media_root": folder / "media",
        }
        config = (ROOT / "deploy" / "nginx.conf").read_text()
        for name, value in values.items():
            config = config.replace(f"@{name}@", str(value))
        assert "@" not in re.sub(r"#.*", "", config), "a placeholder was left in deploy/nginx.conf"
        (folder / "nginx.conf").write_text(config)

    def start(self) -> Process:
        args = [str(NGINX), "-c", str(self.folder / "nginx.conf"), "-g", "daemon off;"]
        return Process(args, os.environ.copy(), self.folder / "stdout.log")

    def access_log(self) -> list[str]:
        return (self.folder / "access.log").read_text().splitlines()


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder, a free port),
    never the machine's server: the tests stop and start it."""

    def __init__(self, folder: Path):
        initdb = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not initdb:
            pytest.skip("PostgreSQL's initdb is not installed (/usr/lib/postgresql/*/bin)")
        self.bin = initdb[-1].parent
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        # PostgreSQL refuses to run as root: as the postgres user then, in a folder of its own.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run(
            [*self.as_user, str(self.bin / program), *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.folder / "postgres.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="bx-pg-"))
    folder.chmod(0o755)
    server = PrivatePostgres(folder)
    yield server
    try:
        server.stop()
    except AssertionError:
        pass  # Already stopped.
    shutil.rmtree(folder, ignore_errors=True)


class PrivateRedis:
    def __init__(self, folder: Path):
        program = shutil.which("redis-server")
        if program is None:
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.popen = subprocess.Popen(
            [
                program,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._answers, what="redis-server")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            self.popen.wait(timeout=30)


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(tmp_path)
    yield server
    server.stop()


class FakeSmtp:
    """A mail server on 127.0.0.1 that, while ``hang`` is set, accepts and never answers."""

    def __init__(self):
        import threading

        self.hang = threading.Event()
        self.connected = threading.Event()
        self.messages: list[bytes] = []
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen()
        self.port = self._socket.getsockname()[1]
        self._held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        import threading

        while True:
            try:
                conn, _ = self._socket.accept()
            except OSError:
                return
            self.connected.set()
            if self.hang.is_set():
                self._held.append(conn)
            else:
                threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"220 fake ESMTP\r\n")
            for line in lines:
                command = line.strip().upper()
                if command == b"DATA":
                    conn.sendall(b"354 go on\r\n")
                    body = b""
                    for data in lines:
                        if data == b".\r\n":
                            break
                        body += data
                    self.messages.append(body)
                    conn.sendall(b"250 queued\r\n")
                elif command == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")

    def close(self) -> None:
        self._socket.close()
        for conn in self._held:
            conn.close()


@pytest.fixture
def fake_smtp() -> Iterator[FakeSmtp]:
    server = FakeSmtp()
    yield server
    server.close()


class Posters:
    """Visitors posting comments and reading pages until told to stop; every answer kept."""

    def __init__(self, base: str, page: str, count: int = 3, verify=True):
        self.base, self.page, self.verify = base, page, verify
        self.answers: list[tuple[str, int, str]] = []  # (body, status, Retry-After)
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._post, args=(n,)) for n in range(count)]
        for thread in self.threads:
            thread.start()

    def _post(self, number: int) -> None:
        session = requests.Session()
        session.trust_env = False  # The verify given, not the CA bundle of the environment.
        session.verify = self.verify
        round_ = 0
        while not self.stop.is_set():
            round_ += 1
            body = f"Comment {number}-{round_} under load."
            try:
                opened = session.get(self.base + self.page, timeout=30)
            except requests.ConnectionError:
                self.answers.append(("page", 0, None))
                continue
            if opened.status_code != 200:  # The page itself; a 503 must be in the site's design.
                plain = opened.status_code == 503 and "Back in a moment" not in opened.text
                retry = opened.headers.get("Retry-After")
                self.answers.append(("page", -1 if plain else opened.status_code, retry))
                time.sleep(0.2)
                continue
            sent = post_comment(session, self.base, self.page, body, opened=opened)
            self.answers.append((body, sent.status_code, sent.headers.get("Retry-After")))
            time.sleep(0.05)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)

    def statuses(self) -> set[int]:
        return {status for _, status, _ in self.answers}
