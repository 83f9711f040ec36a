"""The moderators' desk without JavaScript: each row's actions, undo, reply, quick edit, counts.

Every action here is the plain form post a browser without JavaScript sends; the desk's script
sends the same posts asking for JSON, which the last tests check.
"""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from comments.reasons import reason
from tests.comments.factories import make_comment
from tests.factories import make_cluster, make_page, make_post, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status
CHANGELIST = "/admin/comments/comment/"
JSON = {"HTTP_ACCEPT": "application/json"}


def moderate(client, comment, action, *, next_url=f"{CHANGELIST}?status=pending", **extra):
    return client.post(
        f"{CHANGELIST}{comment.pk}/moderate/", {"do": action, "next": next_url}, **extra
    )


def status_of(comment):
    return Comment.objects.get(pk=comment.pk).status


def row_actions(html, comment):
    """Return the labels of the buttons and links on ``comment``'s row of the queue."""
    start = html.index(f'id="comment-row-{comment.pk}"')
    row = html[start : html.index("</tr>", start)]
    group = row[row.index('class="row-actions"') :]
    labels = []
    for chunk in group.split("row-action row-action-")[1:]:
        labels.append(chunk[chunk.index(">") + 1 : chunk.index("<")].strip())
    return labels


def test_a_row_shows_what_a_moderator_needs_to_decide(moderator_client):
    post = make_post(title="Genomics in Lyon")
    make_comment(post, author_email="ada@example.org")
    make_comment(post, author_email="ada@example.org")
    make_comment(post, author_email="ada@example.org", status=Status.SPAM)
    comment = make_comment(
        post,
        status=Status.PENDING,
        author_name="Ada Lovelace",
        author_email="ada@example.org",
        author_url="https://ada.example.org/",
        ip_address="198.51.100.7",
        # A sentence an old import stored is shown as it is.
        held_reasons=[reason("text", text="2 links or more")],
        body="First line.\nSee https://spam.example.com/pills and www.other.example.net today.",
    )

    html = moderator_client.get(CHANGELIST).content.decode()

    for expected in (
        "Ada Lovelace",
        'href="mailto:ada@example.org"',
        'href="https://ada.example.org/"',
        "IP 198.51.100.7",
        "2 approved before",
        "2 links or more",
        "First line.<br>",
        "2 links: <code>https://spam.example.com/pills</code>, <code>www.other.example.net</code>",
        f'href="{post.get_absolute_url()}#comment-{comment.pk}">Genomics in Lyon</a>',
        '<time datetime="',
    ):
        assert expected in html, expected


def test_the_queue_asks_the_same_number_of_queries_for_3_or_30_comments(moderator_client):
    post, page, cluster = make_post(), make_page(), make_cluster()

    def queries_for_the_queue():
        with CaptureQueriesContext(connection) as queries:
            assert moderator_client.get(f"{CHANGELIST}?status=all").status_code == 200
        return len(queries)

    for target in (post, page, cluster):
        make_comment(target, status=Status.PENDING)
    few = queries_for_the_queue()
    for number in range(27):
        make_comment((post, page, cluster)[number % 3], status=Status.PENDING, ip_address="::1")
    many = queries_for_the_queue()

    assert few == many


@pytest.mark.parametrize(
    "start, action, expected",
    [
        (Status.PENDING, "approve", Status.APPROVED),
        (Status.APPROVED, "unapprove", Status.PENDING),
        (Status.PENDING, "spam", Status.SPAM),
        (Status.APPROVED, "trash", Status.TRASH),
    ],
)
def test_each_row_action_works_as_a_plain_form_post(moderator_client, moderator, start, action,
                                                     expected):  # fmt: skip
    comment = make_comment(make_post(), status=start)

    response = moderate(moderator_client, comment, action, next_url=f"{CHANGELIST}?status=all")

    assert response.status_code == 302
    assert response.url == f"{CHANGELIST}?status=all"
    assert status_of(comment) == expected
    change = comment.status_changes.get()
    assert (change.by, change.old_status, change.new_status) == (moderator, start, expected)


def test_each_row_offers_the_actions_that_apply_to_its_status(moderator_client):
    post = make_post()
    pending = make_comment(post, status=Status.PENDING)
    approved = make_comment(post)
    spam = make_comment(post, status=Status.SPAM)
    trash = make_comment(post, status=Status.TRASH)
    pingback = make_comment(post, status=Status.PENDING, kind=Comment.Kind.PINGBACK)

    html = moderator_client.get(f"{CHANGELIST}?status=all").content.decode()

    assert row_actions(html, pending) == ["Approve", "Spam", "Trash", "Reply", "Quick edit", "Edit"]
    assert row_actions(html, approved) == [
        "Unapprove", "Spam", "Trash", "Reply", "Quick edit", "Edit"
    ]  # fmt: skip
    assert row_actions(html, spam) == ["Not spam", "Delete permanently", "Quick edit", "Edit"]
    assert row_actions(html, trash) == ["Restore", "Delete permanently", "Quick edit", "Edit"]
    assert row_actions(html, pingback) == ["Approve", "Spam", "Trash", "Quick edit", "Edit"]


def test_approving_a_reply_from_its_row_approves_its_parent_and_says_so(moderator_client):
    post = make_post()
    parent = make_comment(post, status=Status.PENDING, author_name="Parent Author")
    reply = make_comment(post, parent=parent, status=Status.PENDING, author_name="Replier")

    response = moderate(moderator_client, reply, "approve")

    assert (status_of(parent), status_of(reply)) == (Status.APPROVED, Status.APPROVED)
    html = moderator_client.get(response.url).content.decode()
    assert (
        f"Comment #{reply.pk} by Replier approved. Also approved the comment replied to: "
        f"#{parent.pk} by Parent Author."
    ) in html


@pytest.mark.parametrize("start", [Status.PENDING, Status.APPROVED])
@pytest.mark.parametrize("action", ["spam", "trash"])
def test_undo_after_spam_or_trash_puts_the_comment_back_and_says_so_in_its_history(
    moderator_client, moderator, start, action
):
    comment = make_comment(make_post(), status=start, author_name="Ada")

    response = moderate(moderator_client, comment, action)
    queue = moderator_client.get(response.url).content.decode()

    assert 'class="desk-undo"' in queue
    assert f'action="{CHANGELIST}{comment.pk}/moderate/"' in queue
    assert 'name="do" value="undo"' in queue and "csrfmiddlewaretoken" in queue
    undone = moderate(moderator_client, comment, "undo")
    assert undone.status_code == 302
    assert status_of(comment) == start
    last = comment.status_changes.last()
    assert (last.by, last.new_status, last.reasons) == (moderator, start, [{"code": "undone"}])
    assert last.note_text() == "undone by a moderator"
    # The offer is made once: the next page of the queue has no Undo.
    assert 'class="desk-undo"' not in moderator_client.get(undone.url).content.decode()


@pytest.mark.parametrize(
    "start, action, expected",
    [(Status.SPAM, "not_spam", Status.APPROVED), (Status.TRASH, "restore", Status.APPROVED)],
)
def test_not_spam_and_restore_give_back_the_status_before(moderator_client, start, action,
                                                          expected):  # fmt: skip
    comment = make_comment(make_post(), status=start)
    Comment.objects.filter(pk=comment.pk).update(status_before_removal=Status.APPROVED)

    moderate(moderator_client, comment, action)

    assert status_of(comment) == expected


def test_an_action_that_no_longer_applies_changes_nothing_and_says_where_the_comment_is(
    moderator_client,
):
    comment = make_comment(make_post(), status=Status.APPROVED, author_name="Ada")

    response = moderate(moderator_client, comment, "approve", **JSON)

    assert response.json()["message"] == f"Comment #{comment.pk} by Ada is approved now."
    assert not comment.status_changes.exists()


def test_delete_permanently_from_a_row_removes_spam(moderator_client):
    comment = make_comment(make_post(), status=Status.SPAM)

    response = moderate(moderator_client, comment, "delete")

    assert response.status_code == 302
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_delete_is_never_offered_where_it_cannot_succeed(moderator_client):
    post = make_post()
    pending = make_comment(post, status=Status.PENDING)
    trash = make_comment(post, status=Status.TRASH)
    moderate(moderator_client, trash, "restore")
    moderate(moderator_client, trash, "trash")

    pending_page = moderator_client.get(f"{CHANGELIST}{pending.pk}/change/").content.decode()
    trash_page = moderator_client.get(f"{CHANGELIST}{trash.pk}/change/").content.decode()

    assert f"{pending.pk}/delete/" not in pending_page
    assert moderate(moderator_client, pending, "delete").status_code == 403
    assert Comment.objects.filter(pk=pending.pk).exists()
    # A trashed comment with a history: its delete page asks, with no permission error.
    assert f"{trash.pk}/delete/" in trash_page
    confirm = moderator_client.get(f"{CHANGELIST}{trash.pk}/delete/").content.decode()
    assert "Are you sure" in confirm and "permission" not in confirm
    deleted = moderator_client.post(f"{CHANGELIST}{trash.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert not Comment.objects.filter(pk=trash.pk).exists()


def test_a_moderator_replies_from_the_queue_without_javascript(moderator_client, moderator):
    post = make_post()
    comment = make_comment(post, status=Status.PENDING, body="Is this open to SMEs?")
    url = f"{CHANGELIST}{comment.pk}/reply/?next={CHANGELIST}"

    page = moderator_client.get(url).content.decode()
    response = moderator_client.post(url, {"body": "Yes, it is."})

    assert "Is this open to SMEs?" in page and 'name="body"' in page
    assert response.status_code == 302 and response.url == CHANGELIST
    reply = Comment.objects.get(parent=comment)
    assert (reply.status, reply.user, reply.body) == (Status.APPROVED, moderator, "Yes, it is.")
    assert status_of(comment) == Status.APPROVED
    assert f"Your reply #{reply.pk} is published." in (
        moderator_client.get(CHANGELIST).content.decode()
    )


def test_an_empty_reply_is_refused_with_the_form_shown_again(moderator_client):
    comment = make_comment(make_post(), status=Status.PENDING)

    response = moderator_client.post(f"{CHANGELIST}{comment.pk}/reply/", {"body": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Comment.objects.filter(parent=comment).exists()


def test_a_comment_in_the_trash_cannot_be_replied_to(moderator_client):
    comment = make_comment(make_post(), status=Status.TRASH)

    response = moderator_client.post(f"{CHANGELIST}{comment.pk}/reply/", {"body": "Hello"})

    assert "Restore this comment before replying to it." in response.content.decode()
    assert not Comment.objects.filter(parent=comment).exists()


def test_quick_edit_without_javascript_corrects_author_and_text(moderator_client):
    comment = make_comment(make_post(), status=Status.PENDING, body="Typo hree")
    url = f"{CHANGELIST}{comment.pk}/quick-edit/?next={CHANGELIST}"

    page = moderator_client.get(url).content.decode()
    response = moderator_client.post(
        url,
        {
            "author_name": "Fixed Name",
            "author_email": "Fixed@Example.org",
            "author_url": "https://fixed.example.org/",
            "body": "Typo here",
        },
    )

    assert "Typo hree" in page and 'name="author_email"' in page
    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.author_name, comment.author_email, comment.body, comment.status) == (
        "Fixed Name",
        "fixed@example.org",
        "Typo here",
        Status.PENDING,
    )
    assert comment.body_html == "<p>Typo here</p>"


def test_quick_edit_refuses_a_bad_address_and_keeps_the_comment(moderator_client):
    comment = make_comment(make_post(), body="Kept")

    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/quick-edit/",
        {"author_name": "X", "author_email": "not an address", "author_url": "", "body": "New"},
    )

    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).body == "Kept"


def test_staff_who_may_only_look_get_no_row_actions_and_cannot_post_them(client):
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)
    comment = make_comment(make_post(), status=Status.PENDING)

    html = client.get(CHANGELIST).content.decode()

    assert row_actions(html, comment) == []
    assert moderate(client, comment, "approve").status_code == 403
    assert client.post(f"{CHANGELIST}{comment.pk}/reply/", {"body": "Hi"}).status_code == 403
    assert client.get(f"{CHANGELIST}{comment.pk}/quick-edit/").status_code == 403
    assert status_of(comment) == Status.PENDING
    assert not Comment.objects.filter(parent=comment).exists()


def test_editors_cannot_reach_the_desk(client):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    comment = make_comment(make_post(), status=Status.PENDING)

    assert moderate(client, comment, "approve").status_code == 403
    assert client.get(f"{CHANGELIST}{comment.pk}/reply/").status_code == 403
    assert status_of(comment) == Status.PENDING


def test_the_desk_refuses_unknown_actions_and_reading_by_get(moderator_client):
    comment = make_comment(make_post(), status=Status.PENDING)

    assert moderate(moderator_client, comment, "publish").status_code == 400
    assert moderator_client.get(f"{CHANGELIST}{comment.pk}/moderate/").status_code == 405
    assert moderate(moderator_client, comment, "approve", next_url="https://evil.example/").url == (
        CHANGELIST
    )


# With JavaScript: the same posts, answered in JSON
# ------------------------------------------------------------------------------


def test_the_script_gets_the_new_row_and_the_counts_after_an_action(moderator_client):
    post = make_post()
    comment = make_comment(post, status=Status.PENDING, author_name="Ada")
    make_comment(post, status=Status.PENDING)

    answer = moderate(moderator_client, comment, "spam", **JSON).json()

    assert answer["message"] == f"Comment #{comment.pk} by Ada marked as spam."
    assert answer["undo"] is True and answer["status"] == Status.SPAM
    assert answer["counts"] == {"pending": 1, "approved": 0, "spam": 1, "trash": 0}
    assert f'id="comment-row-{comment.pk}"' in answer["row"] and "Not spam" in answer["row"]
    # Undo through the script: no Undo line waits for the next page.
    undone = moderate(moderator_client, comment, "undo", **JSON).json()
    assert undone["counts"]["pending"] == 2 and "Approve" in undone["row"]
    assert 'class="desk-undo"' not in moderator_client.get(CHANGELIST).content.decode()


def test_the_script_replies_and_quick_edits_in_place(moderator_client):
    comment = make_comment(make_post(), status=Status.PENDING, body="Typo hree")

    fields = moderator_client.get(f"{CHANGELIST}{comment.pk}/quick-edit/", **JSON).json()
    edited = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/quick-edit/", {**fields, "body": "Typo here"}, **JSON
    ).json()
    replied = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/reply/", {"body": "Thank you."}, **JSON
    ).json()
    refused = moderator_client.post(f"{CHANGELIST}{comment.pk}/reply/", {"body": ""}, **JSON)

    assert fields["body"] == "Typo hree"
    assert "Typo here" in edited["row"]
    assert replied["counts"]["approved"] == 2 and "Unapprove" in replied["row"]
    assert refused.status_code == 400 and refused.json()["message"] == "This field is required."


# Counts: the status filter, the admin menu's badge, the index and the site's staff bar
# ------------------------------------------------------------------------------


def test_the_admin_shows_moderators_how_many_comments_wait_with_one_count(moderator_client):
    post = make_post()
    for _ in range(3):
        make_comment(post, status=Status.PENDING)
    make_comment(post)

    with CaptureQueriesContext(connection) as queries:
        html = moderator_client.get("/admin/").content.decode()

    assert '<a href="/admin/comments/comment/">3 comments wait for moderation</a>' in html
    assert '<span class="pending-badge-count">3</span>' in html
    # The dashboard's counts read the status history, not the comments.
    counts = [
        q["sql"] for q in queries if "COUNT" in q["sql"] and 'FROM "comments_comment"' in q["sql"]
    ]
    assert len(counts) == 1


def test_the_admin_index_says_when_nothing_waits(moderator_client):
    html = moderator_client.get("/admin/").content.decode()

    assert "No comment waits for moderation." in html
    assert "data-pending-count hidden" in html


def test_staff_who_do_not_moderate_see_no_count(client):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    make_comment(make_post(), status=Status.PENDING)

    html = client.get("/admin/").content.decode()

    assert "wait for moderation" not in html and "pending-badge" not in html


def test_the_site_staff_bar_shows_moderators_the_pending_count(client, moderator):
    post = make_post()
    make_comment(post, status=Status.PENDING)
    make_comment(post, status=Status.PENDING)

    visitor_html = client.get(post.get_absolute_url()).content.decode()
    client.force_login(moderator)
    moderator_html = client.get(post.get_absolute_url()).content.decode()

    assert "staff-bar" not in visitor_html
    assert 'class="staff-bar" aria-label="Staff"' in moderator_html
    assert '<span class="pending-badge-count">2</span>' in moderator_html
