"""kafka-python client factories: one place that knows our producer and consumer settings."""

from functools import lru_cache

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from shared.events import all_topics
from shared.settings import KafkaSecurity

PARTITIONS = 3  # of the topics the embedded broker gets; production's come from deploy/topics.sh


class MissingTopics(RuntimeError):
    """Production never creates topics: a missing one is an operator's step left undone, said at start."""

    def __init__(self, missing: list[str]):
        super().__init__(f"Kafka topic(s) missing: {', '.join(missing)}; in production the services never create "
                         "topics: create them with deploy/topics.sh (or the KafkaTopic manifests)")
        self.missing = missing


@lru_cache
def security() -> dict[str, str]:
    """Every client's authentication options (GRANTS_KAFKA_SECURITY_PROTOCOL, ...), read once per process."""
    return KafkaSecurity().client_options()


def make_producer(bootstrap: str) -> KafkaProducer:
    """acks=all with idempotence: a retried send never duplicates or reorders within a partition."""
    return KafkaProducer(
        bootstrap_servers=bootstrap.split(","),
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        max_block_ms=5000,
        request_timeout_ms=5000,
        delivery_timeout_ms=15000,
        bootstrap_timeout_ms=5000,
        **security(),
    )


def make_consumer(bootstrap: str, group_id: str, topics: list[str], *, max_poll_records: int = 500,
                  max_partition_fetch_bytes: int = 1 << 20) -> KafkaConsumer:
    """Manual commits only: offsets move after the database commit, never before."""
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap.split(","),
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        max_poll_records=max_poll_records,
        max_partition_fetch_bytes=max_partition_fetch_bytes,
        request_timeout_ms=30000,
        bootstrap_timeout_ms=5000,
        **security(),
    )
    consumer.subscribe(topics)
    return consumer


def _admin(bootstrap: str) -> KafkaAdminClient:
    return KafkaAdminClient(bootstrap_servers=bootstrap.split(","), request_timeout_ms=5000, bootstrap_timeout_ms=5000,
                            **security())


def require_topics(bootstrap: str, topics: list[str]) -> None:
    """Raise MissingTopics naming every one of `topics` the cluster does not have; creates nothing."""
    admin = _admin(bootstrap)
    try:
        existing = set(admin.list_topics())
    finally:
        admin.close()
    missing = sorted(t for t in topics if t not in existing)
    if missing:
        raise MissingTopics(missing)


def ensure_topics(bootstrap: str, prefix: str, partitions: int = PARTITIONS) -> None:
    """Create the contract's topics if missing (an in-memory broker loses them when it restarts).
    Development and tests only: in production the relay and consumers are built with create_topics=False."""
    admin = _admin(bootstrap)
    try:
        existing = set(admin.list_topics())
        missing = [t for t in all_topics(prefix) if t not in existing]
        if missing:
            try:
                admin.create_topics([NewTopic(t, num_partitions=partitions, replication_factor=1) for t in missing])
            except TopicAlreadyExistsError:
                pass
    finally:
        admin.close()
