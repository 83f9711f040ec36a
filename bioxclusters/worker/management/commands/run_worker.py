"""``manage.py run_worker``: django-tasks-db's ``db_worker`` as a service that survives faults.

Beside the worker loop a thread records this worker's heartbeat and, at start-up and then at
every beat, queues again the tasks of workers that died (``recovery.requeue_abandoned``) and
those that failed because the database was away (``recovery.requeue_database_failures``). When
the database goes away (a restart) the loop does not exit: it waits, reconnects and goes on,
after queueing again the task it was running. Same options as ``db_worker``.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connections
from django_tasks_db.management.commands import db_worker

from bioxclusters.worker import recovery

logger = logging.getLogger("django_tasks_db")


class RecoveringWorker(db_worker.Worker):
    def run(self) -> None:
        self._stop = threading.Event()
        heart = threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True)
        heart.start()
        try:
            while True:
                try:
                    return super().run()
                except DatabaseError as error:
                    logger.warning("Database unavailable (%s); trying again", error)
                    connections.close_all()
                    time.sleep(max(self.interval, 1))
                    self._recover(own=True)
        finally:
            self._stop.set()

    def _recover(self, *, own: bool = False) -> None:
        try:
            recovery.beat(self.worker_id)
            recovery.requeue_abandoned(own_worker_id=self.worker_id if own else None)
            recovery.requeue_database_failures()
        except DatabaseError as error:
            logger.warning("Heartbeat not recorded (%s)", error)
        finally:
            close_old_connections()

    def _heartbeat(self) -> None:
        """Beat, and take up dead workers' tasks, until the worker stops (own connection)."""
        try:
            self._recover()
            while not self._stop.wait(settings.TASK_WORKER_HEARTBEAT_SECONDS):
                self._recover()
        finally:
            connections.close_all()


class Command(db_worker.Command):
    help = "Run the database task worker, with heartbeats and recovery of dead workers' tasks."

    def handle(self, *args, **options) -> None:
        # db_worker builds its Worker by this module-level name: ours, with the same options.
        db_worker.Worker = RecoveringWorker
        super().handle(*args, **options)
