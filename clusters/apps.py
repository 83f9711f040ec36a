from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = _("Site content")

    def ready(self):
        from clusters import caching, discussion
        from clusters.search import index

        discussion.register()
        caching.connect()
        index.connect()
        # Cache invalidation only: the comment form caches the privacy notice's address.
        for signal in (post_save, post_delete):
            signal.connect(
                discussion.forget_privacy_notice,
                sender=self.get_model("Page"),
                dispatch_uid="forget_privacy_notice_url",
            )
