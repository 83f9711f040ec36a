"""Every naughty string and a sample of XSS payloads, in every field of the real form.

Each post is either refused with a clear form error (400) or stored as typed and shown escaped;
never a 500, never a script or event handler from a visitor in the page.
"""

import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import RequestContext, Template
from django.utils.html import conditional_escape

from comments.models import Comment
from comments.rendering import normalise_newlines
from tests.comments.conftest import comment_form
from tests.factories import make_post
from tests.html_checks import executable_parts, without_report_forms

pytestmark = pytest.mark.django_db

URL = "/comments/post/"
XSS_SAMPLE = 300


@pytest.fixture
def xss_payloads(all_xss_payloads):
    return random.Random(3).sample(all_xss_payloads, XSS_SAMPLE)


@pytest.fixture
def open_discussion(discussion, settings):
    """Approve every comment at once and let one address post as often as it likes."""
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 0
    discussion.auto_approve_known_authors = False
    discussion.hold_links = 0
    discussion.save()
    return discussion


def form_part(html):
    """Return what the re-shown form contains, after its own <form> tag."""
    start = html.index(">", html.index('<form action="/comments/post/"')) + 1
    return html[start : html.index("</form>", start)]


def post_each(client, post, strings, fields):
    """Post each string in ``fields``; return the strings stored, checking every refusal."""
    stored = []
    for number, value in enumerate(strings):
        data = comment_form(post, body=f"Comment {number} about {fields}")
        data.update(dict.fromkeys(fields, value))
        response = client.post(URL, data)
        assert response.status_code in {302, 400}, (value, response.status_code)
        if response.status_code == 302:
            stored.append(value)
        else:
            html = response.content.decode()
            assert 'class="invalid-feedback"' in html or "alert-danger" in html, value
            assert executable_parts(form_part(html)) == [], value
    return stored


def section(post, rf):
    request = rf.get(post.get_absolute_url())
    request.user = AnonymousUser()
    html = Template("{% load comments %}{% comment_section obj %}").render(
        RequestContext(request, {"obj": post})
    )
    if '<ol class="comment-list' not in html:
        return ""
    return without_report_forms(
        html[html.index('<ol class="comment-list') : html.index('<div id="respond-home">')]
    )


def assert_shown_escaped(post, rf):
    shown = section(post, rf)
    assert executable_parts(shown) == []
    assert "<script" not in shown.lower()
    for comment in Comment.objects.for_object(post):
        assert conditional_escape(comment.author_name) in shown
        assert comment.body_html in shown


def strings_in_body_are_stored_as_typed(stored):
    bodies = set(Comment.objects.values_list("body", flat=True))
    for value in stored:
        assert normalise_newlines(value).strip() in bodies, value


def test_naughty_strings_in_the_comment_body(client, rf, open_discussion, naughty_strings):
    post = make_post()

    stored = post_each(client, post, naughty_strings, ["body"])

    assert len(stored) > 0.9 * len(naughty_strings)
    strings_in_body_are_stored_as_typed(stored)
    assert_shown_escaped(post, rf)


def test_naughty_strings_in_the_name(client, rf, open_discussion, naughty_strings):
    post = make_post()

    stored = post_each(client, post, naughty_strings, ["author_name"])

    assert len(stored) > 0.8 * len(naughty_strings)
    names = set(Comment.objects.values_list("author_name", flat=True))
    assert all(value.strip() in names for value in stored)
    assert_shown_escaped(post, rf)


def test_naughty_strings_as_email_and_website(client, rf, open_discussion, naughty_strings):
    post = make_post()

    post_each(client, post, naughty_strings, ["author_email", "author_url"])

    assert_shown_escaped(post, rf)
    for url in Comment.objects.values_list("author_url", flat=True):
        assert url.lower().startswith(("http://", "https://"))


def test_xss_payloads_in_every_field(client, rf, open_discussion, xss_payloads):
    post = make_post()

    stored = post_each(client, post, xss_payloads, ["body"])
    post_each(client, post, xss_payloads, ["author_name"])
    post_each(client, post, xss_payloads, ["author_email", "author_url"])

    strings_in_body_are_stored_as_typed(stored)
    assert_shown_escaped(post, rf)
