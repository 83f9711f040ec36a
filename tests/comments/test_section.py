"""The discussion under a post, page or cluster profile, as ``{% comment_section %}`` shows it."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from comments.selectors import PENDING_COOKIE, PENDING_COOKIE_SALT, with_comment_counts
from tests.comments.factories import make_comment, make_threads
from tests.factories import make_cluster, make_page, make_post, make_user
from tests.html_checks import executable_parts, without_report_forms

pytestmark = pytest.mark.django_db

Status = Comment.Status


def render(obj, rf, *, query="", user=None, pending=None):
    request = rf.get(f"{obj.get_absolute_url()}{query}")
    request.user = user or AnonymousUser()
    if pending is not None:
        # Signed by a response, as the comment view signs it.
        response = HttpResponse()
        response.set_signed_cookie(
            PENDING_COOKIE, ",".join(map(str, pending)), salt=PENDING_COOKIE_SALT
        )
        request.COOKIES[PENDING_COOKIE] = response.cookies[PENDING_COOKIE].value
    template = Template("{% load comments %}{% comment_section obj %}")
    return template.render(RequestContext(request, {"obj": obj}))


class _Structure(HTMLParser):
    """Record, for each comment, the id of the comment it is nested under."""

    def __init__(self):
        super().__init__()
        self.stack, self.parents, self.balance = [], {}, {"li": 0, "ol": 0}

    def handle_starttag(self, tag, attrs):
        if tag in self.balance:
            self.balance[tag] += 1
        if tag == "li":
            comment_id = dict(attrs).get("id", "")
            enclosing = [item for item in self.stack if item.startswith("comment-")]
            self.parents[comment_id] = enclosing[-1] if enclosing else None
            self.stack.append(comment_id)

    def handle_endtag(self, tag):
        if tag in self.balance:
            self.balance[tag] -= 1
        if tag == "li":
            self.stack.pop()


def comment_list(html):
    """Return the part of the section that shows what visitors wrote."""
    return without_report_forms(
        html[html.index('<ol class="comment-list') : html.index('<div id="respond-home">')]
    )


def structure(html):
    parser = _Structure()
    parser.feed(html)
    assert parser.balance == {"li": 0, "ol": 0}, "every list and item is closed"
    return parser.parents


def test_the_heading_counts_approved_comments_and_pings_on_the_titled_object(rf):
    post = make_post(title="Precision medicine")
    make_comment(post)
    make_comment(post, kind=Comment.Kind.PINGBACK, author_url="https://a.example/")
    make_comment(post, status=Status.PENDING)
    make_comment(post, status=Status.SPAM)

    assert "2 thoughts on “Precision medicine”" in render(post, rf)


def test_one_comment_is_one_thought(rf):
    page = make_page(title="Who we are")
    make_comment(page)

    assert "One thought on “Who we are”" in render(page, rf)


def test_replies_are_nested_under_their_parents(rf):
    cluster = make_cluster()
    root = make_comment(cluster)
    reply = make_comment(cluster, parent=root)
    deeper = make_comment(cluster, parent=reply)
    sibling = make_comment(cluster, parent=root)
    second = make_comment(cluster)

    parents = structure(render(cluster, rf))

    assert parents == {
        f"comment-{root.pk}": None,
        f"comment-{reply.pk}": f"comment-{root.pk}",
        f"comment-{deeper.pk}": f"comment-{reply.pk}",
        f"comment-{sibling.pk}": f"comment-{root.pk}",
        f"comment-{second.pk}": None,
    }


def test_a_comment_shows_its_author_link_date_permalink_avatar_and_reply_link(rf):
    post = make_post()
    comment = make_comment(
        post, author_name="Ada Lovelace", author_url="https://ada.example/", body="Hello"
    )

    html = render(post, rf)

    assert '<a href="https://ada.example/" rel="external nofollow ugc">Ada Lovelace</a>' in html
    assert f'href="#comment-{comment.pk}"><time datetime=' in html
    assert re.search(r'class="comment-avatar avatar-\d+" aria-hidden="true">AL</span>', html)
    assert f"?replyto={comment.pk}#respond" in html
    assert "<p>Comment" not in html and "<p>Hello</p>" in html
    assert "gravatar" not in html


def test_an_author_address_that_is_not_http_is_not_linked(rf):
    post = make_post()
    make_comment(post, author_name="Mallory", author_url="javascript:alert(1)")

    html = render(post, rf)

    assert "javascript:" not in html
    assert executable_parts(comment_list(html)) == []


def test_pings_are_listed_compactly_with_their_linked_title(rf):
    post = make_post()
    make_comment(
        post,
        kind=Comment.Kind.PINGBACK,
        author_name="<b>Their</b> post",
        source_url="https://elsewhere.example/post/",
        body="an excerpt",
    )
    make_comment(post, kind=Comment.Kind.WEBMENTION, source_url="https://w.example/")

    html = render(post, rf)

    assert re.search(
        r'<span class="ping-kind">Pingback:</span>\s*<a href="https://elsewhere.example/post/" '
        r'rel="external nofollow ugc">&lt;b&gt;Their&lt;/b&gt; post</a>',
        html,
    )
    assert "Webmention:" in html
    assert "an excerpt" not in html


def test_a_pending_comment_is_shown_only_to_its_author(rf):
    post = make_post()
    mine = make_comment(post, status=Status.PENDING, body="My words")
    theirs = make_comment(post, status=Status.PENDING, body="Their words")

    for_me = render(post, rf, pending=[mine.pk])
    for_others = render(post, rf)

    assert "Your comment is awaiting moderation." in for_me
    assert "My words" in for_me and "Their words" not in for_me
    assert "My words" not in for_others and "awaiting moderation" not in for_others
    assert f"replyto={mine.pk}" not in for_me
    assert theirs.pk


def test_a_forged_pending_cookie_shows_nothing(rf):
    post = make_post()
    make_comment(post, status=Status.PENDING, body="Hidden words")
    request = rf.get(post.get_absolute_url())
    request.user = AnonymousUser()
    request.COOKIES[PENDING_COOKIE] = "1,2,3"
    request_html = Template("{% load comments %}{% comment_section obj %}").render(
        RequestContext(request, {"obj": post})
    )

    assert "Hidden words" not in request_html


def test_the_form_is_offered_with_name_email_website_and_remember_me(rf):
    html = render(make_post(), rf)

    assert "Leave a Reply" in html
    for name in ("body", "author_name", "author_email", "author_url", "remember", "target"):
        assert f'name="{name}"' in html
    assert "Save my name, e-mail and website in this browser for the next time I comment." in html
    assert re.search(r'class="comment-form-hp"\s+aria-hidden="true"', html)
    # The same for every visitor, so that the page can come from the page cache.
    assert 'name="csrfmiddlewaretoken"' not in html


def test_scripts_and_styles_come_from_our_static_files_never_inline(rf):
    html = render(make_post(), rf)

    assert re.search(r'<script src="/static/comments/comments\.js" defer></script>', html)
    assert '<link rel="stylesheet" href="/static/comments/comments.css">' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html


def test_signed_in_visitors_skip_name_and_email(rf):
    user = make_user(first_name="Rosalind", last_name="Franklin")

    html = render(make_post(), rf, user=user)

    assert "Logged in as Rosalind Franklin." in html
    assert 'name="author_name"' not in html and 'name="author_email"' not in html


def test_replying_without_javascript_shows_the_form_under_the_comment(rf):
    post = make_post()
    first = make_comment(post, author_name="Ada")
    second = make_comment(post)

    html = render(post, rf, query=f"?replyto={first.pk}")

    article_end = html.index("</article>", html.index(f'id="div-comment-{first.pk}"'))
    assert article_end < html.index('id="respond"') < html.index(f'id="comment-{second.pk}"')
    assert f'name="parent" value="{first.pk}"' in html
    assert "Leave a Reply to Ada" in html
    assert re.search(r'id="cancel-comment-reply-link" href="[^"]+#respond">', html)


@pytest.mark.parametrize("value", ["abc", "999999", "-1", "", "99999999999999999999"])
def test_an_unknown_replyto_shows_the_form_at_the_end(rf, value):
    post = make_post()
    make_comment(post)

    html = render(post, rf, query=f"?replyto={value}")

    assert html.index("</ol>") < html.index('id="respond"')
    assert 'name="parent" value' not in html


def test_no_reply_link_at_the_deepest_level(rf, discussion):
    discussion.thread_depth = 2
    discussion.save()
    post = make_post()
    root = make_comment(post)
    reply = make_comment(post, parent=root)

    html = render(post, rf)

    assert f"replyto={root.pk}#" in html
    assert f"replyto={reply.pk}#" not in html


def test_closed_discussions_keep_their_comments_and_say_so(rf):
    post = make_post(allow_comments=False)
    make_comment(post, body="Old words")

    html = render(post, rf)

    assert "Old words" in html and "Comments are closed." in html
    # No comment form; a published comment can still be reported.
    assert "<form" not in without_report_forms(html) and "Reply</a>" not in html


def test_a_closed_discussion_without_comments_shows_nothing(rf):
    assert render(make_post(allow_comments=False), rf).strip() == ""


def test_when_signing_in_is_required_visitors_are_told_instead_of_given_a_form(rf, discussion):
    discussion.require_sign_in = True
    discussion.save()

    html = render(make_post(), rf)

    assert re.search(r"You must be <a href=\"[^\"]+\">logged in</a> to post a comment\.", html)
    assert "<form" not in html


def test_avatars_can_be_turned_off(rf, discussion):
    discussion.show_avatars = False
    discussion.save()
    post = make_post()
    make_comment(post)

    html = render(post, rf)

    # The avatar is part of each comment's prepared markup; the section's class hides it.
    assert 'class="comments-area mt-5 no-avatars"' in html
    css = (settings.BASE_DIR / "static/comments/comments.css").read_text()
    assert ".no-avatars .comment-avatar {\n  display: none;" in css


def test_a_post_links_its_comment_feed(rf):
    post = make_post()

    assert f'href="/comments/feed/post/{post.pk}/"' in render(post, rf)
    assert "/comments/feed/" not in render(make_page(), rf)


def paged(discussion, *, per_page=2, default="newest"):
    discussion.page_comments = True
    discussion.comments_per_page = per_page
    discussion.default_page = default
    discussion.save()


def test_paged_discussions_open_on_the_newest_page_by_default(rf, discussion):
    paged(discussion)
    post = make_post()
    roots = [make_comment(post, body=f"Thread {n}") for n in range(5)]
    make_comment(post, parent=roots[0], body="Reply to the first")

    newest = render(post, rf)
    oldest = render(post, rf, query="?cpage=1")

    assert "Thread 4" in newest and "Thread 3" not in newest and "Page 3 of 3" in newest
    assert '<a href="?cpage=2#comments">' in newest
    assert "Thread 0" in oldest and "Reply to the first" in oldest and "Thread 2" not in oldest
    assert "6 thoughts on" in newest and "6 thoughts on" in oldest


@pytest.mark.parametrize("query", ["?cpage=99", "?cpage=x", "?cpage=0", "?cpage=9" + "9" * 30])
def test_an_impossible_page_shows_the_default_page(rf, discussion, query):
    paged(discussion, default="oldest")
    post = make_post()
    for n in range(3):
        make_comment(post, body=f"Thread {n}")

    html = render(post, rf, query=query)

    assert "Thread 0" in html and "Page 1 of 2" in html


def test_a_permalink_lands_on_the_page_of_its_comment(client, discussion):
    paged(discussion)
    post = make_post()
    roots = [make_comment(post) for _ in range(5)]
    reply = make_comment(post, parent=roots[2])

    response = client.get(f"/comments/{reply.pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}?cpage=2#comment-{reply.pk}"


def test_a_permalink_without_paging_is_the_anchor_on_the_object(client):
    cluster = make_cluster()
    comment = make_comment(cluster)

    response = client.get(comment.get_absolute_url())

    assert response["Location"] == f"{cluster.get_absolute_url()}#comment-{comment.pk}"


@pytest.mark.parametrize("status", [Status.PENDING, Status.SPAM, Status.TRASH])
def test_permalinks_of_unpublished_comments_are_not_found(client, status):
    comment = make_comment(make_post(), status=status)

    assert client.get(comment.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999"])
def test_permalinks_of_unknown_comments_are_not_found(client, pk):
    assert client.get(f"/comments/{pk}/").status_code == 404


def queries_to_render(post, rf):
    render(post, rf)  # Warm the content-type cache, as a running site has it.
    with CaptureQueriesContext(connection) as captured:
        html = render(post, rf)
    return len(captured), html


@pytest.mark.parametrize("paging", [False, True])
def test_a_thousand_comments_render_with_as_many_queries_as_ten(rf, discussion, paging):
    if paging:
        paged(discussion, per_page=500)
    small, large = make_post(), make_post()
    make_threads(small, threads=2, replies_per_level=1, depth=5)
    made = make_threads(large, threads=125, replies_per_level=1, depth=8)

    few, few_html = queries_to_render(small, rf)
    many, many_html = queries_to_render(large, rf)

    assert len(made) == 1000
    assert few == many <= 3
    assert many_html.count('class="comment-item') == len(made)
    structure(many_html)


@pytest.mark.parametrize("make_object", [make_post, make_page, make_cluster])
def test_a_page_with_a_discussion_loads_the_settings_once(client, discussion, make_object):
    discussion.save()
    obj = make_object()
    make_comment(obj)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(obj.get_absolute_url())

    assert response.status_code == 200
    settings_queries = [
        query["sql"]
        for query in captured
        if query["sql"].startswith("SELECT") and "comments_discussionsettings" in query["sql"]
    ]
    assert len(settings_queries) == 1


def test_lists_can_count_comments_in_the_same_query(rf):
    first, second = make_post(), make_post()
    make_comment(first)
    make_comment(first)
    make_comment(first, status=Status.PENDING)

    with CaptureQueriesContext(connection) as captured:
        counts = {post.pk: post.comment_count for post in with_comment_counts(
            type(first).objects.filter(pk__in=[first.pk, second.pk]))}  # fmt: skip

    assert counts == {first.pk: 2, second.pk: 0}
    assert len(captured) == 1
    template = Template("{% load comments %}{% comment_count obj %}")
    assert template.render(RequestContext(rf.get("/"), {"obj": first})) == "2"


def test_blog_lists_show_each_posts_comments_without_a_query_per_post(client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # The rendering's queries are counted, not the page cache's.

    def blog_list():
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/blog/").content.decode()
        return len(captured), html

    first, quiet = make_post(), make_post()
    make_comment(first)
    make_comment(first)
    make_comment(first, status=Status.PENDING)
    make_comment(quiet, status=Status.PENDING)
    blog_list()  # Warm the content-type cache, as a running site has it.

    few, html = blog_list()
    for _ in range(5):
        make_comment(make_post())
    blog_list()  # The new posts drop the menus and sidebar from the cache: built again once.
    many, _ = blog_list()

    assert f'<a href="{first.get_absolute_url()}#comments">2 comments</a>' in html
    assert f'href="{quiet.get_absolute_url()}#comments"' not in html
    assert many == few


def test_one_page_can_have_its_own_discussion_heading(rf, settings, tmp_path):
    override = tmp_path / "comments" / "tags" / "clusters" / "page" / "who-we-are"
    override.mkdir(parents=True)
    (override / "section.html").write_text(
        '{% extends "comments/tags/section.html" %}'
        "{% block heading %}<h2>Talk to the meta-cluster</h2>{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    page = make_page(slug="who-we-are")
    make_comment(page)

    assert "Talk to the meta-cluster" in render(page, rf)
    assert "Talk to the meta-cluster" not in render(make_page(), rf)


def test_a_visitors_own_waiting_comment_is_not_counted_and_the_page_says_so(rf):
    post = make_post(title="Genomics")
    make_comment(post)
    waiting = make_comment(post, status=Comment.Status.PENDING, body="My question")

    html = render(post, rf, pending=[waiting.pk])

    assert "One thought on “Genomics”" in html and "My question" in html
    assert "Your comment awaits moderation: only you see it, and it is not counted above" in html
    assert "awaits moderation: only you" not in render(post, rf)
