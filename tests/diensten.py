"""The Redis database of this test process, for the tests that start a real Celery worker.

TEST_REDIS_URL names the first database; under pytest-xdist worker gwN uses that database + N,
so two workers never share queues, kombu's bookkeeping of unacknowledged tasks or the cache of
their Celery workers. Without a reachable Redis those tests skip locally and fail in CI."""

from __future__ import annotations

import os
import re
import time

import pytest
import redis

# The default leaves room below the databases CI keeps for other uses (14 and 15).
STANDAARD = "redis://127.0.0.1:6379/12"


def redis_url_voor_worker(basis: str, worker: str) -> str:
    """`basis` with its database number raised by the xdist worker's index ("gw1" → +1)."""
    if not worker:
        return basis
    index = int(worker.removeprefix("gw"))
    match = re.fullmatch(r"(.*/)(\d+)", basis)
    nummer = (int(match.group(2)) if match else 0) + index
    if nummer > 13:
        raise pytest.UsageError(
            f"TEST_REDIS_URL {basis}: worker {worker} would use Redis database {nummer}, but 14 "
            "and 15 are CI's (the production smoke's and spare); choose a lower first database"
        )
    return f"{match.group(1) if match else basis.rstrip('/') + '/'}{nummer}"


REDIS_URL = redis_url_voor_worker(
    os.environ.get("TEST_REDIS_URL", STANDAARD), os.environ.get("PYTEST_XDIST_WORKER", "")
)


def redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        reason = f"Redis is niet bereikbaar op {REDIS_URL} ({exc}); zet TEST_REDIS_URL"
        if os.environ.get("CI"):
            pytest.fail(f"CI: {reason}")
        pytest.skip(reason)
    return client


def wait_until_worker_ready(process, log, *, timeout: float = 180.0) -> None:
    """Wait until a started `celery worker` says it is ready (it consumes from its queue). Its
    start (importing Django and the app) is slow on a loaded machine; the tests' own timeouts
    then measure the work, not the start. Polled every 0.2 s."""
    deadline = time.monotonic() + timeout
    while " ready." not in log.read_text(errors="replace"):
        if process.poll() is not None:
            pytest.fail("the worker stopped:\n" + log.read_text(errors="replace"))
        if time.monotonic() > deadline:
            pytest.fail(f"the worker was not ready after {timeout}s:\n" + log.read_text())
        time.sleep(0.2)
