from django.core.management.base import BaseCommand

from comments.notifications import tasks


class Command(BaseCommand):
    help = (
        "Queue the daily digest of comments waiting for moderation to each moderator who chose "
        "it (at most one a day each). Run it once a day, from cron or your scheduler."
    )

    def handle(self, *args, **options):
        queued = tasks.send_moderation_digest.call()
        self.stdout.write(f"{queued} moderation digest(s) queued.")
