from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Discussion"

    def ready(self):
        from bioxclusters import pagecache
        from comments.models import DiscussionSettings

        pagecache.watch(DiscussionSettings)
