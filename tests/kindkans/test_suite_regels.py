"""The suite's own rules: in CI a skipped test is a failure, except a PostgreSQL-only test in the
SQLite pass (CI runs it in its PostgreSQL pass); on PostgreSQL nothing may skip. PostgreSQL-only
tests are reported as skipped on SQLite, never silently left out."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ci_forbidden_skips
from tests.diensten import redis_url_voor_worker

ROOT = Path(__file__).resolve().parents[2]


def test_on_sqlite_only_postgres_only_skips_are_allowed():
    skips = [("tests/a.py::test_pg", True), ("tests/b.py::test_chromium_missing", False)]
    assert ci_forbidden_skips(skips, on_postgres=False) == ["tests/b.py::test_chromium_missing"]


def test_on_postgres_no_skip_is_allowed():
    skips = [("tests/a.py::test_pg", True), ("tests/b.py::test_x", False)]
    assert ci_forbidden_skips(skips, on_postgres=True) == [s for s, _ in skips]


def test_ci_run_on_sqlite_reports_a_postgres_only_test_as_skipped_and_passes(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "TEST_DATABASE_")) and k != "DATABASE_URL"
    }
    env.update(CI="true", KINDKANS_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-rs",
            "tests/hulpvragen/test_benchmark_screen.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "alleen op PostgreSQL" in result.stdout


def test_tests_of_one_xdist_group_run_on_one_worker(tmp_path):
    """`make test` runs `--dist loadgroup` so that the tests sharing a costly fixture (a Celery
    worker, the built image: tests/conftest.py) run on one xdist worker. An upgrade of pytest once
    made pytest-xdist stop grouping without any error: this catches it."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_groep.py").write_text(
        textwrap.dedent(
            """
            import os
            from pathlib import Path

            import pytest

            @pytest.mark.xdist_group("samen")
            @pytest.mark.parametrize("i", range(6))
            def test_samen(i):
                uit = Path(os.environ["GROEP_UIT"]) / f"samen-{i}"
                uit.write_text(os.environ["PYTEST_XDIST_WORKER"])

            @pytest.mark.parametrize("i", range(6))
            def test_los(i):
                pass
            """
        )
    )
    uit = tmp_path / "uit"
    uit.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_"))}
    env["GROEP_UIT"] = str(uit)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-n", "2"]
        + ["--dist", "loadgroup", "test_groep.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    workers = {f.read_text() for f in uit.iterdir()}
    assert len(list(uit.iterdir())) == 6 and len(workers) == 1, workers


def test_each_xdist_worker_gets_its_own_redis_database():
    assert redis_url_voor_worker("redis://127.0.0.1:6379/12", "") == "redis://127.0.0.1:6379/12"
    assert redis_url_voor_worker("redis://127.0.0.1:6379/12", "gw0") == "redis://127.0.0.1:6379/12"
    assert redis_url_voor_worker("redis://127.0.0.1:6379/12", "gw1") == "redis://127.0.0.1:6379/13"
    assert redis_url_voor_worker("redis://h:1", "gw1") == "redis://h:1/1"
    # 14 and 15 are CI's.
    with pytest.raises(pytest.UsageError):
        redis_url_voor_worker("redis://127.0.0.1:6379/13", "gw1")


def _namen(aantal: int) -> list[str]:
    from tests.factories import LeerlingFactory

    return [
        f"{leerling.voornamen} {leerling.achternaam}"
        for leerling in LeerlingFactory.build_batch(aantal)
    ]


def test_fake_data_is_the_same_every_run_and_no_name_part_repeats_within_a_test():
    from tests.factories import seed_fake_data

    seed_fake_data(19)
    eerste = _namen(400)
    seed_fake_data(19)
    assert _namen(400) == eerste
    delen = [deel for naam in eerste for deel in naam.split(" ", 1)]
    assert len(delen) == len(set(delen)) == 800


@pytest.mark.django_db
def test_a_third_login_in_one_time_step_moves_the_clock_instead_of_waiting(world):
    """Three codes for one user within 30 s: the server takes this step's and the next step's
    code; for the third, tests/helpers.py moves the clock to the next step (a phone would show a
    fresh code there) instead of sleeping up to 30 s. The server accepts all three."""
    import time

    from accounts.services import tweede_factor_verify
    from tests.helpers import totp_code, totp_device

    device = totp_device(world.coordinator_a)
    begin = time.monotonic()
    for _ in range(3):
        code = totp_code(device)
        assert tweede_factor_verify(gebruiker=world.coordinator_a, code=code, ip=None).gelukt
    assert time.monotonic() - begin < 10
