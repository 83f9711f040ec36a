from django.core.management.base import BaseCommand

from comments.models import DiscussionSettings
from comments.notifications import tasks


class Command(BaseCommand):
    help = (
        "Drop the IP address and user agent of comments older than the discussion settings' "
        "retention (60 days unless changed), and the records of mail sent before then. "
        "Run it daily, from cron or your scheduler."
    )

    def handle(self, *args, **options):
        changed = tasks.forget_commenter_ips.call()
        days = DiscussionSettings.load().ip_retention_days
        self.stdout.write(f"{changed} comment(s) older than {days} days forgot their IP address.")
