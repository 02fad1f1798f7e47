"""The consumer's dedup record: one row per event id applied (or dead-lettered), committed with its effects."""

import hashlib
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, MetaData, String, Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session


def inbox_table(metadata: MetaData) -> Table:
    return Table(
        "processed_events",
        metadata,
        Column("event_id", String(200), primary_key=True),
        Column("consumer", String(64), primary_key=True),
        Column("payload_sha256", String(64), nullable=False),
        Column("outcome", String(16), nullable=False),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def claim_event(session: Session, inbox: Table, consumer: str, event_id: str, raw: bytes, outcome: str = "applied") -> bool:
    """Record the event as processed in the caller's transaction; False when it was already processed.

    INSERT .. ON CONFLICT DO NOTHING, so two consumers racing on one event cannot both apply it.
    """
    values = dict(event_id=event_id, consumer=consumer, payload_sha256=digest(raw), outcome=outcome,
                  processed_at=datetime.now(UTC))
    dialect = session.get_bind().dialect.name
    ins = (pg_insert if dialect == "postgresql" else sqlite_insert)(inbox).values(**values)
    result = session.execute(ins.on_conflict_do_nothing(index_elements=["event_id", "consumer"]))
    return result.rowcount == 1


def stored_digest(session: Session, inbox: Table, consumer: str, event_id: str) -> str | None:
    return session.execute(
        select(inbox.c.payload_sha256).where(inbox.c.event_id == event_id, inbox.c.consumer == consumer)
    ).scalar_one_or_none()


def processed_ids(session: Session, inbox: Table, consumer: str, event_ids: list[str]) -> set[str]:
    """Which of these events this consumer already processed (one query for a whole batch)."""
    rows = session.execute(
        select(inbox.c.event_id).where(inbox.c.consumer == consumer, inbox.c.event_id.in_(event_ids))
    ).scalars()
    return set(rows)
