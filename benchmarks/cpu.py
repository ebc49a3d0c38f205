"""CPU time of processes from /proc: what a request costs the machine, web worker and PostgreSQL
backend together. Unlike latency it hardly changes with the load of a shared machine (time spent
waiting for a core is not counted), so it is the figure to compare changes by."""

from __future__ import annotations

import os

_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconden(pid: int) -> float:
    """utime + stime of one process (all its threads), in seconds; 0.0 once it has gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            velden = f.read().rsplit(b")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    # Fields 14 and 15 (utime, stime) of proc(5), counted after the ")" that ends the name.
    return (int(velden[11]) + int(velden[12])) / _TICK


def cpu_som(pids) -> float:
    return sum(cpu_seconden(pid) for pid in pids)


def kinderen(pid: int) -> list[int]:
    """The direct children of a process (gunicorn's workers under its arbiter)."""
    uit = []
    for naam in os.listdir("/proc"):
        if not naam.isdigit():
            continue
        try:
            with open(f"/proc/{naam}/stat", "rb") as f:
                velden = f.read().rsplit(b")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(velden[1]) == pid:
            uit.append(int(naam))
    return uit
