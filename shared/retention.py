"""The worker that keeps the outbox and the inbox from growing without bound (docs/operations.md "Retention").

Every GRANTS_PRUNE_EVERY_SECONDS it deletes, GRANTS_PRUNE_BATCH_ROWS at a time (each batch a short
transaction of its own, so neither the relay nor a consumer waits long on it): outbox rows published more than
GRANTS_OUTBOX_RETENTION_HOURS ago (never an unpublished one), inbox records older than
GRANTS_INBOX_RETENTION_HOURS, and dead letters redriven longer ago than that. Replicas may all run it: each
batch skips the rows another holds.
"""

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Table
from sqlalchemy.engine import Engine

from shared import dead_letter_records, metrics
from shared.inbox import prune_processed
from shared.logging import get_logger
from shared.outbox import prune_published
from shared.workers import Heartbeat

log = get_logger("shared.retention")
TICK_SECONDS = 5.0  # the heartbeat's pace between rounds, well inside GRANTS_WORKER_STALE_SECONDS
RETRY_SECONDS = 30.0  # after a failed round (the database away), sooner than the schedule


class RetentionPruner:
    def __init__(self, engine: Engine, outbox: Table, inbox: Table, *, service: str, outbox_retention: timedelta,
                 inbox_retention: timedelta, every_seconds: float, batch_rows: int,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.engine, self.outbox, self.inbox, self.service = engine, outbox, inbox, service
        self.outbox_retention, self.inbox_retention = outbox_retention, inbox_retention
        self.every_seconds, self.batch_rows, self.clock = every_seconds, batch_rows, clock
        self.heartbeat = Heartbeat()
        self.stop_event = threading.Event()

    def run(self) -> None:
        due, healthy = 0.0, True  # the first round at start
        while not self.stop_event.is_set():
            self.heartbeat.tried()
            if due <= 0:
                healthy = self.prune_once() is not None
                due = self.every_seconds if healthy else min(self.every_seconds, RETRY_SECONDS)
            elif healthy:
                self.heartbeat.succeeded()  # waiting for the next round is working; a failed round is not
            wait = min(due, TICK_SECONDS)
            self.stop_event.wait(wait)
            due -= wait

    def prune_once(self) -> dict[str, int] | None:
        """One round: every table drained of what is past its retention; the rows deleted per table, or None
        when the round failed (logged; the next one retries)."""
        self.heartbeat.tried()
        now = self.clock()
        dead_letters = dead_letter_records.table_beside(self.inbox)
        steps: dict[str, Callable[[], int]] = {
            "outbox": lambda: prune_published(self.engine, self.outbox, now - self.outbox_retention, self.batch_rows),
            "processed_events": lambda: prune_processed(self.engine, self.inbox, now - self.inbox_retention,
                                                        self.batch_rows)}
        if dead_letters is not None:
            steps["dead_letters"] = lambda: dead_letter_records.prune_redriven(
                self.engine, dead_letters, now - self.inbox_retention, self.batch_rows)
        pruned = dict.fromkeys(steps, 0)
        try:
            for table, step in steps.items():
                while not self.stop_event.is_set():
                    deleted = step()
                    pruned[table] += deleted
                    metrics.rows_pruned(self.service, table, deleted)
                    if deleted < self.batch_rows:
                        break
        except Exception as exc:  # noqa: BLE001 - a failed round must not end the worker; the next one retries
            log.warning("retention.prune_failed", service=self.service, error=f"{type(exc).__name__}: {str(exc)[:200]}",
                        pruned=pruned)
            return None
        self.heartbeat.succeeded()
        if any(pruned.values()):
            log.info("retention.pruned", service=self.service, **pruned)
        return pruned

    def stop(self) -> None:
        self.stop_event.set()


def pruner_for(service: str, settings, engine: Engine, outbox: Table, inbox: Table) -> RetentionPruner:  # type: ignore[no-untyped-def]
    """The pruner a service's settings describe (shared.settings.ServiceSettings)."""
    return RetentionPruner(engine, outbox, inbox, service=service,
                           outbox_retention=timedelta(hours=settings.grants_outbox_retention_hours),
                           inbox_retention=timedelta(hours=settings.grants_inbox_retention_hours),
                           every_seconds=settings.grants_prune_every_seconds,
                           batch_rows=settings.grants_prune_batch_rows)
