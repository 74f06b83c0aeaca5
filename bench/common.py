"""Running a benchmark step in a child process and measuring its time and peak memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VENV_BIN = Path(sys.executable).parent


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    output: Any


def run_child(args: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run a command, wait for it, return wall seconds, peak RSS (MB) and parsed JSON stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, env={**os.environ, **(env or {})})
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(args)} failed with status {status}")
    try:
        parsed = json.loads(out)
    except json.JSONDecodeError:
        parsed = out.decode(errors="replace")
    return Measured(seconds=seconds, peak_mb=usage.ru_maxrss / 1024, output=parsed)


def flis(*args: str) -> list[str]:
    return [str(VENV_BIN / "flis"), *args]
