"""A transient database error while one polled batch spans several partitions loses nothing: every
partition not wholly applied is read again, and each event is applied exactly once."""

import threading

from sqlalchemy.exc import OperationalError

from shared.consumer import ConsumerSpec, IdempotentConsumer
from shared.events import CLAIM_SUBMITTED
from shared.kafka_clients import ensure_topics
from shared.relay import OutboxRelay
from tests.faults.conditions import wait_for
from tests.shared.messaging_support import applied_counts, inbox, make_db, outbox, record, stage_events


def _failing_once_at(call: int):  # type: ignore[no-untyped-def]
    calls = {"n": 0}

    def handler(session, event) -> None:  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == call:
            raise OperationalError("INSERT INTO applied", {}, ConnectionError("server closed the connection"))
        record(session, event)

    return handler


def test_one_transient_error_in_a_batch_spanning_three_partitions_loses_no_event(db_url, broker, topic_prefix):
    engine = make_db(db_url)
    ensure_topics(broker, topic_prefix, partitions=3)
    ids = stage_events(engine, 75)
    OutboxRelay(engine, outbox, broker, topic_prefix).relay_once()  # all 75 on the topic before the first poll
    spec = ConsumerSpec(name="test.recorder", group_id=f"{topic_prefix}.g", topic_suffixes=["claims.v1"],
                        handlers={CLAIM_SUBMITTED: _failing_once_at(3)})
    consumer = IdempotentConsumer(engine, inbox, spec, broker, topic_prefix)
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: len(applied_counts(engine)) == 75, timeout=40, what="all 75 events applied")
    finally:
        consumer.stop(); thread.join(10)
    assert applied_counts(engine) == {event_id: 1 for event_id in ids}
