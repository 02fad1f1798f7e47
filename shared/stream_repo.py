"""Every query of lost-stretch detection (shared.sequence, shared.gap_detection, shared.stream_control):
the producer's numbering and replay marking, the consumer's notes of what it received, and its breaks."""

import json
from collections import defaultdict
from datetime import datetime

from sqlalchemy import Table, bindparam, delete, func, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from shared.bulk import insert_many
from shared.db import unit_of_work
from shared.stream_tables import StreamTables, counter_table_of

_LOCK_KEY = 0x5E90E7CE  # pg_advisory_xact_lock key of "numbering outbox rows" (any relay of this database)


# --- producer side ---

def assign_sequences(engine: Engine, outbox: Table, limit: int) -> int:
    """Number the next `limit` unpublished rows still without a sequence, per topic in id order; returns
    how many were numbered. Serialised across relays by a transaction-scoped lock (shared.sequence)."""
    counters = counter_table_of(outbox.metadata)
    waiting_rows = (select(outbox.c.id, outbox.c.topic_suffix)
                    .where(outbox.c.published_at.is_(None), outbox.c.sequence.is_(None))
                    .order_by(outbox.c.id).limit(limit))
    with unit_of_work(engine) as session:
        waiting = session.execute(waiting_rows).all()
        if not waiting:
            return 0
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            waiting = session.execute(waiting_rows).all()  # again under the lock: another relay may have been first
            if not waiting:
                return 0
        topics = sorted({row.topic_suffix for row in waiting})
        insert_many(session, counters, [{"topic_suffix": t, "last_sequence": 0} for t in topics],
                    conflict_on=["topic_suffix"])
        last = dict(session.execute(select(counters.c.topic_suffix, counters.c.last_sequence)
                                    .where(counters.c.topic_suffix.in_(topics))).all())
        numbered = []
        for row in waiting:
            last[row.topic_suffix] += 1
            numbered.append({"_id": row.id, "_sequence": last[row.topic_suffix]})
        if session.get_bind().dialect.name == "postgresql":  # one statement, the numbers as one JSON document
            session.execute(text(f"UPDATE {outbox.name} SET sequence = v.n FROM json_to_recordset(CAST(:rows AS json)) "
                                 f"AS v(id bigint, n bigint) WHERE {outbox.name}.id = v.id"),
                            {"rows": json.dumps([{"id": r["_id"], "n": r["_sequence"]} for r in numbered])})
        else:
            session.execute(update(outbox).where(outbox.c.id == bindparam("_id"))
                            .values(sequence=bindparam("_sequence")).execution_options(synchronize_session=False),
                            numbered)
        session.execute(update(counters).where(counters.c.topic_suffix == bindparam("_topic"))
                        .values(last_sequence=bindparam("_last")).execution_options(synchronize_session=False),
                        [{"_topic": t, "_last": n} for t, n in last.items()])
    return len(numbered)


def mark_for_replay(session: Session, outbox: Table, topic_suffix: str, from_sequence: int) -> tuple[int, int | None]:
    """Have the relay re-send this topic's events from `from_sequence` on (consumers dedup on event id).
    Returns (the topic's last sequence handed out, the first sequence still kept from there, None if none)."""
    counters = counter_table_of(outbox.metadata)
    session.execute(update(outbox).where(outbox.c.topic_suffix == topic_suffix, outbox.c.sequence >= from_sequence,
                                         outbox.c.published_at.is_not(None)).values(published_at=None)
                    .execution_options(synchronize_session=False))
    last = session.execute(select(counters.c.last_sequence).where(counters.c.topic_suffix == topic_suffix)
                           ).scalar_one_or_none()
    first_kept = session.execute(select(func.min(outbox.c.sequence)).where(
        outbox.c.topic_suffix == topic_suffix, outbox.c.sequence >= from_sequence)).scalar_one_or_none()
    return int(last or 0), first_kept


# --- consumer side ---

def note_received(session: Session, t: StreamTables, consumer: str, topic_suffix: str,
                  seen: list[tuple[str, int]]) -> None:
    insert_many(session, t.seen, [dict(consumer=consumer, source=source, topic=topic_suffix, sequence=n)
                                  for source, n in seen], conflict_on=["consumer", "source", "topic", "sequence"])


def set_offset(session: Session, t: StreamTables, consumer: str, topic: str, partition: int, next_offset: int) -> None:
    o = t.offsets
    moved = session.execute(update(o).where(o.c.consumer == consumer, o.c.topic == topic, o.c.partition == partition)
                            .values(next_offset=next_offset))
    if moved.rowcount == 0:
        insert_many(session, o, [dict(consumer=consumer, topic=topic, partition=partition, next_offset=next_offset)],
                    conflict_on=["consumer", "topic", "partition"])


def noted_offsets(session: Session, t: StreamTables, consumer: str) -> dict[tuple[str, int], int]:
    o = t.offsets
    return {(r.topic, r.partition): r.next_offset for r in session.execute(select(o).where(o.c.consumer == consumer))}


def marks_and_seen(session: Session, t: StreamTables, consumer: str,
                   ) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], list[int]]]:
    """(contiguous mark per (producer, topic), the numbers received above it, ascending)."""
    marks = {(r.source, r.topic): r.contiguous
             for r in session.execute(select(t.marks).where(t.marks.c.consumer == consumer))}
    seen: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r in session.execute(select(t.seen.c.source, t.seen.c.topic, t.seen.c.sequence)
                             .where(t.seen.c.consumer == consumer).order_by(t.seen.c.sequence)):
        seen[(r.source, r.topic)].append(r.sequence)
    return marks, seen


def advance_mark(session: Session, t: StreamTables, consumer: str, source: str, topic: str, contiguous: int,
                 *, new: bool) -> None:
    """Move the mark up to `contiguous` and forget the numbers under it; never backwards, so a replica
    compacting from an older snapshot cannot undo another's advance."""
    session.execute(delete(t.seen).where(t.seen.c.consumer == consumer, t.seen.c.source == source,
                                         t.seen.c.topic == topic, t.seen.c.sequence <= contiguous))
    if new:
        insert_many(session, t.marks, [dict(consumer=consumer, source=source, topic=topic, contiguous=contiguous)],
                    conflict_on=["consumer", "source", "topic"])
    m = t.marks.c
    session.execute(update(t.marks).where(m.consumer == consumer, m.source == source, m.topic == topic,
                                          m.contiguous < contiguous).values(contiguous=contiguous))


def open_breaks(session: Session, t: StreamTables, consumer: str | None = None) -> list:  # type: ignore[type-arg]
    query = select(t.breaks).where(t.breaks.c.healed_at.is_(None)).order_by(t.breaks.c.id)
    if consumer is not None:
        query = query.where(t.breaks.c.consumer == consumer)
    return list(session.execute(query).all())


def add_break(session: Session, t: StreamTables, **values) -> None:  # type: ignore[no-untyped-def]
    session.execute(t.breaks.insert().values(**values))


def change_break(session: Session, t: StreamTables, break_id: int, **values) -> None:  # type: ignore[no-untyped-def]
    session.execute(update(t.breaks).where(t.breaks.c.id == break_id).values(**values))


def answer_breaks(session: Session, t: StreamTables, consumer: str, source: str, topic: str, through: int) -> None:
    """The producer's answer to a log-reset request: the break is whole once everything up to `through` is in."""
    b = t.breaks.c
    session.execute(update(t.breaks).where(b.consumer == consumer, b.source == source, b.topic == topic,
                                           b.healed_at.is_(None), b.last_sequence.is_(None))
                    .values(last_sequence=through))


def breaks_detected_since(session: Session, t: StreamTables, since: datetime) -> list:  # type: ignore[type-arg]
    return list(session.execute(select(t.breaks).where(t.breaks.c.detected_at >= since)).all())
