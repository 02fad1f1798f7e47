"""The stream the fault tests push through: events of the messaging tests' tiny service (tests.shared.
messaging_support: an `applied` table without uniqueness, so a second application shows as a second row),
staged in bulk across the partitions, and the checks that every event was applied exactly once."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from kafka.partitioner.default import murmur2
from sqlalchemy import func, select

from shared.consumer import IdempotentConsumer
from shared.db import unit_of_work
from shared.events import CLAIM_SUBMITTED, new_event
from shared.kafka_clients import PARTITIONS
from shared.outbox import enqueue_many
from shared.relay import OutboxRelay
from tests.shared.messaging_support import applied, applied_counts, inbox, outbox


def partition_of(key: str, partitions: int = PARTITIONS) -> int:
    """Where kafka-python's default partitioner puts a key (murmur2, positive, modulo the count)."""
    return (murmur2(key.encode()) & 0x7FFFFFFF) % partitions


def stage(engine, count: int, start: int = 0, poison: set[int] = frozenset()) -> list[str]:  # type: ignore[no-untyped-def]
    """Events c<start>..c<start+count-1> (the numbers in `poison` cannot be applied); returns their ids."""
    events = [new_event(CLAIM_SUBMITTED, "test", f"c{i}", {"claim_id": f"c{i}", **({"poison": True} if i in poison else {})})
              for i in range(start, start + count)]
    with unit_of_work(engine) as session:
        enqueue_many(session, outbox, [(event, event.subject) for event in events])
    return [event.id for event in events]


def publish_all(engine, broker: str, prefix: str) -> None:  # type: ignore[no-untyped-def]
    relay = OutboxRelay(engine, outbox, broker, prefix)
    while relay.relay_once():
        pass
    relay.lease.release()
    relay.close()  # its sender thread would otherwise outlive the test's broker, logging to a closed stream


def applied_rows(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(applied)).scalar_one()


def outcomes(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """event id -> what the consumer recorded for it (applied, dead_lettered)."""
    with engine.connect() as conn:
        return dict(conn.execute(select(inbox.c.event_id, inbox.c.outcome)).all())


def assert_each_applied_once(engine, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    counts = applied_counts(engine)
    missing = [i for i in ids if i not in counts]
    doubled = {i: n for i, n in counts.items() if n > 1}
    assert not missing and not doubled and len(counts) == len(ids), (
        f"{len(missing)} of {len(ids)} events never applied, {len(doubled)} applied more than once, "
        f"{len(set(counts) - set(ids))} unknown")
    assert set(outcomes(engine).values()) == {"applied"}, "an event was dead-lettered"


@contextmanager
def running(worker) -> Iterator[threading.Thread]:  # type: ignore[no-untyped-def]
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        worker.stop()
        thread.join(15)


def consumer(engine, spec, broker: str, prefix: str, cls=IdempotentConsumer):  # type: ignore[no-untyped-def]
    return cls(engine, inbox, spec, broker, prefix)
