"""The worker that signs checkpoints when they fall due (every N entries or T seconds, per fund).

Woken after each consumed batch, so the count trigger is checked as soon as entries land; otherwise it
looks again every few seconds (IDLE_SECONDS, or T if shorter), so the last entries of a quiet period
are signed without waiting for more. A failed round is logged and retried on the next.
"""

import threading

from sqlalchemy.engine import Engine

from services.audit.domain.checkpoints import Signer
from services.audit.service import checkpoints
from shared.db import unit_of_work
from shared.logging import get_logger
from shared.workers import Heartbeat

log = get_logger("audit.checkpoint_schedule")
IDLE_SECONDS = 5.0  # how often to look when only the count trigger is on


class CheckpointSchedule:
    def __init__(self, engine: Engine, signer: Signer, every_entries: int, every_seconds: float):
        self.engine, self.signer = engine, signer
        self.every_entries, self.every_seconds = every_entries, every_seconds
        self.stop_event, self.wake_event = threading.Event(), threading.Event()
        self.heartbeat = Heartbeat()

    def run(self) -> None:
        if self.every_entries <= 0 and self.every_seconds <= 0:
            self.stop_event.wait()  # on demand only: nothing to schedule, but a live worker thread all the same
            return
        # issue_due judges both triggers itself; looking at least every IDLE_SECONDS also keeps the
        # worker's heartbeat fresh for the health endpoint.
        wait = min(self.every_seconds, IDLE_SECONDS) if self.every_seconds > 0 else IDLE_SECONDS
        while not self.stop_event.is_set():
            self.round()
            self.wake_event.wait(wait)
            self.wake_event.clear()

    def round(self) -> int:
        """Sign what is due now; returns how many checkpoints were signed."""
        self.heartbeat.tried()
        try:
            with unit_of_work(self.engine) as session:
                signed = len(checkpoints.issue_due(session, self.signer, self.every_entries, self.every_seconds))
            self.heartbeat.succeeded()
            return signed
        except Exception:  # noqa: BLE001 - a failed round must not end the worker; the next one retries
            log.exception("audit.checkpoint_round_failed")
            return 0

    def wake(self) -> None:
        self.wake_event.set()

    def stop(self) -> None:
        self.stop_event.set()
        self.wake_event.set()
