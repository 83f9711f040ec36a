from django.db import models


class WorkerHeartbeat(models.Model):
    """The last sign of life of a ``run_worker`` process, recorded every few seconds."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


class TaskMark(models.Model):
    """The mark a task leaves, in the transaction of its effect, so that a run taken up again
    after its worker died does not do the same work twice (``recovery.once``)."""

    key = models.CharField(max_length=200, primary_key=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
