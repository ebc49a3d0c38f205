"""The Hulpvragen screen benchmark runs end to end (seed, our list, the admin changelist) on a
tiny data set, so it cannot rot. Only on PostgreSQL: the benchmark is about PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("TEST_DATABASE_URL", "")


@pytest.mark.postgres
def test_benchmark_prints_its_table_on_a_small_data_set():
    base = PG.rsplit("/", 1)[0]
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env["BENCH_DATABASE_URL"] = f"{base}/kindkans_bench_test_{os.getpid()}"
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/hulpvragen_screen.py",
            "--hulpvragen=3000",
            "--organisaties=3",
            "--herhalingen=2",
            "--geen-drempel",
            "--opnieuw",
            "--opruimen",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for case in ("standaard sortering", "naam zoeken", "statusfilter", "diepe pagina"):
        assert case in result.stdout
