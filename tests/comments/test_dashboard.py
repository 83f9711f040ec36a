"""The moderators' dashboard on the admin index: outcomes per day, spam by rule, median wait."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import services
from comments.models import Comment, CommentStatusChange
from comments.reasons import reason
from tests.comments.factories import make_comment
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status


def yesterday_noon():
    """A moment whose day does not change with the waits below, whenever the tests run."""
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    return noon - timedelta(days=1)


def held_then_decided(post, moderator, *, waited, status=Status.APPROVED):
    comment = make_comment(post, status=Status.PENDING, reasons=[reason("links", count=2)])
    services.comment_set_status(comment=comment, status=status, by=moderator)
    held, decision = CommentStatusChange.objects.filter(comment=comment)
    CommentStatusChange.objects.filter(pk=decision.pk).update(at=yesterday_noon())
    CommentStatusChange.objects.filter(pk=held.pk).update(at=yesterday_noon() - waited)
    return comment


def spam(post, *codes, note=""):
    reasons = [reason(code) for code in codes]
    comment = make_comment(post, status=Status.SPAM, reasons=reasons, note=note)
    CommentStatusChange.objects.filter(comment=comment).update(at=yesterday_noon())


def test_the_index_shows_outcomes_spam_rules_and_the_median_wait(moderator_client, moderator):
    post = make_post()
    held_then_decided(post, moderator, waited=timedelta(hours=1))
    held_then_decided(post, moderator, waited=timedelta(hours=3))
    held_then_decided(post, moderator, waited=timedelta(hours=5), status=Status.TRASH)
    spam(post, "akismet_spam")
    spam(post, "honeypot", "akismet_spam")
    # What a note older versions wrote says, when the migration did not recognise it.
    spam(post, note="a rule of long ago; Akismet says spam")

    html = moderator_client.get("/admin/").content.decode()

    assert "Comments at a glance: the last 90 days" in html
    assert '<svg viewBox="0 0 540 120"' in html and 'class="bar bar-approved"' in html
    assert "Median wait for a decision</dt>\n      <dd>3 hours</dd>" in html
    assert "<li>Akismet says spam: 3</li>" in html and "<li>honeypot filled: 1</li>" in html
    assert "<li>a rule of long ago: 1</li>" in html
    day = yesterday_noon().strftime("%-d %b %Y")
    # Approved 2, held 3 (when sent), spam 3, trash 1: the table says what the chart draws.
    assert f'<tr><th scope="row">{day}</th><td>2</td><td>3</td><td>3</td><td>1</td></tr>' in html


def test_the_dashboard_takes_the_same_queries_for_few_or_many_comments(moderator_client, moderator):
    post = make_post()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert moderator_client.get("/admin/").status_code == 200
        return len(captured)

    held_then_decided(post, moderator, waited=timedelta(minutes=5))
    moderator_client.get("/admin/")  # Warm-up: content types and the like are cached.
    few = queries()
    for hours in range(12):
        held_then_decided(post, moderator, waited=timedelta(hours=hours))
        spam(post, "akismet_spam")
    assert queries() == few


def test_staff_who_do_not_moderate_see_no_dashboard(client):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    html = client.get("/admin/").content.decode()
    assert "Comments at a glance" not in html


def test_the_spam_rules_are_named_in_the_admins_language(moderator_client, settings):
    post = make_post()
    spam(post, "honeypot", "akismet_spam")
    settings.LANGUAGE_CODE = "de"

    html = moderator_client.get("/admin/").content.decode()

    assert "<li>Honeypot ausgefüllt: 1</li>" in html and "<li>Akismet meldet Spam: 1</li>" in html
