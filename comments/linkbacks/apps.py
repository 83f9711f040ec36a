from django.apps import AppConfig


class LinkbacksConfig(AppConfig):
    name = "comments.linkbacks"
    label = "linkbacks"
    verbose_name = "Linkbacks"
