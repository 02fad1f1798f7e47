"""Reading and writing the benchmarks' topics with plain kafka-python.

Tansu reports no usable end offsets, so "everything is on the topic" and "everything was read" are
both decided by marker messages appended to every partition after the real ones: partitions are
read in order, so a partition's marker arriving means everything before it arrived.
"""

import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kafka import TopicPartition

from shared.kafka_clients import ensure_topics, make_consumer, make_producer

MARKER = b"bench-end-marker"


def publish(bootstrap: str, prefix: str, messages: Iterable[tuple[str, str, dict[str, Any]]]) -> int:
    """(topic, key, CloudEvent dict) with the producer settings the relay uses; returns how many were sent."""
    ensure_topics(bootstrap, prefix)
    producer = make_producer(bootstrap)
    sent = 0
    try:
        for name, key, event in messages:
            producer.send(name, key=key.encode(), value=json.dumps(event, ensure_ascii=False, separators=(",", ":"))
                          .encode(), headers=[("content-type", b"application/cloudevents+json")])
            sent += 1
        producer.flush(timeout=60)
    finally:
        producer.close()
    return sent


def append_markers(bootstrap: str, topics: list[str], value: bytes = MARKER) -> None:
    producer = make_producer(bootstrap)
    try:
        for name in topics:
            for partition in sorted(producer.partitions_for(name)):
                producer.send(name, value=value, partition=partition)
        producer.flush(timeout=30)
    finally:
        producer.close()


@dataclass
class Read:
    count: int  # messages read before the markers
    records: list[tuple[str, bytes | None, bytes]]  # their (topic, key, value) in arrival order (when kept)
    first_at: float  # time.perf_counter() of the first poll that returned records
    last_at: float  # ... of the poll that returned the last marker

    @property
    def seconds(self) -> float:
        return self.last_at - self.first_at

    @property
    def values(self) -> list[bytes]:
        return [value for _, _, value in self.records]


def _plain_marker(value: bytes) -> bool:
    return value == MARKER


def read_to_markers(bootstrap: str, topics: list[str], *, timeout: float = 120, keep: bool = True,
                    is_marker: Callable[[bytes], bool] = _plain_marker, **consumer_settings: Any) -> Read:
    """Every message of the topics up to each partition's marker, through a consumer group with the
    settings the services' consumers use (make_consumer, plus consumer_settings), so its rate is
    kafka-python's ceiling for them."""
    consumer = make_consumer(bootstrap, f"bench-raw-{uuid.uuid4().hex[:8]}", topics, **consumer_settings)
    kept: list[tuple[str, bytes | None, bytes]] = []
    count, first_at, last_at = 0, 0.0, 0.0
    open_partitions: set[TopicPartition] | None = None
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            batch = consumer.poll(timeout_ms=300)
            if open_partitions is None and consumer.assignment():
                open_partitions = set(consumer.assignment())
            if not batch:
                if open_partitions is not None and not open_partitions:
                    break
                continue
            first_at = first_at or time.perf_counter()
            for tp, records in batch.items():
                for record in records:
                    if is_marker(record.value):
                        open_partitions.discard(tp)  # type: ignore[union-attr]
                        continue
                    count += 1
                    if keep:
                        kept.append((tp.topic, record.key, record.value))
            last_at = time.perf_counter()
            if not open_partitions:
                break
    finally:
        consumer.close()
    if open_partitions is None or open_partitions:
        raise TimeoutError(f"markers not seen on {open_partitions} within {timeout:.0f} s")
    return Read(count, kept, first_at, last_at)

