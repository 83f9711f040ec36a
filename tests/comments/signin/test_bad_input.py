"""Sign-ins that go wrong: a clear message, never a server error, and no half-made account."""

import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import make_post

from .conftest import APP, OIDC_ID, OIDC_NAME, local, providers, sign_in_buttons
from .fake_http import provider_answers
from .test_oidc_end_to_end import visit_provider

pytestmark = pytest.mark.django_db

User = get_user_model()
CALLBACK = f"/accounts/oidc/{OIDC_ID}/login/callback/"


@pytest.fixture
def post():
    return make_post()


@pytest.fixture
def nothing_made(post):
    """Assert, after the test, that no account, provider link or address was stored."""
    users = User.objects.count()
    yield
    assert User.objects.count() == users
    assert (SocialAccount.objects.count(), EmailAddress.objects.count()) == (0, 0)


def start(client, post, button=f"Log in with {OIDC_NAME}") -> str:
    """Press a sign-in button on ``post``'s comment form; return the provider's authorize URL."""
    page = client.get(post.get_absolute_url()).content.decode()
    return client.post(sign_in_buttons(page)[button])["Location"]


def state_of(authorize_url: str) -> str:
    return parse_qs(urlsplit(authorize_url).query)["state"][0]


def assert_not_signed_in(client, post):
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Logged in as" not in page and 'name="author_name"' in page


def test_a_forged_state_is_refused_with_a_message(client, oidc, post, nothing_made):
    start(client, post)

    answer = client.get(CALLBACK, {"code": "stolen", "state": "forged-state"})

    assert answer.status_code == 401
    assert "This sign-in link has expired or was already used" in answer.content.decode()
    assert "POST /token" not in oidc.requests
    assert_not_signed_in(client, post)


def test_a_callback_without_any_sign_in_started_is_refused(client, oidc, post, nothing_made):
    answer = client.get(CALLBACK, {"code": "stolen", "state": "whatever"})

    assert answer.status_code == 401
    assert "You are not signed in" in answer.content.decode()


def test_a_replayed_callback_signs_nobody_in(client, oidc, post):
    back = local(visit_provider(start(client, post)))
    assert client.get(back).status_code == 302  # The genuine sign-in.
    accounts = SocialAccount.objects.count()

    for browser in (client, Client()):  # The same browser again, and someone else's.
        replayed = browser.get(back)
        assert replayed.status_code == 401
        assert "This sign-in link has expired or was already used" in replayed.content.decode()
    assert SocialAccount.objects.count() == accounts == 1
    assert_not_signed_in(Client(), post)


def test_an_error_answer_from_the_provider_is_explained(client, oidc, post, nothing_made):
    state = state_of(start(client, post))

    answer = client.get(CALLBACK, {"error": "server_error", "state": state})

    assert answer.status_code == 401
    page = answer.content.decode()
    assert f"{OIDC_NAME} did not sign you in" in page and "Nothing was saved." in page
    assert f'<a href="{post.get_absolute_url()}#respond">Back to the comment form</a>' in page
    assert_not_signed_in(client, post)


def test_a_visitor_who_cancels_at_the_provider_is_told_and_offered_the_way_back(
    client, oidc, post, nothing_made
):
    oidc.deny = True
    back = visit_provider(start(client, post))
    assert "error=access_denied" in back

    answer = client.get(local(back), follow=True)

    assert answer.redirect_chain[0][0].startswith("/accounts/3rdparty/login/cancelled/?next=")
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "You cancelled signing in, so nothing was saved and you are not signed in." in page
    assert f'<a href="{post.get_absolute_url()}#respond">Back to the comment form</a>' in page


def test_the_cancelled_page_never_sends_visitors_to_another_site(client):
    answer = client.get("/accounts/3rdparty/login/cancelled/", {"next": "https://evil.example/"})

    assert "evil.example" not in answer.content.decode()


def test_a_provider_account_without_an_email_asks_for_one_before_anything_is_made(
    client, oidc, post, nothing_made
):
    oidc.person.email = None
    back = local(visit_provider(start(client, post)))

    answer = client.get(back, follow=True)

    page = answer.content.decode()
    assert answer.status_code == 200
    assert f"{OIDC_NAME} did not share an e-mail address with us." in page
    assert 'name="email"' in page and 'value="Grace Hopper"' in page


def test_a_provider_that_cannot_give_a_token_is_explained(client, settings, post, nothing_made):
    settings.SOCIALACCOUNT_PROVIDERS = providers(google=APP)
    state = state_of(start(client, post, "Log in with Google"))

    with provider_answers({"https://oauth2.googleapis.com/token": (500, "Backend Error")}):
        answer = client.get("/accounts/google/login/callback/", {"code": "x", "state": state})

    assert answer.status_code == 401
    assert "Google did not sign you in" in answer.content.decode()


def test_an_id_token_made_for_another_site_is_refused(client, settings, post, nothing_made):
    settings.SOCIALACCOUNT_PROVIDERS = providers(google=APP)
    state = state_of(start(client, post, "Log in with Google"))
    now = int(time.time())
    claims = {"iss": "https://accounts.google.com", "aud": "another-site", "sub": "1"}
    claims.update(email="ada@example.org", email_verified=True, iat=now, exp=now + 60)
    token = {"access_token": "a", "id_token": jwt.encode(claims, "k" * 32, algorithm="HS256")}

    with provider_answers({"https://oauth2.googleapis.com/token": (200, token)}):
        answer = client.get("/accounts/google/login/callback/", {"code": "x", "state": state})

    assert answer.status_code == 401
    assert "Google did not sign you in" in answer.content.decode()


def test_a_profile_the_provider_will_not_give_is_explained(client, settings, post, nothing_made):
    settings.SOCIALACCOUNT_PROVIDERS = providers(wordpress_com=APP)
    state = state_of(start(client, post, "Log in with WordPress.com"))

    answers = {
        "https://public-api.wordpress.com/oauth2/token": (200, {"access_token": "a"}),
        "https://public-api.wordpress.com/rest/v1.1/me": (403, {"error": "unauthorized"}),
    }

    with provider_answers(answers):
        answer = client.get(
            "/accounts/wordpress_com/login/callback/", {"code": "x", "state": state}
        )

    assert answer.status_code == 401
    assert "WordPress.com did not sign you in" in answer.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/google/login/",
        "/accounts/facebook/login/callback/?code=x&state=y",
        "/accounts/wordpress_com/login/",
        "/accounts/oidc/unknown/login/",
    ],
)
def test_a_provider_without_credentials_is_not_found_rather_than_an_error(client, url):
    client.raise_request_exception = False

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
