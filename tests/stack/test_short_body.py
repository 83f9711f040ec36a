"""A request whose body is shorter than its Content-Length, or arrives a byte at a time, cannot
hold gunicorn's worker: gunicorn gives up on it after its timeout, and the reference nginx
(deploy/nginx.conf) buffers the whole body before gunicorn sees the request at all."""

import shutil
import socket
import ssl
import threading

import pytest
import requests

from tests.stack.conftest import NGINX, Nginx, certificate, free_port, gunicorn, wait_for_http

POST_HEAD = (
    "POST /comments/post/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    "Content-Type: application/x-www-form-urlencoded\r\n"
    "Content-Length: 1000\r\n\r\n"
)


def test_a_body_shorter_than_its_content_length_does_not_hold_the_worker(
    sqlite_site, tmp_path, processes
):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # One thread, and a timeout of 2 s instead of 30 to keep the test short.
    env = {**sqlite_site, "SITE_URL": base, "GUNICORN_TIMEOUT": "2"}
    processes.append(gunicorn(env, port, tmp_path / "web.log", workers=1, threads=1))
    wait_for_http(base + "/healthz")

    stuck = socket.create_connection(("127.0.0.1", port), timeout=30)
    stuck.sendall(POST_HEAD.encode() + b"body=short")

    # The only thread gives up waiting for the rest of the body and answers the next request.
    assert requests.get(base + "/healthz", timeout=30).status_code == 200
    answer = stuck.recv(1000)
    assert answer.startswith(b"HTTP/1.1 4"), answer
    stuck.close()


@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx (/usr/sbin/nginx) is not installed")
def test_behind_nginx_short_and_trickling_bodies_never_reach_the_worker(
    sqlite_site, tmp_path, processes
):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed for the test's TLS certificate")
    cert, key = certificate(tmp_path)
    port = free_port()
    front = Nginx(tmp_path / "nginx", [port], sqlite_site["DJANGO_STATIC_ROOT"], cert, key)
    # One thread, and gunicorn's own timeout far beyond the test's: only nginx can free it.
    env = {**sqlite_site, "SITE_URL": front.origin, "GUNICORN_TIMEOUT": "600"}
    processes.append(gunicorn(env, port, tmp_path / "web.log", workers=1, threads=1))
    wait_for_http(f"http://127.0.0.1:{port}/healthz")
    processes.append(front.start())
    wait_for_http(front.origin + "/healthz", verify=str(cert))

    tls = ssl.create_default_context(cafile=str(cert))
    host, _, https_port = front.origin.removeprefix("https://").partition(":")

    def client() -> ssl.SSLSocket:
        sock = socket.create_connection((host, int(https_port)), timeout=60)
        return tls.wrap_socket(sock, server_hostname=host)

    short = client()
    short.sendall(POST_HEAD.encode() + b"body=short")
    trickling = client()
    trickling.sendall(POST_HEAD.encode())
    done = threading.Event()

    def trickle() -> None:
        while not done.wait(0.2):
            trickling.sendall(b"x")

    trickler = threading.Thread(target=trickle)
    trickler.start()
    try:
        # Both bodies are still on their way, and the only thread answers page after page.
        for _ in range(5):
            home = requests.get(front.origin + "/", verify=str(cert), timeout=60)
            assert home.status_code == 200
    finally:
        done.set()
        trickler.join()
    # nginx ends each stalled body itself (client_body_timeout): it closes the connection and
    # logs a 408 with no upstream ("-"), and gunicorn never saw either request.
    for sock in (short, trickling):
        assert sock.recv(1000) == b""
        sock.close()
    posts = [line for line in front.access_log() if '"POST /comments/post/' in line]
    assert len(posts) == 2 and all('" 408 0 ' in line and " - " in line for line in posts), posts
    assert "/comments/post/" not in processes[0].output()
