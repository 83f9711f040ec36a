"""Time the import of a generated WordPress export, in a throw-away test database.

    manage.py bench_import --posts 5000 --comments 50000

Writes an export of that many posts (in 20 categories, by 10 authors) and threaded comments
(replies up to five levels deep, a third of them starting threads) to a temporary file, imports
it, and prints the time and the process's peak memory. It never touches the real database: it
creates a test database and drops it.
"""

import random
import resource
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand

from clusters.management.commands.bench_discussion import throw_away_database
from clusters.wordpress.importer import import_wxr

WORDS = (
    "cluster health innovation patients Europe research SMEs partnering mission Lyon Munich "
    "Barcelona Turin personalised medicine oncology diagnostics funding agreement export"
).split()
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench</title><link>https://old.example</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://old.example</wp:base_blog_url>
"""


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choices(WORDS, k=rng.randint(6, 18))).capitalize() + "."


def write_export(out, *, posts: int, comments: int, seed: int = 1) -> None:
    """Write a WXR 1.2 export of ``posts`` posts carrying ``comments`` threaded comments."""
    rng = random.Random(seed)
    out.write(HEAD)
    for number in range(10):
        out.write(
            f"<wp:author><wp:author_id>{number + 1}</wp:author_id>"
            f"<wp:author_login>author{number}</wp:author_login>"
            f"<wp:author_email>author{number}@example.org</wp:author_email></wp:author>\n"
        )
    for number in range(20):
        out.write(
            f"<wp:category><wp:term_id>{number + 1}</wp:term_id><wp:category_nicename>"
            f"topic-{number}</wp:category_nicename><wp:cat_name>Topic {number}</wp:cat_name>"
            "</wp:category>\n"
        )
    comment_id = 0
    for number in range(posts):
        post_id = number + 1
        day = f"2016-{number % 12 + 1:02d}-{number % 28 + 1:02d} 10:00:00"
        body = "\n\n".join(_sentence(rng) for _ in range(rng.randint(3, 8)))
        out.write(
            f"<item><title>Post {post_id}</title>"
            f"<link>https://old.example/2016/{number % 12 + 1:02d}/post-{post_id}/</link>"
            f"<dc:creator>author{number % 10}</dc:creator>"
            f'<guid isPermaLink="false">https://old.example/?p={post_id}</guid>'
            f"<content:encoded><![CDATA[{body}]]></content:encoded>"
            f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{day}</wp:post_date>"
            f"<wp:post_name>post-{post_id}</wp:post_name><wp:status>publish</wp:status>"
            f"<wp:post_type>post</wp:post_type><wp:comment_status>open</wp:comment_status>"
            f'<category domain="category" nicename="topic-{number % 20}">Topic {number % 20}'
            "</category>\n"
        )
        share = comments // posts + (1 if number < comments % posts else 0)
        depths: dict[int, int] = {}
        for index in range(share):
            comment_id += 1
            parents = [pk for pk, depth in depths.items() if depth < 5]
            parent = rng.choice(parents) if parents and rng.random() > 0.33 else 0
            depths[comment_id] = depths[parent] + 1 if parent else 1
            out.write(
                f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                f"<wp:comment_author>Commenter {comment_id % 97}</wp:comment_author>"
                f"<wp:comment_author_email>c{comment_id % 97}@example.org"
                "</wp:comment_author_email>"
                f"<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>"
                f"<wp:comment_date>2016-12-01 {index % 24:02d}:00:00</wp:comment_date>"
                f"<wp:comment_content><![CDATA[{_sentence(rng)}]]></wp:comment_content>"
                "<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment"
                f"</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>"
                "</wp:comment>\n"
            )
        out.write("</item>\n")
    out.write("</channel></rss>\n")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB.


class Command(BaseCommand):
    help = "Time the import of a generated WordPress export (a throw-away test database)."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=5000)
        parser.add_argument("--comments", type=int, default=50000)

    def handle(self, *args, posts: int, comments: int, **options):
        with throw_away_database(seed=False), tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.xml"
            with path.open("w", encoding="utf-8") as out:
                write_export(out, posts=posts, comments=comments)
            self.bench(path, posts, comments)

    def bench(self, path: Path, posts: int, comments: int) -> None:
        size = path.stat().st_size / 1024 / 1024
        before = _peak_mib()
        started = time.perf_counter()
        report = import_wxr(path).as_dict()
        elapsed = time.perf_counter() - started
        counts = report["counts"]
        imported = {kind: counts.get(kind, {}).get("imported", 0) for kind in ("post", "comment")}
        self.stdout.write(
            f"Import of {posts:,} posts and {comments:,} threaded comments ({size:.1f} MiB): "
            f"{elapsed:.0f} s ({imported['post']:,} posts, {imported['comment']:,} comments "
            f"imported); peak memory {_peak_mib():.0f} MiB (before the import {before:.0f} MiB)."
        )
        started = time.perf_counter()
        import_wxr(path)
        self.stdout.write(
            f"The same file again (nothing to do): {time.perf_counter() - started:.0f} s; "
            f"peak memory {_peak_mib():.0f} MiB."
        )
