from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "comments.notifications"
    label = "notifications"
    verbose_name = "Discussion e-mail and personal data"
