"""Posting a comment through the form, as a visitor's browser does, and every way it can fail."""

import pytest
from django.test import RequestFactory

from comments.models import Comment
from comments.selectors import PENDING_COOKIE, pending_ids_from
from tests.comments.conftest import comment_form, form_token
from tests.comments.factories import make_comment
from tests.factories import make_cluster, make_page, make_post, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status
URL = "/comments/post/"


def pending_cookie(response):
    """Return the comment ids the response's signed cookie gives its author."""
    request = RequestFactory().get("/")
    request.COOKIES[PENDING_COOKIE] = response.cookies[PENDING_COOKIE].value
    return pending_ids_from(request)


def assert_form_shown_again(response, status, *, message, typed):
    assert response.status_code == status
    html = response.content.decode()
    assert message in html
    for value in typed:
        assert value in html, f"the visitor's {value!r} is kept"
    assert 'action="/comments/post/"' in html
    return html


def test_a_new_visitor_comments_and_sees_the_comment_waiting_in_place(client):
    post = make_post()

    response = client.post(URL, comment_form(post), REMOTE_ADDR="203.0.113.5")

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    assert comment.status == Status.PENDING
    assert (comment.author_name, comment.author_email, comment.author_url) == (
        "Ada Lovelace",
        "ada@example.org",
        "https://ada.example.org/",
    )
    assert (comment.ip_address, comment.kind, comment.user) == ("203.0.113.5", "comment", None)
    assert pending_cookie(response) == [comment.pk]
    assert response.cookies[PENDING_COOKIE]["httponly"]


def test_an_approved_comment_sets_no_cookie_and_lands_on_its_anchor(client):
    post = make_post()
    make_comment(post, author_email="ada@example.org")

    response = client.post(URL, comment_form(post, body="Again, with feeling."))

    comment = Comment.objects.latest("pk")
    assert comment.status == Status.APPROVED
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert PENDING_COOKIE not in response.cookies


def test_the_cookie_keeps_the_authors_earlier_pending_comments(client, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    post = make_post()
    client.post(URL, comment_form(post, body="First"))
    client.post(URL, comment_form(post, body="Second"))

    response = client.post(URL, comment_form(post, body="Third"))

    assert pending_cookie(response) == list(
        Comment.objects.order_by("pk").values_list("pk", flat=True)
    )


def test_a_reply_is_stored_under_its_parent_and_a_paged_discussion_redirects_to_its_page(
    client, discussion
):
    discussion.page_comments, discussion.comments_per_page = True, 1
    discussion.save()
    post = make_post()
    parent = make_comment(post)
    make_comment(post)

    response = client.post(URL, comment_form(post, parent=str(parent.pk)))

    reply = Comment.objects.get(parent=parent)
    assert response["Location"] == f"{post.get_absolute_url()}?cpage=1#comment-{reply.pk}"


def test_forged_status_kind_and_user_fields_are_ignored(client):
    post = make_post()
    staff = make_user(is_staff=True, is_superuser=True)

    client.post(
        URL,
        comment_form(
            post, status="approved", kind="pingback", user=str(staff.pk), held_reasons="[]"
        ),
    )

    comment = Comment.objects.get()
    assert (comment.status, comment.kind, comment.user) == (Status.PENDING, "comment", None)


def test_a_filled_honeypot_is_stored_as_spam_and_never_shown(client):
    post = make_post()

    response = client.post(URL, comment_form(post, topic="+1 555 0100"))

    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert comment.held_reasons[0] == {"code": "honeypot"}
    assert response["Location"] == f"{post.get_absolute_url()}#comments"
    assert PENDING_COOKIE not in response.cookies


def test_signed_in_users_post_without_name_and_email(client):
    user = make_user(first_name="Mary", last_name="Somerville")
    client.force_login(user)

    client.post(URL, comment_form(make_page(), author_name="", author_email="", author_url=""))

    comment = Comment.objects.get()
    assert (comment.user, comment.author_name, comment.author_email) == (
        user,
        "Mary Somerville",
        user.email,
    )


def test_posting_needs_post_and_a_csrf_token_only_from_a_signed_in_visitor():
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    post = make_post()

    assert browser.get(URL).status_code == 405
    # Not signed in: the signed form token is the check, so cached pages carry no CSRF token.
    assert browser.post(URL, comment_form(post)).status_code == 302
    browser.force_login(make_user())
    refused = browser.post(URL, comment_form(post, body="Forged in my name."))
    assert refused.status_code == 403
    assert list(Comment.objects.values_list("body", flat=True)) == [
        "A thoughtful remark about personalised healthcare."
    ]


def test_posting_too_quickly_after_another_comment_is_refused_with_429(client):
    post = make_post()
    client.post(URL, comment_form(post, body="First thought."))

    response = client.post(URL, comment_form(post, body="Second thought."))

    assert_form_shown_again(
        response,
        429,
        message="You are posting comments too quickly. Slow down.",
        typed=["Second thought.", "Ada Lovelace", "ada@example.org"],
    )
    assert Comment.objects.count() == 1


def test_the_same_comment_twice_is_refused_with_409(client, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    post = make_post()
    client.post(URL, comment_form(post))

    response = client.post(URL, comment_form(post))

    assert_form_shown_again(
        response,
        409,
        message="Duplicate comment detected; it looks as though you’ve already said that!",
        typed=["A thoughtful remark about personalised healthcare."],
    )


def test_one_address_is_limited_to_a_number_of_posts_an_hour(client, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_RATE_LIMIT = 3
    post = make_post()
    statuses = [
        client.post(URL, comment_form(post, body=f"Comment {n}")).status_code for n in range(4)
    ]

    assert statuses == [302, 302, 302, 429]
    other = client.post(URL, comment_form(post, body="From another address"), REMOTE_ADDR="::1")
    assert other.status_code == 302


@pytest.mark.parametrize(
    "age, message",
    [
        (0, "You sent your comment very quickly after the page opened."),
        (3 * 24 * 3600, "This form has expired."),
    ],
)
def test_a_form_sent_too_fast_or_too_late_is_shown_again_with_a_fresh_token(client, age, message):
    post = make_post()

    response = client.post(URL, comment_form(post, target=form_token(post, age=age)))

    html = assert_form_shown_again(
        response, 400, message=message, typed=["A thoughtful remark about personalised healthcare."]
    )
    assert f"Back to “{post.title}”" in html
    fresh = response.context["form"].data["target"]
    assert fresh != comment_form(post)["target"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("token", ["", "garbage", "clusters.post:1:abc:def"])
def test_a_tampered_form_is_refused_but_what_was_typed_is_kept(client, token):
    response = client.post(URL, comment_form(make_post(), target=token))

    assert_form_shown_again(
        response,
        400,
        message="This form was changed or is broken",
        typed=["A thoughtful remark about personalised healthcare."],
    )


def test_a_token_naming_another_kind_of_object_is_refused(client):
    from comments.antispam import make_form_token

    user = make_user()
    response = client.post(
        URL, comment_form(make_post(), target=make_form_token(f"auth.user:{user.pk}", now=0))
    )

    assert response.status_code == 404


def test_a_comment_on_an_unknown_object_is_refused_with_404(client):
    post = make_post()
    token = form_token(post)
    post.delete()

    response = client.post(URL, comment_form(post, target=token))

    assert_form_shown_again(
        response,
        404,
        message="This page does not exist or does not take comments.",
        typed=["A thoughtful remark about personalised healthcare."],
    )


def test_a_comment_on_an_unpublished_post_is_refused_with_404(client):
    post = make_post(status="draft")

    response = client.post(URL, comment_form(post))

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_a_comment_on_a_closed_discussion_is_refused_with_403(client):
    cluster = make_cluster(allow_comments=False)

    response = client.post(URL, comment_form(cluster))

    assert_form_shown_again(
        response,
        403,
        message="Comments are closed.",
        typed=["A thoughtful remark about personalised healthcare."],
    )


def test_a_reply_to_a_comment_on_another_object_is_refused(client):
    post = make_post()
    elsewhere = make_comment(make_post())

    response = client.post(URL, comment_form(post, parent=str(elsewhere.pk)))

    assert_form_shown_again(
        response, 400, message="not on this page", typed=["A thoughtful remark"]
    )
    assert Comment.objects.count() == 1


def test_a_reply_to_a_pending_comment_is_refused(client):
    post = make_post()
    pending = make_comment(post, status=Status.PENDING)

    response = client.post(URL, comment_form(post, parent=str(pending.pk)))

    assert_form_shown_again(
        response, 400, message="You can only reply to a published comment.", typed=["thoughtful"]
    )


@pytest.mark.parametrize("parent", ["999999", "abc", "-3", "99999999999999999999"])
def test_a_reply_to_a_comment_that_does_not_exist_is_refused(client, parent):
    response = client.post(URL, comment_form(make_post(), parent=parent))

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_a_reply_deeper_than_allowed_joins_the_deepest_level(client, discussion):
    discussion.thread_depth = 2
    discussion.save()
    post = make_post()
    root = make_comment(post)
    child = make_comment(post, parent=root)

    client.post(URL, comment_form(post, parent=str(child.pk)))

    reply = Comment.objects.latest("pk")
    assert (reply.parent, reply.depth) == (root, 2)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("body", "", "Please type your comment."),
        ("body", " \n\t ", "Please type your comment."),
        ("body", "x" * 65_526, "Ensure this value has at most 65525 characters"),
        ("author_name", "", "Please fill in your name."),
        ("author_name", "n" * 246, "Ensure this value has at most 245 characters"),
        ("author_email", "", "Please fill in your e-mail address."),
        ("author_email", "not-an-address", "Enter a valid email address."),
        ("author_email", "a" * 90 + "@example.org", "at most 100 characters"),
        ("author_url", "u" * 201, "at most 200 characters"),
        ("author_url", "javascript:alert(1)", "Enter a web address starting with http"),
        ("author_url", "ftp://files.example.org/", "Enter a web address starting with http"),
        ("author_url", "data:text/html,<script>", "Enter a web address starting with http"),
        ("body", "bell \x07 character", "Remove the control characters from this field."),
        # NUL never reaches the form: the request is refused (tests/bioxclusters/test_bad_input.py).
        ("body", "non-character \ufffe", "Remove the control characters from this field."),
        ("author_name", "Ada\nLovelace", "Remove the control characters from this field."),
        ("author_name", "Ada\x1b[31m", "Remove the control characters from this field."),
        ("author_url", "https://a.example/\x85x", "Remove the control characters"),
    ],
)
def test_bad_input_gives_a_clear_form_error_and_keeps_the_rest(client, field, value, message):
    post = make_post()
    data = comment_form(post, **{field: value})

    response = client.post(URL, data)

    html = assert_form_shown_again(response, 400, message=message, typed=[])
    if field != "body":
        assert "A thoughtful remark about personalised healthcare." in html
    assert not Comment.objects.exists()


def test_a_body_of_the_largest_allowed_size_is_stored_whole(client):
    body = ("Word " * 13_105)[:65_525]

    response = client.post(URL, comment_form(make_post(), body=body))

    assert response.status_code == 302
    assert len(Comment.objects.get().body) == len(body.strip())


def test_a_website_without_a_scheme_gets_https(client):
    client.post(URL, comment_form(make_post(), author_url="ada.example.org"))

    assert Comment.objects.get().author_url == "https://ada.example.org"


def test_tabs_and_line_breaks_are_welcome_in_a_comment(client):
    client.post(URL, comment_form(make_post(), body="Line one\r\n\tLine two"))

    assert Comment.objects.get().body == "Line one\n\tLine two"


def test_the_rejection_page_is_a_page_of_the_site(client):
    response = client.post(URL, comment_form(make_post(), body=""))

    assert [t.name for t in response.templates][:2] == ["comments/form_page.html", "base.html"]
    assert response.headers.get("Content-Type", "").startswith("text/html")
