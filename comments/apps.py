from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Discussion")

    def ready(self):
        from bioxclusters import pagecache
        from comments.models import DiscussionSettings

        pagecache.watch(DiscussionSettings)
