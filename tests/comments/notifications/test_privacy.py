"""A commenter exports and erases their data by a mailed link; staff do it from the admin."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone, translation

from comments import privacy
from comments.models import Comment, CommentStatusChange, DiscussionSettings
from comments.notifications.models import OutgoingMail, Subscription
from comments.reasons import reason
from tests.comments.factories import make_comment
from tests.comments.notifications.conftest import html, link
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status
ADA = "ada@example.org"


@pytest.fixture
def thread():
    """Return a post where Ada started a thread, Grace replied to her, and Ada answered."""
    post = make_post(title="Genomics in Lyon")
    first = make_comment(
        post,
        author_name="Ada Lovelace",
        author_email=ADA,
        author_url="https://ada.example.org/",
        ip_address="203.0.113.7",
        user_agent="Firefox",
        body="Which biobanks take part?",
    )
    reply = make_comment(post, parent=first, author_name="Grace", body="Ten of them.")
    answer = make_comment(post, parent=reply, author_name="Ada L.", author_email=ADA, body="Thanks")
    alone = make_comment(post, author_name="Ada", author_email=ADA, body="A last word.")
    Subscription.objects.create(email=ADA, kind=Subscription.Kind.POSTS)
    CommentStatusChange.objects.create(
        comment=reply, new_status=Status.APPROVED, note=f"reply approved, asked by {ADA.upper()}"
    )
    return post, first, reply, answer, alone


def test_the_export_holds_every_comment_subscription_mail_and_mention(thread):
    post, first, reply, answer, alone = thread
    OutgoingMail.objects.create(to=ADA, kind="confirm", subject="Please confirm")

    data = json.loads(json.dumps(privacy.export(" Ada@Example.org ")))

    assert data["email"] == ADA and data["site"] == "bioXclusters plus"
    assert [c["id"] for c in data["comments"]] == [first.pk, answer.pk, alone.pk]
    exported = data["comments"][0]
    assert exported["body"] == "Which biobanks take part?"
    assert (exported["author_url"], exported["ip_address"], exported["user_agent"]) == (
        "https://ada.example.org/",
        "203.0.113.7",
        "Firefox",
    )
    assert exported["on"] == {
        "type": "post",
        "title": "Genomics in Lyon",
        "url": f"https://bioxclusters.test{post.get_absolute_url()}",
    }
    assert data["comments"][1]["in_reply_to"] == reply.pk
    assert [s["kind"] for s in data["subscriptions"]] == ["posts"]
    assert [m["subject"] for m in data["mail_sent"]] == ["Please confirm"]
    assert [m["comment"] for m in data["mentioned_in_moderation_notes"]] == [reply.pk]
    assert "Grace" not in json.dumps(data)


def test_the_export_says_why_a_comment_was_held_in_the_language_it_is_asked_in(thread):
    post, first, *_ = thread
    Comment.objects.filter(pk=first.pk).update(held_reasons=[reason("first_comment")])

    english = privacy.export(ADA)["comments"][0]
    with translation.override("fr"):
        french = privacy.export(ADA)["comments"][0]

    assert english["held_reasons"] == ["first comment by this author"]
    assert french["held_reasons"] == ["premier commentaire de cet auteur"]


def test_a_reason_naming_the_address_is_exported_and_erased(thread):
    post, first, reply, *_ = thread
    change = CommentStatusChange.objects.create(
        comment=reply,
        new_status=Status.PENDING,
        reasons=[reason("moderation_word", word=ADA.upper(), field="body")],
    )

    mentions = privacy.export(ADA)["mentioned_in_moderation_notes"]
    privacy.erase(ADA)

    assert [mention["note"] for mention in mentions] == [
        f"reply approved, asked by {ADA.upper()}",
        f"moderation word '{ADA.upper()}' in body",
    ]
    change.refresh_from_db()
    assert change.reasons == [{"code": "moderation_word", "word": "[erased]", "field": "body"}]


def test_anonymising_keeps_every_comment_and_the_thread_whole(client, thread):
    post, first, reply, answer, alone = thread
    assert "Ada Lovelace" in client.get(post.get_absolute_url()).content.decode()

    erasure = privacy.erase(ADA, mode=DiscussionSettings.ErasureMode.ANONYMISE)

    assert (erasure.anonymised, erasure.removed, erasure.subscriptions) == (3, 0, 1)
    for comment in Comment.objects.filter(pk__in=[first.pk, answer.pk, alone.pk]):
        assert comment.author_name == "Anonymous"
        assert (comment.author_email, comment.author_url, comment.user_agent) == ("", "", "")
        assert comment.ip_address is None
    assert Comment.objects.get(pk=first.pk).body == "Which biobanks take part?"
    assert not Subscription.objects.exists()
    assert CommentStatusChange.objects.get(comment=reply, note__startswith="reply").note == (
        "reply approved, asked by [erased]"
    )
    assert privacy.export(ADA)["comments"] == []
    page = client.get(post.get_absolute_url()).content.decode()  # Not the cached listing.
    assert "Ada Lovelace" not in page and "ada.example.org" not in page
    assert page.index("Which biobanks take part?") < page.index("Ten of them.")


def test_removing_deletes_what_nobody_answered_and_keeps_a_placeholder_in_threads(client, thread):
    post, first, reply, answer, alone = thread

    erasure = privacy.erase(ADA, mode=DiscussionSettings.ErasureMode.REMOVE)

    assert (erasure.anonymised, erasure.removed) == (1, 2)
    assert not Comment.objects.filter(pk__in=[answer.pk, alone.pk]).exists()
    kept = Comment.objects.get(pk=first.pk)
    assert (kept.author_name, kept.body, kept.author_email) == (
        "Anonymous",
        privacy.REMOVED_BODY,
        "",
    )
    reply.refresh_from_db()
    assert (reply.parent_id, reply.path.split("/")[0]) == (first.pk, first.path)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Which biobanks" not in page and "Ada" not in page
    assert page.index(privacy.REMOVED_BODY) < page.index("Ten of them.")


def test_a_commenter_exports_and_erases_their_data_from_a_mailed_link(
    client, thread, after_commit, mailoutbox
):
    post, first, *_ = thread
    page = client.get("/discussion/your-data/")
    assert page.status_code == 200 and 'name="email"' in page.content.decode()

    with after_commit():
        response = client.post("/discussion/your-data/", {"email": "ADA@example.org"}, follow=True)

    assert "a link to it is on its way" in response.content.decode()
    [message] = mailoutbox
    assert message.to == [ADA]
    assert message.subject == "[bioXclusters plus] Your data in our discussions"
    assert "List-Unsubscribe" not in message.extra_headers  # Asked for, not a mailing.
    path = link(message, "/discussion/your-data/")
    assert path in html(message)

    visitor = Client()
    summary = visitor.get(path).content.decode()
    assert "We hold 3 comments written with this address" in summary
    assert "and 1 subscription." in summary

    download = visitor.post(path, {"action": "export"})
    assert download["Content-Type"] == "application/json"
    assert download["Content-Disposition"].startswith('attachment; filename="bioxclusters-plus-')
    assert len(json.loads(download.content)["comments"]) == 3

    refused = visitor.post(path, {"action": "erase"})
    assert "Tick the box to confirm the erasure." in refused.content.decode()
    assert Comment.objects.filter(author_email=ADA).count() == 3

    erased = visitor.post(path, {"action": "erase", "confirm": "on"})
    assert erased.status_code == 200
    assert "3 comments kept as “Anonymous”" in erased.content.decode()
    assert not Comment.objects.filter(author_email=ADA).exists()
    assert not Subscription.objects.exists() and not OutgoingMail.objects.filter(to=ADA).exists()

    again = visitor.post(path, {"action": "export"})
    assert again.status_code == 400 and "already used" in again.content.decode()


def test_asking_never_tells_whether_an_address_is_known_and_mails_only_known_ones(
    client, thread, after_commit, mailoutbox
):
    with after_commit():
        unknown = client.post("/discussion/your-data/", {"email": "nobody@example.org"})
        known = client.post("/discussion/your-data/", {"email": ADA})

    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == "/discussion/your-data/?sent=1"
    assert [message.to for message in mailoutbox] == [[ADA]]


def test_asking_too_often_sends_no_more_mail(client, thread, after_commit, mailoutbox):
    with after_commit():
        for _ in range(5):
            client.post("/discussion/your-data/", {"email": ADA})

    assert len(mailoutbox) == 3


def test_the_privacy_link_expires_after_a_day(client, thread, after_commit, mailoutbox):
    with after_commit():
        client.post("/discussion/your-data/", {"email": ADA})
    path = link(mailoutbox[0], "/discussion/your-data/")

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        response = Client().post(path, {"action": "erase", "confirm": "on"})

    assert response.status_code == 400
    assert "This link has expired: links of this kind work for 24 hours." in (
        response.content.decode()
    )
    assert Comment.objects.filter(author_email=ADA).count() == 3


def test_a_pending_subscription_can_be_confirmed_from_the_manage_link(
    client, thread, after_commit, mailoutbox
):
    with after_commit():
        client.post("/discussion/your-data/", {"email": ADA})
    manage = link(mailoutbox[0], "/discussion/subscriptions/")
    subscription = Subscription.objects.get()

    Client().post(manage, {"confirm": subscription.pk})

    assert Subscription.objects.get().is_confirmed


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def test_staff_export_the_data_of_the_selected_comments_authors(moderator_client, thread):
    post, first, reply, answer, alone = thread

    response = moderator_client.post(
        "/admin/comments/comment/?status=all",
        {"action": "export_personal_data", "_selected_action": [first.pk, reply.pk]},
    )

    people = json.loads(response.content)["people"]
    assert [person["email"] for person in people] == [ADA, reply.author_email]
    assert len(people[0]["comments"]) == 3


def test_staff_erase_a_persons_data_after_confirming(moderator_client, thread):
    post, first, *_ = thread
    action = {"action": "erase_personal_data", "_selected_action": [first.pk]}

    asked = moderator_client.post("/admin/comments/comment/?status=all", action)
    assert asked.status_code == 200
    assert "Erase everything stored about this person?" in asked.content.decode()
    assert ADA in asked.content.decode()
    assert Comment.objects.filter(author_email=ADA).count() == 3

    done = moderator_client.post(
        "/admin/comments/comment/?status=all", {**action, "confirm": "yes"}, follow=True
    )

    assert f"Erased {ADA}: 0 comments removed, 3 comments anonymised" in done.content.decode()
    assert not Comment.objects.filter(author_email=ADA).exists()


def test_staff_erase_a_subscriber_from_the_subscription_list(admin_client):
    subscription = Subscription.objects.create(email=ADA, kind=Subscription.Kind.POSTS)

    admin_client.post(
        "/admin/notifications/subscription/",
        {"action": "erase_personal_data", "_selected_action": [subscription.pk], "confirm": "yes"},
    )

    assert not Subscription.objects.exists()


def test_staff_who_may_not_moderate_get_no_personal_data_actions(client):
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)

    html_page = client.get("/admin/comments/comment/").content.decode()

    assert "export_personal_data" not in html_page and "erase_personal_data" not in html_page


def test_the_erasure_mode_and_ip_retention_are_set_on_their_own_admin_screen(admin_client):
    assert admin_client.get("/admin/notifications/personaldatasettings/").status_code == 302

    response = admin_client.post(
        "/admin/notifications/personaldatasettings/1/change/",
        {"erasure_mode": "remove", "ip_retention_days": "30"},
    )

    assert response.status_code == 302
    saved = DiscussionSettings.load()
    assert (saved.erasure_mode, saved.ip_retention_days, saved.thread_depth) == ("remove", 30, 5)


def test_the_export_and_erasure_include_the_linked_sign_in_accounts():
    from allauth.socialaccount.models import SocialAccount

    user = make_user(email="grace@example.org")
    SocialAccount.objects.create(
        user=user, provider="google", uid="1234", extra_data={"name": "Grace Hopper"}
    )
    make_comment(make_post(), user=user, author_email="grace@example.org")

    exported = privacy.export("Grace@Example.org")

    assert exported["social_accounts"][0]["provider"] == "google"
    assert exported["social_accounts"][0]["data_from_provider"] == {"name": "Grace Hopper"}
    erasure = privacy.erase("grace@example.org")
    assert erasure.social_accounts == 1
    assert not SocialAccount.objects.exists()
    assert not privacy.holds_data_about("grace@example.org")
