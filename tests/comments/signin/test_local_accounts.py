"""Local accounts: sign up with a confirmed e-mail address, log in, reset a password, limits."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from comments.models import Comment
from tests.comments.conftest import comment_form
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct horse battery staple"


def link_in_mail(pattern: str) -> str:
    (message,) = mail.outbox
    # Built from SITE_URL, never from the Host header of the request that caused the mail.
    return re.search(rf"https://bioxclusters\.test({pattern})", message.body)[1]


def make_member(email="ada@example.org", **kwargs):
    """Return a local account whose e-mail address is confirmed."""
    kwargs.setdefault("first_name", "Ada")
    kwargs.setdefault("last_name", "Lovelace")
    user = make_user(email=email, password=PASSWORD, **kwargs)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def comment(client, post, body="Words from an account.") -> Comment:
    form = comment_form(post, author_name=None, author_email=None, author_url=None, body=body)
    assert client.post(reverse("comments:post"), form).status_code == 302
    return Comment.objects.get(body=body)


def test_a_visitor_signs_up_confirms_the_address_and_comments_under_their_name(client):
    post = make_post()
    back = f"{post.get_absolute_url()}#respond"
    page = client.get(reverse("account_signup"), {"next": back}).content.decode()
    labels = re.findall(r'<label\s+for="id_\w+" class="form-label requiredField">\s*([^<*]+)', page)
    assert [label.strip() for label in labels] == ["Name", "Email", "Password", "Password (again)"]

    form = {"name": " Ada  Lovelace ", "email": "Ada@Example.org", "next": back}
    signed_up = client.post(
        reverse("account_signup"), {**form, "password1": PASSWORD, "password2": PASSWORD}
    )

    assert signed_up["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="ada@example.org")
    assert (user.first_name, user.last_name, user.get_full_name()) == (
        "Ada",
        "Lovelace",
        "Ada Lovelace",
    )
    assert "Logged in as" not in client.get(post.get_absolute_url()).content.decode()
    assert mail.outbox[0].subject.startswith("[bioXclusters plus] ")

    confirmed = client.post(link_in_mail(r"/accounts/confirm-email/[^\s/]+/"))

    assert confirmed["Location"] == back
    stored = comment(client, post)
    assert (stored.author_name, stored.author_email) == ("Ada Lovelace", "ada@example.org")
    assert (stored.user, stored.auth_provider) == (user, "local")
    page = client.get(post.get_absolute_url()).content.decode()
    assert "via bioXclusters plus account</span>" in page


def test_a_member_logs_in_with_e_mail_and_password_and_returns_to_the_form(client):
    make_member()
    post = make_post()
    back = f"{post.get_absolute_url()}#respond"

    answer = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD, "next": back}
    )

    assert answer["Location"] == back
    assert comment(client, post).auth_provider == "local"


def test_an_unconfirmed_address_cannot_log_in_until_confirmed(client):
    make_user(email="new@example.org", password=PASSWORD)
    EmailAddress.objects.create(user=User.objects.get(), email="new@example.org", primary=True)

    answer = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": PASSWORD}
    )

    assert answer["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("account_email")).status_code == 302  # Not signed in.


def test_a_forgotten_password_is_reset_through_a_mailed_link(client):
    make_member()

    client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    link = client.get(link_in_mail(r"/accounts/password/reset/key/[^\s/]+/"), follow=True)
    new = "a brand new passphrase"
    reset = client.post(link.redirect_chain[-1][0], {"password1": new, "password2": new})

    assert reset["Location"] == reverse("account_reset_password_from_key_done")
    assert client.login(username=User.objects.get().username, password=new)


def test_repeated_wrong_passwords_are_held_back_even_when_the_right_one_follows(client):
    make_member()
    for _ in range(5):
        answer = client.post(
            reverse("account_login"), {"login": "ada@example.org", "password": "wrong"}
        )
        assert answer.status_code == 200

    answer = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD}
    )

    assert "Too many failed login attempts" in answer.content.decode()
    assert client.get(reverse("account_email")).status_code == 302


def test_too_many_sign_ups_from_one_address_get_the_sites_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1/m/ip"}
    data = {"name": "Bot", "password1": PASSWORD, "password2": PASSWORD}
    client.post(reverse("account_signup"), {**data, "email": "one@example.org"})

    answer = client.post(reverse("account_signup"), {**data, "email": "two@example.org"})

    assert answer.status_code == 429
    assert "Too many attempts" in answer.content.decode()
    assert not User.objects.filter(email="two@example.org").exists()


def test_the_account_pages_wear_the_sites_design_and_are_not_indexed(client):
    page = client.get(reverse("account_login")).content.decode()

    assert re.search(r"<title>\s*Sign In\s*· bioXclusters plus</title>", page)
    assert '<body class="account-page">' in page
    assert '<link rel="stylesheet" href="/static/signin/accounts.css">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert 'class="site-footer' in page and "Skip to main content" in page
    assert '<button type="submit" class="btn btn-primary">' in page


def test_a_name_of_control_characters_is_refused_at_sign_up(client):
    form = {"name": "Ada\x07", "email": "ada@example.org"}
    answer = client.post(
        reverse("account_signup"), {**form, "password1": PASSWORD, "password2": PASSWORD}
    )

    assert "Remove the control characters from your name." in answer.content.decode()
    assert not User.objects.filter(email="ada@example.org").exists()
