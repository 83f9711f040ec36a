"""Production settings: check --deploy clean, https required, addresses from SITE_URL, headers,
a Content-Security-Policy that no page breaks (no inline script or style)."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.comments.signin.conftest import APP, providers, sign_in_buttons
from tests.factories import make_post
from tests.stack.conftest import ROOT, inline_code

# The variables README "Production" documents for a site behind nginx (deploy/).
PRODUCTION = {
    "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
    "SITE_URL": "https://bioxclusters.example",
    "DJANGO_BEHIND_TLS_PROXY": "1",
    "DATABASE_URL": "sqlite://:memory:",
}


def start(command: list[str], **environment) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", **environment}
    return subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_the_documented_production_variables():
    checked = start(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert checked.returncode == 0, checked.stderr
    assert "no issues" in checked.stdout


@pytest.mark.parametrize(
    ("site_url", "message"),
    [
        (None, "Set SITE_URL"),
        ("http://bioxclusters.example", "SITE_URL must use https"),
        ("bioxclusters.example", "must be an http(s) address"),
    ],
)
def test_production_refuses_to_start_without_an_https_site_url(site_url, message):
    environment = {**PRODUCTION, "DJANGO_BEHIND_TLS_PROXY": "0"}
    environment.pop("SITE_URL")
    if site_url:
        environment["SITE_URL"] = site_url
    started = start(["manage.py", "check"], **environment)
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert message in started.stderr


def test_behind_a_tls_proxy_the_settings_trust_its_header_and_keep_https_on():
    show = (
        "import json, bioxclusters.settings as s; print(json.dumps([s.SECURE_PROXY_SSL_HEADER,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.ALLOWED_HOSTS]))"
    )
    started = start(["-c", show], **PRODUCTION)
    assert started.returncode == 0, started.stderr
    header, redirect, hsts, session_secure, csrf_secure, hosts = json.loads(started.stdout)
    assert header == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert redirect and hsts >= 31536000 and session_secure and csrf_secure
    assert hosts == ["bioxclusters.example"]  # Only SITE_URL's host, unless told otherwise.


def test_a_development_site_still_starts_with_nothing_set():
    started = start(
        ["-c", "import bioxclusters.settings as s; print(s.SITE_URL)"], DJANGO_DEBUG="1"
    )
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "http://127.0.0.1:8000"


def make_run_site_url(*variables: str, **environment) -> str:
    """Return the SITE_URL ``make run`` would give the site (a dry run of make)."""
    env = {"PATH": os.environ["PATH"], **environment}
    dry = subprocess.run(
        ["make", "-n", "-p", "run", *variables], cwd=ROOT, env=env, capture_output=True, text=True
    )
    (line,) = [line for line in dry.stdout.splitlines() if line.startswith("RUN_SITE_URL :=")]
    return line.split(":=", 1)[1].strip()


def test_make_run_derives_site_url_from_host_and_port_unless_it_is_set():
    assert make_run_site_url() == "http://127.0.0.1:8000"
    assert make_run_site_url("PORT=8093") == "http://127.0.0.1:8093"
    assert make_run_site_url("HOST=0.0.0.0", "PORT=9000") == "http://0.0.0.0:9000"
    assert make_run_site_url("PORT=8093", SITE_URL="https://demo.example") == (
        "https://demo.example"
    )


@pytest.mark.django_db
def test_oauth_redirect_uri_and_mail_links_come_from_site_url_not_the_host_header(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    settings.SOCIALACCOUNT_PROVIDERS = providers(google=APP)
    post = make_post()
    page = client.get(post.get_absolute_url(), HTTP_HOST="evil.example").content.decode()
    started = client.post(sign_in_buttons(page)["Log in with Google"], HTTP_HOST="evil.example")
    asked = parse_qs(urlsplit(started["Location"]).query)
    assert asked["redirect_uri"] == ["https://bioxclusters.test/accounts/google/login/callback/"]

    get_user_model().objects.create_user("ada", "ada@example.org", "pw-for-tests-only")
    client.post(
        reverse("account_reset_password"), {"email": "ada@example.org"}, HTTP_HOST="evil.example"
    )
    (message,) = mail.outbox
    assert "https://bioxclusters.test/accounts/password/reset/key/" in message.body
    assert "evil.example" not in message.body


@pytest.mark.django_db
def test_https_responses_carry_hsts_and_every_page_the_security_headers(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_no_page_has_inline_script_or_style(client, admin_client, settings):
    from clusters.seed import load_seed_content

    load_seed_content()
    post = make_post()
    public = ["/", "/who-we-are/", "/blog/", post.get_absolute_url(), "/accounts/login/"]
    from clusters.models import Cluster, MediaImage, Page

    public += [cluster.get_absolute_url() for cluster in Cluster.objects.all()[:2]]
    admin = [
        "/admin/",
        "/admin/clusters/post/",
        f"/admin/clusters/post/{post.pk}/change/",
        "/admin/clusters/post/add/",
        "/admin/clusters/page/",
        f"/admin/clusters/page/{Page.objects.first().pk}/change/",
        "/admin/clusters/cluster/",
        "/admin/comments/comment/",
        f"/admin/{MediaImage._meta.app_label}/mediaimage/",
    ]
    for url, browser in [*((u, client) for u in public), *((u, admin_client) for u in admin)]:
        response = browser.get(url)
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response, url
        assert inline_code(response.content.decode()) == [], url


@pytest.mark.django_db
def test_the_editors_import_map_is_allowed_by_its_hash_alone(admin_client):
    import base64
    import hashlib
    import re

    response = admin_client.get("/admin/clusters/post/add/")
    (body,) = re.findall(rb'<script type="importmap">(.*?)</script>', response.content, re.S)
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    policy = response["Content-Security-Policy"]
    assert f"'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_the_stylesheet_the_editor_injects_is_allowed_by_its_hash_on_its_pages_only(admin_client):
    import base64
    import hashlib
    import re

    from django.contrib.staticfiles import finders

    # TipTap's stylesheet, a template literal in the editor's bundle, as the browser hashes it.
    script = Path(finders.find("django_prose_editor/editor.js")).read_text(encoding="utf-8")
    (style,) = re.findall(r"`(\.ProseMirror \{\n  position: relative;.*?)`", script, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()

    editor_page = admin_client.get("/admin/clusters/post/add/")["Content-Security-Policy"]
    assert f"'sha256-{digest}'" in editor_page.split("style-src")[1].split(";")[0]
    assert f"'sha256-{digest}'" not in admin_client.get("/")["Content-Security-Policy"]
