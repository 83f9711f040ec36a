import sys
from contextlib import nullcontext
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations
from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from clusters.wordpress.importer import import_wxr, report_lines
from clusters.wordpress.wxr import WXRError

# Without a terminal, one line every so many records.
PLAIN_EVERY = 500


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.0-1.2): authors, categories, tags, pages, posts, "
        "attachments and comments with their threads. Run it again with a newer export to "
        "update what changed; nothing is ever made twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The export, from Tools → Export.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be imported; write nothing."
        )
        parser.add_argument(
            "--uploads",
            type=Path,
            metavar="DIR",
            help="A local copy of wp-content/uploads: attachments' files are copied from it.",
        )

    # The report is printed in English (the admin's page of a run shows it translated).
    @no_translations
    def handle(self, *args, file: Path, dry_run: bool, uploads: Path | None, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file.")
        if uploads is not None and not uploads.is_dir():
            raise CommandError(f"{uploads}: no such folder.")
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if self.stdout.isatty():
                if bar is None:
                    bar = tqdm(total=total, unit="item", file=sys.stderr, desc=file.name)
                bar.update(done - bar.n)
            elif done % PLAIN_EVERY == 0 or done == total:
                self.stdout.write(f"{done}/{total} items")

        # Log lines (one per saved entry) print above the bar instead of breaking it.
        quiet_bar = logging_redirect_tqdm() if self.stdout.isatty() else nullcontext()
        try:
            with quiet_bar:
                report = import_wxr(file, dry_run=dry_run, uploads=uploads, progress=progress)
        except WXRError as error:
            raise CommandError(f"{file.name}: {error}") from error
        finally:
            if bar is not None:
                bar.close()
        for line in report_lines(report.as_dict()):
            self.stdout.write(line)
