from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class NotificationsConfig(AppConfig):
    name = "comments.notifications"
    label = "notifications"
    verbose_name = "Discussion e-mail and personal data"

    def ready(self):
        from clusters.models import Page
        from comments.notifications.templatetags.notifications import (
            forget_privacy_notice_url,
        )

        # Cache invalidation only: the comment form caches the privacy notice's address.
        for signal in (post_save, post_delete):
            signal.connect(
                forget_privacy_notice_url, sender=Page, dispatch_uid="forget_privacy_notice_url"
            )
