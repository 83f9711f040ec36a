"""Who is signed in, under which name, and with which account."""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.socialaccount.models import SocialAccount
from django.http import HttpRequest

LOCAL = "local"
# Comment.auth_provider's length.
MAX_PROVIDER_LENGTH = 40


def auth_provider_of(request: HttpRequest) -> str:
    """Return how the visitor signed in: "local", a provider id such as "google", or ""."""
    user = request.user
    if not user.is_authenticated:
        return ""
    # allauth records each way this session was signed in; the last one that is not a second
    # factor says how.
    for record in reversed(get_authentication_records(request, user)):
        if record.get("method") == "socialaccount":
            return str(record.get("provider", ""))[:MAX_PROVIDER_LENGTH] or LOCAL
        if record.get("method") != "mfa":
            return LOCAL
    # Signed in elsewhere (the admin's log-in form, or a confirmation link in another browser).
    if user.has_usable_password():
        return LOCAL
    account = SocialAccount.objects.filter(user=user).order_by("-last_login").first()
    return account.provider[:MAX_PROVIDER_LENGTH] if account else LOCAL
