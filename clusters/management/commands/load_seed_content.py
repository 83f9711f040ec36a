from django.core.management.base import BaseCommand

from clusters.seed import load_seed_content


class Command(BaseCommand):
    help = (
        "Create the site's starting content (clusters, the “Who we are” page, two posts) "
        "where it is missing; existing content is never changed."
    )

    def handle(self, *args, **options):
        counts = load_seed_content()
        created, kept = (sum(counts[state].values()) for state in ("created", "kept"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Seed content: {created} created, {kept} already there and left as they are, "
                f"{counts['logos_written']} logos written."
            )
        )
