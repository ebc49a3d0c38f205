"""kindkans.tasks.enqueue_on_commit: work is queued only when the transaction commits.

Two modes, both tested through the real machinery:
- without REDIS_URL (the test settings) Celery is eager: the task runs in-process after commit;
- with Redis: a real `celery worker` subprocess, on the same test database (a PostgreSQL test
  database, or SQLite as a file: see tests/settings.py), picks the task up after commit, and a
  rolled-back transaction never reaches the broker. Without Redis these tests skip locally and
  fail in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kindkans.celery import app as celery_app
from kindkans.tasks import enqueue_on_commit
from organisaties.models import Nieuwsbericht
from tests.diensten import REDIS_URL, redis_or_skip, wait_until_worker_ready
from tests.kindkans.celery_probe import probe_mark_processed

ROOT = Path(__file__).resolve().parents[2]


class Teruggedraaid(Exception):
    pass


def nieuw_bericht() -> Nieuwsbericht:
    return Nieuwsbericht.objects.create(
        titel="Probe", tekst="nieuw", gepubliceerd_op=timezone.now()
    )


# --- In-process (no broker) ---------------------------------------------------------------------


@pytest.mark.django_db
def test_without_redis_the_task_runs_in_process_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bericht = nieuw_bericht()
        enqueue_on_commit(probe_mark_processed, bericht.pk)
        # Not yet: the transaction has not committed.
        assert Nieuwsbericht.objects.get(pk=bericht.pk).tekst == "nieuw"
    assert len(callbacks) == 1
    assert Nieuwsbericht.objects.get(pk=bericht.pk).tekst == f"verwerkt door pid {os.getpid()}"


@pytest.mark.django_db(transaction=True)
def test_without_redis_nothing_runs_on_rollback():
    with pytest.raises(Teruggedraaid), transaction.atomic():
        bericht = nieuw_bericht()
        enqueue_on_commit(probe_mark_processed, bericht.pk)
        raise Teruggedraaid
    assert not Nieuwsbericht.objects.exists()
    # A committed call afterwards does run: the rollback did not leave a queued callback behind.
    with transaction.atomic():
        bericht = nieuw_bericht()
        enqueue_on_commit(probe_mark_processed, bericht.pk)
    assert Nieuwsbericht.objects.get().tekst.startswith("verwerkt door pid")


# --- A real worker on Redis ---------------------------------------------------------------------


def _database_url_for_worker() -> str:
    """The URL of the database this test run really uses (the test database), for the worker."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(s["NAME"])
        assert "memory" not in name, "the worker needs a file-based SQLite test database"
        return f"sqlite:///{name}"
    assert connection.vendor == "postgresql", connection.vendor
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@contextmanager
def _app_sends_to(broker_url: str, queue: str):
    """Point this process's Celery app at the real broker for one test, then restore it."""
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: celery_app.conf[key] for key in keys}

    def reset_connections() -> None:
        # Celery caches its connection pools; drop them so the new broker URL is used.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    celery_app.conf.update(broker_url=broker_url, task_always_eager=False, task_default_queue=queue)
    reset_connections()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        reset_connections()


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """One `celery -A kindkans worker` process on a queue of its own, sharing the test database."""
    client = redis_or_skip()
    queue = f"kindkans-test-{uuid.uuid4().hex[:12]}"
    with django_db_blocker.unblock():
        database_url = _database_url_for_worker()
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="kindkans.settings",
        # The same key as the web process, as in production: tokens made by the worker (the
        # password-reset link) must validate in the web process.
        SECRET_KEY=settings.SECRET_KEY,
        DEBUG="false",
        DATABASE_URL=database_url,
        DATABASE_POOL="false",
        REDIS_URL=REDIS_URL,
        KINDKANS_VAR_DIR=str(log.parent),
    )
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kindkans",
                "worker",
                "--pool=solo",
                "--queues",
                queue,
                "--include",
                "tests.kindkans.celery_probe",
                "--hostname",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_worker_ready(process, log)
        yield {"process": process, "queue": queue, "redis": client, "log": log}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        client.delete(queue)


def _wait_for(predicate, *, worker, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        if worker["process"].poll() is not None:
            pytest.fail("the worker stopped:\n" + worker["log"].read_text())
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout}s; worker log:\n" + worker["log"].read_text())


def _verwerkt(pk: int) -> str | None:
    tekst = Nieuwsbericht.objects.get(pk=pk).tekst
    return tekst if tekst.startswith("verwerkt") else None


@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_the_task_after_commit(worker):
    with _app_sends_to(REDIS_URL, worker["queue"]):
        with transaction.atomic():
            bericht = nieuw_bericht()
            enqueue_on_commit(probe_mark_processed, bericht.pk)
            # Inside the transaction nothing has been sent yet.
            assert worker["redis"].llen(worker["queue"]) == 0
        tekst = _wait_for(lambda: _verwerkt(bericht.pk), worker=worker)
    # The worker process (solo pool: the process we started) did it, not this test process.
    assert tekst == f"verwerkt door pid {worker['process'].pid}"
    assert worker["process"].pid != os.getpid()


@pytest.mark.django_db(transaction=True)
def test_real_worker_gets_nothing_on_rollback(worker):
    received_before = worker["log"].read_text().count("Task tests.probe_mark_processed[")
    with _app_sends_to(REDIS_URL, worker["queue"]):
        with pytest.raises(Teruggedraaid), transaction.atomic():
            teruggedraaid = nieuw_bericht()
            enqueue_on_commit(probe_mark_processed, teruggedraaid.pk)
            raise Teruggedraaid
        # Nothing reached the broker...
        assert worker["redis"].llen(worker["queue"]) == 0
        # ...and a task committed afterwards is processed (one at a time, in order), so the
        # worker was live and had every chance to see a message from the rolled-back transaction.
        with transaction.atomic():
            gecommit = nieuw_bericht()
            enqueue_on_commit(probe_mark_processed, gecommit.pk)
        _wait_for(lambda: _verwerkt(gecommit.pk), worker=worker)
    assert list(Nieuwsbericht.objects.values_list("pk", flat=True)) == [gecommit.pk]
    # The worker log shows exactly one more task (received + succeeded) than before this test.
    received_after = worker["log"].read_text().count("Task tests.probe_mark_processed[")
    assert received_after - received_before == 2
