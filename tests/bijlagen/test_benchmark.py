"""The memory benchmark is part of the suite: a 10 MB upload through the real view stays within
5 MB of peak Python allocation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_upload_memory_benchmark_stays_within_budget():
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    result = subprocess.run(
        [sys.executable, "benchmarks/bijlage_upload_geheugen.py"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "10 MB PDF (exactly the limit)" in result.stdout
