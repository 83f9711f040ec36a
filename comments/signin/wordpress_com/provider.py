"""The WordPress.com provider: who the account is, from ``/rest/v1.1/me``.

The profile holds ``ID``, ``username``, ``display_name``, ``email``, ``email_verified``,
``avatar_URL`` and ``profile_URL``.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from comments.signin.wordpress_com.views import WordPressComOAuth2Adapter


class WordPressComAccount(ProviderAccount):
    def get_profile_url(self):
        return self.account.extra_data.get("profile_URL")

    def get_avatar_url(self):
        return self.account.extra_data.get("avatar_URL")

    def to_str(self):
        data = self.account.extra_data
        return data.get("display_name") or data.get("username") or super().to_str()


class WordPressComProvider(OAuth2Provider):
    id = "wordpress_com"
    name = "WordPress.com"
    account_class = WordPressComAccount
    oauth2_adapter_class = WordPressComOAuth2Adapter

    def get_default_scope(self):
        # "auth" reaches only the /me endpoints: who the person is, nothing of their sites.
        return ["auth"]

    def extract_uid(self, data):
        return str(data["ID"])

    def extract_common_fields(self, data):
        return {
            "email": data.get("email"),
            "username": data.get("username"),
            "name": data.get("display_name"),
        }

    def extract_email_addresses(self, data):
        email = data.get("email")
        if not email:
            return []
        verified = data.get("email_verified") is True
        return [EmailAddress(email=email, verified=verified, primary=True)]


provider_classes = [WordPressComProvider]
