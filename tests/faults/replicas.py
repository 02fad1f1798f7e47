"""Two `grants worker` processes per service on PostgreSQL, as a scaled deployment runs them, and what the
replica test reads off them: the lease each relay held (from its log lines) and the databases' counts."""

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from shared.broker import free_port

SERVICES = ("applications", "disbursement", "audit")


@dataclass
class WorkerProcess:
    service: str
    process: subprocess.Popen
    log: Path
    killed_at: float | None = None  # wall-clock seconds, as the log lines' timestamps

    def kill(self) -> None:
        self.killed_at = time.time()
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def lease_events(self) -> list[tuple[float, str]]:
        """(time, acquired | released | lost) of this process's relay, from its JSON log lines."""
        from datetime import datetime

        events = []
        for line in self.log.read_text(errors="replace").splitlines():
            if '"relay.lease_' not in line:
                continue
            try:
                record = json.loads(line)
            except ValueError:
                continue
            at = datetime.fromisoformat(record["timestamp"].replace("Z", "+00:00")).timestamp()
            events.append((at, record["event"].removeprefix("relay.lease_")))
        return events

    def lease_intervals(self, end: float) -> list[tuple[float, float]]:
        """When this relay held its service's lease; a killed process held it until it was killed."""
        intervals, since = [], None
        for at, what in self.lease_events():
            if what == "acquired":
                since = at
            elif since is not None:
                intervals.append((since, at))
                since = None
        if since is not None:
            intervals.append((since, self.killed_at or end))
        return intervals


@dataclass
class Deployment:
    workdir: Path
    env: dict[str, str]
    workers: list[WorkerProcess] = field(default_factory=list)

    def start_worker(self, service: str) -> WorkerProcess:
        n = sum(w.service == service for w in self.workers)
        log = self.workdir / f"{service}-worker-{n}.log"
        env = {**os.environ, **self.env, "GRANTS_WORKER_HEALTH_PORT": str(free_port()),
               "PYTHONPATH": str(Path.cwd())}
        with open(log, "w") as out:
            process = subprocess.Popen([sys.executable, "-m", "cli.main", "worker", service], env=env,
                                       stdout=out, stderr=subprocess.STDOUT, cwd=self.workdir)
        worker = WorkerProcess(service, process, log)
        self.workers.append(worker)
        return worker

    def of(self, service: str) -> list[WorkerProcess]:
        return [w for w in self.workers if w.service == service]

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


def scalar(url: str, sql: str):  # type: ignore[no-untyped-def]
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute(sql).fetchone()[0]


def rows(url: str, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute(sql).fetchall()


def overlapping(intervals: list[tuple[float, float, int]]) -> list[tuple]:  # type: ignore[type-arg]
    """Pairs of (start, end, holder) intervals of different holders that overlap in time."""
    return [(a, b) for i, a in enumerate(intervals) for b in intervals[i + 1:]
            if a[2] != b[2] and a[0] < b[1] and b[0] < a[1]]
