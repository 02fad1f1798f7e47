"""Transactional outbox: an event row committed with the state change, relayed to Kafka afterwards."""

import functools
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table, Text, insert
from sqlalchemy.orm import Session

from shared.bulk import insert_many
from shared.events import TOPIC_OF_TYPE, CloudEvent
from shared.logging import current_correlation_id

BULK_CHUNK = 1000  # a batch approval stages 20,001 events; a statement each thousand keeps each one modest


def outbox_table(metadata: MetaData) -> Table:
    """The outbox of one service: rows are appended in the business transaction and never deleted."""
    return Table(
        "outbox",
        metadata,
        Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("topic_suffix", String(64), nullable=False),
        Column("key", String(200), nullable=False),
        Column("payload", Text, nullable=False),
        Column("correlation_id", String(64)),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True)),
        Index("ix_outbox_unpublished", "id", postgresql_where=Column("published_at").is_(None)),
    )


def enqueue(session: Session, outbox: Table, event: CloudEvent, key: str) -> None:
    """Stage an event in the caller's transaction; it is published only if that transaction commits."""
    # One statement per table with the values as parameters: compiled once, not rebuilt for every event.
    session.execute(_insert_into(outbox), _row(event, key, current_correlation_id(), datetime.now(UTC)))


def enqueue_many(session: Session, outbox: Table, events: Iterable[tuple[CloudEvent, str]]) -> int:
    """Stage (event, key) pairs in the caller's transaction, a thousand rows a statement (shared.bulk);
    the rows are enqueue's, so the relay cannot tell them apart. Returns how many were staged."""
    now, correlation_id = datetime.now(UTC), current_correlation_id()
    rows = [_row(event, key, correlation_id, now) for event, key in events]
    insert_many(session, outbox, rows, chunk=BULK_CHUNK)
    return len(rows)


def _row(event: CloudEvent, key: str, correlation_id: str | None, created_at: datetime) -> dict:
    return {"event_id": event.id, "topic_suffix": TOPIC_OF_TYPE[event.type], "key": key,
            "payload": event.to_bytes().decode(), "correlation_id": correlation_id, "created_at": created_at}


@functools.cache
def _insert_into(outbox: Table):  # type: ignore[no-untyped-def]
    return insert(outbox)
