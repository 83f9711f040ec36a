"""Template tags for signing in to comment: ``{% sign_in_box %}``, ``|provider_label``."""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.account.utils import get_next_redirect_url
from django import template
from django.urls import reverse
from django.utils.http import urlencode

from bioxclusters.common import display_name
from comments.signin import providers

register = template.Library()


@dataclass(frozen=True)
class SignInBox:
    """What the comment form says about signing in."""

    next_url: str
    login_url: str
    user_name: str = ""  # Set when someone is signed in.
    providers: list[providers.Choice] = field(default_factory=list)
    must_sign_in: bool = False


def _back_to_form(request, target) -> str:
    """Return the address of the comment form the visitor is looking at."""
    if request.method == "GET":
        return f"{request.get_full_path()}#respond"
    # The form shown again after a refused post: its page is the object's.
    return f"{target.get_absolute_url()}#respond" if target is not None else ""


@register.simple_tag(takes_context=True)
def sign_in_box(context) -> SignInBox | None:
    """Return what the comment form shows about signing in, or None when it shows nothing.

    Context read: ``request``, ``target`` (the object commented on) and ``must_sign_in``.
    """
    request = context.get("request")
    if request is None:
        return None
    next_url = _back_to_form(request, context.get("target"))
    login_url = reverse("account_login")
    if next_url:
        login_url = f"{login_url}?{urlencode({'next': next_url})}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return SignInBox(next_url=next_url, login_url=login_url, user_name=display_name(user))
    choices = providers.configured(request, next_url=next_url)
    must_sign_in = bool(context.get("must_sign_in"))
    if not (choices or must_sign_in):
        return None
    return SignInBox(
        next_url=next_url, login_url=login_url, providers=choices, must_sign_in=must_sign_in
    )


@register.simple_tag(takes_context=True)
def sign_in_back_url(context) -> str:
    """Return the page the visitor was signing in from (``?next=``), checked, or ""."""
    request = context.get("request")
    return (get_next_redirect_url(request) or "") if request is not None else ""


@register.filter
def provider_label(provider_id: str) -> str:
    """Return the name of the account a comment was signed in with ("Google")."""
    return providers.label(provider_id)
