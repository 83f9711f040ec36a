"""Time the page of a post with many threaded comments, in a throw-away test database.

    manage.py bench_discussion --comments 1000 --runs 20

Prints the number of queries and the median, best and worst times of a full page request
(through the test client: URL routing, middleware, view, templates), with an empty cache and
from the cache. It never touches the real database: it creates a test database and drops it.
"""

import random
import statistics
import time
from contextlib import contextmanager
from datetime import timedelta

from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone

from clusters.models import Post, Status
from clusters.seed import load_seed_content
from comments.models import Comment
from comments.services import comment_create

WORDS = (
    "cluster health innovation patients Europe research SMEs partnering mission Lyon Munich "
    "Barcelona Turin personalised medicine oncology diagnostics funding agreement export"
).split()


def _body(rng: random.Random) -> str:
    sentences = [" ".join(rng.choices(WORDS, k=rng.randint(6, 18))).capitalize() + "." for _ in
                 range(rng.randint(1, 4))]  # fmt: skip
    return "\n\n".join(sentences)


def make_discussion(post: Post, count: int, *, max_depth: int = 5, seed: int = 1) -> None:
    """Store ``count`` approved comments on ``post``: a third start threads, the rest reply."""
    rng = random.Random(seed)
    start = timezone.now() - timedelta(days=30)
    comments: list[Comment] = []
    for number in range(count):
        parents = [c for c in comments[-50:] if c.depth < max_depth]
        parent = rng.choice(parents) if parents and rng.random() > 0.33 else None
        comments.append(
            comment_create(
                post,
                parent=parent,
                max_depth=max_depth,
                author_name=f"Commenter {number % 97}",
                author_email=f"commenter{number % 97}@example.org",
                author_url="https://example.org/" if number % 5 == 0 else "",
                body=_body(rng),
                status=Comment.Status.APPROVED,
                created_at=start + timedelta(minutes=number),
            )
        )


class Command(BaseCommand):
    help = "Time the page of a post with many threaded comments (a throw-away test database)."

    def add_arguments(self, parser):
        parser.add_argument("--comments", type=int, nargs="+", default=[10, 1000, 5000])
        parser.add_argument("--runs", type=int, default=15)

    def handle(self, *args, **options):
        with throw_away_database():
            for count in options["comments"]:
                self.bench(count, options["runs"])

    def bench(self, count: int, runs: int) -> None:
        author = Post.objects.first().author
        post = Post.objects.create(
            title=f"A post with {count} comments",
            slug=f"bench-{count}",
            body="<p>Benchmark.</p>",
            status=Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=1),
            author=author,
        )
        make_discussion(post, count)
        client = Client()
        url = post.get_absolute_url()
        response = client.get(url)  # Warm-up: templates compiled, connections open.
        assert response.status_code == 200, response.status_code
        uncached = self.measure(client, url, runs, clear_cache=True)
        cached = self.measure(client, url, runs, clear_cache=False)
        self.stdout.write(
            f"{count:>6} comments, page {len(response.content) // 1024:>5} KiB: "
            f"uncached {uncached}; from cache {cached}"
        )

    def measure(self, client: Client, url: str, runs: int, *, clear_cache: bool) -> str:
        return time_requests(client, url, runs, before=cache.clear if clear_cache else None)


@contextmanager
def throw_away_database():
    """Create a test database with the seed content for the block, and drop it after."""
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_seed_content()
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def time_requests(client: Client, url: str, runs: int, *, before=None) -> str:
    """Return the query count and timings of ``runs`` requests of ``url`` (``before`` each)."""
    if before:
        before()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)  # Now: the next request empties the connection's log.
    timings = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return (
        f"{query_count:>2} queries, median {statistics.median(timings):6.1f} ms "
        f"(best {min(timings):6.1f}, worst {max(timings):6.1f})"
    )
