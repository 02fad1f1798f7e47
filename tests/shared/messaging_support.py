"""A tiny service for messaging tests: an outbox, an inbox and an `applied` table with no uniqueness,
so a double application would show as two rows."""

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select, func

from shared.consumer import ConsumerSpec
from shared.events import CLAIM_SUBMITTED, new_event
from shared.inbox import inbox_table
from shared.outbox import enqueue, outbox_table

metadata = MetaData()
outbox = outbox_table(metadata)
inbox = inbox_table(metadata)
applied = Table("applied", metadata, Column("id", Integer, primary_key=True), Column("event_id", String(200)))


def make_db(url: str):  # type: ignore[no-untyped-def]
    from shared.db import make_engine

    engine = make_engine(url)
    metadata.create_all(engine)
    return engine


def record(session, event) -> None:  # type: ignore[no-untyped-def]
    if event.data.get("poison"):
        raise ValueError("this message cannot be processed")
    session.execute(insert(applied).values(event_id=event.id))


def spec(group: str) -> ConsumerSpec:
    return ConsumerSpec(name="test.recorder", group_id=group, topic_suffixes=["claims.v1"],
                        handlers={CLAIM_SUBMITTED: record})


def stage_events(engine, count: int, **data) -> list[str]:  # type: ignore[no-untyped-def]
    from shared.db import unit_of_work

    ids = []
    with unit_of_work(engine) as session:
        for i in range(count):
            event = new_event(CLAIM_SUBMITTED, "test", f"c{i}", {"claim_id": f"c{i}", **data})
            enqueue(session, outbox, event, key=f"c{i}")
            ids.append(event.id)
    return ids


def applied_counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        rows = conn.execute(select(applied.c.event_id, func.count()).group_by(applied.c.event_id)).all()
    return {event_id: n for event_id, n in rows}
