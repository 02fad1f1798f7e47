"""Transactional outbox: an event row committed with the state change, relayed to Kafka afterwards."""

import functools
import json
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table, Text, insert
from sqlalchemy.orm import Session

from shared.events import TOPIC_OF_TYPE, CloudEvent, topic
from shared.logging import current_correlation_id


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
    session.execute(_insert_into(outbox), {
        "event_id": event.id, "topic_suffix": TOPIC_OF_TYPE[event.type], "key": key,
        "payload": event.to_bytes().decode(), "correlation_id": current_correlation_id(),
        "created_at": datetime.now(UTC)})


@functools.cache
def _insert_into(outbox: Table):  # type: ignore[no-untyped-def]
    return insert(outbox)


def payload_of(row_payload: str) -> dict:
    return json.loads(row_payload)


def topic_for(prefix: str, topic_suffix: str) -> str:
    return topic(prefix, topic_suffix)
