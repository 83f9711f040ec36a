"""Time the site search over 10,000 posts and the seed content, in a throw-away test database.

    manage.py bench_search --posts 10000 --runs 25

Loads the seed, writes that many published posts of 300 to 900 words (without the index: bulk
inserts; their words drawn as in real text, ``Words``), times ``rebuild_search_index`` (an
entry per post and language), then the median time of each of a set of searches (the last one a
word in nearly every post), in the backend and for the whole results page, and the median of the
same searches on ``/fr/search/``, on the database in use (``DATABASE_URL``). Prints the
machine's load beside the figures; asserts nothing. Never touches the real database.
"""

import os
import random
import statistics
import time
from datetime import timedelta
from itertools import accumulate, product

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from clusters.management.commands.bench_discussion import throw_away_database
from clusters.models import Post, Status
from clusters.search import query as search_query
from clusters.search.index import rebuild
from clusters.search.results import Results, public_entries

# Function words are the commonest in any text; the site's topical words and made-up ones
# ("bako", "tivemi") make a vocabulary of a few thousand, as a blog's is.
COMMON = "the of and to in for with on a is by".split()
TOPICAL = (
    "cluster health innovation patients Europe research SMEs partnering mission Lyon Munich "
    "Barcelona Turin personalised medicine oncology diagnostics funding agreement export "
    "biotechnology companies hospital university centre network digital devices therapies "
    "clinical trials investors start-ups regional international market members event workshop "
    "partners programme training regulation data imaging vaccines"
).split()
SYLLABLES = "ba ce di fo gu ka le mi no pu ra se ti vo lu".split()
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


class Words:
    """Words drawn as in real text (Zipf's law): the n-th commonest n times rarer than the
    commonest, the topical words at random ranks, so that one is in most posts and another in
    few."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        made_up = ["".join(parts) for k in (2, 3) for parts in product(SYLLABLES, repeat=k)]
        ranked = TOPICAL + made_up
        rng.shuffle(ranked)
        self.words = COMMON + ranked
        self.weights = list(accumulate(1 / rank for rank in range(1, len(self.words) + 1)))

    @property
    def commonest(self) -> str:
        """The commonest word that is not a function word: in nearly every post."""
        return self.words[len(COMMON)]

    def sentence(self, low: int, high: int) -> str:
        count = self.rng.randint(low, high)
        return " ".join(self.rng.choices(self.words, cum_weights=self.weights, k=count))


def _body(words: Words) -> str:
    paragraphs = []
    for _ in range(words.rng.randint(4, 9)):
        sentences = (
            words.sentence(8, 20).capitalize() + "." for _ in range(words.rng.randint(4, 8))
        )
        paragraphs.append(f"<p>{' '.join(sentences)}</p>")
    return "\n".join(paragraphs)


def _first_page(query) -> list:
    """Search as the results page does (in the active language): the count, then ten hits."""
    results = Results(public_entries(), query)
    results.count()
    return results[0:10]


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
        words = Words(random.Random(1))
        author = get_user_model().objects.create_user("bench")
        now = timezone.now()
        Post.objects.bulk_create(
            (
                Post(
                    title=words.sentence(4, 10).capitalize(),
                    slug=f"bench-{number}",
                    excerpt=words.sentence(20, 30).capitalize() + ".",
                    body=_body(words),
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
        medians = []
        for text in (*QUERIES, words.commonest):
            query = search_query.parse(text)
            found = Results(public_entries(), query)
            top = found[0:1]
            in_backend = _median_ms(lambda query=query: _first_page(query), runs)
            page = _median_ms(lambda text=text: client.get(url, {"q": text}), runs)
            medians.append((in_backend, page))
            self.stdout.write(
                f"  {text!r:36} {found.count():>6,} found, first: "
                f"{(top[0].entry.title[:30] if top else '-')!r:34} median {in_backend:6.1f} ms "
                f"in the backend, {page:6.1f} ms the whole page"
            )
        self.stdout.write(
            f"Median of the searches: {statistics.median(m[0] for m in medians):.1f} ms in the "
            f"backend, {statistics.median(m[1] for m in medians):.1f} ms the whole page."
        )
        # The same on the French site, among its own entries (the generated posts are not
        # translated: their French entries hold the English text, matched as English).
        with translation.override("fr"):
            url = reverse("search:search")
            french = [
                (
                    _median_ms(lambda text=text: _first_page(search_query.parse(text)), runs),
                    _median_ms(lambda text=text: client.get(url, {"q": text}), runs),
                )
                for text in (*QUERIES, words.commonest)
            ]
        self.stdout.write(
            f"The same on {url}: {statistics.median(m[0] for m in french):.1f} ms in the "
            f"backend, {statistics.median(m[1] for m in french):.1f} ms the whole page."
        )
        self.stdout.write(f"Load average after: {', '.join(f'{v:.2f}' for v in os.getloadavg())}.")
