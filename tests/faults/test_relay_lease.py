"""One outbox relay publishes per service at a time, on PostgreSQL, whatever the replica count; a relay whose
session (and so its lease) ended mid-pass marks nothing and publishes no more, and per key the first copy of
every event still reaches the topic in commit order."""

import json
import threading

import psycopg
import pytest
from sqlalchemy import func, select

from shared import observe
from shared.events import CLAIM_SUBMITTED, new_event, topic
from shared.kafka_clients import ensure_topics
from shared.outbox import enqueue
from shared.relay import OutboxRelay
from shared.relay_lease import LOCK_CLASS
from tests.faults.conditions import wait_for
from tests.shared.messaging_support import make_db, outbox
from tests.support import read_topic


@pytest.fixture(autouse=True)
def marks(monkeypatch):  # type: ignore[no-untyped-def]
    """Each relay's marked rows: observe.relay_published runs once a pass's marks committed."""
    published = observe.relay_published

    def recording(relay, rows, started_ns):  # type: ignore[no-untyped-def]
        relay.marked.extend(row.id for row in rows)
        published(relay, rows, started_ns)

    monkeypatch.setattr(observe, "relay_published", recording)


class CountingRelay(OutboxRelay):
    """Knows the outbox ids this replica marked published; runs a hook once, right after a pass's flush."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.marked: list[int] = []
        self.on_flush = None

    def _unpublished_ids(self) -> set[int]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(outbox.c.id).where(outbox.c.published_at.is_(None))).scalars())

    def _ensure_producer(self):  # type: ignore[no-untyped-def]
        producer = super()._ensure_producer()
        relay = self
        flush = producer.flush

        def flushing(*args, **kwargs):  # type: ignore[no-untyped-def]
            flush(*args, **kwargs)
            if relay.on_flush is not None:
                hook, relay.on_flush = relay.on_flush, None
                hook()

        producer.flush = flushing
        return producer


def _stage(engine, count: int, keys: int = 7, start: int = 0) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Events sharing few keys (so order per key matters); returns (key, event id) in commit order."""
    from shared.db import unit_of_work

    staged = []
    for i in range(start, start + count):  # one commit each: the outbox ids follow the commits
        key = f"k{i % keys}"
        event = new_event(CLAIM_SUBMITTED, "test", key, {"claim_id": key, "n": i})
        with unit_of_work(engine) as session:
            enqueue(session, outbox, event, key=key)
        staged.append((key, event.id))
    return staged


def _lease_holders(db_name: str) -> list[int]:
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{db_name}") as conn:
        return [pid for (pid,) in conn.execute(
            # pg_locks spans the cluster: other tests' relays hold the same lock class in their own databases.
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = %s"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", (LOCK_CLASS,))]


def _terminate(pid: int) -> None:
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", (pid,))


def _assert_first_copies_in_commit_order(broker: str, prefix: str, staged: list[tuple[str, str]]) -> None:
    messages = read_topic(broker, topic(prefix, "claims.v1"), len(staged), timeout_s=30)
    seen: dict[str, list[str]] = {}
    for message in sorted(messages, key=lambda m: (m.partition, m.offset)):
        event_id = json.loads(message.value)["id"]
        firsts = seen.setdefault(message.key.decode(), [])
        if event_id not in firsts:
            firsts.append(event_id)
    expected: dict[str, list[str]] = {}
    for key, event_id in staged:
        expected.setdefault(key, []).append(event_id)
    assert seen == expected


def test_two_relays_one_publisher_and_the_standby_takes_over_when_it_stops(pg_url, broker, topic_prefix):
    engine = make_db(pg_url)
    ensure_topics(broker, topic_prefix)
    relays = [CountingRelay(engine, outbox, broker, topic_prefix, service="svc", standby_seconds=0.2)
              for _ in range(2)]
    threads = [threading.Thread(target=r.run, daemon=True) for r in relays]
    for thread in threads:
        thread.start()
    staged = _stage(engine, 150)
    wait_for(lambda: not relays[0]._unpublished_ids(), timeout=30, what="the first 150 published")
    assert [bool(r.marked) for r in relays].count(True) == 1, "both replicas published"
    leader = next(r for r in relays if r.marked)
    standby = next(r for r in relays if r is not leader)
    assert len(_lease_holders(pg_url.rsplit("/", 1)[1])) == 1
    leader.stop(); threads[relays.index(leader)].join(10)
    staged += _stage(engine, 100, start=150)
    wait_for(lambda: not relays[0]._unpublished_ids(), timeout=30, what="the next 100 published by the standby")
    assert len(leader.marked) == 150 and len(standby.marked) == 100
    standby.stop(); threads[relays.index(standby)].join(10)
    _assert_first_copies_in_commit_order(broker, topic_prefix, staged)


def test_a_relay_that_lost_its_session_mid_pass_marks_nothing_and_publishes_no_more(pg_url, broker, topic_prefix):
    engine = make_db(pg_url)
    db_name = pg_url.rsplit("/", 1)[1]
    ensure_topics(broker, topic_prefix)
    staged = _stage(engine, 60)
    first = CountingRelay(engine, outbox, broker, topic_prefix, service="svc", batch_size=40)
    second = CountingRelay(engine, outbox, broker, topic_prefix, service="svc")

    def cut_off_and_let_the_other_take_over() -> None:
        # rows sent, not yet marked: the first relay's session ends (a partition, a failed-over database)
        [pid] = _lease_holders(db_name)
        _terminate(pid)
        wait_for(lambda: second.relay_once() > 0, timeout=15, what="the second relay to take the lease")

    first.on_flush = cut_off_and_let_the_other_take_over
    try:
        first.relay_once()
        raise AssertionError("the first relay's mark should have failed with its session")
    except Exception as exc:  # noqa: BLE001 - the database error of the ended session
        assert "terminat" in str(exc).lower() or "closed" in str(exc).lower(), exc
    assert first.relay_once() == 0  # standing by: the lease is the second's
    staged += _stage(engine, 30, start=60)
    assert first.relay_once() == 0
    while second.relay_once():
        pass
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).where(outbox.c.published_at.is_(None))).scalar() == 0
    assert first.marked == [] and len(second.marked) == 90
    _assert_first_copies_in_commit_order(broker, topic_prefix, staged)
    second.lease.release()
