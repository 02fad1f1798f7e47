"""(c) The database unreachable for 10 s mid-stream (a proxy the test owns drops every connection and refuses
new ones): the relay and the consumer wait it out, then resume; nothing is lost, nothing applied twice, nothing
dead-lettered."""

import threading

from shared.consumer import ConsumerSpec
from shared.events import CLAIM_SUBMITTED, topic
from shared.kafka_clients import ensure_topics
from shared.relay import OutboxRelay
from tests.faults.conditions import wait_for
from tests.faults.sizes import sized
from tests.faults.stream import (
    applied_rows,
    assert_each_applied_once,
    consumer,
    running,
    stage,
)
from tests.faults.tcp_proxy import TcpProxy
from tests.shared.kafka_offsets import caught_up
from tests.shared.messaging_support import make_db, outbox, record
from tests.support import read_topic

EVENTS, OUTAGE_S = sized(3_000, 30_000), 10.0


def test_consumption_resumes_after_the_database_was_unreachable_for_ten_seconds(pg_url, broker, topic_prefix,
                                                                                 fault_seed):
    engine = make_db(pg_url)  # the test's own view, direct
    ensure_topics(broker, topic_prefix, partitions=3)
    proxy = TcpProxy(5432)
    through_proxy = make_db(pg_url.replace(":5432/", f":{proxy.port}/"))  # the workers' view
    spec = ConsumerSpec(name="test.recorder", group_id=f"{topic_prefix}.g", topic_suffixes=["claims.v1"],
                        handlers={CLAIM_SUBMITTED: record}, max_poll_records=100)
    relay = OutboxRelay(through_proxy, outbox, broker, topic_prefix, batch_size=100, max_backoff=1.0, service="svc")
    cut_at = fault_seed.randrange(EVENTS // 5, EVENTS // 2)
    ids = stage(engine, EVENTS // 2)
    try:
        with running(relay), running(consumer(through_proxy, spec, broker, topic_prefix)) as consuming:
            wait_for(lambda: applied_rows(engine) >= cut_at, timeout=60, what=f"{cut_at} events applied")
            proxy.cut()
            outage = threading.Event()  # waited on for the outage's length: the fault itself, not a condition
            ids += stage(engine, EVENTS - len(ids), start=len(ids))  # the stream goes on: staged meanwhile
            outage.wait(1.0)  # a commit already on its way when the connections dropped has landed by now
            during = applied_rows(engine)
            outage.wait(OUTAGE_S - 1.0)
            assert applied_rows(engine) == during, "applied while the database was unreachable"
            proxy.restore()
            wait_for(lambda: caught_up(broker, spec.group_id, topic(topic_prefix, "claims.v1"))
                     and applied_rows(engine) >= EVENTS, every=0.5, timeout=90, what="every event applied after the outage")
            assert consuming.is_alive()
    finally:
        proxy.close()
    assert_each_applied_once(engine, ids)
    assert read_topic(broker, topic(topic_prefix, "deadletter.v1"), 1, timeout_s=3) == [], "an event was dead-lettered"
