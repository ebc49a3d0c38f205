"""A real SMTP server (aiosmtpd) in this process and real Celery workers on Redis for the
notification tests. Without Redis they skip locally and fail in CI."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from kindkans.celery import app as celery_app
from tests.diensten import REDIS_URL, redis_or_skip, wait_until_worker_ready
from tests.kindkans.test_tasks import _database_url_for_worker

ROOT = Path(__file__).resolve().parents[2]
RELAY_KLAAR = re.compile(r"Task meldingen\.notificaties_doorsturen\[[^\]]+\] succeeded")


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postbus:
    """aiosmtpd handler: keeps every accepted message; refuses the next `weigeren` with 451;
    with `vasthouden` it keeps the sender waiting in DATA (to kill a worker mid-send)."""

    def __init__(self) -> None:
        self.berichten: list = []
        self.weigeren = 0
        self.geweigerd = 0
        self.vasthouden = False
        self.na_ontvangst_vasthouden = False
        self.vastgehouden = 0

    async def handle_DATA(self, server, session, envelope):
        if self.na_ontvangst_vasthouden:
            # The message is in (as after the server's acceptance), but the sender never hears
            # it: it is killed while waiting for the reply.
            self.berichten.append(message_from_bytes(envelope.content, policy=policy.default))
            self.vastgehouden += 1
            await asyncio.sleep(60)
            return "250 OK"
        if self.vasthouden:
            self.vastgehouden += 1
            await asyncio.sleep(60)
            return "451 4.3.0 Te laat (test)"
        if self.weigeren > 0:
            self.weigeren -= 1
            self.geweigerd += 1
            return "451 4.3.0 Tijdelijk niet beschikbaar (test)"
        self.berichten.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp():
    postbus = Postbus()
    controller = Controller(postbus, hostname="127.0.0.1", port=_vrije_poort())
    controller.start()
    postbus.poort = controller.port
    try:
        yield postbus
    finally:
        controller.stop()


@contextmanager
def app_sends_to(broker_url: str, queue: str):
    """Point this process's Celery app at a broker for one test (the web side of the change)."""
    keys = ("broker_url", "task_always_eager", "task_default_queue")
    saved = {key: celery_app.conf[key] for key in keys}

    def reset() -> None:
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    celery_app.conf.update(broker_url=broker_url, task_always_eager=False, task_default_queue=queue)
    reset()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        reset()


class Worker:
    def __init__(self, *, smtp: Postbus, queue: str, log: Path, beat: bool) -> None:
        self.queue, self.beat, self.smtp = queue, beat, smtp
        # One log per worker process (a test may start two): its own "ready" line and counts.
        self.log = log.with_name(f"{log.stem}-{uuid.uuid4().hex[:8]}{log.suffix}")
        self.process: subprocess.Popen | None = None
        self.database_url = _database_url_for_worker()

    def start(self) -> Worker:
        env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
        env.update(
            DJANGO_SETTINGS_MODULE="kindkans.settings",
            SECRET_KEY="worker-test-secret-" + "w" * 40,
            DEBUG="false",
            DATABASE_URL=self.database_url,
            DATABASE_POOL="false",
            REDIS_URL=REDIS_URL,
            KINDKANS_VAR_DIR=str(self.log.parent),
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.smtp.poort),
            EMAIL_USE_TLS="false",
            EMAIL_USE_SSL="false",
            EMAIL_TIMEOUT="5",
            SITE_URL="https://kindkans.example.nl",
            NOTIFICATIE_RETRY_BASIS_SECONDEN="1",
            NOTIFICATIE_RELAY_SECONDEN="1",
            NOTIFICATIE_RELAY_WACHT_SECONDEN="0",
            CELERY_TASK_DEFAULT_QUEUE=self.queue,
        )
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kindkans",
            "worker",
            "--pool=solo",
            "--queues",
            self.queue,
            "--hostname",
            f"{self.queue}-{uuid.uuid4().hex[:4]}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
        if self.beat:
            args += ["--beat", "--schedule", str(self.log.parent / f"beat-{uuid.uuid4().hex}")]
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        wait_until_worker_ready(self.process, self.log)
        return self

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        if kill:
            self.process.send_signal(signal.SIGKILL)
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def relay_runs(self) -> int:
        """How many times this worker's beat relay has finished."""
        return len(RELAY_KLAAR.findall(self.log.read_text()))

    def wait_for_relay_runs(self, aantal: int) -> None:
        """Wait until the beat relay has run `aantal` more times: each run would have sent a
        duplicate, had there been one. Counting runs rather than sleeping a fixed time keeps
        this evidence the same on a loaded machine."""
        start = self.relay_runs()
        self.wait_for(lambda: self.relay_runs() >= start + aantal)

    def wait_for(self, predicate, *, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            if self.process is not None and self.process.poll() is not None:
                pytest.fail("the worker stopped:\n" + self.log.read_text())
            time.sleep(0.2)
        pytest.fail(f"timed out after {timeout}s; worker log:\n" + self.log.read_text())


@pytest.fixture
def workers(smtp, django_db_blocker, tmp_path):
    """Start real workers (optionally with beat) on a queue of this test; stopped afterwards.
    The beat schedule sends to the default queue, so the queue is also the default for the
    worker: the test points the web side at the same queue with app_sends_to."""
    client = redis_or_skip()
    queue = f"kindkans-meldingen-{uuid.uuid4().hex[:10]}"
    started: list[Worker] = []

    def start(*, beat: bool = False) -> Worker:
        with django_db_blocker.unblock():
            worker = Worker(smtp=smtp, queue=queue, log=tmp_path / "worker.log", beat=beat)
        started.append(worker.start())
        return worker

    start.queue = queue
    start.redis = client
    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
        client.delete(queue)


@pytest.fixture
def smtp_settings(settings, smtp):
    """This process sends through the real SMTP server (eager Celery: the embedded mode)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp.poort
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://kindkans.example.nl"
    return smtp
