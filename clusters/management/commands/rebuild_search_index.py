import time

from django.core.management.base import BaseCommand

from clusters.search.index import rebuild


class Command(BaseCommand):
    help = "Write the site search's index again from the content (posts, pages, clusters, terms)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt: {count} entries in {time.perf_counter() - started:.1f} s."
            )
        )
