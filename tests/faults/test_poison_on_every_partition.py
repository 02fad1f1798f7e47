"""(e) A poison record between good ones on each partition: it alone is dead-lettered (with its error), every
good record around it is applied exactly once."""

import json

from shared.consumer import ConsumerSpec
from shared.events import CLAIM_SUBMITTED, topic
from shared.kafka_clients import ensure_topics
from tests.faults.conditions import wait_for
from tests.faults.sizes import sized
from tests.faults.stream import (
    consumer,
    outcomes,
    partition_of,
    publish_all,
    running,
    stage,
)
from tests.shared.kafka_offsets import caught_up
from tests.shared.messaging_support import applied_counts, make_db, record
from tests.support import read_topic

EVENTS = sized(600, 6_000)


def _poison_mid_partition(rng, count: int, partitions: int = 3) -> set[int]:  # type: ignore[no-untyped-def]
    """One event number per partition, drawn from the middle half of that partition's events."""
    by_partition: dict[int, list[int]] = {}
    for i in range(count):
        by_partition.setdefault(partition_of(f"c{i}", partitions), []).append(i)
    assert len(by_partition) == partitions
    chosen = set()
    for numbers in by_partition.values():
        quarter = len(numbers) // 4
        chosen.add(rng.choice(numbers[quarter:-quarter]))
    return chosen


def test_only_the_poison_record_of_each_partition_is_dead_lettered(pg_url, broker, topic_prefix, fault_seed):
    engine = make_db(pg_url)
    ensure_topics(broker, topic_prefix, partitions=3)
    poison = _poison_mid_partition(fault_seed, EVENTS)
    ids = stage(engine, EVENTS, poison=poison)
    publish_all(engine, broker, topic_prefix)  # all on the topic first: a poll's batch holds the poison among good ones
    spec = ConsumerSpec(name="test.recorder", group_id=f"{topic_prefix}.g", topic_suffixes=["claims.v1"],
                        handlers={CLAIM_SUBMITTED: record}, max_poll_records=300, max_partition_fetch_bytes=24_000)
    with running(consumer(engine, spec, broker, topic_prefix)):
        wait_for(lambda: caught_up(broker, spec.group_id, topic(topic_prefix, "claims.v1")), every=0.5, timeout=60,
                 what="the group's offsets at the end of every partition")
    poison_ids = {ids[i] for i in poison}
    good = [event_id for event_id in ids if event_id not in poison_ids]
    assert applied_counts(engine) == {event_id: 1 for event_id in good}
    recorded = outcomes(engine)
    assert {i for i, outcome in recorded.items() if outcome == "dead_lettered"} == poison_ids
    parked = read_topic(broker, topic(topic_prefix, "deadletter.v1"), len(poison_ids) + 1, timeout_s=5)
    assert sorted(json.loads(m.value)["id"] for m in parked) == sorted(poison_ids)
    assert all(dict(m.headers)["error"].startswith(b"ValueError") for m in parked)
    assert {int(dict(m.headers)["original_partition"]) for m in parked} == {0, 1, 2}
