"""A small OpenID Connect provider on 127.0.0.1: discovery, authorize, token, userinfo, JWKS.

It keeps to what a real provider checks: the authorize request names the registered client and
redirect URI, a code is used once, the token request carries the client's secret and the PKCE
verifier, and the ID token is signed with RS256 by a key made for the test.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "bioxclusters-test"
CLIENT_SECRET = "not-a-real-secret"
KEY_ID = "test-key-1"


@dataclass
class Person:
    """Who the provider says is signing in."""

    sub: str = "248289761001"
    name: str = "Grace Hopper"
    given_name: str = "Grace"
    family_name: str = "Hopper"
    email: str | None = "grace@cluster.example"
    email_verified: bool = True

    def claims(self) -> dict:
        claims = {
            "sub": self.sub,
            "name": self.name,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "preferred_username": "grace",
        }
        if self.email:
            claims.update(email=self.email, email_verified=self.email_verified)
        return claims


@dataclass
class _Grant:
    redirect_uri: str
    code_challenge: str
    nonce: str


@dataclass
class OIDCProvider:
    """The provider's state; ``person`` is who signs in, ``deny`` makes the user say no."""

    person: Person = field(default_factory=Person)
    deny: bool = False
    requests: list[str] = field(default_factory=list)
    grants: dict[str, _Grant] = field(default_factory=dict)
    tokens: dict[str, Person] = field(default_factory=dict)

    def __post_init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.provider = self
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def start(self) -> OIDCProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def jwks(self) -> dict:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": KEY_ID, "use": "sig", "alg": "RS256"}]}

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "profile", "email"],
        }

    def id_token(self, person: Person, nonce: str) -> str:
        now = int(time.time())
        claims = {
            **person.claims(),
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "jti": secrets.token_hex(8),
        }
        if nonce:
            claims["nonce"] = nonce
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KEY_ID})


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def log_message(self, format, *args):
        pass

    @property
    def provider(self) -> OIDCProvider:
        return self.server.provider

    def _json(self, status: int, data: dict) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        url = urlsplit(self.path)
        self.provider.requests.append(f"GET {url.path}")
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            self._json(200, self.provider.discovery())
        elif url.path == "/jwks":
            self._json(200, self.provider.jwks())
        elif url.path == "/authorize":
            self._authorize(query)
        elif url.path == "/userinfo":
            self._userinfo()
        else:
            self._json(404, {"error": "not_found"})

    def do_POST(self):
        url = urlsplit(self.path)
        self.provider.requests.append(f"POST {url.path}")
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if url.path == "/token":
            self._token(form)
        else:
            self._json(404, {"error": "not_found"})

    def _authorize(self, query: dict) -> None:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            self._json(400, {"error": "unauthorized_client"})
            return
        if "openid" not in query.get("scope", "").split():
            self._json(400, {"error": "invalid_scope"})
            return
        redirect_uri = query["redirect_uri"]
        if self.provider.deny:
            answer = {"error": "access_denied", "state": query.get("state", "")}
        else:
            code = secrets.token_urlsafe(16)
            with self.provider.lock:
                self.provider.grants[code] = _Grant(
                    redirect_uri, query.get("code_challenge", ""), query.get("nonce", "")
                )
            answer = {"code": code, "state": query.get("state", "")}
        self._redirect(f"{redirect_uri}?{urlencode(answer)}")

    def _token(self, form: dict) -> None:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization := self.headers.get("Authorization", ""):
            decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
            client_id, _, secret = decoded.partition(":")
        if (client_id, secret) != (CLIENT_ID, CLIENT_SECRET):
            self._json(401, {"error": "invalid_client"})
            return
        with self.provider.lock:
            grant = self.provider.grants.pop(form.get("code", ""), None)  # A code works once.
        if (
            grant is None
            or form.get("grant_type") != "authorization_code"
            or form.get("redirect_uri") != grant.redirect_uri
            or (
                grant.code_challenge
                and _s256(form.get("code_verifier", "")) != grant.code_challenge
            )
        ):
            self._json(400, {"error": "invalid_grant"})
            return
        access_token = secrets.token_urlsafe(24)
        person = self.provider.person
        self.provider.tokens[access_token] = person
        self._json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.provider.id_token(person, grant.nonce),
            },
        )

    def _userinfo(self) -> None:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        person = self.provider.tokens.get(token)
        if person is None:
            self._json(401, {"error": "invalid_token"})
            return
        self._json(200, person.claims())
