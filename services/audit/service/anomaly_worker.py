"""The anomaly worker: a round (service.anomaly_sweep) whenever the consumer wakes it after a committed batch,
and at least every interval seconds, so the time-based batch check falls due without new events. A failed
round is logged and the queue stays for the next."""

import threading
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from services.audit.domain.anomalies.engine import RuleParameters
from services.audit.domain.anomalies.standards import Standards
from services.audit.service.anomaly_sweep import RoundResult, run_round
from shared.logging import get_logger
from shared.workers import Heartbeat

log = get_logger("audit.anomalies")
IDLE_SECONDS = 5.0


@dataclass
class AnomalySweep:
    """The worker: a round whenever woken (after each consumed batch) and at least every interval seconds."""

    engine: Engine
    standards: Standards
    params: RuleParameters
    interval_s: float = 60.0
    stop_event: threading.Event = field(default_factory=threading.Event)
    wake_event: threading.Event = field(default_factory=threading.Event)
    heartbeat: Heartbeat = field(default_factory=Heartbeat)

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.round()
            self.wake_event.wait(self.longest_wait)
            self.wake_event.clear()

    @property
    def longest_wait(self) -> float:
        """Between rounds when nothing wakes the worker."""
        return min(self.interval_s, IDLE_SECONDS) if self.interval_s > 0 else IDLE_SECONDS

    def round(self) -> RoundResult:
        self.heartbeat.tried()
        try:
            result = run_round(self.engine, self.standards, self.params)
            self.heartbeat.succeeded()
            return result
        except Exception:  # noqa: BLE001 - a failed round must not end the worker; the queue stays for the next
            log.exception("audit.anomaly_round_failed")
            return RoundResult()

    def wake(self) -> None:
        self.wake_event.set()

    def __call__(self) -> None:  # the consumer's after-batch hook: wake the worker, never judge in its thread
        self.wake()

    def stop(self) -> None:
        self.stop_event.set()
        self.wake_event.set()
