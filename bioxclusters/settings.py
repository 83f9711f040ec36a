"""Settings for the bioXclusters site, read from the environment in this one place.

Every value that differs between a laptop, CI and production comes from an environment variable;
the README lists them. With ``DJANGO_DEBUG`` off the site refuses to start without a secret key.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.text import format_lazy
from js_asset import static_lazy

from clusters.html import no_markup

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development only)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

# Behind nginx (deploy/nginx.conf), which terminates TLS and says so in X-Forwarded-Proto.
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY")
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The public address of the site: every address the site builds (canonical links, feeds,
# sitemaps, mail, sign-in redirect URIs) comes from it, never from the request's Host header,
# which a client chooses (bioxclusters.middleware.SiteUrlMiddleware).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured("Set SITE_URL to the public address, e.g. https://example.org.")
    SITE_URL = "http://127.0.0.1:8000"
if urlsplit(SITE_URL).scheme not in {"http", "https"} or not urlsplit(SITE_URL).hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an http(s) address, not {SITE_URL!r}.")
if not DEBUG and not SITE_URL.startswith("https://") and not BEHIND_TLS_PROXY:
    raise ImproperlyConfigured(
        "SITE_URL must use https in production (or set DJANGO_BEHIND_TLS_PROXY=1 when a proxy "
        "in front terminates TLS and sets X-Forwarded-Proto)."
    )
SITE_NAME = os.environ.get("SITE_NAME", "bioXclusters plus")

# In production the site answers for SITE_URL's host only, unless told otherwise.
ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS",
    "localhost,127.0.0.1,[::1]" if DEBUG else urlsplit(SITE_URL).hostname,
)

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# English (British formats) is the default and keeps today's unprefixed addresses; the other
# languages of the clusters live under /fr/, /es/, /ca/, /de/, /it/ (README "Languages").
LANGUAGE_CODE = "en-gb"
LANGUAGES = [
    ("en-gb", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ca", "Català"),
    ("de", "Deutsch"),
    ("it", "Italiano"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The site's own date formats for British English (every other language keeps Django's).
FORMAT_MODULE_PATH = ["bioxclusters.formats"]
# Content is written in English first; a text not yet translated shows in English
# (clusters/translation.py, README "Translating content"). Slugs are made from the English title.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = LANGUAGE_CODE
# In the admin, "Title" is the English box and "Title (Français)" the French one under it.
MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = lambda name, code: (  # noqa: E731
    name if code == LANGUAGE_CODE else format_lazy("{} ({})", name, dict(LANGUAGES)[code])
)
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# APPS
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    # Before the admin, whose forms it gives a box per language (clusters/translation.py).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "reversion",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "storages",
    "bioxclusters.worker",
    "clusters",
    "comments",
    "comments.linkbacks",
    "comments.notifications",
    # SIGN-IN (set up at the end of this file)
    "comments.signin",
    "comments.signin.wordpress_com",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.twitter_oauth2",
]

MIDDLEWARE = [
    # /healthz and /readyz answer before anything else, whatever the Host header.
    "bioxclusters.middleware.HealthCheckMiddleware",
    # One log line per request, with its X-Request-ID.
    "bioxclusters.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "bioxclusters.middleware.SiteUrlMiddleware",
    "csp.middleware.CSPMiddleware",
    "bioxclusters.middleware.EditorHashesMiddleware",
    # WhiteNoise serves our own static files (no CDN) right after the security headers are set.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL and control characters answer 400 before anything reads the session or the database.
    "bioxclusters.bad_input.RejectBadCharactersMiddleware",
    # Whole pages for anonymous visitors (bioxclusters/pagecache.py), before any session work.
    "bioxclusters.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the address's prefix; an unprefixed address is English.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: old addresses of the redirect table answer with a 301 (see its docstring).
    "clusters.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "bioxclusters.urls"
WSGI_APPLICATION = "bioxclusters.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clusters.context_processors.site",
                # LANGUAGE_CODE (the page's lang), and the page in every language (the switcher).
                "django.template.context_processors.i18n",
                "bioxclusters.languages.context",
            ],
        },
    },
]

# DATABASES
# ------------------------------------------------------------------------------
# SQLite needs no set-up; production sets DATABASE_URL=postgres://user:pass@host:5432/name.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A connection broken by a database restart is replaced at the next request.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write side by side: WAL lets readers go on during a write,
    # IMMEDIATE takes the write lock when a transaction starts (not half-way, when SQLite
    # cannot wait and says "database is locked"), and a writer waits up to `timeout` seconds.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHES
# ------------------------------------------------------------------------------
# Every process of the site (web servers, the worker, commands) shares one cache: discussions,
# flood control and rate limits hold across them. Redis when REDIS_URL is set; when Redis is
# away the site goes on without a cache (bioxclusters/cache.py). Otherwise a table in the
# database (`manage.py createcachetable`, which `make run`, `make serve` and the tests run).
if REDIS_URL := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "bioxclusters.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
        }
    }
# The page cache (README "The page cache"): anonymous visitors get whole pages from this cache,
# each kept at most this many seconds (0 turns it off); a change to what a page shows drops it.
PAGE_CACHE_ALIAS = os.environ.get("PAGE_CACHE_ALIAS", "default")
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))

# BACKGROUND TASKS
# ------------------------------------------------------------------------------
# Mail and network work never runs in a request: it is queued in the database and run by
# `manage.py run_worker` (`make run` and `make serve` start one). Tests use the immediate backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# run_worker records a heartbeat this often; a task claimed by a worker silent for
# TASK_WORKER_DEAD_SECONDS is taken up again (bioxclusters/worker).
TASK_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("TASK_WORKER_HEARTBEAT_SECONDS", "10"))
TASK_WORKER_DEAD_SECONDS = float(os.environ.get("TASK_WORKER_DEAD_SECONDS", "60"))

# AUTHENTICATION
# ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# STATIC AND MEDIA FILES
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Files never served: uploaded WordPress exports, which hold commenters' addresses.
PRIVATE_ROOT = Path(os.environ.get("DJANGO_PRIVATE_ROOT", BASE_DIR / "private"))
# Uploads go to S3-compatible object storage when a bucket is named, so that several app
# servers share them; to MEDIA_ROOT otherwise, served by Django itself unless a web server in
# front does it. https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
if AWS_STORAGE_BUCKET_NAME := os.environ.get("AWS_STORAGE_BUCKET_NAME", ""):
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            # AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are read by boto3 itself.
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Where visitors fetch the files, e.g. https://media.example.org or the bucket's URL.
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "url_protocol": os.environ.get("AWS_S3_URL_PROTOCOL", "https:"),
            # Public images: plain addresses that any cache may keep, never expiring links.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": os.environ.get("AWS_DEFAULT_ACL") or None,
        },
    }
    SERVE_MEDIA = False
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", default=True)
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The admin's change forms keep an autosave of unsaved edits this often (seconds).
EDITOR_AUTOSAVE_SECONDS = int(os.environ.get("EDITOR_AUTOSAVE_SECONDS", "60"))
# Uploaded images larger than this many pixels are refused with a form error.
MAX_IMAGE_PIXELS = 20_000_000

# E-MAIL
# ------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "bioXclusters plus <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SITE_URL.startswith("https://")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Production on https: http is redirected (nginx does it first in the reference layout) and
# browsers are told to come back only over https. Health checks come over plain http.
_HTTPS_PRODUCTION = not DEBUG and SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", _HTTPS_PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", "31536000" if _HTTPS_PRODUCTION else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
# Being on the browsers' preload list is hard to undo: a decision for the operator, not a default.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Sent by bioxclusters.middleware.SiteUrlMiddleware: the site uses none of these.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
)
# No inline script or style anywhere (templates/, static/); images also from the media store.
_MEDIA_ORIGIN = (
    f"{os.environ.get('AWS_S3_URL_PROTOCOL', 'https:')}//{os.environ['AWS_S3_CUSTOM_DOMAIN']}"
    if os.environ.get("AWS_S3_CUSTOM_DOMAIN")
    else os.environ.get("AWS_S3_ENDPOINT_URL", "")
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_MEDIA_ORIGIN] if _MEDIA_ORIGIN else [])],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# THIRD-PARTY APPS
# ------------------------------------------------------------------------------
# The rich-text editor's own extension: images dropped or pasted in are uploaded (README). Its
# allow-list hook is a callable: django-prose-editor 0.28 does not import a dotted path there.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("clusters/admin/image-drop.js")],
        "extensions": {"ImageDrop": no_markup},
    }
]
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# LOGGING
# ------------------------------------------------------------------------------
# Everything to standard error (journald or the container keeps it). The request log
# (bioxclusters.middleware) writes one JSON object a line to the logger "bioxclusters.requests".
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json_line": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "requests": {"class": "logging.StreamHandler", "formatter": "json_line"},
    },
    "loggers": {
        "bioxclusters.requests": {
            "handlers": ["requests"],
            "level": os.environ.get("DJANGO_REQUEST_LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# COMMENTS
# ------------------------------------------------------------------------------
# Akismet checks new comments only when a key is set; AKISMET_URL points elsewhere for tests.
AKISMET_API_KEY = os.environ.get("AKISMET_API_KEY", "")
AKISMET_URL = os.environ.get("AKISMET_URL", "https://rest.akismet.com").rstrip("/")
AKISMET_TIMEOUT = float(os.environ.get("AKISMET_TIMEOUT", "2"))
if AKISMET_API_KEY and not DEBUG and not AKISMET_URL.startswith("https://"):
    raise ImproperlyConfigured("AKISMET_URL must use https: the API key travels with each request.")
# One comment per IP address every this many seconds ("You are posting comments too quickly").
COMMENTS_FLOOD_SECONDS = int(os.environ.get("COMMENTS_FLOOD_SECONDS", "15"))
# At most this many comment posts per IP address in each window of seconds; 0 turns it off.
COMMENTS_RATE_LIMIT = int(os.environ.get("COMMENTS_RATE_LIMIT", "30"))
COMMENTS_RATE_WINDOW = int(os.environ.get("COMMENTS_RATE_WINDOW", "3600"))
# Reports of comments ("Report" under each), per IP in the same window.
COMMENTS_REPORT_RATE_LIMIT = int(os.environ.get("COMMENTS_REPORT_RATE_LIMIT", "10"))
# A form sent sooner than this after the page opened is a robot's; later than this, stale.
COMMENTS_FORM_MIN_SECONDS = int(os.environ.get("COMMENTS_FORM_MIN_SECONDS", "3"))
COMMENTS_FORM_MAX_AGE = int(os.environ.get("COMMENTS_FORM_MAX_AGE", str(2 * 24 * 3600)))
# The request header that holds the client's address; behind a proxy e.g. HTTP_X_REAL_IP.
COMMENTS_CLIENT_IP_HEADER = os.environ.get("COMMENTS_CLIENT_IP_HEADER", "REMOTE_ADDR")

# SIGN-IN
# ------------------------------------------------------------------------------
# Commenters may sign in (django-allauth): with a local account, or with each provider below once
# it has credentials, from these variables or from a "Social application" added in the admin.
# The README lists the variables and the redirect URIs to register with each provider.
# https://docs.allauth.org/en/latest/account/configuration.html
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # The admin's log-in form, by username.
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "comments.signin.forms.SignUpForm"
# Whether a comment waits for a moderator depends on its author's e-mail address having an
# approved comment already, so a signed-in author's address must be proven theirs.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USER_DISPLAY = "bioxclusters.common.display_name"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
# allauth's default rate limits (ACCOUNT_RATE_LIMITS) hold back repeated log-in, sign-up and
# password-reset attempts per client address: the same address the comments count.
if COMMENTS_CLIENT_IP_HEADER.startswith("HTTP_"):
    ALLAUTH_TRUSTED_CLIENT_IP_HEADER = COMMENTS_CLIENT_IP_HEADER[5:].replace("_", "-")
SOCIALACCOUNT_ADAPTER = "comments.signin.adapters.SocialAccountAdapter"
# https://docs.allauth.org/en/latest/socialaccount/providers/index.html
SOCIALACCOUNT_PROVIDERS = {
    "google": {"SCOPE": ["profile", "email"], "OAUTH_PKCE_ENABLED": True},
    # By redirect, never Facebook's JavaScript SDK: no script from another host.
    "facebook": {"METHOD": "oauth2", "SCOPE": ["email", "public_profile"]},
    "twitter_oauth2": {},
    "wordpress_com": {},
    "openid_connect": {"OAUTH_PKCE_ENABLED": True},
}


def sign_in_app(prefix: str) -> dict | None:
    """Read <PREFIX>_CLIENT_ID and <PREFIX>_SECRET as an allauth app; both or neither."""
    client_id = os.environ.get(f"{prefix}_CLIENT_ID", "")
    secret = os.environ.get(f"{prefix}_SECRET", "")
    if bool(client_id) != bool(secret):
        raise ImproperlyConfigured(f"Set both {prefix}_CLIENT_ID and {prefix}_SECRET, or neither.")
    return {"client_id": client_id, "secret": secret} if client_id else None


for _provider, _prefix in [
    ("google", "GOOGLE"),
    ("facebook", "FACEBOOK"),
    ("twitter_oauth2", "X"),
    ("wordpress_com", "WORDPRESS_COM"),
]:
    if _app := sign_in_app(_prefix):
        SOCIALACCOUNT_PROVIDERS[_provider]["APP"] = _app

# A cluster's own identity provider, by OpenID Connect discovery from OIDC_SERVER_URL.
if OIDC_SERVER_URL := os.environ.get("OIDC_SERVER_URL", ""):
    _oidc_app = sign_in_app("OIDC")
    # Part of the callback URL, and stored on each comment signed in with it (40 characters).
    OIDC_PROVIDER_ID = os.environ.get("OIDC_PROVIDER_ID", "oidc")
    if _oidc_app is None:
        raise ImproperlyConfigured("OIDC_SERVER_URL needs OIDC_CLIENT_ID and OIDC_SECRET.")
    if not (
        0 < len(OIDC_PROVIDER_ID) <= 40
        and set(OIDC_PROVIDER_ID) <= set("abcdefghijklmnopqrstuvwxyz0123456789-_")
    ):
        raise ImproperlyConfigured("OIDC_PROVIDER_ID: up to 40 of a-z, 0-9, - and _.")
    if not DEBUG and not OIDC_SERVER_URL.startswith("https://"):
        raise ImproperlyConfigured("OIDC_SERVER_URL must use https: tokens travel through it.")
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] = [
        {
            "provider_id": OIDC_PROVIDER_ID,
            "name": os.environ.get("OIDC_NAME", "Single sign-on"),
            **_oidc_app,
            "settings": {"server_url": OIDC_SERVER_URL},
        }
    ]

# LINKBACKS
# ------------------------------------------------------------------------------
# Pingback, trackback and webmention, both ways (comments/linkbacks; README "Linkbacks").
# The one network boundary, comments/linkbacks/fetch.py: only these ports, public addresses,
# seconds per socket operation and per request, bytes read, redirects followed.
LINKBACK_ALLOW_LOOPBACK = env_bool("LINKBACK_ALLOW_LOOPBACK")  # local experiments only
if LINKBACK_ALLOW_LOOPBACK and not DEBUG:
    raise ImproperlyConfigured("LINKBACK_ALLOW_LOOPBACK lets other sites probe this host.")
LINKBACK_ALLOWED_PORTS = tuple(int(p) for p in env_list("LINKBACK_ALLOWED_PORTS", "80,443,8080"))
LINKBACK_TIMEOUT = float(os.environ.get("LINKBACK_TIMEOUT", "5"))
LINKBACK_DEADLINE = float(os.environ.get("LINKBACK_DEADLINE", "15"))
LINKBACK_MAX_BYTES = int(os.environ.get("LINKBACK_MAX_BYTES", "1000000"))
LINKBACK_MAX_REDIRECTS = int(os.environ.get("LINKBACK_MAX_REDIRECTS", "5"))
PINGBACK_MAX_REQUEST_BYTES = int(os.environ.get("PINGBACK_MAX_REQUEST_BYTES", "65536"))
# As WordPress since 3.5.1: every pingback fault but 48 is a bare 0, so the endpoint tells a
# prober nothing about other hosts. Detailed faults help while debugging.
PINGBACK_HIDE_FAULTS = env_bool("PINGBACK_HIDE_FAULTS", not DEBUG)
# Requests per client address, and naming a source on one host, per window of seconds, across
# the three endpoints; 0 turns a limit off.
LINKBACK_RATE_LIMIT = int(os.environ.get("LINKBACK_RATE_LIMIT", "30"))
LINKBACK_SOURCE_RATE_LIMIT = int(os.environ.get("LINKBACK_SOURCE_RATE_LIMIT", "30"))
LINKBACK_RATE_WINDOW = int(os.environ.get("LINKBACK_RATE_WINDOW", "3600"))
# Sending to other sites: off while debugging (a laptop must not ping the world; self-pings
# still happen), and in the tests unless a test turns it on.
LINKBACK_SEND = env_bool("LINKBACK_SEND", not DEBUG)
# A failed send is tried again after 5 min, 20 min, 80 min... at most this many tries.
LINKBACK_SEND_ATTEMPTS = int(os.environ.get("LINKBACK_SEND_ATTEMPTS", "5"))
LINKBACK_RETRY_SECONDS = int(os.environ.get("LINKBACK_RETRY_SECONDS", "300"))

# DISCUSSION MAIL AND PERSONAL DATA
# ------------------------------------------------------------------------------
# Moderator, author and subscriber mail and the privacy self-service (comments/notifications;
# README "Discussion"). A mail the server refuses is tried again after 1 min, 5, 25, 2 h…, at
# most this many tries in all; then it waits in the admin's outbox as failed.
DISCUSSION_MAIL_MAX_ATTEMPTS = int(os.environ.get("DISCUSSION_MAIL_MAX_ATTEMPTS", "5"))
DISCUSSION_MAIL_RETRY_SECONDS = int(os.environ.get("DISCUSSION_MAIL_RETRY_SECONDS", "60"))
