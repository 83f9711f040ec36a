"""A request whose body is shorter than its Content-Length cannot hold gunicorn's worker."""

import socket

import requests

from tests.stack.conftest import free_port, gunicorn, wait_for_http


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
    stuck.sendall(
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 1000\r\n\r\nbody=short"
    )

    # The only thread gives up waiting for the rest of the body and answers the next request.
    assert requests.get(base + "/healthz", timeout=30).status_code == 200
    answer = stuck.recv(1000)
    assert answer.startswith(b"HTTP/1.1 4"), answer
    stuck.close()
