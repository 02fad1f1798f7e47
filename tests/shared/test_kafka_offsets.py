"""The waits of the messaging and fault tests end on `caught_up`; an answer without partitions must not end
one (the fault suite's earlier copy read it as "nothing left" and asserted while events were still due)."""

from kafka import KafkaProducer

from shared.events import topic
from shared.kafka_clients import ensure_topics
from tests.shared.kafka_offsets import caught_up, group_offsets


def test_a_topic_the_broker_does_not_list_is_never_caught_up(broker, topic_prefix):
    assert group_offsets(broker, f"{topic_prefix}.g", topic(topic_prefix, "missing.v1")) == {}
    assert not caught_up(broker, f"{topic_prefix}.g", topic(topic_prefix, "missing.v1"))


def test_a_group_that_committed_nothing_is_behind_a_topic_holding_records(broker, topic_prefix):
    ensure_topics(broker, topic_prefix, partitions=3)
    name = topic(topic_prefix, "claims.v1")
    producer = KafkaProducer(bootstrap_servers=broker)
    producer.send(name, b"{}").get(timeout=10)
    producer.close()
    offsets = group_offsets(broker, f"{topic_prefix}.g", name)
    assert sorted(offsets) == [0, 1, 2] and sum(end for _, end in offsets.values()) == 1
    assert not caught_up(broker, f"{topic_prefix}.g", name)
