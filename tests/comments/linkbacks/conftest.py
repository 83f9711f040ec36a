"""Fixtures for the linkback tests: a real HTTP server on 127.0.0.1, and a network guard."""

import ipaddress
import socket

import pytest

from .http_server import LinkbackServer


@pytest.fixture(autouse=True)
def _only_loopback_connections(monkeypatch):
    """Fail any test that lets a socket connect anywhere but the loopback interface."""
    original = socket.socket.connect

    def guarded_connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0].split("%")[0]
            assert ipaddress.ip_address(host).is_loopback, f"tried to connect to {address}"
        return original(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture
def server(settings):
    """Return a running server on 127.0.0.1 that linkback fetches may reach."""
    running = LinkbackServer().start()
    settings.LINKBACK_ALLOW_LOOPBACK = True
    settings.LINKBACK_ALLOWED_PORTS = (80, 443, 8080, running.port)
    yield running
    running.stop()


@pytest.fixture
def mention_fixtures(shared_dir):
    """Return the folder of mention-client-php's raw HTTP responses."""
    return shared_dir / "testdata" / "mention-client-php-fixtures"


@pytest.fixture
def mf2_fixtures(shared_dir):
    """Return the folder of wordpress-webmention's mf2 source pages and expected results."""
    return shared_dir / "testdata" / "wordpress-webmention-mf2"
