"""The idempotent consumer loop: dedup on event id in the consumer's database, offsets after the commit,
poison messages to the dead-letter topic, consumption continues."""

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

import structlog
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata, TopicPartition
from sqlalchemy import Table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from shared.db import unit_of_work
from shared.events import CloudEvent, parse_event, topic
from shared.inbox import claim_event, stored_digest
from shared.kafka_clients import ensure_topics, make_consumer, make_producer
from shared.logging import bind_correlation_id, get_logger

log = get_logger("shared.consumer")

Handler = Callable[[Session, CloudEvent], None]


class _AppliedElsewhere(Exception):
    """Another consumer instance recorded this event first; our transaction is rolled back."""


class RetryLater(Exception):
    """A transient failure (a dependency is down): the message is retried, never dead-lettered."""


@dataclass
class ConsumerSpec:
    name: str
    group_id: str
    topic_suffixes: list[str]
    handlers: dict[str, Handler]
    on_batch_committed: Callable[[], None] | None = None
    transient: tuple[type[BaseException], ...] = field(default=(OperationalError, RetryLater))


class IdempotentConsumer:
    def __init__(self, engine: Engine, inbox: Table, spec: ConsumerSpec, bootstrap: str, prefix: str):
        self.engine, self.inbox, self.spec, self.bootstrap, self.prefix = engine, inbox, spec, bootstrap, prefix
        self.stop_event = threading.Event()
        self._consumer = None
        self._dlq = None

    def run(self) -> None:
        backoff = 0.2
        while not self.stop_event.is_set():
            try:
                self._connect()
                self.poll_once()
                backoff = 0.2
            except (KafkaError, OSError) as exc:
                log.warning("consumer.broker_unavailable", consumer=self.spec.name, error=type(exc).__name__)
                self._disconnect()
                self.stop_event.wait(backoff)
                backoff = min(backoff * 2, 5.0)
        self._disconnect()

    def poll_once(self, timeout_ms: int = 200) -> int:
        """Process one poll's worth of messages; returns how many were handled."""
        batch = self._consumer.poll(timeout_ms=timeout_ms)
        handled = 0
        for tp, messages in batch.items():
            for message in messages:
                try:
                    self.process(message)
                except self.spec.transient as exc:
                    log.warning("consumer.retry_later", consumer=self.spec.name, error=str(exc)[:200])
                    self._consumer.seek(tp, message.offset)
                    self._commit(tp, message.offset)
                    self.stop_event.wait(0.5)
                    return handled
                handled += 1
                self.after_apply(message)
            self._commit(tp, messages[-1].offset + 1)
        if handled and self.spec.on_batch_committed:
            self.spec.on_batch_committed()
        return handled

    def process(self, message) -> None:  # type: ignore[no-untyped-def]
        headers = dict(message.headers or [])
        structlog.contextvars.clear_contextvars()
        bind_correlation_id((headers.get("correlation_id") or b"").decode() or None)
        try:
            event = parse_event(message.value)
        except ValueError as exc:
            self.dead_letter(message, exc)
            return
        handler = self.spec.handlers.get(event.type)
        if handler is None:
            return
        structlog.contextvars.bind_contextvars(event_id=event.id, event_type=event.type)
        try:
            with unit_of_work(self.engine) as session:
                if stored_digest(session, self.inbox, self.spec.name, event.id) is not None:
                    log.info("consumer.duplicate_skipped", consumer=self.spec.name)
                    return
                handler(session, event)
                # Recorded after the handler so no write lock is held while it works; a concurrent twin that
                # committed first makes this insert a no-op, and rolling back discards our duplicate effects.
                if not claim_event(session, self.inbox, self.spec.name, event.id, message.value):
                    raise _AppliedElsewhere()
        except _AppliedElsewhere:
            log.info("consumer.duplicate_skipped", consumer=self.spec.name)
        except self.spec.transient:
            raise
        except Exception as exc:  # noqa: BLE001 - any other failure makes this message poison
            self.dead_letter(message, exc)
            with unit_of_work(self.engine) as session:
                claim_event(session, self.inbox, self.spec.name, event.id, message.value, outcome="dead_lettered")

    def after_apply(self, message) -> None:  # type: ignore[no-untyped-def]
        """Runs after a message's database commit and before its offset commit (the window a crash exposes)."""

    def dead_letter(self, message, exc: BaseException) -> None:  # type: ignore[no-untyped-def]
        log.error("consumer.dead_lettered", consumer=self.spec.name, topic=message.topic,
                  partition=message.partition, offset=message.offset, error=f"{type(exc).__name__}: {exc}"[:500])
        headers = [
            ("error", f"{type(exc).__name__}: {exc}"[:2000].encode()),
            ("error_trace", "".join(traceback.format_exception_only(exc))[:2000].encode()),
            ("consumer", self.spec.name.encode()),
            ("original_topic", message.topic.encode()),
            ("original_partition", str(message.partition).encode()),
            ("original_offset", str(message.offset).encode()),
        ]
        if self._dlq is None:
            self._dlq = make_producer(self.bootstrap)
        self._dlq.send(topic(self.prefix, "deadletter.v1"), key=message.key, value=message.value, headers=headers)
        self._dlq.flush(timeout=15)

    def stop(self) -> None:
        self.stop_event.set()

    def _commit(self, tp: TopicPartition, next_offset: int) -> None:
        self._consumer.commit({tp: OffsetAndMetadata(next_offset, "", -1)})

    def _connect(self) -> None:
        if self._consumer is None:
            ensure_topics(self.bootstrap, self.prefix)
            topics = [topic(self.prefix, s) for s in self.spec.topic_suffixes]
            self._consumer = make_consumer(self.bootstrap, self.spec.group_id, topics)

    def _disconnect(self) -> None:
        for client in (self._consumer, self._dlq):
            if client is not None:
                try:
                    client.close()
                except Exception:  # noqa: BLE001 - closing a client of a dead broker may fail; it is dropped anyway
                    pass
        self._consumer = self._dlq = None
