"""The outbox relay: publishes committed outbox rows in order and marks them, surviving broker outages."""

import threading
from datetime import UTC, datetime

from kafka.errors import KafkaError
from sqlalchemy import Table, select, update
from sqlalchemy.engine import Engine

from shared import observe, sequence, stream_repo
from shared.events import CONTENT_TYPE, topic
from shared.kafka_clients import ensure_topics, make_producer
from shared.logging import get_logger
from shared.relay_lease import RelayLease
from shared.retrying import until_stopped
from shared.workers import Heartbeat

log = get_logger("shared.relay")


class OutboxRelay:
    """Publish-then-mark: a crash between the two re-sends a row, and consumers dedup on the event id."""

    def __init__(self, engine: Engine, outbox: Table, bootstrap: str, prefix: str, *, batch_size: int = 500,
                 idle_seconds: float = 0.05, max_backoff: float = 5.0, create_topics: bool = True, service: str = "",
                 standby_seconds: float = 1.0):
        self.engine, self.outbox, self.bootstrap, self.prefix = engine, outbox, bootstrap, prefix
        self.service = service  # the metrics' and traces' label
        self.create_topics = create_topics
        self.heartbeat = Heartbeat()
        self.batch_size, self.idle_seconds, self.max_backoff = batch_size, idle_seconds, max_backoff
        self.stop_event = threading.Event()
        self.wake_event = threading.Event()
        self._producer = None
        # One publisher per service at a time (shared.relay_lease); the others try again every standby_seconds.
        self.lease, self.standby_seconds = RelayLease(engine, service), standby_seconds

    def run(self) -> None:
        retrying = until_stopped(self.stop_event, maximum=self.max_backoff, on_retry=self._log_retry)
        while not self.stop_event.is_set():
            try:
                sent = retrying(self._step)
            except Exception:  # noqa: BLE001 - only reached once stopping; the step was retried until then
                break
            if sent == 0 and not self.lease.held:
                self.stop_event.wait(self.standby_seconds)  # a standby: commits elsewhere do not wake it
            elif sent == 0:
                self.wake_event.wait(self.idle_seconds)
                self.wake_event.clear()
        self._drop_producer()
        self.lease.release()

    def _step(self) -> int:
        self.heartbeat.tried()
        try:
            sent = self.relay_once()
            self.heartbeat.succeeded()
            observe.relay_passed(self)
            return sent
        except (KafkaError, OSError):
            self._drop_producer()  # a producer that saw the broker go away is not trusted again
            raise

    @staticmethod
    def _log_retry(exc: BaseException, wait: float) -> None:
        if isinstance(exc, (KafkaError, OSError)):
            log.warning("relay.publish_failed", error=type(exc).__name__, retry_in=round(wait, 2))
        else:
            log.error("relay.unexpected_error", error=f"{type(exc).__name__}: {str(exc)[:200]}",
                      retry_in=round(wait, 2))

    def relay_once(self) -> int:
        """Publish one batch of unpublished rows; returns how many were published."""
        producer = self._ensure_producer()
        stream_repo.assign_sequences(self.engine, self.outbox, self.batch_size)
        query = (select(self.outbox).where(self.outbox.c.published_at.is_(None), self.outbox.c.sequence.is_not(None))
                 .order_by(self.outbox.c.id))
        query = query.limit(self.batch_size)
        with self.lease.publishing() as conn:
            if conn is None:
                return 0  # another replica holds the lease
            if conn.dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = conn.execute(query).all()
            if not rows:
                return 0
            sending = observe.relay_sending()
            futures = [
                producer.send(
                    topic(self.prefix, row.topic_suffix),
                    key=row.key.encode(),
                    value=sequence.stamp(row.payload, row.sequence).encode(),
                    headers=[("content-type", CONTENT_TYPE.encode()),
                             ("correlation_id", (row.correlation_id or "").encode())],
                )
                for row in rows
            ]
            producer.flush(timeout=15)
            for future in futures:
                future.get(timeout=0)
            conn.execute(
                update(self.outbox)
                .where(self.outbox.c.id.in_([r.id for r in rows]))
                .values(published_at=datetime.now(UTC))
            )
        observe.relay_published(self, rows, sending)
        log.debug("relay.published", count=len(rows))
        return len(rows)

    def wake(self) -> None:
        self.wake_event.set()

    def stop(self) -> None:
        self.stop_event.set()
        self.wake_event.set()

    def close(self) -> None:
        """Close the producer (a relay used without run(), which closes it on the way out)."""
        self._drop_producer()

    def _ensure_producer(self):  # type: ignore[no-untyped-def]
        if self._producer is None:
            if self.create_topics:
                ensure_topics(self.bootstrap, self.prefix)
            self._producer = make_producer(self.bootstrap)
        return self._producer

    def _drop_producer(self) -> None:
        if self._producer is not None:
            try:
                self._producer.close(timeout=1)
            except Exception:  # noqa: BLE001 - a broken producer may fail to close; we replace it anyway
                pass
            self._producer = None


def replay(engine: Engine, outbox: Table, since: datetime | None = None) -> int:
    """Mark published rows for re-sending (after a broker lost its topics); consumers dedup on event id."""
    stmt = update(outbox).where(outbox.c.published_at.is_not(None))
    if since is not None:
        stmt = stmt.where(outbox.c.created_at >= since)
    with engine.begin() as conn:
        return conn.execute(stmt.values(published_at=None)).rowcount
