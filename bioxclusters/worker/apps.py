from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "bioxclusters.worker"
    label = "worker"
    verbose_name = "Task worker"
