"""Redriving a dead letter: applying it again, once what it needed is fixed (`grants deadletter redrive`).

Each dead letter is redriven in one transaction of its own: its inbox record (outcome dead_lettered, which
would make the consumer skip it) is dropped, the event is applied by the consumer that dead-lettered it,
exactly as the loop applies one (its handlers, its inbox claim), and the attempt is recorded with who made it
and when. If applying fails again the transaction rolls back (the inbox record and every effect with it), and
the failed attempt and its error are recorded instead: the dead letter stays open. A transient failure (the
database or a dependency away) stops the redrive with nothing changed, to be run again.

Nothing goes back through Kafka: the service's Kafka user may not write to the topics it reads, and a
re-published copy would reach every other consumer group too. The inbox keeps it exactly once either way:
should the original be redelivered meanwhile, whichever claims the event id first applies it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Engine

from shared import dead_letter_records
from shared.consumer import IdempotentConsumer
from shared.db import unit_of_work
from shared.events import parse_event
from shared.inbox import forget_dead_letter
from shared.logging import get_logger

log = get_logger("shared.redrive")


@dataclass(frozen=True)
class StoredMessage:
    """A dead letter's message as the consumer reads a Kafka record."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]

    @classmethod
    def of(cls, row: Any) -> "StoredMessage":
        headers = [("correlation_id", row.correlation_id.encode())] if row.correlation_id else []
        return cls(row.source_topic, row.source_partition, row.source_offset, row.message_key, row.message_value,
                   headers)


@dataclass(frozen=True)
class Redriven:
    dead_letter_id: int
    event_id: str | None
    outcome: str  # applied | already_applied | failed | gone (redriven by someone else meanwhile)
    error: str | None = None


class Redriver:
    def __init__(self, engine: Engine, table: Table, inbox: Table, consumers: list[IdempotentConsumer]):
        self.engine, self.table, self.inbox = engine, table, inbox
        self.consumers = {consumer.spec.name: consumer for consumer in consumers}

    def redrive(self, ids: list[int] | None, actor: str) -> list[Redriven]:
        """Redrive the open dead letters among `ids` (every open one when None), oldest first. Raises the
        consumer's transient failures (after recording what was done before)."""
        return [self.redrive_one(dead_letter_id, actor)
                for dead_letter_id in dead_letter_records.open_ids(self.engine, self.table, ids)]

    def redrive_one(self, dead_letter_id: int, actor: str) -> Redriven:
        at = datetime.now(UTC)
        row = dead_letter_records.open_one(self.engine, self.table, dead_letter_id)
        if row is None:
            return Redriven(dead_letter_id, None, "gone")
        consumer = self.consumers.get(row.consumer)
        try:
            if consumer is None:
                raise LookupError(f"the service runs no consumer {row.consumer!r} now")
            message = StoredMessage.of(row)
            event = parse_event(message.value)
            if event.type not in consumer.spec.handlers:
                raise LookupError(f"consumer {row.consumer} applies no {event.type}")
            if consumer.spec.prefetch:
                consumer.spec.prefetch([event])
            with unit_of_work(self.engine) as session:
                if dead_letter_records.lock_open(session, self.table, dead_letter_id) is None:
                    return Redriven(dead_letter_id, row.event_id, "gone")
                forget_dead_letter(session, self.inbox, row.consumer, event.id)
                applied = consumer.apply_in(session, message, event)
                dead_letter_records.mark_attempt(session, self.table, dead_letter_id, actor, at, None)
        except Exception as exc:  # noqa: BLE001 - sorted below: transient stops the redrive, the rest is recorded
            if consumer is not None and isinstance(exc, consumer.spec.transient):
                raise
            error = f"{type(exc).__name__}: {exc}"
            with unit_of_work(self.engine) as session:
                dead_letter_records.mark_attempt(session, self.table, dead_letter_id, actor, at, error)
            log.warning("deadletter.redrive_failed", dead_letter_id=dead_letter_id, event_id=row.event_id,
                        consumer=row.consumer, actor=actor, error=error[:500])
            return Redriven(dead_letter_id, row.event_id, "failed", error)
        outcome = "applied" if applied else "already_applied"
        log.info("deadletter.redriven", dead_letter_id=dead_letter_id, event_id=row.event_id, consumer=row.consumer,
                 actor=actor, outcome=outcome)
        return Redriven(dead_letter_id, row.event_id, outcome)
