"""Moderators hear about each held comment, and act on it from the mail, safely."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from comments import services
from comments.models import Comment, CommentStatusChange
from comments.notifications.models import MailPreference
from tests.comments.factories import make_comment
from tests.comments.notifications.conftest import (
    html,
    links,
    moderation_links,
    post_comment,
    unsubscribe_path,
)
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status


def held_comment(client, after_commit, post=None, **fields):
    """Post a first comment (held: its author has none approved yet); return it."""
    with after_commit():
        post_comment(client, post or make_post(title="Genomics in Lyon"), **fields)
    comment = Comment.objects.latest("pk")
    assert comment.status == Status.PENDING
    return comment


def test_a_held_comment_mails_every_moderator_with_excerpt_reasons_and_links(
    client, moderator, after_commit, mailoutbox
):
    admin = make_user(username="root", email="root@example.org", is_superuser=True)
    make_user(email="editor@example.org", is_staff=True, groups=["Editors"])
    make_user(email="", groups=["Moderators"])

    comment = held_comment(client, after_commit, body="Which biobanks take part?")

    assert sorted(message.to[0] for message in mailoutbox) == sorted([admin.email, moderator.email])
    message = next(m for m in mailoutbox if m.to == [moderator.email])
    assert message.subject == "[bioXclusters plus] Please moderate: “Genomics in Lyon”"
    assert "Which biobanks take part?" in message.body
    assert "Ada Lovelace <ada@example.org>" in message.body
    assert comment.held_reasons == [{"code": "first_comment"}]
    assert "Held because: first comment by this author" in message.body
    assert "work once, for 7 days, when you are signed in as mo" in message.body
    paths = links(message)
    assert len(moderation_links(message)) == 3
    assert f"/admin/comments/comment/{comment.pk}/change/" in paths
    assert "Which biobanks take part?" in html(message)
    for path in paths:
        assert path in html(message)
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert unsubscribe_path(message).startswith("/discussion/unsubscribe/")


def test_the_moderators_mail_gives_the_reasons_in_english_whatever_the_page_was_in(
    client, moderator, after_commit, mailoutbox
):
    comment = held_comment(client, after_commit, language="fr", body="Un premier commentaire.")

    assert comment.language == "fr"
    assert "Held because: first comment by this author" in mailoutbox[0].body
    assert "Held because: first comment by this author" in html(mailoutbox[0])


def test_a_moderator_approves_from_the_mail_after_signing_in_and_confirming(
    client, moderator, after_commit, mailoutbox
):
    comment = held_comment(client, after_commit)
    approve, _, _ = moderation_links(mailoutbox[0])

    signed_out = client.get(approve)
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/admin/login/?next=/discussion/moderate/")

    client.force_login(moderator)
    page = client.get(approve)
    assert page.status_code == 200
    assert "Approve?" in page.content.decode() and comment.body in page.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING

    with after_commit():
        done = client.post(approve)

    assert done.status_code == 302 and done["Location"] == "/admin/comments/comment/"
    assert Comment.objects.get(pk=comment.pk).status == Status.APPROVED
    change = CommentStatusChange.objects.filter(comment=comment).latest("pk")
    assert (change.by, change.new_status, change.reasons) == (
        moderator,
        Status.APPROVED,
        [{"code": "mail_link"}],
    )
    queue = client.get(done["Location"]).content.decode()
    assert f"Comment #{comment.pk} by Ada Lovelace: approved." in queue


def test_a_mail_scanner_following_every_link_changes_nothing(
    client, moderator, after_commit, mailoutbox
):
    comment = held_comment(client, after_commit)
    client.force_login(moderator)

    for path in links(mailoutbox[0]):
        client.get(path)

    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING


def test_each_mail_acts_once_whichever_of_its_links_is_used(
    client, moderator, after_commit, mailoutbox
):
    comment = held_comment(client, after_commit)
    approve, spam, trash = moderation_links(mailoutbox[0])
    client.force_login(moderator)
    client.post(spam)

    for path in (spam, approve, trash):
        again = client.post(path)
        assert again.status_code == 400
        assert "This link was already used" in again.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == Status.SPAM


def test_a_moderation_link_expires_after_seven_days(client, moderator, after_commit, mailoutbox):
    comment = held_comment(client, after_commit)
    approve, _, _ = moderation_links(mailoutbox[0])
    client.force_login(moderator)

    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        expired = client.post(approve)

    assert expired.status_code == 400
    assert "This link has expired: links of this kind work for 7 days." in expired.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING


def test_a_link_works_only_for_the_moderator_it_was_sent_to(
    client, moderator, after_commit, mailoutbox
):
    comment = held_comment(client, after_commit)
    approve, _, _ = moderation_links(mailoutbox[0])
    client.force_login(make_user(is_staff=True, groups=["Moderators"], email="other@example.org"))

    response = client.post(approve)

    assert response.status_code == 403
    assert "sent to another moderator" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).status == Status.PENDING


def test_staff_who_may_not_moderate_cannot_use_a_link(client, moderator, after_commit, mailoutbox):
    held_comment(client, after_commit)
    approve, _, _ = moderation_links(mailoutbox[0])
    client.force_login(make_user(is_staff=True, groups=["Editors"]))

    response = client.get(approve)

    assert response.status_code == 403
    assert "Only moderators can use this link." in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/discussion/moderate/nonsense/",
        "/discussion/moderate/.eJyrVkrOzytJzSvxVLJSSlTSUTI/",
        "/discussion/moderate/%ff%fe/",  # NUL: tests/bioxclusters/test_bad_input.py
    ],
)
def test_a_broken_link_gets_a_clear_page_not_an_error(client, moderator, path):
    client.force_login(moderator)

    response = client.get(path)

    assert response.status_code == 400
    assert "This link is incomplete or was changed" in response.content.decode()


def test_a_link_to_a_comment_deleted_since_says_so(client, moderator, after_commit, mailoutbox):
    comment = held_comment(client, after_commit)
    approve, _, _ = moderation_links(mailoutbox[0])
    Comment.objects.filter(pk=comment.pk).delete()
    client.force_login(moderator)

    response = client.get(approve)

    assert response.status_code == 404
    assert "This comment no longer exists." in response.content.decode()


def test_approved_and_spam_comments_and_moderators_own_moves_send_no_moderation_mail(
    client, moderator, after_commit, mailoutbox
):
    post = make_post()
    make_comment(post, author_email="known@example.org")
    with after_commit():
        post_comment(client, post, author_email="known@example.org", body="Approved at once.")
        post_comment(client, post, author_email="bot@example.org", topic="filled by a robot")
    assert [c.status for c in Comment.objects.order_by("-pk")[:2]] == [Status.SPAM, Status.APPROVED]

    with after_commit():
        services.comment_set_status(
            comment=Comment.objects.get(body="Approved at once."),
            status=Status.PENDING,
            by=moderator,
        )

    assert [message.subject for message in mailoutbox if "moderate" in message.subject] == []


def test_a_held_linkback_mails_the_moderators(moderator, after_commit, mailoutbox):
    post = make_post(title="Osaka agreement")

    with after_commit():
        services.linkback_receive(
            target=post,
            kind=Comment.Kind.PINGBACK,
            source_url="https://elsewhere.example/news/osaka",
            title="Elsewhere news",
            excerpt="They signed in Osaka.",
        )

    [message] = mailoutbox
    assert message.subject == "[bioXclusters plus] Please moderate: “Osaka agreement”"
    assert "A new pingback on “Osaka agreement”" in message.body
    assert "https://elsewhere.example/news/osaka" in message.body


def test_moderators_choose_single_mails_a_digest_or_none(
    client, moderator, after_commit, mailoutbox
):
    MailPreference.objects.create(user=moderator, moderation=MailPreference.Moderation.DIGEST)
    silent = make_user(email="silent@example.org", groups=["Moderators"])
    MailPreference.objects.create(user=silent, moderation=MailPreference.Moderation.NONE)
    eager = make_user(email="eager@example.org", groups=["Moderators"])

    held_comment(client, after_commit)

    assert [message.to for message in mailoutbox] == [[eager.email]]


def test_one_click_in_a_mail_client_stops_a_moderators_mail_without_a_session(
    client, moderator, after_commit, mailoutbox
):
    held_comment(client, after_commit)
    path = unsubscribe_path(mailoutbox[0])
    client.logout()

    response = client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert MailPreference.for_user(moderator).moderation == MailPreference.Moderation.NONE
    mailoutbox.clear()
    held_comment(client, after_commit, body="Another one.")
    assert mailoutbox == []


def test_moderators_change_their_mail_on_their_preferences_page(client, moderator):
    client.force_login(moderator)
    assert 'value="digest"' in client.get("/discussion/preferences/").content.decode()

    response = client.post(
        "/discussion/preferences/", {"moderation": "digest", "comments_on_my_posts": "on"}
    )

    assert response.status_code == 302
    assert MailPreference.for_user(moderator).moderation == MailPreference.Moderation.DIGEST
