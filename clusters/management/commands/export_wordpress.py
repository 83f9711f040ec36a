import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from clusters.wordpress.exporter import export_wxr


class Command(BaseCommand):
    help = (
        "Write the whole site as a WordPress export (WXR 1.2): clusters as pages, pages, "
        "posts, categories, tags, authors, images and comments with their threads."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", type=Path, metavar="FILE", help="Where to write (default: stdout)."
        )

    def handle(self, *args, output: Path | None, **options):
        if output is None:
            export_wxr(self.stdout)
            return
        with output.open("w", encoding="utf-8") as out:
            counts = export_wxr(out)
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        sys.stderr.write(f"Wrote {output}: {summary}.\n")
