"""A whole sign-in through a cluster's own OpenID Connect provider, running on 127.0.0.1."""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse

from clusters.models import Page
from clusters.seed import load_seed_content
from comments.models import Comment
from tests.comments.conftest import comment_form
from tests.comments.factories import make_comment
from tests.factories import make_post

from .conftest import OIDC_ID, OIDC_NAME, local, sign_in_buttons
from .oidc_server import CLIENT_ID, KEY_ID

pytestmark = pytest.mark.django_db


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # The browser would go on to our site: the test client does that part.


def visit_provider(url: str) -> str:
    """Open the provider's authorize page as a browser would; return where it sends us back."""
    opener = urllib.request.build_opener(_KeepRedirects)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(url, timeout=5)
    assert answer.value.code == 302
    return answer.value.headers["Location"]


def sign_in(client, oidc, page_url: str):
    """Press the provider's button on ``page_url``; return the response to the callback."""
    page = client.get(page_url).content.decode()
    started = client.post(sign_in_buttons(page)[f"Log in with {OIDC_NAME}"])
    assert started.status_code == 302
    back = visit_provider(started["Location"])
    assert back.startswith(
        f"https://bioxclusters.test/accounts/oidc/{OIDC_ID}/login/callback/?code="
    )
    return client.get(local(back))


def test_a_visitor_signs_in_with_the_clusters_provider_comments_and_lands_back_on_the_form(
    client, oidc
):
    post = make_post(title="Precision oncology in Lyon")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Log in to comment with" in page and "or fill in your details" in page
    action = sign_in_buttons(page)[f"Log in with {OIDC_NAME}"]
    assert parse_qs(urlsplit(action).query)["next"] == [f"{post.get_absolute_url()}#respond"]

    started = client.post(action)
    authorize = urlsplit(started["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == f"{oidc.issuer}/authorize"
    asked = parse_qs(authorize.query)
    assert asked["client_id"] == [CLIENT_ID] and asked["code_challenge_method"] == ["S256"]
    assert set(asked["scope"][0].split()) == {"openid", "profile", "email"}
    back = visit_provider(started["Location"])
    landed = client.get(local(back))

    assert landed.status_code == 302
    assert landed["Location"] == f"{post.get_absolute_url()}#respond"
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Logged in as Grace Hopper." in page
    assert 'name="author_name"' not in page and 'name="author_email"' not in page
    assert "Log in to comment with" not in page

    body = "Our platform links three hospitals."
    form = comment_form(post, author_name=None, author_email=None, author_url=None, body=body)
    posted = client.post(reverse("comments:post"), form)

    assert posted.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author_name, comment.author_email) == ("Grace Hopper", "grace@cluster.example")
    assert (comment.user.email, comment.auth_provider) == ("grace@cluster.example", OIDC_ID)
    page = client.get(post.get_absolute_url()).content.decode()
    assert body in page
    assert f'<span class="visually-hidden">signed in </span>via {OIDC_NAME}</span>' in page
    # allauth reads the discovery document before each step; the rest is the code flow.
    assert "GET /.well-known/openid-configuration" in oidc.requests
    assert [r for r in oidc.requests if "well-known" not in r] == [
        "GET /authorize",
        "POST /token",
        "GET /userinfo",
    ]


def test_the_provider_signs_its_id_token_with_the_key_it_publishes(oidc):
    token = oidc.id_token(oidc.person, nonce="")

    key = jwt.PyJWKClient(f"{oidc.issuer}/jwks").get_signing_key_from_jwt(token)
    claims = jwt.decode(token, key.key, algorithms=["RS256"], audience=CLIENT_ID)

    assert key.key_id == KEY_ID and claims["iss"] == oidc.issuer


def test_signing_in_again_finds_the_same_account(client, oidc):
    post = make_post()
    sign_in(client, oidc, post.get_absolute_url())
    client.post(reverse("account_logout"))

    landed = sign_in(client, oidc, post.get_absolute_url())

    assert landed["Location"] == f"{post.get_absolute_url()}#respond"
    assert get_user_model().objects.filter(email="grace@cluster.example").count() == 1
    account = SocialAccount.objects.get()
    assert (account.provider, account.uid) == (OIDC_ID, oidc.person.sub)


def test_a_reply_from_the_who_we_are_page_comes_back_to_the_same_reply_form(client, oidc):
    load_seed_content()
    page = Page.objects.get(slug="who-we-are")
    earlier = make_comment(page, author_name="Ada")
    reply_form = f"{page.get_absolute_url()}?replyto={earlier.pk}"

    landed = sign_in(client, oidc, reply_form)

    assert landed["Location"] == f"{reply_form}#respond"
    shown = client.get(landed["Location"]).content.decode()
    assert "Leave a Reply to Ada" in shown and "Logged in as Grace Hopper." in shown
    form = comment_form(page, author_name=None, author_email=None, author_url=None)
    assert client.post(reverse("comments:post"), {**form, "parent": earlier.pk}).status_code == 302
    reply = Comment.objects.get(parent=earlier)
    assert (reply.author_name, reply.auth_provider) == ("Grace Hopper", OIDC_ID)
