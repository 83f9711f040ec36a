"""The moderators' dashboard on the admin index: outcomes per day, spam by rule, median wait."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import services
from comments.models import Comment, CommentStatusChange
from tests.comments.factories import make_comment
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db

Status = Comment.Status


def yesterday_noon():
    """A moment whose day does not change with the waits below, whenever the tests run."""
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    return noon - timedelta(days=1)


def held_then_decided(post, moderator, *, waited, status=Status.APPROVED):
    comment = make_comment(post, status=Status.PENDING, note="held: 2 links or more")
    services.comment_set_status(comment=comment, status=status, by=moderator)
    held, decision = CommentStatusChange.objects.filter(comment=comment)
    CommentStatusChange.objects.filter(pk=decision.pk).update(at=yesterday_noon())
    CommentStatusChange.objects.filter(pk=held.pk).update(at=yesterday_noon() - waited)
    return comment


def spam(post, note):
    comment = make_comment(post, status=Status.SPAM, note=note)
    CommentStatusChange.objects.filter(comment=comment).update(at=yesterday_noon())


def test_the_index_shows_outcomes_spam_rules_and_the_median_wait(moderator_client, moderator):
    post = make_post()
    held_then_decided(post, moderator, waited=timedelta(hours=1))
    held_then_decided(post, moderator, waited=timedelta(hours=3))
    held_then_decided(post, moderator, waited=timedelta(hours=5), status=Status.TRASH)
    spam(post, "Akismet says spam")
    spam(post, "honeypot filled; Akismet says spam")

    html = moderator_client.get("/admin/").content.decode()

    assert "Comments at a glance: the last 90 days" in html
    assert '<svg viewBox="0 0 540 120"' in html and 'class="bar bar-approved"' in html
    assert "Median wait for a decision</dt>\n      <dd>3 hours</dd>" in html
    assert "<li>Akismet says spam: 2</li>" in html and "<li>honeypot filled: 1</li>" in html
    day = yesterday_noon().strftime("%-d %b %Y")
    # Approved 2, held 3 (when sent), spam 2, trash 1: the table says what the chart draws.
    assert f'<tr><th scope="row">{day}</th><td>2</td><td>3</td><td>2</td><td>1</td></tr>' in html


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
        spam(post, "Akismet says spam")
    assert queries() == few


def test_staff_who_do_not_moderate_see_no_dashboard(client):
    client.force_login(make_user(is_staff=True, groups=["Editors"]))
    html = client.get("/admin/").content.decode()
    assert "Comments at a glance" not in html
