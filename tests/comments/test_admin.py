"""The moderators' admin: the pending queue, bulk actions, replies, history and who may do what."""

import pytest
from django.contrib.auth.models import Group, Permission

from comments.models import Comment, CommentStatusChange, DiscussionSettings
from comments.reasons import reason
from tests.comments.factories import make_comment
from tests.factories import make_cluster, make_page, make_post, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status
CHANGELIST = "/admin/comments/comment/"


def act(client, action, comments, *, status="all"):
    return client.post(
        f"{CHANGELIST}?status={status}",
        {"action": action, "_selected_action": [comment.pk for comment in comments]},
        follow=True,
    )


def statuses(*comments):
    return [Comment.objects.get(pk=comment.pk).status for comment in comments]


def test_the_comment_admin_opens_on_the_pending_queue_with_counts(moderator_client):
    post = make_post(title="Genomics")
    make_comment(
        post, status=Status.PENDING, body="Waiting here", held_reasons=[reason("links", count=3)]
    )
    make_comment(post, status=Status.PENDING, body="Also waiting")
    make_comment(post, body="Already public")
    make_comment(post, status=Status.SPAM, body="Spam")

    response = moderator_client.get(CHANGELIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Pending comments" in html
    assert "Waiting here" in html and "Also waiting" in html
    assert "Already public" not in html and "Spam</a>" not in html
    for label in ("Pending (2)", "Approved (1)", "Spam (1)", "Trash (0)", "All (4)"):
        assert label in html
    assert "3 links" in html and "Genomics" in html


@pytest.mark.parametrize(
    "query, expected",
    [("?status=approved", "Already public"), ("?status=all&q=198.51.100.4", "From that address"),
     ("?status=all&q=someone@example.org", "By that author"), ("?status=all&q=needle", "A needle")],
)  # fmt: skip
def test_moderators_filter_and_search(moderator_client, query, expected):
    post = make_post()
    make_comment(post, body="Already public")
    make_comment(post, status=Status.PENDING, body="From that address", ip_address="198.51.100.4")
    make_comment(
        post, status=Status.PENDING, body="By that author", author_email="someone@example.org"
    )
    make_comment(post, status=Status.PENDING, body="A needle in the haystack")
    make_comment(post, status=Status.PENDING, body="Something else")

    html = moderator_client.get(f"{CHANGELIST}{query}").content.decode()

    assert expected in html and "Something else" not in html


def test_moderators_filter_by_kind_and_object_type(moderator_client):
    make_comment(make_post(), body="On a post")
    make_comment(make_cluster(), body="On a cluster", kind=Comment.Kind.PINGBACK)

    by_kind = moderator_client.get(f"{CHANGELIST}?status=all&kind=pingback").content.decode()
    cluster_type = make_comment(make_cluster()).content_type_id
    by_type = moderator_client.get(
        f"{CHANGELIST}?status=all&content_type__id__exact={cluster_type}"
    ).content.decode()

    assert "On a cluster" in by_kind and "On a post" not in by_kind
    assert "On a cluster" in by_type and "On a post" not in by_type


def test_a_moderator_approves_from_the_queue_and_everyone_then_sees_it(moderator_client, moderator):
    post = make_post()
    comment = make_comment(post, status=Status.PENDING)

    response = act(moderator_client, "approve", [comment], status="pending")

    assert "1 comment approved." in response.content.decode()
    assert statuses(comment) == [Status.APPROVED]
    change = CommentStatusChange.objects.get(comment=comment)
    assert (change.by, change.old_status, change.new_status) == (moderator, "pending", "approved")


def test_approving_a_reply_approves_its_pending_parent_and_says_so(moderator_client):
    post = make_post()
    parent = make_comment(post, status=Status.PENDING, author_name="Parent Author")
    reply = make_comment(post, parent=parent, status=Status.PENDING)

    response = act(moderator_client, "approve", [reply])

    assert statuses(parent, reply) == [Status.APPROVED, Status.APPROVED]
    assert f"Also approved the comment replied to: #{parent.pk} by Parent Author." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "action, start, expected",
    [
        ("unapprove", Status.APPROVED, Status.PENDING),
        ("mark_spam", Status.APPROVED, Status.SPAM),
        ("move_to_trash", Status.PENDING, Status.TRASH),
        ("mark_not_spam", Status.APPROVED, Status.APPROVED),  # Not in spam: left alone.
        ("restore", Status.PENDING, Status.PENDING),  # Not in trash: left alone.
    ],
)
def test_bulk_actions_change_status(moderator_client, action, start, expected):
    comment = make_comment(make_post(), status=start)

    act(moderator_client, action, [comment])

    assert statuses(comment) == [expected]


@pytest.mark.parametrize("removal, undo", [("mark_spam", "mark_not_spam"),
                                           ("move_to_trash", "restore")])  # fmt: skip
@pytest.mark.parametrize("start", [Status.APPROVED, Status.PENDING])
def test_spam_and_trash_give_back_the_status_they_took(moderator_client, removal, undo, start):
    comment = make_comment(make_post(), status=start)

    act(moderator_client, removal, [comment])
    act(moderator_client, undo, [comment])

    assert statuses(comment) == [start]


def test_delete_permanently_only_removes_spam_and_trash(moderator_client):
    post = make_post()
    approved = make_comment(post)
    spam = make_comment(post, status=Status.SPAM)
    trash = make_comment(post, status=Status.TRASH)

    response = act(moderator_client, "delete_permanently", [approved, spam, trash])

    html = response.content.decode()
    assert list(Comment.objects.all()) == [approved]
    assert "2 comments deleted permanently." in html
    assert "1 comment kept: only spam and trash can be deleted permanently." in html


def test_the_change_page_shows_the_reasons_the_object_and_the_history(moderator_client, moderator):
    post = make_post(title="Biobanks")
    comment = make_comment(
        post,
        status=Status.PENDING,
        held_reasons=[reason("moderation_word", word="casino", field="body")],
    )
    act(moderator_client, "mark_spam", [comment])

    html = moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()

    assert "moderation word &#x27;casino&#x27; in body" in html
    assert f'href="{post.get_absolute_url()}#comment-{comment.pk}"' in html
    assert "Biobanks" in html
    assert "History" in html and moderator.username in html


def test_a_moderator_replies_from_the_admin_and_the_reply_is_published_at_once(
    moderator_client, moderator
):
    post = make_post()
    comment = make_comment(post, status=Status.PENDING, body="Is this open to SMEs?")

    response = moderator_client.post(
        f"{CHANGELIST}{comment.pk}/change/",
        {
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": "",
            "body": comment.body,
            "set_status": "",
            "reply": "Yes, it is.",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
        follow=True,
    )

    reply = Comment.objects.get(parent=comment)
    assert (reply.status, reply.user, reply.body) == (Status.APPROVED, moderator, "Yes, it is.")
    assert statuses(comment) == [Status.APPROVED]
    assert f"Your reply #{reply.pk} is published." in response.content.decode()


def test_a_moderator_changes_status_and_edits_from_the_change_page(moderator_client):
    comment = make_comment(make_post(), status=Status.PENDING, body="Typo hree")

    moderator_client.post(
        f"{CHANGELIST}{comment.pk}/change/",
        {
            "author_name": "Fixed Name",
            "author_email": comment.author_email,
            "author_url": "",
            "body": "Typo here <b>",
            "set_status": "approved",
            "reply": "",
            "status_changes-TOTAL_FORMS": "0",
            "status_changes-INITIAL_FORMS": "0",
        },
    )

    comment.refresh_from_db()
    assert (comment.status, comment.author_name) == (Status.APPROVED, "Fixed Name")
    assert comment.body_html == "<p>Typo here &lt;b&gt;</p>"
    assert comment.status_changes.get().new_status == Status.APPROVED


def test_comments_cannot_be_added_in_the_admin(moderator_client):
    assert moderator_client.get(f"{CHANGELIST}add/").status_code == 403


def test_moderators_cannot_open_the_content_admin(moderator_client):
    post, page, cluster = make_post(), make_page(), make_cluster()

    for url in (
        f"/admin/clusters/post/{post.pk}/change/",
        f"/admin/clusters/page/{page.pk}/change/",
        f"/admin/clusters/cluster/{cluster.pk}/change/",
    ):
        assert moderator_client.get(url).status_code == 403, url


def test_editors_cannot_see_the_comment_admin(client):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    comment = make_comment(make_post())

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(f"{CHANGELIST}{comment.pk}/change/").status_code == 403


def test_the_groups_hold_exactly_their_own_permissions():
    moderators = Group.objects.get(name="Moderators").permissions.all()
    editors = Group.objects.get(name="Editors").permissions.all()

    assert {p.codename for p in moderators} == {
        "view_comment",
        "change_comment",
        "delete_comment",
        "can_moderate",
        "view_commentstatuschange",
        "view_discussionsettings",
    }
    assert not moderators.filter(content_type__app_label="clusters").exists()
    assert not editors.filter(content_type__app_label="comments").exists()


def test_staff_who_may_only_look_get_no_moderation_actions(client):
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)
    comment = make_comment(make_post(), status=Status.PENDING)

    html = client.get(CHANGELIST).content.decode()
    act(client, "approve", [comment])

    assert 'value="approve"' not in html
    assert statuses(comment) == [Status.PENDING]


def test_moderators_can_read_the_discussion_settings_but_staff_with_rights_edit_them(
    moderator_client, admin_client
):
    assert moderator_client.get("/admin/comments/discussionsettings/").status_code == 302
    page = moderator_client.get("/admin/comments/discussionsettings/1/change/")
    assert page.status_code == 200 and 'name="thread_depth"' not in page.content.decode()

    form = {
        "comments_open": "on", "pings_open": "on", "require_name_email": "on",
        "close_after_days": "30", "thread_depth": "7", "comments_per_page": "20",
        "default_page": "oldest", "hold_links": "3", "moderation_words": "casino",
        "disallowed_words": "", "reports_to_hold": "3", "auto_approve_known_authors": "on",
    }  # fmt: skip
    response = admin_client.post("/admin/comments/discussionsettings/1/change/", form)

    assert response.status_code == 302
    saved = DiscussionSettings.load()
    assert (saved.thread_depth, saved.close_after_days, saved.moderation_word_list) == (
        7,
        30,
        ["casino"],
    )


@pytest.mark.parametrize("depth", ["0", "11"])
def test_threading_depth_stays_between_one_and_ten(admin_client, depth):
    response = admin_client.post(
        "/admin/comments/discussionsettings/1/change/",
        {"thread_depth": depth, "comments_per_page": "50", "default_page": "newest",
         "hold_links": "2"},
    )  # fmt: skip

    assert response.status_code == 200
    assert DiscussionSettings.load().thread_depth == 5


def test_the_discussion_settings_form_has_the_switch_for_sending_pings(admin_client):
    page = admin_client.get("/admin/comments/discussionsettings/1/change/", follow=True)

    assert 'name="send_pings"' in page.content.decode()


def test_an_admin_in_german_gives_the_reasons_and_the_history_in_german(moderator_client, settings):
    post = make_post(title="Biobanks")
    comment = make_comment(
        post,
        status=Status.PENDING,
        held_reasons=[
            reason("moderation_word", word="casino", field="body"),
            reason("links", count=2),
        ],
        reasons=[reason("moderation_word", word="casino", field="body"), reason("links", count=2)],
    )
    # The admin speaks its site's language (its address has no language prefix).
    settings.LANGUAGE_CODE = "de"

    queue = moderator_client.get(CHANGELIST).content.decode()
    page = moderator_client.get(f"{CHANGELIST}{comment.pk}/change/").content.decode()
    history = moderator_client.get("/admin/comments/commentstatuschange/?q=casino")

    assert "Ausstehende Kommentare" in queue
    assert "Moderationswort „casino“ im Feld „Text“; 2 Links" in queue
    assert "Moderationswort „casino“ im Feld „Text“, 2 Links" in page
    assert "<td>Moderationswort „casino“ im Feld „Text“; 2 Links</td>" in page
    assert "moderation word" not in queue + page
    assert "Moderationswort „casino“ im Feld „Text“; 2 Links" in history.content.decode()
    change = comment.status_changes.get()
    one = moderator_client.get(f"/admin/comments/commentstatuschange/{change.pk}/change/")
    assert "Moderationswort „casino“ im Feld „Text“; 2 Links" in one.content.decode()
