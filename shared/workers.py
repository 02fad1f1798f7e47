"""Background workers (outbox relay, consumers) run as threads beside a service, stopped together."""

import threading
import time
from typing import Protocol

from shared.logging import get_logger

log = get_logger("shared.workers")


class Heartbeat:
    """When a worker's loop last tried a step, and when one last succeeded (a poll, a relay pass): a thread
    that is alive but stuck stops trying; one that tries but fails (a dependency is down) stops succeeding."""

    def __init__(self) -> None:
        self.tried_at: float | None = None
        self.succeeded_at: float | None = None

    def tried(self) -> None:
        self.tried_at = time.monotonic()

    def succeeded(self) -> None:
        self.succeeded_at = time.monotonic()


class Worker(Protocol):
    heartbeat: Heartbeat

    def run(self) -> None: ...
    def stop(self) -> None: ...


def worker_name(worker: Worker) -> str:
    spec = getattr(worker, "spec", None)
    return spec.name if spec is not None else getattr(worker, "worker_name", type(worker).__name__)


class WorkerSet:
    def __init__(self, workers: list[Worker]):
        self.workers = workers
        self.threads: list[threading.Thread] = []
        self.started_at: float | None = None

    def start(self) -> None:
        self.started_at = time.monotonic()
        for worker in self.workers:
            thread = threading.Thread(target=worker.run, name=type(worker).__name__, daemon=True)
            thread.start()
            self.threads.append(thread)

    def stop(self, timeout: float = 8.0) -> None:
        for worker in self.workers:
            worker.stop()
        for thread in self.threads:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("workers.stop_timeout", worker=thread.name)

    def health(self, stale_seconds: float) -> tuple[bool, bool, list[dict]]:
        """(live, working, per-worker detail). Live: every thread runs and has tried a step within
        stale_seconds (the first one counts from the start). Working: live, and every worker has also
        succeeded within stale_seconds (a consumer polled, the relay made a pass)."""
        now = time.monotonic()
        start = self.started_at if self.started_at is not None else now

        def age(at: float | None) -> float | None:
            return None if at is None else round(now - at, 3)

        details, live, working = [], bool(self.threads), bool(self.threads)
        for worker, thread in zip(self.workers, self.threads):
            beat = worker.heartbeat
            trying = thread.is_alive() and now - (beat.tried_at or start) <= stale_seconds
            ok = trying and beat.succeeded_at is not None and now - beat.succeeded_at <= stale_seconds
            live, working = live and trying, working and ok
            details.append({"worker": worker_name(worker), "thread_alive": thread.is_alive(), "live": trying,
                            "last_try_seconds_ago": age(beat.tried_at),
                            "last_success_seconds_ago": age(beat.succeeded_at)})
        return live, working, details
