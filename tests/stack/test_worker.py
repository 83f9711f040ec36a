"""The task worker as a service: killed with SIGKILL mid-task, its task runs again after a
restart, the mail goes out once, nothing stays RUNNING."""

import signal

import pytest
from django.core import mail
from django.db import InterfaceError, OperationalError
from django_tasks import TaskContext
from django_tasks_db.models import DBTaskResult

from bioxclusters.worker import recovery
from comments.models import Comment
from comments.notifications import tasks
from comments.notifications.models import OutgoingMail
from tests.comments.factories import make_comment
from tests.factories import make_post, make_user
from tests.stack.conftest import shell, wait_until, worker

QUEUE_MAIL = """
from comments.notifications.models import OutgoingMail
from comments.notifications import tasks
mail = OutgoingMail.objects.create(
    to="ada@example.org", kind="moderation", subject="A comment waits", body_text="Hello"
)
tasks.deliver.enqueue(mail.pk)
print(mail.pk)
"""

STATE = """
from django_tasks_db.models import DBTaskResult
from comments.notifications.models import OutgoingMail
delivery = DBTaskResult.objects.filter(task_path__endswith=".deliver")
print(OutgoingMail.objects.get().status, *sorted(
    f"{r.status}:{len(r.worker_ids)}" for r in delivery), DBTaskResult.objects.running().count())
"""


def test_a_task_of_a_worker_killed_mid_task_runs_again_and_mails_once(
    sqlite_site, tmp_path, processes, fake_smtp
):
    env = {
        **sqlite_site,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(fake_smtp.port),
        "TASK_WORKER_HEARTBEAT_SECONDS": "0.5",
        "TASK_WORKER_DEAD_SECONDS": "3",
    }
    shell(env, QUEUE_MAIL)
    fake_smtp.hang.set()  # The first worker gets stuck talking to the mail server...
    first = worker(env, tmp_path / "worker-1.log")
    processes.append(first)
    assert fake_smtp.connected.wait(60), first.output()
    first.kill(signal.SIGKILL)  # ...and dies there, its task claimed.
    assert shell(env, STATE) == "queued RUNNING:1 1"

    fake_smtp.hang.clear()
    processes.append(worker(env, tmp_path / "worker-2.log"))

    wait_until(lambda: shell(env, STATE) == "sent SUCCESSFUL:2 0", seconds=60, what="the mail")
    assert len(fake_smtp.messages) == 1
    assert b"Subject: A comment waits" in fake_smtp.messages[0]


@pytest.mark.django_db
def test_a_mail_task_run_again_after_its_worker_died_stores_no_mail_twice(
    django_capture_on_commit_callbacks,
):
    make_user(is_staff=True, groups=["Moderators"], email="mod@example.org")
    comment = make_comment(make_post(), status=Comment.Status.PENDING)
    held = OutgoingMail.objects.filter(kind=OutgoingMail.Kind.MODERATION)
    before, sent = held.count(), len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.mail_held_comments.enqueue([comment.pk])
    assert (held.count(), len(mail.outbox)) == (before + 1, sent + 1)

    # The same task result taken up again (its worker died before marking it done).
    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.mail_held_comments.call(TaskContext(task_result=result), [comment.pk])

    assert again == 0
    assert (held.count(), len(mail.outbox)) == (before + 1, sent + 1)


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_a_mail_and_its_delivery_task_are_stored_in_one_transaction(settings):
    settings.TASKS = DATABASE_TASKS
    make_user(is_staff=True, groups=["Moderators"], email="mod@example.org")
    comment = make_comment(make_post(), status=Comment.Status.PENDING)
    result = tasks.mail_held_comments.enqueue([comment.pk])

    # The test's transaction never commits: a worker that died right after the task's commit
    # and before any after-commit callback would leave exactly this behind.
    tasks.mail_held_comments.call(TaskContext(task_result=result), [comment.pk])

    held = OutgoingMail.objects.get(kind=OutgoingMail.Kind.MODERATION, status="queued")
    deliveries = DBTaskResult.objects.filter(task_path__endswith=".deliver", status="READY")
    assert [d.args_kwargs["args"] for d in deliveries] == [[held.pk]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "runs", "queued_again"),
    [
        (OperationalError("server closed the connection unexpectedly"), 1, True),
        (InterfaceError("connection already closed"), 1, True),
        (OperationalError("server closed the connection unexpectedly"), 5, False),
        (ValueError("a bug of the task's own"), 1, False),
    ],
)
def test_a_task_failed_because_the_database_was_away_is_queued_again(
    settings, error, runs, queued_again
):
    settings.TASKS = DATABASE_TASKS
    result = DBTaskResult.objects.get(pk=tasks.deliver.enqueue(1).id)
    for run in range(runs):
        result.claim(f"worker-{run}")
    result.set_failed(error)

    recovery.requeue_database_failures()

    result.refresh_from_db()
    assert (result.status == "READY") is queued_again
