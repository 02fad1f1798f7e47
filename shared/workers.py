"""Background workers (outbox relay, consumers) run as threads beside a service, stopped together."""

import threading
from typing import Protocol

from shared.logging import get_logger

log = get_logger("shared.workers")


class Worker(Protocol):
    def run(self) -> None: ...
    def stop(self) -> None: ...


class WorkerSet:
    def __init__(self, workers: list[Worker]):
        self.workers = workers
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
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
