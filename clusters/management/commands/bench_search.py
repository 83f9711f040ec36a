"""Time the site search over 10,000 posts and the seed content, in a throw-away test database.

    manage.py bench_search --posts 10000 --runs 25

Loads the seed, writes that many published posts of 300 to 900 words (without the index: bulk
inserts), times ``rebuild_search_index``, then the median time of each of a set of searches, in
the backend and for the whole results page, on the database in use (``DATABASE_URL``). Prints
the machine's load beside the figures; asserts nothing. Never touches the real database.
"""

import os
import random
import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clusters.management.commands.bench_discussion import throw_away_database
from clusters.models import Post, Status
from clusters.search import query as search_query
from clusters.search.index import rebuild
from clusters.search.results import Results, public_entries

WORDS = (
    "cluster health innovation patients Europe research SMEs partnering mission Lyon Munich "
    "Barcelona Turin personalised medicine oncology diagnostics funding agreement export the of "
    "and to in for with on a is by biotechnology companies hospital university centre network "
    "digital devices therapies clinical trials investors start-ups regional international market "
    "members event workshop partners programme training regulation data imaging vaccines"
).split()
QUERIES = (
    "Munich",
    "oncology",
    "Emilie Romeo",
    "Japan mission",
    '"personalised medicine" -export',
    "clinical trials investors",
    "Rhône",
    "vaccines hospital",
)


def _body(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(4, 9)):
        sentences = (
            " ".join(rng.choices(WORDS, k=rng.randint(8, 20))).capitalize() + "."
            for _ in range(rng.randint(4, 8))
        )
        paragraphs.append(f"<p>{' '.join(sentences)}</p>")
    return "\n".join(paragraphs)


def _median_ms(run, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


class Command(BaseCommand):
    help = "Time the site search over generated posts and the seed (a throw-away test database)."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=10000)
        parser.add_argument("--runs", type=int, default=25)

    def handle(self, *args, posts: int, runs: int, **options):
        with throw_away_database():
            self.bench(posts, runs)

    def bench(self, posts: int, runs: int) -> None:
        rng = random.Random(1)
        author = get_user_model().objects.create_user("bench")
        now = timezone.now()
        Post.objects.bulk_create(
            (
                Post(
                    title=" ".join(rng.choices(WORDS, k=rng.randint(4, 10))).capitalize(),
                    slug=f"bench-{number}",
                    excerpt=" ".join(rng.choices(WORDS, k=25)).capitalize() + ".",
                    body=_body(rng),
                    status=Status.PUBLISHED,
                    published_at=now - timedelta(hours=number),
                    author=author,
                )
                for number in range(posts)
            ),
            batch_size=500,
        )
        started = time.perf_counter()
        entries = rebuild()
        indexing = time.perf_counter() - started
        load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        self.stdout.write(
            f"Search on {connection.vendor}: {entries:,} entries ({posts:,} generated posts and "
            f"the seed) indexed in {indexing:.1f} s; load average {load} "
            f"on {os.cpu_count()} cores."
        )
        client, url = Client(), reverse("search:search")
        for text in QUERIES:
            query = search_query.parse(text)

            def backend(query=query):
                results = Results(public_entries(), query)
                results.count()
                return results[0:10]

            found = Results(public_entries(), query)
            top = found[0:1]
            in_backend = _median_ms(backend, runs)
            page = _median_ms(lambda text=text: client.get(url, {"q": text}), runs)
            self.stdout.write(
                f"  {text!r:36} {found.count():>6,} found, first: "
                f"{(top[0].entry.title[:30] if top else '-')!r:34} median {in_backend:6.1f} ms "
                f"in the backend, {page:6.1f} ms the whole page"
            )
        self.stdout.write(f"Load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}.")
