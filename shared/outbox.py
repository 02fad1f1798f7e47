"""Transactional outbox: an event row committed with the state change, relayed to Kafka afterwards."""

import functools
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table, Text, func, insert, select
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from shared import metrics, tracing
from shared.bulk import insert_many
from shared.events import TOPIC_OF_TYPE, CloudEvent
from shared.logging import current_correlation_id
from shared.stream_tables import counter_table

BULK_CHUNK = 1000  # a batch approval stages 20,001 events; a statement each thousand keeps each one modest


def outbox_table(metadata: MetaData) -> Table:
    """The outbox of one service: rows are appended in the business transaction and never deleted."""
    counter_table(metadata)  # the relay's sequence counter lives beside it
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
        Column("sequence", BigInteger),  # per topic, set by the relay when it first publishes (shared.sequence)
        Index("ix_outbox_unpublished", "id", postgresql_where=Column("published_at").is_(None)),
        # the rows the relay has still to number (shared.sequence), without scanning those it has numbered
        Index("ix_outbox_unnumbered", "id",
              postgresql_where=Column("published_at").is_(None) & Column("sequence").is_(None)),
    )


def enqueue(session: Session, outbox: Table, event: CloudEvent, key: str) -> None:
    """Stage an event in the caller's transaction; it is published only if that transaction commits."""
    # One statement per table with the values as parameters: compiled once, not rebuilt for every event.
    session.execute(_insert_into(outbox), _row(event, key, current_correlation_id(), datetime.now(UTC)))
    metrics.events_staged(session, [event])


def enqueue_many(session: Session, outbox: Table, events: Iterable[tuple[CloudEvent, str]]) -> int:
    """Stage (event, key) pairs in the caller's transaction, a thousand rows a statement (shared.bulk);
    the rows are enqueue's, so the relay cannot tell them apart. Returns how many were staged."""
    now, correlation_id = datetime.now(UTC), current_correlation_id()
    events = list(events)
    rows = [_row(event, key, correlation_id, now) for event, key in events]
    insert_many(session, outbox, rows, chunk=BULK_CHUNK)
    metrics.events_staged(session, [event for event, _ in events])
    return len(rows)


def _row(event: CloudEvent, key: str, correlation_id: str | None, created_at: datetime) -> dict:
    """The row; its payload carries the current trace context (shared.tracing) until the relay sends it."""
    return {"event_id": event.id, "topic_suffix": TOPIC_OF_TYPE[event.type], "key": key,
            "payload": tracing.with_trace_context(event).to_bytes().decode(), "correlation_id": correlation_id,
            "created_at": created_at}


def backlog(engine: Engine, outbox: Table) -> tuple[int, datetime | None]:
    """(rows not yet published, created_at of the oldest of them): the partial index answers both."""
    unpublished = outbox.c.published_at.is_(None)
    with engine.connect() as conn:
        count, oldest = conn.execute(select(func.count(), func.min(outbox.c.created_at)).where(unpublished)).one()
    if oldest is not None and oldest.tzinfo is None:  # SQLite keeps no offset; we wrote UTC
        oldest = oldest.replace(tzinfo=UTC)
    return int(count), oldest


def prune_published(engine: Engine, outbox: Table, published_before: datetime, limit: int) -> int:
    """Delete at most `limit` rows published before `published_before`, oldest first, in a transaction of
    their own; returns how many: the retention worker's (shared.retention), the only deletion of outbox rows.
    A row not yet published (or marked for re-sending) is never deleted."""
    oldest = (select(outbox.c.id).where(outbox.c.published_at.is_not(None), outbox.c.published_at < published_before)
              .order_by(outbox.c.id).limit(limit))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # rows a replay is marking meanwhile are left to the next round
            oldest = oldest.with_for_update(skip_locked=True)
        return conn.execute(delete(outbox).where(outbox.c.id.in_(oldest.scalar_subquery()))).rowcount


@functools.cache
def _insert_into(outbox: Table):  # type: ignore[no-untyped-def]
    return insert(outbox)
