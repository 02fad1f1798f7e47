"""Service processes a benchmark can look into, and the small waits and probes the larger benchmarks share.

bench.services.service yields only a URL; the batch, ledger, e2e and recon benchmarks also need the
process itself: its pid for py-spy (BENCH_PROFILE=1) and for its peak memory (VmHWM).
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench import floor_app
from shared.broker import free_port

LOGS = Path("var/bench")


@dataclass
class Proc:
    name: str
    process: subprocess.Popen
    base: str | None  # None for `grants worker`, which serves no HTTP

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def url(self) -> str:
        if self.base is None:
            raise RuntimeError(f"{self.name} runs as a worker: it serves no HTTP")
        return self.base


@contextmanager
def running(name: str, env: dict[str, str], *, command: str = "serve", workers: bool = True,
            processes: int = 1, source: Path | None = None, log_name: str | None = None) -> Iterator[Proc]:
    """`grants serve NAME` (ready once /healthz/live answers) or `grants worker NAME`; stopped on exit.

    `source`: another checkout of the project to run it from (an earlier commit's code, same virtualenv);
    `log_name`: its log's name in var/bench when it is not NAME (a second replica)."""
    port = free_port()
    # A worker's health endpoint gets a port of its own too: the default (8090) is whatever else on this machine
    # took it first, and a worker that cannot bind it exits at start.
    health_port = free_port()
    env = {**env, f"{name.upper()}_PORT": str(port), "GRANTS_WORKER_HEALTH_PORT": str(health_port),
           "GRANTS_ENV": "test"}
    args = ["-m", "cli.main", command, name]
    if command == "serve" and not workers:
        args.append("--no-workers")
    if command == "serve" and processes > 1:
        args += ["--processes", str(processes)]
    live = f"http://127.0.0.1:{port if command == 'serve' else health_port}"
    if source is not None:
        env["PYTHONPATH"] = str(source)  # ahead of the editable install's finder: that checkout's modules
    with _spawned(log_name or name, args, env, f"http://127.0.0.1:{port}" if command == "serve" else None, live,
                  cwd=source) as proc:
        yield proc


@contextmanager
def floor(database_url: str, *, processes: int) -> Iterator[Proc]:
    """The framework floor endpoint (bench.floor_app) over a database of its own, served as intake is."""
    with psycopg.connect(pg_dsn(database_url)) as conn:
        conn.execute(floor_app.DDL)
    port = free_port()
    with _spawned("floor", ["-m", "bench.floor_app", str(port), str(processes)],
                  {"BENCH_FLOOR_DATABASE_URL": database_url}, f"http://127.0.0.1:{port}",
                  f"http://127.0.0.1:{port}") as proc:
        yield proc


@contextmanager
def _spawned(name: str, args: list[str], env: dict[str, str], base: str | None, live: str,
             cwd: Path | None = None) -> Iterator[Proc]:
    LOGS.mkdir(parents=True, exist_ok=True)
    with open(LOGS / f"{name}.log", "w") as log:
        process = subprocess.Popen([sys.executable, *args], env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                                   stderr=log, cwd=cwd)
    proc = Proc(name, process, base)
    try:
        wait_for(lambda: _live(proc, live), 60, f"{name} to answer /healthz/live")
        yield proc
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextmanager
def deployed(name: str, env: dict[str, str], *, api_processes: int = 2) -> Iterator[tuple[Proc, Proc]]:
    """A service as docker-compose deploys it: `grants serve NAME --no-workers --processes N` beside
    `grants worker NAME` (relay and consumers in a process of their own, not competing with requests
    for one interpreter). Yields (api, worker)."""
    with running(name, env, workers=False, processes=api_processes) as api, \
            running(name, env, command="worker") as worker:
        yield api, worker


def _live(proc: Proc, base: str) -> bool:
    if proc.process.poll() is not None:
        raise RuntimeError(f"{proc.name} exited with {proc.process.returncode}; see {LOGS}/{proc.name}.log")
    try:
        return httpx.get(f"{base}/healthz/live", timeout=0.5).status_code == 200
    except httpx.HTTPError:
        return False


def wait_for(condition: Callable[[], bool], timeout: float, what: str, poll: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(poll)  # polling a database or a port: there is nothing to block on


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident set (VmHWM) so far, MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for pid {pid}")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


@contextmanager
def profiled(proc: Proc, label: str) -> Iterator[None]:
    """With BENCH_PROFILE=1, py-spy samples the process (all threads, idle included) over the block into
    var/bench/profile-LABEL.txt (raw collapsed stacks): the profile the report of a missed target cites."""
    if not os.environ.get("BENCH_PROFILE"):
        yield
        return
    out = LOGS / f"profile-{label}.txt"
    spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "-p", str(proc.pid), "-f", "raw",
                            "-o", str(out), "-d", "3600", "--idle", "--threads", "-r", "50"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes what it sampled when interrupted
        try:
            spy.wait(30)
        except subprocess.TimeoutExpired:
            spy.kill()


def pg_dsn(sqlalchemy_url: str) -> str:
    """psycopg's DSN for a `postgresql+psycopg://` URL (bulk loading goes through COPY, not the ORM)."""
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)


def scalar(url: str, sql: str, *params: object) -> Any:
    """One value from a query, on a connection of its own (polled while services write)."""
    with psycopg.connect(pg_dsn(url)) as conn:
        row = conn.execute(sql, params).fetchone()
    return row[0] if row else None
