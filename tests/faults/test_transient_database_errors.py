"""(a) Transient database errors at random points of the batch handler and of the commits (the database's,
before it and after it, when the reply is lost; and the broker's offset commit): every event of a stream over
three partitions is applied exactly once, none dead-lettered."""

from collections import Counter

from kafka.errors import CommitFailedError
from sqlalchemy import event, insert
from sqlalchemy.exc import OperationalError

from shared.consumer import ConsumerSpec, IdempotentConsumer
from shared.events import CLAIM_SUBMITTED, topic
from shared.kafka_clients import ensure_topics
from tests.faults.conditions import wait_for
from tests.faults.sizes import sized
from tests.faults.stream import (
    assert_each_applied_once,
    consumer,
    publish_all,
    running,
    stage,
)
from tests.shared.kafka_offsets import caught_up
from tests.shared.messaging_support import applied, make_db

EVENTS = sized(5_000, 50_000)


def _lost_connection(where: str) -> OperationalError:
    return OperationalError(where, {}, ConnectionError("server closed the connection unexpectedly"))


class Faults:
    """Decides, from the test's seeded random source, where each fault strikes; counts what it injected."""

    def __init__(self, rng, rate: float):  # type: ignore[no-untyped-def]
        self.rng, self.rate, self.injected = rng, rate, Counter()

    def strikes(self, where: str, rate: float | None = None) -> bool:
        if self.rng.random() < (self.rate if rate is None else rate):
            self.injected[where] += 1
            return True
        return False

    def batch_handler(self, session, events) -> None:  # type: ignore[no-untyped-def]
        """Writes the batch's rows, failing part-way with a lost connection now and then."""
        cut = self.rng.randrange(len(events) + 1)
        for i, part in enumerate((events[:cut], events[cut:])):
            if part:
                session.execute(insert(applied), [{"event_id": e.id} for e in part])
            if i == 0 and self.strikes("handler"):
                raise _lost_connection("INSERT INTO applied")

    def on_commit(self, conn) -> None:  # type: ignore[no-untyped-def]
        """SQLAlchemy's commit hook, just before COMMIT is sent."""
        if self.strikes("before database commit", self.rate / 2):
            raise _lost_connection("COMMIT")
        if self.strikes("after database commit", self.rate / 2):
            conn.connection.dbapi_connection.commit()  # committed, but the reply never reaches us
            raise _lost_connection("COMMIT (reply lost)")


class FaultyOffsetCommits(IdempotentConsumer):
    faults: Faults

    def _connect(self) -> None:
        fresh = self._consumer is None
        super()._connect()
        if fresh:
            commit = self._consumer.commit

            def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
                if self.faults.strikes("offset commit", 0.02):
                    raise CommitFailedError("injected: the group rebalanced")
                return commit(*args, **kwargs)

            self._consumer.commit = failing


def test_transient_database_errors_anywhere_in_a_batch_leave_every_event_applied_exactly_once(
        pg_url, broker, topic_prefix, fault_seed):
    engine = make_db(pg_url)
    ensure_topics(broker, topic_prefix, partitions=3)
    ids = stage(engine, EVENTS)
    publish_all(engine, broker, topic_prefix)
    faults = Faults(fault_seed, rate=0.3)
    faulty_engine = make_db(pg_url)  # the consumer's own engine: only its commits fail
    event.listen(faulty_engine, "commit", faults.on_commit)
    spec = ConsumerSpec(name="test.recorder", group_id=f"{topic_prefix}.g", topic_suffixes=["claims.v1"],
                        handlers={CLAIM_SUBMITTED: None}, batch_handler=faults.batch_handler,
                        max_poll_records=300, max_partition_fetch_bytes=24_000)  # a poll spans the partitions
    worker = consumer(faulty_engine, spec, broker, topic_prefix, cls=FaultyOffsetCommits)
    worker.faults = faults
    with running(worker):
        # offsets move only past what was applied: once at the end of every partition, nothing is left to apply
        wait_for(lambda: caught_up(broker, spec.group_id, topic(topic_prefix, "claims.v1")), every=0.5,
                 timeout=sized(300, 900), what="the group's offsets at the end of every partition")
    assert_each_applied_once(engine, ids)
    print("faults injected:", dict(faults.injected))
    assert min(faults.injected[k] for k in ("handler", "before database commit", "after database commit")) > 0, \
        faults.injected
