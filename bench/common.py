"""Helpers shared by the bench scripts: timing a command and its peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# Runs a command and reports the peak resident memory of its process tree.
_MEASURE = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "seconds = time.perf_counter() - t\n"
    "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
    "print(json.dumps({'seconds': seconds, 'rss_mb': rss, 'rc': done.returncode,"
    " 'stdout': done.stdout, 'stderr': done.stderr[-2000:]}))\n"
)


def measure(argv: list[str]) -> dict:
    """Wall seconds and peak RSS (MB) of ``argv`` run in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *argv], capture_output=True, text=True,
                         check=True)
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{argv[:3]} failed: {result['stderr']}")
    return result


def measure_best(argv: list[str], repeat: int = 3) -> dict:
    """The fastest of ``repeat`` runs (timings on a shared 2-core machine wander by 20%)."""
    return min((measure(argv) for _ in range(repeat)), key=lambda run: run["seconds"])


def timed(fn, repeat: int = 1) -> float:
    """Best of ``repeat`` wall times of ``fn()``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def row(label: str, value: str, target: str = "") -> None:
    print(f"  {label:<48} {value:>14}   {target}")
