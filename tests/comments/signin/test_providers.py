"""Signing in with Google, Facebook, X and WordPress.com, their answers faked locally."""

import re
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers.facebook.constants import GRAPH_API_URL
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from comments.models import Comment
from tests.comments.conftest import comment_form
from tests.factories import make_post

from .conftest import APP, providers, sign_in_buttons
from .fake_http import provider_answers

pytestmark = pytest.mark.django_db

User = get_user_model()


def start(client, post, button: str, authorize_url: str) -> dict:
    """Press ``button`` on ``post``'s comment form; return what is asked of the provider."""
    page = client.get(post.get_absolute_url()).content.decode()
    started = client.post(sign_in_buttons(page)[button])
    assert started.status_code == 302
    location = urlsplit(started["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == authorize_url
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def comment_as_signed_in(client, post, body="Signed-in words.") -> Comment:
    form = comment_form(post, author_name=None, author_email=None, author_url=None, body=body)
    assert client.post(reverse("comments:post"), form).status_code == 302
    return Comment.objects.get(body=body)


def confirmation_link() -> str:
    (message,) = mail.outbox
    link = r"https://bioxclusters\.test(/accounts/confirm-email/[^\s/]+/)"
    return re.search(link, message.body)[1]


def test_google_signs_in_at_once_with_the_address_it_has_verified(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = providers(google=APP)
    post = make_post()
    asked = start(
        client, post, "Log in with Google", "https://accounts.google.com/o/oauth2/v2/auth"
    )
    assert asked["redirect_uri"] == "https://bioxclusters.test/accounts/google/login/callback/"
    assert set(asked["scope"].split()) == {"profile", "email"}
    now = int(time.time())
    id_token = jwt.encode(
        {
            "iss": "https://accounts.google.com",
            "aud": APP["client_id"],
            "sub": "108204268033311374519",
            "email": "ada@example.org",
            "email_verified": True,
            "name": "Ada Lovelace",
            "given_name": "Ada",
            "family_name": "Lovelace",
            "iat": now,
            "exp": now + 3600,
        },
        "google-signs-these-with-a-key-of-its-own",
        algorithm="HS256",
    )
    token = {"access_token": "testac", "expires_in": 3600, "id_token": id_token}

    with provider_answers({"https://oauth2.googleapis.com/token": (200, token)}) as calls:
        landed = client.get(
            "/accounts/google/login/callback/", {"code": "test", "state": asked["state"]}
        )

    assert landed["Location"] == f"{post.get_absolute_url()}#respond"
    assert calls[0].data["code"] == "test" and "code_verifier" in calls[0].data
    assert EmailAddress.objects.get(email="ada@example.org").verified
    comment = comment_as_signed_in(client, post)
    assert (comment.author_name, comment.auth_provider) == ("Ada Lovelace", "google")
    assert "via Google</span>" in client.get(post.get_absolute_url()).content.decode()


def test_facebook_addresses_are_confirmed_by_mail_before_the_first_comment(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = providers(facebook=APP)
    post = make_post()
    asked = start(
        client, post, "Log in with Facebook", "https://www.facebook.com/v19.0/dialog/oauth"
    )
    profile = {
        "id": "630595557",
        "name": "Mary Somerville",
        "first_name": "Mary",
        "last_name": "Somerville",
        "email": "mary@example.org",
    }
    answers = {
        f"{GRAPH_API_URL}/oauth/access_token": (200, {"access_token": "testac", "expires_in": 60}),
        f"{GRAPH_API_URL}/me": (200, profile),
    }

    with provider_answers(answers) as calls:
        landed = client.get(
            "/accounts/facebook/login/callback/", {"code": "test", "state": asked["state"]}
        )

    # Facebook does not say whether the address is verified: the site asks its owner.
    assert landed["Location"] == reverse("account_email_verification_sent")
    assert [call.url.partition("?")[0] for call in calls] == list(answers)
    assert "appsecret_proof" in calls[1].params
    assert "Logged in as" not in client.get(post.get_absolute_url()).content.decode()
    link = confirmation_link()
    confirmed = client.post(link)
    assert confirmed["Location"] == f"{post.get_absolute_url()}#respond"
    comment = comment_as_signed_in(client, post)
    assert (comment.author_name, comment.author_email) == ("Mary Somerville", "mary@example.org")
    assert comment.auth_provider == "facebook"


def test_x_shares_no_address_so_the_visitor_gives_one_before_any_account_exists(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = providers(twitter_oauth2=APP)
    post = make_post()
    asked = start(client, post, "Log in with X", "https://x.com/i/oauth2/authorize")
    assert asked["code_challenge_method"] == "S256"
    profile = {"data": {"id": "783214", "name": "Katherine Johnson", "username": "kjohnson"}}
    answers = {
        "https://api.x.com/2/oauth2/token": (200, {"access_token": "testac"}),
        "https://api.x.com/2/users/me": (200, profile),
    }

    with provider_answers(answers) as calls:
        landed = client.get(
            "/accounts/twitter_oauth2/login/callback/", {"code": "test", "state": asked["state"]}
        )

    assert calls[0].headers == {} and "code_verifier" in calls[0].data
    assert landed["Location"] == reverse("socialaccount_signup")
    form = client.get(reverse("socialaccount_signup")).content.decode()
    assert "X did not share an e-mail address with us." in form
    assert 'value="Katherine Johnson"' in form
    assert not User.objects.filter(username="kjohnson").exists()
    assert not SocialAccount.objects.exists()

    signed_up = client.post(
        reverse("socialaccount_signup"), {"email": "kj@example.org", "name": "Katherine Johnson"}
    )

    assert signed_up["Location"] == reverse("account_email_verification_sent")
    client.post(confirmation_link())
    comment = comment_as_signed_in(client, post)
    assert (comment.author_name, comment.author_email) == ("Katherine Johnson", "kj@example.org")
    assert comment.auth_provider == "twitter_oauth2"
    assert "via X</span>" in client.get(post.get_absolute_url()).content.decode()


def test_wordpress_com_set_up_in_the_admin_signs_in_and_marks_the_comment(client):
    SocialApp.objects.create(provider="wordpress_com", name="WordPress.com", **APP)
    post = make_post()
    asked = start(
        client,
        post,
        "Log in with WordPress.com",
        "https://public-api.wordpress.com/oauth2/authorize",
    )
    assert asked["scope"] == "auth" and asked["client_id"] == APP["client_id"]
    token = {"access_token": "testac", "token_type": "bearer", "blog_id": "0", "scope": "auth"}
    me = {
        "ID": 9999,
        "display_name": "Matt Mullenweg",
        "username": "matt",
        "email": "matt@example.org",
        "email_verified": True,
        "profile_URL": "https://en.gravatar.com/matt",
    }
    answers = {
        "https://public-api.wordpress.com/oauth2/token": (200, token),
        "https://public-api.wordpress.com/rest/v1.1/me": (200, me),
    }

    with provider_answers(answers) as calls:
        landed = client.get(
            "/accounts/wordpress_com/login/callback/", {"code": "test", "state": asked["state"]}
        )

    assert landed["Location"] == f"{post.get_absolute_url()}#respond"
    assert calls[0].data["client_secret"] == APP["secret"]
    assert calls[1].headers["Authorization"] == "Bearer testac"
    account = SocialAccount.objects.get()
    assert (account.provider, account.uid) == ("wordpress_com", "9999")
    assert str(account) == "Matt Mullenweg"
    comment = comment_as_signed_in(client, post)
    assert (comment.author_name, comment.auth_provider) == ("Matt Mullenweg", "wordpress_com")
    assert "via WordPress.com</span>" in client.get(post.get_absolute_url()).content.decode()
