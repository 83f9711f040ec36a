"""The admin's WordPress import, run in the background (``manage.py db_worker``)."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from clusters.models import ImportRun

from .importer import import_wxr
from .wxr import WXRError

logger = logging.getLogger(__name__)

# The page of a running import reads its progress from the cache: a dry run holds everything it
# writes in one transaction, rolled back at the end, where another process could not see it.
PROGRESS_SECONDS = 1.0


def progress_key(run_id: int) -> str:
    return f"wordpress-import:{run_id}:progress"


def live_progress(run: ImportRun) -> tuple[int, int]:
    """Return (records done, records in the file) of ``run``, as far as it has gone."""
    if run.status == ImportRun.Status.RUNNING:
        return cache.get(progress_key(run.pk), (run.progress, run.total))
    return run.progress, run.total


@task()
def run_import(run_id: int) -> str:
    """Import (or dry-run) the export uploaded for ``run_id`` and store the report."""
    run = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).first()
    if run is None:
        return "nothing to run"
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)
    run.status = ImportRun.Status.RUNNING
    last = 0.0

    def progress(done: int, total: int) -> None:
        nonlocal last
        run.progress, run.total = done, total
        if time.monotonic() - last >= PROGRESS_SECONDS or done == total:
            last = time.monotonic()
            cache.set(progress_key(run.pk), (done, total), 24 * 3600)

    try:
        report = import_wxr(run.file.path, dry_run=run.dry_run, progress=progress)
    except WXRError as error:
        run.status, run.error = ImportRun.Status.FAILED, str(error)
    except Exception as error:  # The page must say the run ended, never spin forever.
        logger.exception("WordPress import %s failed", run.pk)
        run.status, run.error = ImportRun.Status.FAILED, f"{type(error).__name__}: {error}"
    else:
        run.status, run.report = ImportRun.Status.DONE, report.as_dict()
    # The export holds commenters' addresses: it is kept no longer than the run needs it.
    run.file.delete(save=False)
    run.finished_at = timezone.now()
    run.save()
    cache.delete(progress_key(run.pk))
    return run.status
