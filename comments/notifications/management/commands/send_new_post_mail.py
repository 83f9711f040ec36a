from django.core.management.base import BaseCommand

from comments.notifications import tasks


class Command(BaseCommand):
    help = (
        "Queue the new-post mail for posts that went live and were not announced yet: the "
        "safety net for scheduled posts when no task worker ran at their time. Run it every "
        "few minutes, from cron or your scheduler."
    )

    def handle(self, *args, **options):
        queued = tasks.announce_new_posts.call()
        self.stdout.write(f"{queued} new-post mail(s) queued.")
