"""Tasks claimed by a worker that died are taken up again; work done once is not done twice.

django-tasks-db marks a task RUNNING when a worker claims it and has no lease: a worker killed
with SIGKILL, or by the OOM killer, leaves its tasks RUNNING for ever. ``run_worker`` records a
heartbeat (``WorkerHeartbeat``) every ``TASK_WORKER_HEARTBEAT_SECONDS``; a RUNNING task whose
last worker has not been seen for ``TASK_WORKER_DEAD_SECONDS`` is put back to READY, and the
next worker runs it again. A task whose effect must happen once (mail) makes it in a
transaction with ``once()``, so the second run finds the mark and does nothing.

A task that failed because the database was away (the connection dropped under it) did not
fail on its own account: ``requeue_database_failures`` puts it back to READY, a few runs at most.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bioxclusters.worker.models import TaskMark, WorkerHeartbeat

logger = logging.getLogger(__name__)

READY = "READY"
FAILED = "FAILED"
# What a lost or restarting database raises (Django's wrappers of the driver's errors).
DATABASE_AWAY = ["django.db.utils.OperationalError", "django.db.utils.InterfaceError"]
# A task failing that way this many runs is failing for a reason of its own.
MAX_RUNS = 5


def beat(worker_id: str) -> None:
    """Record that ``worker_id`` is alive now."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now()}
    )


def requeue_abandoned(*, own_worker_id: str | None = None) -> int:
    """Put back to READY the RUNNING tasks whose worker is dead; return how many.

    Dead: not seen for ``TASK_WORKER_DEAD_SECONDS`` (a worker that never recorded a heartbeat
    counts from when it claimed the task). ``own_worker_id``: this worker, idle at the moment,
    so whatever it holds RUNNING was interrupted (by a lost database connection).
    """
    cutoff = timezone.now() - timedelta(seconds=settings.TASK_WORKER_DEAD_SECONDS)
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    alive.discard(own_worker_id)
    requeued = 0
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        worker_id = result.worker_ids[-1] if result.worker_ids else None
        if worker_id in alive:
            continue
        if worker_id != own_worker_id and not (
            WorkerHeartbeat.objects.filter(worker_id=worker_id).exists()
            or (result.started_at and result.started_at < cutoff)
        ):
            continue  # A worker without heartbeats (plain db_worker): give it time.
        # Guarded by started_at: a claim made meanwhile by a live worker is left alone.
        requeued += DBTaskResult.objects.filter(
            pk=result.pk, status=result.status, started_at=result.started_at
        ).update(status=READY, started_at=None)
        logger.warning("Task %s of dead worker %s queued again", result.pk, worker_id)
    # Nothing runs for days: older heartbeats and marks are of no further use.
    week_ago = timezone.now() - timedelta(days=7)
    WorkerHeartbeat.objects.filter(seen_at__lt=week_ago).delete()
    TaskMark.objects.filter(created_at__lt=week_ago).delete()
    return requeued


def requeue_database_failures() -> int:
    """Put back to READY the tasks that failed because the database was away; return how many."""
    requeued = 0
    failed = DBTaskResult.objects.filter(status=FAILED, exception_class_path__in=DATABASE_AWAY)
    for result in failed.only("id", "worker_ids", "finished_at"):
        if len(result.worker_ids) >= MAX_RUNS:
            continue
        requeued += DBTaskResult.objects.filter(
            pk=result.pk, status=FAILED, finished_at=result.finished_at
        ).update(status=READY, started_at=None, finished_at=None)
        logger.warning("Task %s failed on a database error; queued again", result.pk)
    return requeued


def once(key: str) -> bool:
    """Leave the mark ``key`` in the current transaction; False if a run left it before.

    Call it inside ``transaction.atomic()`` with the work it guards: the mark and the work are
    committed together or not at all.
    """
    try:
        with transaction.atomic():
            TaskMark.objects.create(key=key[:200])
    except IntegrityError:
        return False
    return True
