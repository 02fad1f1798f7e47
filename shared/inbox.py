"""The consumer's dedup record: one row per event id applied (or dead-lettered), committed with its effects."""

import hashlib
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Index, MetaData, String, Table, column, delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from shared.bulk import among, insert_many
from shared.stream_tables import stream_tables


def inbox_table(metadata: MetaData) -> Table:
    stream_tables(metadata)  # what the consumer notes to notice a lost stretch (shared.gap_detection)
    return Table(
        "processed_events",
        metadata,
        Column("event_id", String(200), primary_key=True),
        Column("consumer", String(64), primary_key=True),
        Column("payload_sha256", String(64), nullable=False),
        Column("outcome", String(16), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
        Index("ix_processed_events_processed_at", "processed_at"),  # what prune_processed reads
    )


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def claim_event(session: Session, inbox: Table, consumer: str, event_id: str, raw: bytes, outcome: str = "applied") -> bool:
    """Record the event as processed in the caller's transaction; False when it was already processed."""
    return bool(claim_events(session, inbox, consumer, [(event_id, raw)], outcome))


def claim_events(session: Session, inbox: Table, consumer: str, events: list[tuple[str, bytes]],
                 outcome: str = "applied") -> set[str]:
    """Record (event id, raw bytes) pairs as processed in one statement; returns the ids this call recorded.

    INSERT .. ON CONFLICT DO NOTHING RETURNING, so two consumers racing on one event cannot both apply it
    (on PostgreSQL the loser waits for the winner's commit, then records nothing).
    """
    if not events:
        return set()
    at = datetime.now(UTC)
    rows = [dict(event_id=event_id, consumer=consumer, payload_sha256=digest(raw), outcome=outcome, processed_at=at)
            for event_id, raw in events]
    return set(insert_many(session, inbox, rows, conflict_on=["event_id", "consumer"], returning="event_id"))


def stored_digest(session: Session, inbox: Table, consumer: str, event_id: str) -> str | None:
    return session.execute(
        select(inbox.c.payload_sha256).where(inbox.c.event_id == event_id, inbox.c.consumer == consumer)
    ).scalar_one_or_none()


def processed_ids(session: Session, inbox: Table, consumer: str, event_ids: list[str]) -> set[str]:
    """Which of these events this consumer already processed (one query for a whole batch)."""
    rows = session.execute(
        select(inbox.c.event_id).where(inbox.c.consumer == consumer, among(session, inbox.c.event_id, event_ids))
    ).scalars()
    return set(rows)


def prune_processed(engine: Engine, inbox: Table, processed_before: datetime, limit: int) -> int:
    """Delete at most `limit` records made before `processed_before`, in a transaction of their own; returns
    how many. Past that age no copy of the event can come again (docs/operations.md "Retention")."""
    with engine.begin() as conn:
        # The rows by their physical address (PostgreSQL's ctid, SQLite's rowid): a composite-key IN made
        # PostgreSQL hash-join the whole table for each batch, a cost growing with the inbox.
        address = column("ctid" if conn.dialect.name == "postgresql" else "rowid")
        oldest = select(address).select_from(inbox).where(inbox.c.processed_at < processed_before).limit(limit)
        if conn.dialect.name == "postgresql":  # a record a redrive is clearing is left to the next round
            oldest = oldest.with_for_update(skip_locked=True)
        return conn.execute(delete(inbox).where(address.in_(oldest))).rowcount


def forget_dead_letter(session: Session, inbox: Table, consumer: str, event_id: str) -> None:
    """Drop the record of an event dead-lettered, in the caller's transaction, so it can be applied again
    (shared.redrive); the record of an event applied stays."""
    session.execute(delete(inbox).where(inbox.c.event_id == event_id, inbox.c.consumer == consumer,
                                        inbox.c.outcome == "dead_lettered"))
