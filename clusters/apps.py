from django.apps import AppConfig


class ClustersConfig(AppConfig):
    name = "clusters"
    verbose_name = "Site content"

    def ready(self):
        from clusters import caching

        caching.connect()
