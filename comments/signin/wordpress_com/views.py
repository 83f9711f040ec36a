"""The OAuth 2.0 endpoints of WordPress.com and the profile that names the account."""

from __future__ import annotations

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)


class WordPressComOAuth2Adapter(OAuth2Adapter):
    provider_id = "wordpress_com"
    authorize_url = "https://public-api.wordpress.com/oauth2/authorize"
    access_token_url = "https://public-api.wordpress.com/oauth2/token"
    profile_url = "https://public-api.wordpress.com/rest/v1.1/me"

    def complete_login(self, request, app, token, **kwargs):
        headers = {"Authorization": f"Bearer {token.token}"}
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers=headers)
            response.raise_for_status()
            profile = response.json()
        return self.get_provider().sociallogin_from_response(request, profile)


oauth2_login = OAuth2LoginView.adapter_view(WordPressComOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(WordPressComOAuth2Adapter)
