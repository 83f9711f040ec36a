"""Time the page of a post with many threaded comments, in a throw-away test database.

    manage.py bench_discussion --comments 1000 --runs 20
    manage.py bench_discussion --http --seconds 30     # what `make bench` runs

Prints the number of queries and the median, best and worst times of a full page request
(through the test client: URL routing, middleware, view, templates): with the whole cache
emptied, uncached (no page cache, the discussion's listing dropped as a comment's approval drops
it; menus and settings stay in the shared cache), with the listing cached, and from the page
cache; and the median processor time of the process. It never
touches the real database: it creates a test database and drops it. With ``--http`` it then
serves that database with gunicorn and measures over HTTP (``clusters/management/bench_http.py``):
requests per second of pages from the page cache beside a static file of the same size, and
comments posted by 32 visitors at once. Timings are printed, never asserted.
"""

import random
import statistics
import time
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment
from django.utils import timezone

from clusters.management import bench_http
from clusters.models import Post, Status
from clusters.seed import load_seed_content
from comments.cards import forget_listing
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


@contextmanager
def throw_away_database(*, seed: bool = True):
    """Create a test database (with the seed content) for the block, and drop it after.

    Every benchmark measures in one of these: it never touches the real database.
    """
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        # A file, not memory: a server started for --http opens the same database.
        test_file = settings.BASE_DIR / "build" / "bench.sqlite3"
        test_file.parent.mkdir(exist_ok=True)
        connection.settings_dict["TEST"]["NAME"] = str(test_file)
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        if seed:
            load_seed_content()
        yield
    finally:
        connection.close()
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


class Command(BaseCommand):
    help = "Time the page of a post with many threaded comments (a throw-away test database)."

    def add_arguments(self, parser):
        parser.add_argument("--comments", type=int, nargs="+", default=[10, 1000, 5000])
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument(
            "--http", action="store_true", help="Then measure over HTTP (gunicorn and wrk)."
        )
        parser.add_argument(
            "--seconds", type=int, default=30, help="Length of each wrk run and of the posting."
        )

    def handle(self, *args, **options):
        self.stdout.write(
            f"Machine: {bench_http.machine_load()}. Database: {connection.vendor}; "
            f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}."
        )
        http = options["http"]
        if http and (missing := bench_http.wrk_missing()):
            self.stdout.write(f"Skipping the HTTP measurements: {missing}")
            http = False
        with throw_away_database():
            posts, medians, queries = {}, {}, {}
            for count in options["comments"]:
                posts[count], medians[count], queries[count] = self.bench(count, options["runs"])
            self.summary(medians, queries)
            if http:
                largest = 1000 if 1000 in posts else max(posts)
                self.bench_http(posts[largest], largest, options["seconds"])
        self.stdout.write(f"Machine afterwards: {bench_http.machine_load()}.")

    def bench(self, count: int, runs: int) -> tuple[Post, float, int]:
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
        content_type_id = ContentType.objects.get_for_model(post).pk
        with override_settings(PAGE_CACHE_SECONDS=0):
            cold = self.measure(client, url, runs, before=cache.clear)
            # As after a comment is approved: the discussion's listing and every page are stale.
            uncached = self.measure(
                client, url, runs, before=lambda: forget_listing(content_type_id, post.pk)
            )
            listing = self.measure(client, url, runs)
        whole_page = self.measure(client, url, runs)
        self.stdout.write(
            f"{count:>6} comments, page {len(response.content) // 1024:>5} KiB:\n"
            f"    cache emptied      {cold[2]}\n"
            f"    uncached           {uncached[2]}\n"
            f"    listing cached     {listing[2]}\n"
            f"    from page cache    {whole_page[2]}"
        )
        return post, uncached[0], uncached[1]

    def summary(self, medians: dict[int, float], queries: dict[int, int]) -> None:
        if 1000 in medians:
            verdict = "met" if medians[1000] < 60 else "missed"
            self.stdout.write(
                f"Uncached page with 1,000 comments: median {medians[1000]:.1f} ms "
                f"on {connection.vendor} (target < 60 ms on PostgreSQL: {verdict})."
            )
        if 10 in queries and 5000 in queries:
            same = "the same" if queries[10] == queries[5000] else "NOT the same"
            self.stdout.write(
                f"Queries with 10 and 5,000 comments: {queries[10]} and {queries[5000]} ({same})."
            )
        if 1000 in medians and 5000 in medians:
            ratio = medians[5000] / medians[1000]
            verdict = "met" if ratio <= 5.5 else "missed"
            self.stdout.write(f"time(5,000) / time(1,000): {ratio:.2f} (target <= 5.5: {verdict}).")

    def measure(self, client: Client, url: str, runs: int, *, before=None):
        """Return the median, the query count and a line of timings of ``runs`` requests.

        ``before`` runs before each request (untimed); without it, a first request fills the
        caches the others read. Beside the wall-clock times, the process's own processor time
        (its median), which other work on a loaded machine inflates less.
        """
        if before is None:
            client.get(url)
        else:
            before()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_count = len(queries)  # Now: the next request empties the connection's log.
        timings, processor = [], []
        for _ in range(runs):
            if before:
                before()
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            processor.append((time.process_time() - started_cpu) * 1000)
        median = statistics.median(timings)
        return (
            median,
            query_count,
            f"{query_count:>2} queries, median {median:6.1f} ms "
            f"(best {min(timings):6.1f}, worst {max(timings):6.1f}; "
            f"processor {statistics.median(processor):6.1f} ms)",
        )

    def bench_http(self, post: Post, count: int, seconds: int) -> None:
        """Pages from the page cache beside a static file of their size; posting under load."""
        port = bench_http.free_port()
        # The pages as the server will give them (its address is in them), to copy as files.
        settings.SITE_URL = f"http://127.0.0.1:{port}"
        pages = {"home": "/", "who-we-are": "/who-we-are/"}
        pages[f"post-{count}"] = post.get_absolute_url()
        client = Client()
        copies = {
            name: bench_http.write_static_copy(f"{name}.html", client.get(path).content)
            for name, path in pages.items()
        }
        target = Post.objects.create(
            title="A post to comment on under load", slug="bench-posting", body="<p>Post.</p>",
            status=Status.PUBLISHED, published_at=timezone.now() - timedelta(days=1),
            author=post.author,
        )  # fmt: skip
        connection.close()  # The server has the database to itself from now on.
        server = bench_http.Server(
            port=port,
            database_url=self.database_url(),
            environment={
                "DJANGO_SECRET_KEY": settings.SECRET_KEY,
                "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
                # "Limits off": no flood interval, rate limit or minimum time to fill the form.
                "COMMENTS_FLOOD_SECONDS": "0",
                "COMMENTS_RATE_LIMIT": "0",
                "COMMENTS_FORM_MIN_SECONDS": "0",
            },
        )
        base = f"http://127.0.0.1:{port}"
        try:
            with server:
                self.stdout.write(
                    f"HTTP: {server.describe()}; wrk, 16 connections, {seconds} s each. "
                    f"Machine: {bench_http.machine_load()}."
                )
                for name, path in pages.items():
                    status, body = bench_http.get(port, path)  # Now in the page cache.
                    assert status == 200, (path, status)
                    for gzip in (False, True):
                        self.compare(base, name, len(body), path, copies[name], seconds, gzip)
                posting = bench_http.post_under_load(
                    port, target.get_absolute_url(), seconds=seconds
                )
        finally:
            bench_http.remove_static_copies()
        self.report_posting(posting, target, seconds)

    def compare(self, base, name, size, path, copy, seconds, gzip) -> None:
        """Print wrk's rates for the page from the page cache and for its static copy."""
        page = bench_http.wrk(base + path, seconds=seconds, gzip=gzip)
        static = bench_http.wrk(base + copy, seconds=seconds, gzip=gzip)
        share = page.requests_per_second / static.requests_per_second
        verdict = "met" if share >= 0.5 else "missed"
        problems = "; ".join(p for p in (page.errors, static.errors) if p)
        label = f"{name}{', gzip' if gzip else ''}"
        self.stdout.write(
            f"    {label:<18} {size // 1024:>4} KiB: page cache "
            f"{page.requests_per_second:8.0f} req/s, static file "
            f"{static.requests_per_second:8.0f} req/s: {share:4.0%} "
            f"(target >= 50 %: {verdict}){' - ' + problems if problems else ''}"
        )

    def report_posting(self, posting, target: Post, seconds: int) -> None:
        stored = Counter(
            Comment.objects.for_object(target).values_list("body", flat=True).iterator()
        )
        once = all(stored[body] == 1 for body in posting.succeeded)
        answered = sum(posting.statuses.values())
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(posting.statuses.items()))
        errors = ", ".join(f"{name}: {n}" for name, n in posting.errors.items()) or "none"
        self.stdout.write(
            f"Posting: {bench_http.POSTERS} posters for {seconds} s: {answered} answers "
            f"({statuses}; {answered / seconds:.0f} a second), connection errors {errors}.\n"
            f"    5xx answers: {posting.server_errors} (target 0). Comments stored: "
            f"{sum(stored.values())}; every one answered with success stored exactly once: "
            f"{'yes' if once else 'NO'} ({len(posting.succeeded)} successes)."
        )

    @staticmethod
    def database_url() -> str:
        """Return the test database's address, for the server's DATABASE_URL."""
        db = connection.settings_dict
        if connection.vendor == "sqlite":
            return f"sqlite:///{db['NAME']}"
        credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
