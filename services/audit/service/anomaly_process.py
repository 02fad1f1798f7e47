"""The anomaly worker (service.anomaly_worker) in a process of its own, for PostgreSQL: its rounds then take
neither the consumer's GIL nor its core (beside the consumer thread they slowed the ledger ingest by a sixth to
a quarter, `python -m bench.run ledger`).

Seen from the worker set it is one more worker: woken after each committed batch, stopped with the others, its
heartbeat beside theirs. The wake is a byte down a pipe the parent never blocks on (a wake already pending is
enough); the heartbeat two shared doubles (time.monotonic is one clock for every process of the machine). The
child builds its own engine from the database URL, and ends after its round under way when the pipe closes:
when the service stops it, and when the service dies without stopping it, as the kernel closes a killed
process's end. A child that ends on its own is started again.
On SQLite the thread stays: the file takes one writer at a time whichever process it is in.
"""

import multiprocessing
import os
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from services.audit.domain.anomalies.engine import RuleParameters
from services.audit.domain.anomalies.standards import Standards
from services.audit.service.anomaly_worker import AnomalySweep
from shared.db import make_engine
from shared.logging import configure_logging, get_logger
from shared.workers import Heartbeat

log = get_logger("audit.anomalies")
_CONTEXT = multiprocessing.get_context("spawn")  # a fork of a process with threads and open connections is unsafe
RESTART_SECONDS = 1.0


class _SharedMoment:
    """A heartbeat's moment kept in a shared double (None until set)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, heartbeat: Any, owner: type | None = None) -> float | None:
        value = getattr(heartbeat, self.slot).value
        return None if value < 0 else value

    def __set__(self, heartbeat: Any, at: float | None) -> None:
        getattr(heartbeat, self.slot).value = -1.0 if at is None else at


class SharedHeartbeat(Heartbeat):
    """A Heartbeat whose moments live in shared memory: the child beats, the parent's health reads them."""

    tried_at = _SharedMoment()
    succeeded_at = _SharedMoment()

    def __init__(self) -> None:
        self._tried_at, self._succeeded_at = _CONTEXT.RawValue("d", -1.0), _CONTEXT.RawValue("d", -1.0)


@dataclass
class AnomalySweepProcess:
    database_url: str
    standards: Standards
    params: RuleParameters
    interval_s: float = 60.0
    env: str = "production"  # the logging configuration the child takes
    heartbeat: SharedHeartbeat = field(default_factory=SharedHeartbeat)
    worker_name = "AnomalySweep"  # in the health report, as the thread is named
    stop_event: threading.Event = field(default_factory=threading.Event)
    child: Any = None  # the process running now (multiprocessing's)
    _writer: Connection | None = None  # the write end of the running child's pipe, None when there is none
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self) -> None:
        """Keep a child running until stopped (the worker set runs this in a thread of its own)."""
        while not self.stop_event.is_set():
            reader, writer = _CONTEXT.Pipe(duplex=False)
            self.child = _CONTEXT.Process(target=_child, name="AnomalySweep", daemon=True, args=(
                self.database_url, self.standards, self.params, self.interval_s, self.env, reader, self.heartbeat))
            self.child.start()
            reader.close()
            os.set_blocking(writer.fileno(), False)
            with self._lock:
                if self.stop_event.is_set():
                    writer.close()
                else:
                    self._writer = writer
            self.child.join()
            self._close()
            if not self.stop_event.is_set():
                log.warning("audit.anomaly_process_exited", exitcode=self.child.exitcode, restart_in=RESTART_SECONDS)
                self.stop_event.wait(RESTART_SECONDS)

    def wake(self) -> None:
        with self._lock:
            if self._writer is None:
                return
            try:
                os.write(self._writer.fileno(), b"w")
            except (BlockingIOError, BrokenPipeError):  # a wake is pending already; the child is gone (restarted)
                pass

    def __call__(self) -> None:  # the consumer's after-batch hook, as the thread's
        self.wake()

    def stop(self) -> None:
        self.stop_event.set()
        self._close()

    def _close(self) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None


def _child(database_url: str, standards: Standards, params: RuleParameters, interval_s: float, env: str,
           wakes: Connection, heartbeat: SharedHeartbeat) -> None:
    configure_logging(env)
    sweep = AnomalySweep(make_engine(database_url, pool_size=2), standards, params, interval_s, heartbeat=heartbeat)
    while True:
        sweep.round()
        if wakes.poll(sweep.longest_wait) and not os.read(wakes.fileno(), 4096):
            return  # the pipe closed: the service stopped or died
