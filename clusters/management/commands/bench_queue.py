"""Time the moderators' queue with 100,000 comments, and bulk-approving 1,000 of them.

    manage.py bench_queue --comments 100000 --runs 15

In a throw-away test database: 80 % approved, 15 % spam, 5 % pending comments on the seed's
posts. Prints the queries and the median, best and worst times of the queue's pages (through
the test client, signed in as a superuser), then the time of one "Approve" bulk action on
1,000 pending comments chosen with "select all" across pages.
"""

import random
import time
from datetime import timedelta

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clusters.management.commands.bench_discussion import _body, throw_away_database, time_requests
from clusters.models import Post
from comments.models import Comment
from comments.reasons import reason

Status = Comment.Status
# What the queue's rows say, as the site stores it: put in words as each row is shown.
HELD_REASONS = {
    Status.PENDING: [reason("first_comment"), reason("links", count=2)],
    Status.SPAM: [reason("disallowed_word", word="casino", field="body")],
}


def make_queue(count: int, *, seed: int = 1) -> None:
    """Store ``count`` comments on the seed's posts: 80 % approved, 15 % spam, 5 % pending."""
    rng = random.Random(seed)
    post_type = ContentType.objects.get_for_model(Post)
    posts = list(Post.objects.values_list("pk", flat=True))
    start = timezone.now() - timedelta(days=365)
    batch = []
    for number in range(count):
        draw = number % 20
        status = Status.PENDING if draw == 0 else Status.SPAM if draw <= 3 else Status.APPROVED
        body = _body(rng)
        batch.append(
            Comment(
                content_type=post_type,
                object_id=rng.choice(posts),
                author_name=f"Commenter {number % 997}",
                author_email=f"commenter{number % 997}@example.org",
                auth_provider="local" if number % 7 == 0 else "",
                body=body,
                body_html=f"<p>{body}</p>",
                status=status,
                ip_address=f"192.0.2.{number % 250}",
                created_at=start + timedelta(minutes=5 * number),
                held_reasons=HELD_REASONS.get(status, []),
            )
        )
        if len(batch) == 5000:
            Comment.objects.bulk_create(batch)
            batch = []
    Comment.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute(
            f"ANALYZE {Comment._meta.db_table}" if connection.vendor == "postgresql" else "ANALYZE"
        )


class Command(BaseCommand):
    help = "Time the comment queue and a bulk approval (in a throw-away test database)."

    def add_arguments(self, parser):
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--approve", type=int, default=1000)

    def handle(self, *args, **options):
        with throw_away_database():
            started = time.perf_counter()
            make_queue(options["comments"])
            self.stdout.write(
                f"{options['comments']} comments stored in {time.perf_counter() - started:.1f} s "
                f"({connection.vendor})"
            )
            client = Client()
            client.force_login(
                get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
            )
            changelist = reverse("admin:comments_comment_changelist")
            for label, query in [
                ("pending queue", ""),
                ("all", "?status=all"),
                ("spam", "?status=spam"),
            ]:
                url = changelist + query
                response = client.get(url)  # Warm-up: templates compiled, connections open.
                assert response.status_code == 200, response.status_code
                timed = time_requests(client, url, options["runs"])
                self.stdout.write(f"{label:>20}: {timed}")
            self.bench_approve(client, changelist, options["approve"])

    def bench_approve(self, client: Client, changelist: str, count: int) -> None:
        # The pending comments of one post, fewer than ``count`` perhaps: made up to ``count``.
        pending = Comment.objects.filter(status=Status.PENDING)
        keep = pending.order_by("pk").values_list("pk", flat=True)[count : count + 1]
        if keep:
            pending.filter(pk__gte=keep[0]).update(status=Status.SPAM)
        chosen = pending.count()
        started = time.perf_counter()
        response = client.post(
            changelist,
            {"action": "approve", "select_across": "1", "index": "0", ACTION_CHECKBOX_NAME: "1"},
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 302, response.status_code
        assert not Comment.objects.filter(status=Status.PENDING).exists()
        self.stdout.write(f"{'bulk approve':>20}: {chosen} comments in {elapsed * 1000:.0f} ms")
