from django.core.management.base import BaseCommand

from comments.linkbacks.tasks import sweep


class Command(BaseCommand):
    help = (
        "Make the self-pings and queue the linkbacks of live posts that have not been handled "
        "(scheduled posts that went live, posts changed outside the admin) and the retries that "
        "are due; the task worker (manage.py db_worker) sends them. Run it every few minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--post", type=int, action="append", dest="posts", help="Only this post (by id)."
        )

    def handle(self, *args, **options):
        counts = sweep(options["posts"])
        self.stdout.write(
            f"Linkbacks: {counts['posts']} live posts looked at, {counts['queued']} queued."
        )
