"""allauth's hooks, where the site needs them to differ (``SOCIALACCOUNT_ADAPTER``)."""

from __future__ import annotations

import logging

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base import AuthError
from django.core.cache import cache
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from comments.signin.providers import APPS_CACHE_KEY, LABELS_CACHE_SECONDS

logger = logging.getLogger(__name__)


class ProviderNotConfigured(SocialApp.DoesNotExist, Http404):
    """A provider without credentials: its addresses are "not found", not a server error."""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """Return the configured apps; the whole list from the cache, refreshed in a while.

        Every page with an open discussion lists the providers. ``providers.forget_apps`` drops
        the list when an app is saved or deleted. Not per site: ``django.contrib.sites`` is not
        installed, so allauth lists the same apps for every request.
        """
        uncached = super().list_apps
        if provider is not None or client_id is not None:
            return uncached(request, provider=provider, client_id=client_id)
        return cache.get_or_set(APPS_CACHE_KEY, lambda: uncached(request), LABELS_CACHE_SECONDS)

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            # allauth serves every installed provider's URLs, configured or not.
            raise ProviderNotConfigured(f"{provider} is not configured.") from None

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        """Offer the way back to the page the visitor came from; log what went wrong."""
        state = (extra_context or {}).get("state") or {}
        # allauth checked this address when the sign-in started (it is one of ours).
        back_url = state.get("next", "")
        if error == AuthError.CANCELLED:
            url = reverse("socialaccount_login_cancelled")
            if back_url:
                url = f"{url}?{urlencode({'next': back_url})}"
            raise ImmediateHttpResponse(HttpResponseRedirect(url))
        logger.warning(
            "Sign-in with %s failed (%s): %r",
            getattr(provider, "sub_id", provider),
            "no matching state" if not state else error,
            exception,
        )
        if extra_context is not None:
            extra_context["back_url"] = back_url
