"""The reference layout of docs/deploy.md for real, on 127.0.0.1: Debian's nginx (deploy/nginx.conf)
in front of two gunicorn app servers and a worker, one PostgreSQL database, one Redis database
and an S3-compatible store (moto's server). Its own step of .ci/run (``-m multiserver``).

Each app server is also reached through an nginx of its own, made from the same template, so
that the test can say "through server A" and "through server B" over https.
"""

import io
import os
import re
import shutil
import signal
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import psycopg2
import pytest
import redis
import requests
from PIL import Image

from tests.stack.conftest import (
    MAKE_POST,
    NGINX,
    STORED,
    TASKS_LEFT,
    Nginx,
    Posters,
    certificate,
    free_port,
    gunicorn,
    manage,
    post_comment,
    shell,
    site_env,
    wait_for_http,
    wait_until,
    worker,
)

pytestmark = pytest.mark.multiserver

DATABASE_URL = os.environ.get(
    "MULTISERVER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bioxclusters_multiserver"
)
REDIS_URL = os.environ.get("MULTISERVER_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "moderator-password-for-tests"
AWAITING = "Your comment is awaiting moderation."


def fresh_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    try:
        admin = psycopg2.connect(url.replace(f"/{name}", "/postgres"), connect_timeout=5)
    except psycopg2.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable for the multi-server test: {error}")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def fresh_redis(url: str) -> None:
    database = int(urlsplit(url).path.lstrip("/") or 0)
    assert database not in {0, 15}, "the multi-server test empties its Redis database: not 0/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.ConnectionError as error:
        pytest.skip(f"Redis is not reachable for the multi-server test: {error}")


class Browser(requests.Session):
    def __init__(self, origin: str, cert: Path):
        super().__init__()
        self.origin = origin
        self.trust_env = False  # Our certificate, not the CA bundle of the environment.
        self.verify = str(cert)

    def page(self, path: str) -> str:
        response = self.get(self.origin + path, timeout=30)
        assert response.status_code == 200, (path, response.status_code)
        return response.text

    def csrf(self, path: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.page(path))[1]

    def log_in(self, username: str) -> None:
        token = self.csrf("/admin/login/")
        response = self.post(
            self.origin + "/admin/login/?next=/admin/",
            data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
            headers={"Referer": self.origin + "/admin/login/"},
            timeout=30,
        )
        assert response.url.endswith("/admin/"), response.url


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (90, 30), "#0b4f6c").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def moto_endpoint(monkeypatch):
    from moto.server import ThreadedMotoServer

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx (/usr/sbin/nginx) is not installed")
def test_two_app_servers_behind_nginx_share_everything(
    tmp_path, static_root, processes, moto_endpoint
):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed for the test's TLS certificate")
    fresh_database(DATABASE_URL)
    fresh_redis(REDIS_URL)
    cert, key = certificate(tmp_path)
    port_a, port_b = free_port(), free_port()
    nginxes = [
        Nginx(tmp_path / name, ports, static_root, cert, key)
        for name, ports in (("lb", [port_a, port_b]), ("a", [port_a]), ("b", [port_b]))
    ]
    balancer, through_a, through_b = (server.origin for server in nginxes)
    aws = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_STORAGE_BUCKET_NAME": "bioxclusters-media",
        "AWS_S3_ENDPOINT_URL": moto_endpoint,
        "AWS_DEFAULT_ACL": "public-read",
    }
    boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1").create_bucket(
        Bucket=aws["AWS_STORAGE_BUCKET_NAME"]
    )
    # As deploy/bioxclusters.env.example: https SITE_URL, behind nginx, Redis, S3.
    env = site_env(
        DATABASE_URL,
        static_root,
        tmp_path / "no-media",
        SITE_URL=balancer,
        DJANGO_SECURE_SSL_REDIRECT="1",
        DJANGO_CSRF_TRUSTED_ORIGINS=f"{through_a},{through_b}",
        COMMENTS_CLIENT_IP_HEADER="HTTP_X_REAL_IP",
        REDIS_URL=REDIS_URL,
        **aws,
    )
    manage(env, "migrate", "--noinput", "-v0", timeout=600)
    page = shell(env, MAKE_POST)
    shell(
        env,
        "from django.contrib.auth import get_user_model; get_user_model().objects"
        f".create_superuser('moderator', 'mod@example.org', {PASSWORD!r})",
    )
    server_a = gunicorn(env, port_a, tmp_path / "a.log", workers=1, threads=4)
    server_b = gunicorn(env, port_b, tmp_path / "b.log", workers=1, threads=4)
    processes.extend([server_a, server_b, worker(env, tmp_path / "worker.log")])
    # nginx only once both app servers answer: a connection refused while one starts would
    # leave it out of the balancer for fail_timeout, both of them out ("no live upstreams").
    for port in (port_a, port_b):
        wait_for_http(f"http://127.0.0.1:{port}/healthz")
    processes.extend(server.start() for server in nginxes)
    for origin in (balancer, through_a, through_b):
        wait_for_http(f"{origin}/healthz", verify=str(cert))

    # A comment posted through A waits for moderation, shown to its author only.
    author = Browser(through_a, cert)
    body = "Posted through server A, approved through server B."
    sent = post_comment(author, through_a, page, body)
    assert sent.status_code == 302, sent.text[-2000:]
    own_view = author.page(page)
    assert body in own_view and AWAITING in own_view
    assert body not in Browser(through_b, cert).page(page)

    # A moderator approves it through B; every server shows it at once.
    moderator = Browser(through_b, cert)
    moderator.log_in("moderator")
    comment_id = shell(
        env, f"from comments.models import Comment; print(Comment.objects.get(body={body!r}).pk)"
    )
    approved = moderator.post(
        through_b + "/admin/comments/comment/",
        data={
            "csrfmiddlewaretoken": moderator.csrf("/admin/comments/comment/"),
            "action": "approve",
            "_selected_action": comment_id,
        },
        headers={"Referer": through_b + "/admin/comments/comment/"},
        timeout=30,
    )
    assert approved.status_code == 200
    for origin in (through_a, through_b, balancer):
        shown = Browser(origin, cert).page(page)
        assert body in shown and AWAITING not in shown, origin

    # An image uploaded through B is in the store and shown by A too.
    uploaded = moderator.post(
        through_b + "/admin/clusters/mediaimage/add/",
        data={
            "csrfmiddlewaretoken": moderator.csrf("/admin/clusters/mediaimage/add/"),
            "title": "Osaka signing",
            "alt_text": "Two delegations shake hands",
        },
        files={"file": ("signing.png", png(), "image/png")},
        headers={"Referer": through_b + "/admin/clusters/mediaimage/add/"},
        timeout=30,
    )
    assert uploaded.status_code == 200 and "was added successfully" in uploaded.text
    url = shell(
        env, "from clusters.models import MediaImage; print(MediaImage.objects.get().file.url)"
    )
    assert url.startswith(f"{moto_endpoint}/bioxclusters-media/images/")
    editor_a = Browser(through_a, cert)
    editor_a.log_in("moderator")
    assert url in editor_a.page("/admin/clusters/mediaimage/")
    assert url in moderator.page("/admin/clusters/mediaimage/")
    assert requests.get(url, timeout=10).content == png()

    # Server A dies under load: the balancer goes on with B and no answered comment is lost.
    posters = Posters(balancer, page, count=3, verify=str(cert))
    wait_until(lambda: len(posters.answers) >= 9, seconds=120, what="comments through nginx")
    server_a.kill(signal.SIGKILL)
    killed_at = len(posters.answers)
    wait_until(lambda: len(posters.answers) >= killed_at + 12, seconds=120, what="more comments")
    home = requests.get(balancer + "/", verify=str(cert), timeout=30)
    posters.finish()

    assert home.status_code == 200
    after = [status for _, status, _ in posters.answers[killed_at + 3 :]]
    assert after and set(after) == {302}, after  # Past the requests in flight, all served.
    # Only what was in flight at A when it died may have failed (nginx retries the pages).
    assert {status for _, status, _ in posters.answers} <= {302, 502}
    assert [status for _, status, _ in posters.answers].count(502) <= 3
    stored = set(shell(env, STORED).splitlines())
    answered = {body for body, status, _ in posters.answers if status == 302}
    assert answered <= stored
    wait_until(lambda: shell(env, TASKS_LEFT) == "0", seconds=120, what="the worker's tasks")
