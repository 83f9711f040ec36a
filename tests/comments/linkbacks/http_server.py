"""A real HTTP server on 127.0.0.1 for the linkback tests, and raw-response fixture helpers."""

from __future__ import annotations

import socket
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from comments.linkbacks.fetch import Response, parse_content_type

HTML = [("Content-Type", "text/html; charset=utf-8")]
# Headers a raw fixture carries that would lie about the body we actually send.
FRAMING_HEADERS = {"content-length", "connection", "transfer-encoding"}


@dataclass
class Reply:
    """What the server answers on one path."""

    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=lambda: list(HTML))
    body: bytes = b""
    delay_headers: float = 0  # seconds of silence before the status line
    delay_body: float = 0  # seconds of silence between the headers and the body
    drip_interval: float = 0  # send the body one byte at a time, this far apart
    stream_bytes: int = 0  # then stream this many filler bytes without a Content-Length
    content_length: bool = True


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class LinkbackServer(ThreadingHTTPServer):
    """Serve ``routes`` (path with query, or path alone -> Reply) and record every request."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, 0), _Handler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.routes: dict[str, Reply] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self.host = host
        self.port = self.server_address[1]
        self._thread = threading.Thread(target=self.serve_forever, args=(0.02,), daemon=True)

    def url(self, path: str = "/") -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def handle_error(self, request, client_address):
        pass  # failed TLS handshakes are the point of some tests

    def paths_requested(self) -> list[str]:
        return [request.path for request in self.requests]

    def start(self) -> LinkbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: LinkbackServer

    def log_message(self, format, *args):  # keep test output clean
        pass

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append(Request(self.command, self.path, dict(self.headers), body))
        path = self.path
        reply = self.server.routes.get(path) or self.server.routes.get(path.partition("?")[0])
        reply = reply or Reply(404, [("Content-Type", "text/plain")], b"not found")
        try:
            self._write(reply)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should past a cap or a timeout

    def _write(self, reply: Reply):
        wait = self.server.stopping.wait
        if reply.delay_headers and wait(reply.delay_headers):
            return
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.content_length and not reply.stream_bytes:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.flush()
        if reply.delay_body and wait(reply.delay_body):
            return
        if reply.drip_interval:
            for byte in reply.body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                if wait(reply.drip_interval):
                    return
        else:
            self.wfile.write(reply.body)
        chunk = b"x" * 65536
        sent = 0
        while sent < reply.stream_bytes and not self.server.stopping.is_set():
            self.wfile.write(chunk)
            sent += len(chunk)


def parse_raw(data: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    """Split a raw HTTP response (CRLF or LF) into status, headers in order and body."""
    crlf, lf = data.find(b"\r\n\r\n"), data.find(b"\n\n")
    if crlf != -1 and (lf == -1 or crlf < lf):
        head, body = data[:crlf], data[crlf + 4 :]
    else:
        head, body = data[:lf], data[lf + 2 :]
    lines = head.decode("iso-8859-1").replace("\r\n", "\n").split("\n")
    status = int(lines[0].split()[1])
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return status, headers, body


def raw_response(path: Path, url: str) -> Response:
    """Return a raw fixture as the Response fetch would give for ``url``."""
    status, headers, body = parse_raw(path.read_bytes())
    content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
    media_type, charset = parse_content_type(content_type)
    return Response(url, status, tuple(headers), media_type, body, charset)


def raw_reply(path: Path) -> Reply:
    """Return a raw fixture as a Reply the test server can send."""
    status, headers, body = parse_raw(path.read_bytes())
    kept = [(k, v) for k, v in headers if k.lower() not in FRAMING_HEADERS]
    return Reply(status, kept, body)
