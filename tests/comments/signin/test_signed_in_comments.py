"""What a signed-in comment carries: trust, the account it came from, and who may see which."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from comments import privacy
from comments.models import Comment
from comments.services import comment_submit
from comments.signin import providers
from comments.signin.accounts import auth_provider_of
from tests.comments.factories import make_comment
from tests.factories import make_post, make_user

from .conftest import OIDC_ID, OIDC_NAME
from .conftest import providers as provider_settings

pytestmark = pytest.mark.django_db

Status = Comment.Status


def submit(target, **kwargs):
    kwargs.setdefault("body", "Well said.")
    kwargs.setdefault("ip_address", "192.0.2.1")
    return comment_submit(target=target, **kwargs)


def test_a_staff_member_is_approved_at_once_even_without_moderating_rights():
    editor = make_user(is_staff=True, groups=["Editors"])
    assert not editor.has_perm("comments.can_moderate")

    comment = submit(make_post(), user=editor, auth_provider="local")

    assert (comment.status, comment.held_reasons) == (Status.APPROVED, [])


def test_a_signed_in_author_with_an_approved_comment_is_trusted():
    post = make_post()
    user = make_user(email="ada@example.org")
    make_comment(post, author_email="ada@example.org", user=user)

    comment = submit(post, user=user, auth_provider="google")

    assert comment.status == Status.APPROVED


def test_a_first_signed_in_comment_waits_for_a_moderator_like_anyone_elses():
    comment = submit(make_post(), user=make_user(), auth_provider="google")

    assert comment.held_reasons == [{"code": "first_comment"}]


def test_only_a_signed_in_comment_records_an_account():
    comment = submit(
        make_post(), author_name="Ann", author_email="ann@example.org", auth_provider="google"
    )

    assert (comment.user, comment.auth_provider) == (None, "")
    assert "via" not in comment.card_html


def test_the_provider_mark_is_text_beside_the_name():
    comment = submit(make_post(), user=make_user(first_name="Ada"), auth_provider="google")

    assert (
        '<b class="comment-author">Ada</b> <span class="comment-sign-in-mark badge rounded-pill '
        'text-bg-light border fw-normal"><span class="visually-hidden">signed in </span>'
        "via Google</span>"
    ) in comment.card_html


@pytest.fixture
def request_for(client):
    """Return the request a browser signed in as ``user`` would send."""

    def build(user, *, records=()):
        request = RequestFactory().get("/")
        request.user = user or AnonymousUser()
        request.session = client.session
        if records:
            request.session["account_authentication_methods"] = list(records)
            request.session["account_authentication_methods_user"] = str(user.pk)
        return request

    return build


def test_how_a_visitor_signed_in_is_read_from_the_session(request_for):
    user = make_user()
    social = make_user(password=None)
    social.set_unusable_password()
    social.save()
    SocialAccount.objects.create(user=social, provider="facebook", uid="1")
    google = {"method": "socialaccount", "provider": "google", "uid": "9"}

    assert auth_provider_of(request_for(None)) == ""
    # The admin's log-in form records nothing: a password account is a local one.
    assert auth_provider_of(request_for(user)) == "local"
    assert auth_provider_of(request_for(social)) == "facebook"
    assert auth_provider_of(request_for(social, records=[google])) == "google"
    assert auth_provider_of(request_for(user, records=[google, {"method": "password"}])) == "local"
    assert auth_provider_of(request_for(user, records=[google, {"method": "mfa"}])) == "google"


def test_each_account_has_a_readable_name(settings):
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(
        openid_connect=[{"provider_id": OIDC_ID, "name": OIDC_NAME, "client_id": "c"}]
    )

    assert providers.label("google") == "Google"
    assert providers.label("twitter_oauth2") == "X"
    assert providers.label("wordpress_com") == "WordPress.com"
    assert providers.label(OIDC_ID) == OIDC_NAME
    assert providers.label("local") == "bioXclusters plus account"
    assert providers.label("gone") == "gone"


def test_moderators_see_and_filter_by_the_account_a_comment_came_from(client):
    client.force_login(make_user(is_staff=True, groups=["Moderators"]))
    post = make_post()
    signed = make_comment(post, author_name="Signed", auth_provider="google", user=make_user())
    make_comment(post, author_name="Anonymous visitor")

    listing = client.get("/admin/comments/comment/", {"status": "all", "auth_provider": "google"})
    change = client.get(f"/admin/comments/comment/{signed.pk}/change/")

    page = listing.content.decode()
    assert "Signed" in page and "Anonymous visitor" not in page
    assert "signed in with" in page.lower()
    assert '<div class="readonly">google</div>' in change.content.decode()


def test_a_commenters_provider_accounts_are_exported_and_erased_with_their_address():
    user = make_user(email="ada@example.org")
    other = make_user(email="someone@example.org")
    EmailAddress.objects.create(user=other, email="ADA@example.org", verified=True)
    google = SocialAccount.objects.create(
        user=user, provider="google", uid="108", extra_data={"name": "Ada Lovelace"}
    )
    SocialAccount.objects.create(user=other, provider="twitter_oauth2", uid="7")
    SocialAccount.objects.create(user=make_user(), provider="google", uid="999")
    SocialToken.objects.create(account=google, token="secret-token", app=None)

    exported = privacy.social_accounts_of("Ada@Example.org")

    assert [(entry["provider"], entry["uid"]) for entry in exported] == [
        ("google", "108"),
        ("twitter_oauth2", "7"),
    ]
    assert exported[0]["data_from_provider"] == {"name": "Ada Lovelace"}
    assert "secret-token" not in str(exported)
    assert privacy.erase_social_accounts("ada@example.org") == 2
    assert list(SocialAccount.objects.values_list("uid", flat=True)) == ["999"]
    assert not SocialToken.objects.exists()
    assert privacy.social_accounts_of("") == []
