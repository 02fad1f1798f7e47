"""The broker's references: raw kafka-python on the same broker, in the same run, with the very messages
the run's services published (so the same sizes, keys and topics).

After the services stop, the run's topics are read to markers (the consume rate: first records to
last marker, a consumer group with kafka-python's settings as make_consumer sets them), then the same
records are sent again under a fresh topic prefix with the relay's producer settings (make_producer:
acks=all, idempotent), the rate from the first send to the flush. Each is the median of TIMES tries,
as one lasts a fraction of a second. A benchmark turns msgs/s into claims/s with the messages a claim
put on the topics, so its ratio reads "this share of what the broker alone carries".
"""

import statistics
import time
import uuid
from dataclasses import dataclass

from bench.topics import append_markers, read_to_markers
from shared.events import topic
from shared.kafka_clients import ensure_topics, make_producer

SUFFIXES = ("claims.v1", "payments.v1", "batches.v1")
HEADERS = [("content-type", b"application/cloudevents+json")]  # what the relay sends with every event
TIMES = 3


@dataclass(frozen=True)
class BrokerRates:
    messages: int  # on the run's topics
    produce: float  # msgs/s
    consume: float  # msgs/s

    def per(self, units: int) -> tuple[float, float]:
        """(produce, consume) in units/s, where `units` (claims, payments) put `messages` on the topics."""
        return self.produce * units / self.messages, self.consume * units / self.messages


Record = tuple[str, bytes | None, bytes]  # (topic suffix, key, value)


def broker_rates(bootstrap: str, prefix: str, suffixes: tuple[str, ...] = SUFFIXES) -> BrokerRates:
    topics = [topic(prefix, s) for s in suffixes]
    append_markers(bootstrap, topics)
    reads = [read_to_markers(bootstrap, topics, keep=i == 0) for i in range(TIMES)]
    records = [(name.removeprefix(f"{prefix}."), key, value) for name, key, value in reads[0].records]
    if not records or any(r.count != len(records) for r in reads):
        raise RuntimeError(f"reads of the run's topics found {[r.count for r in reads]} messages")
    return BrokerRates(len(records), produce_rate(bootstrap, records),
                       statistics.median(r.count / r.seconds for r in reads))


def produce_rate(bootstrap: str, records: list[Record]) -> float:
    """Msgs/s sending the records under a fresh topic prefix: the median of TIMES tries."""
    return statistics.median(_produce_once(bootstrap, records) for _ in range(TIMES))


def _produce_once(bootstrap: str, records: list[Record]) -> float:
    fresh = f"raw{uuid.uuid4().hex[:8]}"
    ensure_topics(bootstrap, fresh)
    producer = make_producer(bootstrap)
    try:
        for suffix in {s for s, _, _ in records}:
            producer.partitions_for(topic(fresh, suffix))  # metadata fetched before the clock
        started = time.perf_counter()
        for suffix, key, value in records:
            producer.send(topic(fresh, suffix), key=key, value=value, headers=HEADERS)
        producer.flush(timeout=60)
        return len(records) / (time.perf_counter() - started)
    finally:
        producer.close()
