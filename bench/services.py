"""Real service processes for benchmarks: a broker, PostgreSQL databases, uvicorn subprocesses."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from collections.abc import Iterator
from pathlib import Path

import httpx

from shared.broker import free_port, start_broker, stop_process
from shared.migrations import upgrade_service
from tests.support import create_pg_database, drop_pg_database

LOGS = Path("var/bench")


@contextmanager
def databases(*services: str) -> Iterator[dict[str, str]]:
    created = {name: create_pg_database() for name in services}
    try:
        for name, (_, url) in created.items():
            upgrade_service(name, url)
        yield {name: url for name, (_, url) in created.items()}
    finally:
        for db_name, _ in created.values():
            drop_pg_database(db_name)


@contextmanager
def broker() -> Iterator[str]:
    port = free_port()
    proc = start_broker(port)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        stop_process(proc)


@contextmanager
def service(name: str, env: dict[str, str], workers: bool = True, processes: int = 1) -> Iterator[str]:
    """One service in its own process (as `grants serve` runs it); yields its base URL once ready."""
    LOGS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, **env, f"{name.upper()}_PORT": str(port), "GRANTS_ENV": "test"}
    args = [sys.executable, "-m", "cli.main", "serve", name, "--processes", str(processes)] + ([] if workers else ["--no-workers"])
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=open(LOGS / f"{name}.log", "w"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz/live", timeout=0.5).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
