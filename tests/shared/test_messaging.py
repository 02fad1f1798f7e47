import json
import subprocess
import sys
import threading
import time

from shared.broker import free_port, start_broker, stop_process
from shared.consumer import IdempotentConsumer
from shared.events import all_topics, topic
from shared.kafka_clients import ensure_topics, make_producer
from shared.relay import OutboxRelay, replay
from tests.shared.messaging_support import applied_counts, inbox, make_db, outbox, spec, stage_events
from tests.support import read_topic


def _event_ids(messages) -> set[str]:  # type: ignore[no-untyped-def]
    return {json.loads(m.value)["id"] for m in messages}


def _run(worker) -> threading.Thread:  # type: ignore[no-untyped-def]
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    return thread


def _wait_for(condition, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_relay_publishes_committed_events_with_their_headers(tmp_path, broker, topic_prefix):
    engine = make_db(f"sqlite:///{tmp_path}/svc.db")
    ids = stage_events(engine, 5)
    relay = OutboxRelay(engine, outbox, broker, topic_prefix)
    thread = _run(relay)
    messages = read_topic(broker, topic(topic_prefix, "claims.v1"), 5)
    relay.stop(); thread.join(5)
    assert _event_ids(messages) == set(ids)
    assert all(dict(m.headers)["content-type"] == b"application/cloudevents+json" for m in messages)


def test_outbox_delivers_everything_after_the_broker_was_stopped_and_started_again(tmp_path, topic_prefix):
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    engine = make_db(f"sqlite:///{tmp_path}/svc.db")
    proc = start_broker(port)
    relay = OutboxRelay(engine, outbox, bootstrap, topic_prefix, max_backoff=0.5)
    thread = _run(relay)
    try:
        before = stage_events(engine, 5)
        assert _event_ids(read_topic(bootstrap, topic(topic_prefix, "claims.v1"), 5)) == set(before)
        stop_process(proc)
        during = stage_events(engine, 5)  # committed while the broker is down
        proc = start_broker(port)  # a fresh in-memory broker: the old topics are gone
        assert _event_ids(read_topic(bootstrap, topic(topic_prefix, "claims.v1"), 5)) >= set(during)
        assert replay(engine, outbox) == 10  # operators replay what the lost topics held
        delivered = _event_ids(read_topic(bootstrap, topic(topic_prefix, "claims.v1"), 15))
        assert delivered == set(before) | set(during)
    finally:
        relay.stop(); thread.join(5); stop_process(proc)


def test_a_consumer_killed_before_committing_its_offset_does_not_apply_an_event_twice(db_url, broker, topic_prefix):
    engine = make_db(db_url)
    ids = stage_events(engine, 3)
    relay = OutboxRelay(engine, outbox, broker, topic_prefix)
    relay_thread = _run(relay)
    group = f"{topic_prefix}.recorder"
    crashed = subprocess.run([sys.executable, "-m", "tests.shared.crashing_consumer", db_url, broker, topic_prefix, group],
                             timeout=60)
    assert crashed.returncode == -9  # it died right after its first commit, offsets uncommitted
    assert 1 <= sum(applied_counts(engine).values()) <= 3
    consumer = IdempotentConsumer(engine, inbox, spec(group), broker, topic_prefix)
    thread = _run(consumer)
    try:
        assert _wait_for(lambda: len(applied_counts(engine)) == 3)
    finally:
        consumer.stop(); relay.stop(); thread.join(10); relay_thread.join(5)
    assert applied_counts(engine) == {event_id: 1 for event_id in ids}


def test_a_poison_message_goes_to_the_dead_letter_topic_and_the_next_message_is_processed(db_url, broker, topic_prefix):
    engine = make_db(db_url)
    ensure_topics(broker, topic_prefix)
    producer = make_producer(broker)
    producer.send(topic(topic_prefix, "claims.v1"), key=b"c0", value=b"{not json")
    producer.flush(); producer.close()
    poisoned = stage_events(engine, 1, poison=True)
    good = stage_events(engine, 1)
    relay = OutboxRelay(engine, outbox, broker, topic_prefix)
    consumer = IdempotentConsumer(engine, inbox, spec(f"{topic_prefix}.g"), broker, topic_prefix)
    threads = [_run(relay), _run(consumer)]
    try:
        assert _wait_for(lambda: applied_counts(engine) == {good[0]: 1})
        dead = read_topic(broker, topic(topic_prefix, "deadletter.v1"), 2)
    finally:
        consumer.stop(); relay.stop(); [t.join(10) for t in threads]
    assert len(dead) == 2
    assert {m.value for m in dead} >= {b"{not json"}
    assert poisoned[0] in {json.loads(m.value)["id"] for m in dead if m.value.startswith(b"{\"")}
    assert all(b"Error" in dict(m.headers)["error"] for m in dead)


def test_topics_of_the_contract_are_created(broker, topic_prefix):
    from kafka import KafkaAdminClient

    ensure_topics(broker, topic_prefix)
    admin = KafkaAdminClient(bootstrap_servers=broker)
    try:
        assert set(all_topics(topic_prefix)) <= set(admin.list_topics())
    finally:
        admin.close()


def test_the_correlation_id_travels_from_the_writer_through_kafka_into_the_consumer(tmp_path, broker, topic_prefix):
    from shared.consumer import ConsumerSpec
    from shared.events import CLAIM_SUBMITTED
    from shared.logging import bind_correlation_id, current_correlation_id

    engine = make_db(f"sqlite:///{tmp_path}/svc.db")
    bind_correlation_id("req-4711")
    stage_events(engine, 1)
    bind_correlation_id("someone-else")
    seen: list[str | None] = []
    recorder = ConsumerSpec(name="test.cid", group_id=f"{topic_prefix}.cid", topic_suffixes=["claims.v1"],
                            handlers={CLAIM_SUBMITTED: lambda session, event: seen.append(current_correlation_id())})
    relay = OutboxRelay(engine, outbox, broker, topic_prefix)
    consumer = IdempotentConsumer(engine, inbox, recorder, broker, topic_prefix)
    threads = [_run(relay), _run(consumer)]
    try:
        assert _wait_for(lambda: bool(seen))
    finally:
        consumer.stop(); relay.stop(); [t.join(10) for t in threads]
    assert seen == ["req-4711"]


def test_a_batch_with_a_poison_event_still_applies_every_other_event_once(tmp_path, broker, topic_prefix):
    engine = make_db(f"sqlite:///{tmp_path}/svc.db")
    good = stage_events(engine, 5)
    poisoned = stage_events(engine, 1, poison=True)
    more = stage_events(engine, 5)
    relay = OutboxRelay(engine, outbox, broker, topic_prefix)
    relay.relay_once()  # all eleven on the topic before the consumer polls, so they arrive in few batches
    consumer = IdempotentConsumer(engine, inbox, spec(f"{topic_prefix}.b"), broker, topic_prefix)
    thread = _run(consumer)
    try:
        assert _wait_for(lambda: len(applied_counts(engine)) == 10)
        dead = read_topic(broker, topic(topic_prefix, "deadletter.v1"), 1)
    finally:
        consumer.stop(); thread.join(10); relay.stop()
    assert applied_counts(engine) == {event_id: 1 for event_id in good + more}
    assert [json.loads(m.value)["id"] for m in dead] == poisoned
