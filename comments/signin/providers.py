"""The providers a visitor may sign in with, and the names they are shown under."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers import registry
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from comments.signin.accounts import LOCAL

# The old site's order: WordPress.com, Google, Twitter, Facebook; then a cluster's own.
ORDER = ("wordpress_com", "google", "twitter_oauth2", "facebook")
LABELS_CACHE_KEY = "signin:provider-labels"
# The configured apps (``SocialAccountAdapter.list_apps``), listed on every open discussion.
APPS_CACHE_KEY = "signin:apps"
LABELS_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Choice:
    """One "Log in to comment with" button."""

    id: str
    name: str
    login_url: str


def _rank(provider) -> tuple:
    position = ORDER.index(provider.id) if provider.id in ORDER else len(ORDER)
    return (position, provider.name.casefold())


def configured(request: HttpRequest, *, next_url: str) -> list[Choice]:
    """Return a button for each provider with credentials (environment or admin), in order.

    Each button signs in and comes back to ``next_url``. Apps marked ``{"hidden": true}`` in
    their settings are left out, as allauth's own provider list does.
    """
    providers = [
        provider
        for provider in get_adapter().list_providers(request)
        if not (provider.app and provider.app.settings.get("hidden"))
    ]
    return [
        Choice(
            id=provider.sub_id,
            name=provider.name,
            login_url=provider.get_login_url(request, process="login", next=next_url),
        )
        for provider in sorted(providers, key=_rank)
    ]


def _labels() -> dict[str, str]:
    labels = {cls.id: cls.name for cls in registry.get_class_list()}
    # A generic OpenID Connect app is known by its own id and name ("Lyonbiopole ID").
    for app in get_adapter().list_apps(None):
        if app.provider_id:
            labels[app.provider_id] = app.name or app.provider_id
    return labels


def label(provider_id: str) -> str:
    """Return the name of the account a comment came from: "Google", "<site> account"…"""
    if provider_id == LOCAL:
        return f"{settings.SITE_NAME} account"
    # Each comment's card is rendered with it, `rerender_comments` all at once: look the apps up
    # once in a while, not per comment.
    labels = cache.get_or_set(LABELS_CACHE_KEY, _labels, LABELS_CACHE_SECONDS)
    return labels.get(provider_id, provider_id)


def forget_apps(**kwargs) -> None:
    """Drop the cached apps and labels (receiver of SocialApp's post_save and post_delete)."""
    cache.delete_many([APPS_CACHE_KEY, LABELS_CACHE_KEY])
