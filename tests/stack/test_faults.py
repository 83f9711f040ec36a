"""Faults survived: PostgreSQL restarted under load (503 then recovery, no stored comment lost,
the worker goes on) and Redis stopped under load (pages and posting go on)."""

import requests

from tests.stack.conftest import (
    MAKE_POST,
    STORED,
    TASKS_LEFT,
    Posters,
    free_port,
    gunicorn,
    manage,
    shell,
    site_env,
    wait_for_http,
    wait_until,
    worker,
)


def test_postgresql_restarted_while_serving(private_postgres, static_root, tmp_path, processes):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = site_env(private_postgres.url, static_root, tmp_path / "media", SITE_URL=base)
    manage(env, "migrate", "--noinput", "-v0", timeout=600)
    manage(env, "createcachetable")
    page = shell(env, MAKE_POST)
    processes.append(gunicorn(env, port, tmp_path / "web.log", workers=2, threads=4))
    task_worker = worker(env, tmp_path / "worker.log")
    processes.append(task_worker)
    wait_for_http(base + "/readyz")

    posters = Posters(base, page)
    wait_until(lambda: len(posters.answers) >= 6, what="comments before the restart")
    private_postgres.stop()
    wait_until(lambda: 503 in posters.statuses(), what="a 503 during the outage")
    assert requests.get(base + "/readyz", timeout=10).status_code == 503
    assert requests.get(base + "/healthz", timeout=10).status_code == 200
    private_postgres.start()
    # The site recovers by itself: comments are stored again.
    seen = len(posters.answers)
    wait_until(
        lambda: any(status == 302 for _, status, _ in posters.answers[seen:]),
        seconds=60,
        what="a stored comment after the restart",
    )
    posters.finish()

    assert posters.statuses() <= {302, 503}, posters.statuses()  # Never a 500.
    assert all(after == "30" for _, status, after in posters.answers if status == 503)
    stored = set(shell(env, STORED).splitlines())
    answered = {body for body, status, _ in posters.answers if status == 302}
    assert answered and answered <= stored  # No comment that was answered with success is lost.
    assert requests.get(base + "/readyz", timeout=10).status_code == 200

    # The worker outlived the restart: it is still running and takes up the new tasks.
    assert task_worker.popen.poll() is None, task_worker.output()[-3000:]
    wait_until(lambda: shell(env, TASKS_LEFT) == "0", seconds=60, what="the tasks to be done")


def test_redis_stopped_while_serving(private_redis, sqlite_site, tmp_path, processes):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**sqlite_site, "SITE_URL": base, "REDIS_URL": private_redis.url}
    env.update(COMMENTS_FLOOD_SECONDS="1", COMMENTS_RATE_LIMIT="1000")  # Limits on.
    page = shell(env, MAKE_POST)
    processes.append(gunicorn(env, port, tmp_path / "web.log", workers=1, threads=4))
    wait_for_http(base + "/readyz")

    posters = Posters(base, page, count=2)
    wait_until(lambda: len(posters.answers) >= 4, what="comments with Redis")
    private_redis.stop()
    seen = len(posters.answers)
    wait_until(lambda: len(posters.answers) >= seen + 6, what="comments without Redis")
    home = requests.get(base + "/", timeout=10)
    ready = requests.get(base + "/readyz", timeout=10)
    posters.finish()

    assert home.status_code == 200
    assert ready.status_code == 503 and "cache" in ready.text
    # Every comment after Redis went away was stored (or refused as a flood: a 429, not a 500).
    assert {status for _, status, _ in posters.answers[seen:]} <= {302, 429}
    assert 302 in {status for _, status, _ in posters.answers[seen:]}
    stored = set(shell(env, STORED).splitlines())
    assert {body for body, status, _ in posters.answers if status == 302} <= stored
