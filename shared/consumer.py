"""The idempotent consumer loop: dedup on event id in the consumer's database, offsets after the commit,
poison messages to the dead-letter topic, consumption continues.

A polled batch is applied in one transaction (one commit, not one per message). If anything in it fails,
the transaction rolls back and the batch is applied again one message at a time, which isolates the poison.
A spec's batch_handler, if set, takes all of a batch's new events at once (set-based writes); otherwise each
event goes to its type's handler in turn."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import structlog
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata
from sqlalchemy import Table
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from shared import dead_letter_records, observe
from shared.db import unit_of_work
from shared.deadletter import DeadLetters
from shared.events import CloudEvent, parse_event, topic
from shared.gap_detection import watch_for
from shared.inbox import claim_event, claim_events, processed_ids
from shared.kafka_clients import ensure_topics, make_consumer
from shared.logging import bind_correlation_id, get_logger
from shared.retrying import until_stopped
from shared.workers import Heartbeat

log = get_logger("shared.consumer")

Handler = Callable[[Session, CloudEvent], None]
BatchHandler = Callable[[Session, list[CloudEvent]], None]


# The messages of the events a batch handler is working on, so it can log and stage under each one's context.
_deliveries: ContextVar[dict[int, Any]] = ContextVar("deliveries", default={})


@contextmanager
def bound_delivery(event: CloudEvent | None) -> Iterator[None]:
    """Inside a batch handler: while handling this event, log lines and outbox rows carry its correlation id
    and event id, as they do for a per-event handler. Outside one (or for None) it changes nothing."""
    message = _deliveries.get().get(id(event)) if event is not None else None
    if message is None:
        yield
        return
    outer = structlog.contextvars.get_contextvars()
    IdempotentConsumer._bind(message, event)
    try:
        with observe.handling(event):
            yield
    finally:
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(**outer)


class RetryLater(Exception):
    """A transient failure (a dependency is down): the message is retried, never dead-lettered."""


class _StoppedAt(Exception):
    """Applying a polled batch stopped at the record at `offset` (those before it are applied) because of
    `cause`, a transient failure."""

    def __init__(self, offset: int, cause: BaseException):
        super().__init__(offset)
        self.offset, self.cause = offset, cause


class _AppliedElsewhere(Exception):
    """Another consumer instance recorded an event of this batch first; our transaction is rolled back."""


@dataclass
class ConsumerSpec:
    name: str
    group_id: str
    topic_suffixes: list[str]
    handlers: dict[str, Handler]  # the event types consumed, and each one's handler
    # Applies a batch's new events (in arrival order, each id once) instead of the per-type handlers.
    batch_handler: BatchHandler | None = None
    # Called with a batch's events before its transaction opens (e.g. to fetch what handlers need in bulk).
    prefetch: Callable[[list[CloudEvent]], None] | None = None
    on_batch_committed: Callable[[], None] | None = None
    transient: tuple[type[BaseException], ...] = field(default=(OperationalError, RetryLater))
    # A poll's records and one partition's fetch: a batch is at most the smaller of the two.
    max_poll_records: int = 500
    max_partition_fetch_bytes: int = 1 << 20


class IdempotentConsumer:
    def __init__(self, engine: Engine, inbox: Table, spec: ConsumerSpec, bootstrap: str, prefix: str, *,
                 create_topics: bool = True):
        self.engine, self.inbox, self.spec, self.bootstrap, self.prefix = engine, inbox, spec, bootstrap, prefix
        self.create_topics = create_topics
        self.heartbeat = Heartbeat()
        self.stop_event = threading.Event()
        self.dead_letters = DeadLetters(bootstrap, prefix, spec.name)
        self.watch = watch_for(engine, inbox, spec, prefix)  # notices a lost stretch (shared.gap_detection)
        self._consumer = None

    def run(self) -> None:
        retrying = until_stopped(self.stop_event, on_retry=self._log_retry)
        while not self.stop_event.is_set():
            try:
                retrying(self._step)
            except Exception:  # noqa: BLE001 - only reached once stopping; the step was retried until then
                break
        self._disconnect()

    def _step(self) -> None:
        self.heartbeat.tried()
        self._connect()
        try:
            self.poll_once()
            observe.consumer_polled(self)
            if self.watch is not None:
                self.watch.maybe_check(self._consumer)
        except self.spec.transient:
            raise  # the polled partitions were sought back; the same consumer retries them
        except Exception:
            # Broker trouble or a failure we did not foresee: a new consumer resumes from the committed
            # offsets, which only ever cover what was applied or dead-lettered.
            self._disconnect()
            raise

    def _log_retry(self, exc: BaseException, wait: float) -> None:
        event = ("consumer.retry_later" if isinstance(exc, self.spec.transient)
                 else "consumer.broker_unavailable" if isinstance(exc, (KafkaError, OSError))
                 else "consumer.unexpected_error")
        log.warning(event, consumer=self.spec.name, error=f"{type(exc).__name__}: {str(exc)[:200]}",
                    retry_in=round(wait, 2))

    def poll_once(self, timeout_ms: int = 200) -> int:
        """Apply one poll's worth of messages, partition by partition; returns how many were handled.

        The poll moved the position of every partition it returned records of. If applying stops part-way,
        each partition not wholly applied is sought back to its first record not applied, so the next poll
        returns it again (re-applied records are skipped by the inbox), and the failure is raised."""
        pending = list(self._consumer.poll(timeout_ms=timeout_ms).items())
        self.heartbeat.succeeded()
        handled = 0
        try:
            while pending:
                tp, messages = pending[0]
                parsed = self.apply_batch(messages)
                if self.watch is not None:
                    self.watch.record(messages, parsed)
                for message in messages:
                    self.after_apply(message)
                self._consumer.commit({tp: OffsetAndMetadata(messages[-1].offset + 1, "", -1)})
                handled += len(messages)
                pending.pop(0)
        except _StoppedAt as stopped:
            self._seek_back(pending, first_offset=stopped.offset)
            raise stopped.cause from None
        except BaseException:
            self._seek_back(pending)
            raise
        finally:
            if handled and self.spec.on_batch_committed:
                self.spec.on_batch_committed()
        return handled

    def _seek_back(self, pending: list, first_offset: int | None = None) -> None:  # type: ignore[type-arg]
        try:
            for i, (tp, messages) in enumerate(pending):
                self._consumer.seek(tp, first_offset if i == 0 and first_offset is not None else messages[0].offset)
        except Exception:  # noqa: BLE001 - a partition revoked meanwhile: a new consumer starts from the commits
            log.warning("consumer.seek_failed", consumer=self.spec.name)
            self._disconnect()

    def process(self, message) -> None:  # type: ignore[no-untyped-def]
        """Apply a single message on its own (tests, tools); the loop applies whole batches."""
        event = self._parse(message)
        if event is not None and event.type in self.spec.handlers:
            if self.spec.prefetch:
                self.spec.prefetch([event])
            self.apply_one(message, event)

    def apply_batch(self, messages: list) -> list[CloudEvent | None]:
        """Apply a partition's polled messages; returns each one's event as read (None: poison, dead-lettered)."""
        parsed = [self._parse(message) for message in messages]
        events = [(m, e) for m, e in zip(messages, parsed) if e is not None and e.type in self.spec.handlers]
        if events:
            with observe.consuming(self, [e for _, e in events]):  # one span: the prefetch and the transaction
                self._prefetch_and_apply(messages, events)
        return parsed

    def _prefetch_and_apply(self, messages: list, events: list) -> None:  # type: ignore[type-arg]
        if self.spec.prefetch:
            self.spec.prefetch([e for _, e in events])
        try:
            with unit_of_work(self.engine) as session:
                applied = self._apply(session, events)
            observe.events_applied(self, applied)
        except self.spec.transient as exc:
            raise _StoppedAt(messages[0].offset, exc) from exc
        except Exception:  # noqa: BLE001 - retried one by one below, where a poison message is isolated
            for message, event in events:
                try:
                    self.apply_one(message, event)
                except self.spec.transient as exc:
                    raise _StoppedAt(message.offset, exc) from exc

    def apply_one(self, message, event: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        try:
            with observe.consuming(self, [event]), unit_of_work(self.engine) as session:
                applied = self._apply(session, [(message, event)])
            observe.events_applied(self, applied)
        except self.spec.transient:
            raise
        except _AppliedElsewhere:
            log.info("consumer.duplicate_skipped", consumer=self.spec.name, event_id=event.id)
        except Exception as exc:  # noqa: BLE001 - any other failure makes this message poison
            self.dead_letters.send(message, exc)
            observe.dead_lettered(self, event)
            with unit_of_work(self.engine) as session:
                claim_event(session, self.inbox, self.spec.name, event.id, message.value, outcome="dead_lettered")
                dead_letter_records.record(session, self.inbox, self.spec.name, message, event.id, event.type,
                                           f"{type(exc).__name__}: {exc}")

    def apply_in(self, session: Session, message, event: CloudEvent) -> bool:  # type: ignore[no-untyped-def]
        """Apply one event in the caller's transaction (a dead letter's redrive, shared.redrive); False when
        this consumer had applied it already."""
        return bool(self._apply(session, [(message, event)]))

    def _apply(self, session: Session, events: list) -> list[CloudEvent]:  # type: ignore[type-arg]
        """Apply the events not applied before; returns those (the duplicates are skipped)."""
        done = processed_ids(session, self.inbox, self.spec.name, [e.id for _, e in events])
        new, again = [], []
        for message, event in events:
            (again if event.id in done else new).append((message, event))
            done.add(event.id)
        if self.spec.batch_handler is not None:
            if len(new) == 1:  # an event on its own (poison isolation, tools): its context as usual
                self._bind(*new[0])
            else:
                structlog.contextvars.clear_contextvars()
            if new:
                token = _deliveries.set({id(event): message for message, event in new})
                try:
                    self.spec.batch_handler(session, [event for _, event in new])
                finally:
                    _deliveries.reset(token)
        else:
            for message, event in new:
                self._bind(message, event)
                with observe.handling(event):
                    self.spec.handlers[event.type](session, event)
        # Recorded after the handlers so no write lock is held while they work; a concurrent twin that
        # committed first makes these inserts no-ops, and rolling back discards our duplicate effects.
        claimed = claim_events(session, self.inbox, self.spec.name, [(e.id, m.value) for m, e in new])
        if len(claimed) != len(new):
            raise _AppliedElsewhere()
        for message, event in again:  # after the claims: a repeat within the batch compares with its first copy
            self.on_duplicate(session, message, event)
        return [event for _, event in new]

    def _parse(self, message) -> CloudEvent | None:  # type: ignore[no-untyped-def]
        try:
            return parse_event(message.value)
        except ValueError as exc:
            self._bind(message, None)
            self.dead_letters.send(message, exc)
            observe.dead_lettered(self, None)
            with unit_of_work(self.engine) as session:
                dead_letter_records.record(session, self.inbox, self.spec.name, message, None, None,
                                           f"{type(exc).__name__}: {exc}")
            return None

    @staticmethod
    def _bind(message, event: CloudEvent | None) -> None:  # type: ignore[no-untyped-def]
        structlog.contextvars.clear_contextvars()
        bind_correlation_id((dict(message.headers or []).get("correlation_id") or b"").decode() or None)
        if event is not None:
            structlog.contextvars.bind_contextvars(event_id=event.id, event_type=event.type)

    def on_duplicate(self, session: Session, message, event: CloudEvent) -> None:  # type: ignore[no-untyped-def]
        """An event id already applied (earlier, or earlier in this batch) came again; it is skipped.
        Runs in the batch's transaction (the audit compares the payloads here)."""

    def after_apply(self, message) -> None:  # type: ignore[no-untyped-def]
        """Runs after a message's database commit and before its offset commit (the window a crash exposes)."""

    def stop(self) -> None:
        self.stop_event.set()

    def _connect(self) -> None:
        if self._consumer is None:
            if self.create_topics:
                ensure_topics(self.bootstrap, self.prefix)
            topics = [topic(self.prefix, s) for s in self.spec.topic_suffixes]
            self._consumer = make_consumer(self.bootstrap, self.spec.group_id, topics,
                                           max_poll_records=self.spec.max_poll_records,
                                           max_partition_fetch_bytes=self.spec.max_partition_fetch_bytes)

    def _disconnect(self) -> None:
        if self._consumer is not None:
            try:
                self._consumer.close()
            except Exception:  # noqa: BLE001 - closing a client of a dead broker may fail; it is dropped anyway
                pass
        self._consumer = None
        self.dead_letters.close()
