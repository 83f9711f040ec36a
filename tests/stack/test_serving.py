"""``make serve``'s pieces: gunicorn, WhiteNoise's hashed compressed files, /healthz and
/readyz, one JSON log line per request with its request id, the 503 page."""

import json
import re
import subprocess
import sys

import requests

from tests.stack.conftest import ROOT, free_port, gunicorn, site_env, wait_for_http


def test_gunicorn_serves_pages_health_checks_static_files_and_logs_each_request(
    sqlite_site, tmp_path, processes
):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = gunicorn({**sqlite_site, "SITE_URL": base}, port, tmp_path / "web.log", workers=1)
    processes.append(server)
    wait_for_http(base + "/healthz")

    # A load balancer asks by address, with a Host header of its own.
    health = requests.get(base + "/healthz", headers={"Host": "10.0.0.5"}, timeout=10)
    assert (health.status_code, health.text) == (200, "ok\n")
    ready = requests.get(base + "/readyz", headers={"Host": "10.0.0.5"}, timeout=10)
    assert (ready.status_code, ready.text) == (200, "ready\n")

    home = requests.get(base + "/", headers={"X-Request-ID": "lb-1234.abc"}, timeout=10)
    assert home.status_code == 200
    assert home.headers["X-Request-ID"] == "lb-1234.abc"
    assert "default-src 'self'" in home.headers["Content-Security-Policy"]
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home.text)[1]
    css = requests.get(base + stylesheet, headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert css.status_code == 200
    assert css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]  # Hashed: cached for ever.
    generated = requests.get(
        base + "/", headers={"X-Request-ID": "no spaces <allowed>"}, timeout=10
    )
    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["X-Request-ID"])

    server.kill()
    lines = [json.loads(line) for line in server.output().splitlines() if line.startswith("{")]
    assert {
        "method": "GET",
        "path": "/",
        "status": 200,
        "request_id": "lb-1234.abc",
    }.items() <= next(line for line in lines if line["request_id"] == "lb-1234.abc").items()
    assert all(isinstance(line["duration_ms"], float) for line in lines)
    assert not any(line["path"] in {"/healthz", "/readyz"} for line in lines)  # Not logged.


WITHOUT_DATABASE = """
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
for path in ["/healthz", "/readyz", "/", "/who-we-are/"]:
    response = client.get(path)
    print(path, response.status_code, response.get("Retry-After"), "Back in a moment" in
          response.content.decode())
"""


def test_without_its_database_the_site_answers_503_back_in_a_moment(tmp_path, static_root):
    port = free_port()  # Nothing listens there: the database is down.
    env = site_env(f"postgres://postgres@127.0.0.1:{port}/none", static_root, tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "bioxclusters.settings"
    env["DJANGO_ALLOWED_HOSTS"] = "testserver"
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_DATABASE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answers = [line.split() for line in done.stdout.splitlines()]
    assert answers == [
        ["/healthz", "200", "None", "False"],
        ["/readyz", "503", "None", "False"],
        ["/", "503", "30", "True"],
        ["/who-we-are/", "503", "30", "True"],
    ]
