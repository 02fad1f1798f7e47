"""The dead letters a service's consumers parked, kept in its database beside the inbox so they can be worked:
listed with their error (`grants deadletter list`) and sent back to be applied (`grants deadletter redrive`,
shared.redrive), each attempt recorded with who made it and when.

The dead-letter topic still gets every one (the contract's promise, what alerts and other tools read); this
table is the operator's work list. Its rows are written in the transaction that records the dead letter in
the inbox, so the two never disagree."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (BigInteger, Column, DateTime, Index, Integer, LargeBinary, MetaData, String, Table, Text, delete,
                        func, insert, select, update)
from sqlalchemy.engine import Engine, Row
from sqlalchemy.orm import Session

TABLE = "dead_letters"
OPEN, REDRIVEN = "open", "redriven"  # open: waiting for an operator; redriven: applied (or found applied) again


def dead_letter_table(metadata: MetaData) -> Table:
    return Table(
        TABLE,
        metadata,
        Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
        Column("consumer", String(64), nullable=False),
        Column("event_id", String(200)),  # NULL when the message was no CloudEvent
        Column("event_type", String(64)),
        Column("source_topic", String(249), nullable=False),
        Column("source_partition", Integer, nullable=False),
        Column("source_offset", BigInteger, nullable=False),
        Column("message_key", LargeBinary),
        Column("message_value", LargeBinary, nullable=False),
        Column("correlation_id", String(64)),
        Column("error", Text, nullable=False),
        Column("dead_lettered_at", DateTime(timezone=True), nullable=False),
        Column("status", String(16), nullable=False),
        Column("redrive_attempts", Integer, nullable=False),
        Column("redriven_at", DateTime(timezone=True)),  # the last attempt's
        Column("redriven_by", String(200)),
        Column("redrive_error", Text),  # the last failed attempt's
        Index("ix_dead_letters_status", "status", "id"),
    )


def table_beside(inbox: Table) -> Table | None:
    """The service's dead-letter table: registered on the inbox's metadata (each service's db/tables.py);
    None for a consumer without one (a test's tiny service), which then keeps only the topic copy."""
    return inbox.metadata.tables.get(TABLE)


def record(session: Session, inbox: Table, consumer: str, message: Any, event_id: str | None,
           event_type: str | None, error: str) -> None:
    """Keep a dead letter in the caller's transaction."""
    table = table_beside(inbox)
    if table is None:
        return
    headers = dict(message.headers or [])
    session.execute(insert(table).values(
        consumer=consumer, event_id=event_id, event_type=event_type, source_topic=message.topic,
        source_partition=message.partition, source_offset=message.offset, message_key=message.key,
        message_value=message.value, correlation_id=(headers.get("correlation_id") or b"").decode()[:64] or None,
        error=error[:4000], dead_lettered_at=datetime.now(UTC), status=OPEN, redrive_attempts=0))


def listed(engine: Engine, table: Table, *, include_redriven: bool = False, limit: int = 1000) -> list[Row]:
    """The dead letters, oldest first: the open ones, or all."""
    query = select(table).order_by(table.c.id).limit(limit)
    if not include_redriven:
        query = query.where(table.c.status == OPEN)
    with engine.connect() as conn:
        return list(conn.execute(query))


def open_count(engine: Engine, table: Table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(table.c.status == OPEN)).scalar_one()


def open_ids(engine: Engine, table: Table, ids: list[int] | None) -> list[int]:
    """The open dead letters among `ids` (all open ones when None), oldest first."""
    query = select(table.c.id).where(table.c.status == OPEN).order_by(table.c.id)
    if ids is not None:
        query = query.where(table.c.id.in_(ids))
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def open_ids_of_events(engine: Engine, table: Table, event_ids: list[str]) -> dict[str, list[int]]:
    """The open dead letters of these event ids (an id from a log line), by event id."""
    query = select(table.c.event_id, table.c.id).where(table.c.status == OPEN, table.c.event_id.in_(event_ids))
    found: dict[str, list[int]] = {}
    with engine.connect() as conn:
        for event_id, dead_letter_id in conn.execute(query.order_by(table.c.id)):
            found.setdefault(event_id, []).append(dead_letter_id)
    return found


def open_one(engine: Engine, table: Table, dead_letter_id: int) -> Row | None:
    with engine.connect() as conn:
        return conn.execute(select(table).where(table.c.id == dead_letter_id, table.c.status == OPEN)).one_or_none()


def lock_open(session: Session, table: Table, dead_letter_id: int) -> Row | None:
    """The dead letter, locked for this redrive, if it is still open (two operators never redrive it twice)."""
    query = select(table).where(table.c.id == dead_letter_id, table.c.status == OPEN)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.execute(query).one_or_none()


def mark_attempt(session: Session, table: Table, dead_letter_id: int, actor: str, at: datetime,
                 error: str | None) -> None:
    """Record a redrive attempt: applied (error None: the dead letter is closed) or failed again (it stays open)."""
    session.execute(update(table).where(table.c.id == dead_letter_id).values(
        status=OPEN if error is not None else REDRIVEN, redrive_attempts=table.c.redrive_attempts + 1,
        redriven_at=at, redriven_by=actor[:200], redrive_error=error[:4000] if error is not None else None))


def prune_redriven(engine: Engine, table: Table, redriven_before: datetime, limit: int) -> int:
    """Delete at most `limit` dead letters redriven before `redriven_before`; an open one is never deleted."""
    oldest = (select(table.c.id).where(table.c.status == REDRIVEN, table.c.redriven_at < redriven_before)
              .order_by(table.c.id).limit(limit))
    with engine.begin() as conn:
        return conn.execute(delete(table).where(table.c.id.in_(oldest.scalar_subquery()))).rowcount
