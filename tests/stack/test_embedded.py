"""The embedded default (no Redis, SQLite): one cache for every process, no "database is locked"."""

import subprocess
import sys
import threading

import requests

from tests.stack.conftest import (
    MAKE_POST,
    ROOT,
    free_port,
    gunicorn,
    post_comment,
    shell,
    wait_for_http,
    worker,
)

FLOOD = "from comments import antispam; "


def test_flood_control_noted_by_one_process_holds_in_another_at_once(sqlite_site):
    env = {**sqlite_site, "COMMENTS_FLOOD_SECONDS": "600"}
    assert shell(env, FLOOD + "print(antispam.is_flooding('192.0.2.7'))") == "False"

    shell(env, FLOOD + "antispam.note_comment_stored('192.0.2.7')")

    # A second process (another web server, the worker) sees it: the cache is the database's.
    assert shell(env, FLOOD + "print(antispam.is_flooding('192.0.2.7'))") == "True"
    assert shell(env, FLOOD + "print(antispam.is_flooding('192.0.2.8'))") == "False"


def test_the_sqlite_database_runs_in_wal_mode(sqlite_site):
    code = (
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    assert shell(sqlite_site, code) == "wal"


WRITER = """
import time
from django.db import transaction
from clusters.models import Post
pk = Post.objects.get(slug={slug!r}).pk
for number in range(150):
    # As the admin saves a post: read it, then write it, in one transaction.
    with transaction.atomic():
        post = Post.objects.get(pk=pk)
        post.title = f"Stack test {{number}}"
        post.save(update_fields=["title"])
print("wrote 150")
"""


def test_web_server_worker_and_a_writer_side_by_side_never_answer_500(
    sqlite_site, tmp_path, processes
):
    port = free_port()
    env = {**sqlite_site, "SITE_URL": f"http://127.0.0.1:{port}"}
    page = shell(env, MAKE_POST)
    slug = page.rstrip("/").rsplit("/", 1)[1]
    processes.append(gunicorn(env, port, tmp_path / "web.log", workers=2, threads=4))
    processes.append(worker(env, tmp_path / "worker.log"))
    base = f"http://127.0.0.1:{port}"
    wait_for_http(base + "/healthz")

    # A third process writes in transactions all the while, as a cron command or the admin would.
    writer = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", WRITER.format(slug=slug)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    statuses: list[int] = []

    def poster(number: int) -> None:
        session = requests.Session()
        for round_ in range(8):
            sent = post_comment(session, base, page, f"Comment {number}-{round_} side by side.")
            statuses.append(sent.status_code)

    posters = [threading.Thread(target=poster, args=(n,)) for n in range(4)]
    for thread in posters:
        thread.start()
    for thread in posters:
        thread.join(timeout=300)
    out, err = writer.communicate(timeout=300)

    assert writer.returncode == 0, err[-2000:]
    assert out.strip() == "wrote 150"
    assert len(statuses) == 32
    assert set(statuses) == {302}, statuses  # Each comment stored, held or shown: a redirect.
    stored = shell(env, "from comments.models import Comment; print(Comment.objects.count())")
    assert int(stored) >= 32
    assert "database is locked" not in processes[0].output()
