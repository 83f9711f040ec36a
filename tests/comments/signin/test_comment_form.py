"""The comment form's sign-in part: provider buttons, who is signed in, and "must log in"."""

import copy
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialApp
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import RequestContext, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from tests.comments.conftest import comment_form
from tests.factories import make_post, make_user

from .conftest import APP, providers, sign_in_buttons

pytestmark = pytest.mark.django_db


def section(post, rf, *, user=None, query="") -> str:
    request = rf.get(f"{post.get_absolute_url()}{query}")
    request.user = user or AnonymousUser()
    template = Template("{% load comments %}{% comment_section post %}")
    return template.render(RequestContext(request, {"post": post}))


def without_tokens(html: str) -> str:
    """Return ``html`` without the values that differ on every rendering (CSRF, form token)."""
    return re.sub(r'name="(csrfmiddlewaretoken|target)" value="[^"]*"', r'name="\1"', html)


def test_with_nothing_configured_the_form_is_exactly_as_before(rf, settings, tmp_path):
    post = make_post()
    html = section(post, rf)
    assert "Log in" not in html and "/accounts/" not in html
    # The same page, rendered with the sign-in part taken out of the form altogether.
    (tmp_path / "comments" / "includes").mkdir(parents=True)
    (tmp_path / "comments" / "includes" / "sign_in.html").write_text("")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [tmp_path, *templates[0]["DIRS"]]
    settings.TEMPLATES = templates

    assert without_tokens(section(post, rf)) == without_tokens(html)


def test_only_configured_providers_get_a_button_in_the_old_sites_order(rf, settings):
    settings.SOCIALACCOUNT_PROVIDERS = providers(facebook=APP, google=APP)
    SocialApp.objects.create(provider="wordpress_com", name="WordPress.com", **APP)
    # A hidden app stays usable by its address, but is not offered.
    SocialApp.objects.create(provider="twitter_oauth2", name="X", settings={"hidden": True}, **APP)

    html = section(make_post(), rf)

    assert list(sign_in_buttons(html)) == [
        "Log in with WordPress.com",
        "Log in with Google",
        "Log in with Facebook",
    ]
    assert "Log in to comment with" in html and "or fill in your details" in html
    assert 'role="group" aria-labelledby="comment-sign-in-title"' in html


def test_the_apps_are_looked_up_once_in_a_while_and_again_when_one_changes(rf):
    post = make_post()
    section(post, rf)

    with CaptureQueriesContext(connection) as captured:
        html = section(post, rf)
    assert not [query for query in captured if "socialaccount_socialapp" in query["sql"]]
    assert not sign_in_buttons(html)

    app = SocialApp.objects.create(provider="wordpress_com", name="WordPress.com", **APP)
    assert list(sign_in_buttons(section(post, rf))) == ["Log in with WordPress.com"]

    app.delete()
    assert not sign_in_buttons(section(post, rf))


def test_each_button_leads_to_allauth_and_comes_back_to_the_form_replied_to(rf, client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = providers(google=APP)
    post = make_post()

    html = section(post, rf, query="?replyto=7")

    action = sign_in_buttons(html)["Log in with Google"]
    assert urlsplit(action).path == reverse("google_login")
    query = parse_qs(urlsplit(action).query)
    assert query == {"process": ["login"], "next": [f"{post.get_absolute_url()}?replyto=7#respond"]}
    # A link (no token in the page); allauth's page asks to confirm with a POST form.
    confirm = client.get(action)
    assert confirm.status_code == 200
    form = re.search(r'<form [^>]*method="post".*?</form>', confirm.content.decode(), re.S)[0]
    assert 'name="csrfmiddlewaretoken"' in form


def test_a_signed_in_visitor_sees_who_they_are_and_a_log_out_button(client):
    user = make_user(first_name="Rosalind", last_name="Franklin")
    client.force_login(user)
    post = make_post()

    page = client.get(post.get_absolute_url()).content.decode()

    assert "Logged in as Rosalind Franklin." in page
    logout = re.search(r'<form class="logged-in-as" method="post" action="([^"]+)">', page)
    assert logout[1] == reverse("account_logout")
    assert f'name="next" value="{post.get_absolute_url()}#respond"' in page
    assert '<button type="submit" class="btn btn-link p-0 align-baseline">Log out?</button>' in page
    assert 'name="author_name"' not in page and 'name="author_email"' not in page

    logged_out = client.post(
        reverse("account_logout"), {"next": f"{post.get_absolute_url()}#respond"}
    )

    assert logged_out["Location"] == f"{post.get_absolute_url()}#respond"
    assert "Logged in as" not in client.get(post.get_absolute_url()).content.decode()


def test_logging_out_needs_a_post(client):
    client.force_login(make_user())

    client.get(reverse("account_logout"))

    assert client.get(reverse("account_email")).status_code == 200  # Still signed in.


def test_when_signing_in_is_required_the_form_gives_way_to_the_log_in_prompt(
    rf, settings, discussion
):
    discussion.require_sign_in = True
    discussion.save()
    settings.SOCIALACCOUNT_PROVIDERS = providers(google=APP)
    post = make_post()

    html = section(post, rf)

    login = (
        f"{reverse('account_login')}?next={post.get_absolute_url().replace('/', '%2F')}%23respond"
    )
    assert f'You must be <a href="{login}">logged in</a> to post a comment.' in html
    assert 'id="commentform"' not in html and 'name="body"' not in html
    assert list(sign_in_buttons(html)) == ["Log in with Google"]
    assert "or fill in your details" not in html


def test_when_signing_in_is_required_a_post_without_a_session_is_refused(client, discussion):
    discussion.require_sign_in = True
    discussion.save()
    post = make_post()

    answer = client.post(reverse("comments:post"), comment_form(post))

    assert answer.status_code == 403
    assert "You must be logged in to post a comment." in answer.content.decode()
    assert not Comment.objects.exists()


def test_when_signing_in_is_required_a_signed_in_visitor_comments(client, discussion):
    discussion.require_sign_in = True
    discussion.save()
    post = make_post()
    client.force_login(make_user(first_name="Ada", last_name="Lovelace"))

    page = client.get(post.get_absolute_url()).content.decode()
    form = comment_form(post, author_name=None, author_email=None, author_url=None)
    answer = client.post(reverse("comments:post"), form)

    assert 'id="commentform"' in page and "You must be" not in page
    assert answer.status_code == 302
    assert Comment.objects.get().author_name == "Ada Lovelace"


def test_the_page_loads_nothing_from_another_host(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = providers(
        google=APP, facebook=APP, twitter_oauth2=APP, wordpress_com=APP
    )

    page = client.get(make_post().get_absolute_url()).content.decode()

    assert len(sign_in_buttons(page)) == 4
    for address in re.findall(r'\b(?:src|href)="([^"]+)"', page):
        assert not address.startswith(("http:", "https:", "//")) or address.startswith(
            settings.SITE_URL
        ), address
