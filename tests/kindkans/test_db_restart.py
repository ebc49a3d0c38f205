"""A PostgreSQL restart costs nobody an error once the server is back.

The web process as in production (gunicorn, psycopg pool on) serves the test database; the test
ends every connection that process holds (`pg_terminate_backend`, what a restart does to them)
and then requests pages: none fails. Without the pool's check on checkout the first request after
the restart got a dead connection and answered 500.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.helpers import login
from tests.kindkans.test_tasks import _database_url_for_worker

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def web(tmp_path):
    """gunicorn with the pool on, one worker, its connections named for pg_stat_activity."""
    naam = f"kindkans-pool-{uuid.uuid4().hex[:8]}"
    port = _free_port()
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        # The test settings (no collectstatic needed) on the production database set-up: the
        # test database itself, the pool on as in production.
        DJANGO_SETTINGS_MODULE="tests.settings",
        SECRET_KEY=settings.SECRET_KEY,
        TEST_DATABASE_URL=_database_url_for_worker() + f"?application_name={naam}",
        DATABASE_POOL="true",
        KINDKANS_VAR_DIR=str(tmp_path),
    )
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "kindkans.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    # gunicorn's start (importing Django) is slow on a loaded machine: poll, with a generous limit.
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(url + "/gezond/", timeout=5)
            break
        except OSError:  # refused, reset, or timed out while it starts
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("gunicorn did not start:\n" + log.read_text())
            time.sleep(0.3)
    try:
        yield {"url": url, "naam": naam, "log": log}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _backends(naam: str) -> int:
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [naam])
        return c.fetchone()[0]


def _terminate(naam: str) -> int:
    with connection.cursor() as c:
        c.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = %s",
            [naam],
        )
        n = c.fetchone()[0]
    deadline = time.monotonic() + 10
    while _backends(naam) and time.monotonic() < deadline:
        time.sleep(0.1)
    return n


def _get(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_pages_answer_after_the_apps_connections_were_terminated(web, client, world):
    login(client, world.coordinator_a)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    paginas = ["/gezond/", "/inloggen/", "/", f"/hulpvragen/{world.hv_a_ingediend.pk}/"]
    for pad in paginas:
        assert _get(web["url"] + pad, cookie) == 200, pad
    assert _backends(web["naam"]) >= 1

    for ronde in range(3):
        assert _terminate(web["naam"]) >= 1, ronde
        for pad in paginas * 2:
            assert _get(web["url"] + pad, cookie) == 200, (ronde, pad, web["log"].read_text())
